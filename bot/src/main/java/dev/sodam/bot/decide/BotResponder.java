package dev.sodam.bot.decide;

import dev.sodam.bot.BotDecision;
import dev.sodam.bot.BotThresholds;
import dev.sodam.bot.Candidate;
import dev.sodam.bot.ConfidenceScale;
import dev.sodam.bot.Prediction;
import dev.sodam.bot.faq.FaqMatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Combines retrieval and classifier into one decision for one locale.
 *
 * <p>Per label: {@code combined = W_SIM · similarity + (1 − W_SIM) · probability}. The best label's
 * confidence is its combined score, times a margin factor (a best label barely ahead of the second
 * is not trusted: {@code min(1, MARGIN_FLOOR + margin / MARGIN_FULL)}) and times
 * {@link #DISAGREE_PENALTY} when retrieval and classifier prefer different labels, put through the
 * locale's {@link ConfidenceScale} (the probability of being right, as validation measured it). Then:
 * explicit trigger or a confident handoff intent → Handoff(REQUESTED); small-talk intent above the
 * answer threshold → its reply; otherwise the best FAQ's confidence against the thresholds.
 * Stateless and thread-safe.
 */
public final class BotResponder {

    /**
     * Weight of retrieval in the combined score; the classifier gets the rest. Chosen on the English
     * val splits (docs/bot.md section 4): the classifier alone is already as good as the even mix
     * (BANKING77 89.53 % both), retrieval alone far worse (78 %), and a 0.2–0.4 share of retrieval
     * beats both on BANKING77 and CLINC150 (0.5 was the first guess).
     */
    static final double W_SIM = 0.3;
    static final double MARGIN_FLOOR = 0.5;
    static final double MARGIN_FULL = 0.3;
    static final double DISAGREE_PENALTY = 0.85;
    static final double HANDOFF_PROB = 0.5;
    /**
     * Factor on the raw score of an FAQ entry when the question reports an event as not having happened,
     * beside one that did, and the entry never negates it ({@link #speaksOf}; docs/bot.md, "A negated
     * event"). Such an entry is also never answered outright, only suggested ({@link #decideRanked}): what
     * the factor does to the confidence depends on the locale's calibrated scale, which every FAQ edit moves.
     */
    static final double UNSPOKEN_NEGATION = 0.25;
    /**
     * The small-talk intent (config/bot/intents.json) that answers "네", "알겠습니다", "ok" — and a message
     * with nothing to read ({@link #nothingToRead}).
     */
    static final String ACKNOWLEDGEMENT_INTENT = "acknowledgement";
    /** The small-talk intent (config/bot/intents.json) that answers a visitor who turned a person down. */
    static final String DECLINED_INTENT = "no-handoff";

    private final String locale;
    private final BotThresholds thresholds;
    private final ConfidenceScale scale;
    private final HashMap<String, Label> labels;

    /** A responder whose confidence is the raw score ({@link ConfidenceScale#IDENTITY}). */
    public BotResponder(String locale, BotThresholds thresholds, Map<String, Label> labels) {
        this(locale, thresholds, ConfidenceScale.IDENTITY, new HashMap<>(labels));
    }

    private BotResponder(String locale, BotThresholds thresholds, ConfidenceScale scale, HashMap<String, Label> labels) {
        this.locale = locale;
        this.thresholds = thresholds;
        this.scale = scale;
        this.labels = labels; // looked up per candidate: HashMap compares stored hashes first
    }

    /** The thresholds this responder decides with. */
    public BotThresholds thresholds() {
        return thresholds;
    }

    /** The same responder with other thresholds. */
    public BotResponder withThresholds(BotThresholds other) {
        return new BotResponder(locale, other, scale, labels);
    }

    /** The scale from raw score to confidence. */
    public ConfidenceScale scale() {
        return scale;
    }

    /** The same responder with another scale from raw score to confidence (the thresholds are in its units). */
    public BotResponder withScale(ConfidenceScale other) {
        return new BotResponder(locale, thresholds, other, labels);
    }

    /**
     * The best label, its confidence and the FAQ entries a clarification would suggest, without
     * triggers or bands (what calibration and the evaluation command score).
     */
    public Prediction top(List<FaqMatch> retrieval, List<String> classLabels, ToIntFunction<String> classIndex,
                          double[] probs) {
        return top(List.of(), retrieval, classLabels, classIndex, probs);
    }

    /**
     * {@link #top(List, List, ToIntFunction, double[])} for a question that reports the events of
     * {@code contrasted} as not having happened beside one that did ({@code LocaleAnalysis.Analyzed#contrasted}).
     */
    public Prediction top(List<String> contrasted, List<FaqMatch> retrieval, List<String> classLabels,
                          ToIntFunction<String> classIndex, double[] probs) {
        int[] best = topIndexes(probs, CLASS_TOP);
        List<Scored> ranked = rank(retrieval, classLabels, classIndex, probs, best);
        if (ranked.isEmpty()) {
            return new Prediction(null, 0.0, locale);
        }
        String classTop = best.length == 0 ? null : classLabels.get(best[0]);
        String retrTop = retrieval.isEmpty() ? null : retrieval.get(0).label();
        List<String> suggestions = new ArrayList<>(3);
        for (Candidate c : candidates(ranked)) {
            suggestions.add(c.faqId());
        }
        return new Prediction(ranked.get(0).label().id(), confidence(ranked, 0, classTop, retrTop, contrasted), locale,
                suggestions);
    }

    /** A label with its component scores. */
    public record Scored(Label label, double similarity, double probability, double combined) {
    }

    /**
     * Decides for one question.
     *
     * @param normalizedText the normalised question (for handoff triggers)
     * @param retrieval      retrieval matches, best first
     * @param classLabels    classifier labels
     * @param classIndex     index of a label in {@code classLabels}, -1 if it has none
     * @param probs          classifier probabilities, index-aligned with {@code classLabels}
     */
    public BotDecision decide(String normalizedText, List<FaqMatch> retrieval, List<String> classLabels,
                              ToIntFunction<String> classIndex, double[] probs) {
        return decide(normalizedText, List.of(), retrieval, classLabels, classIndex, probs);
    }

    /**
     * {@link #decide(String, List, List, ToIntFunction, double[])} for a question that reports the events
     * of {@code contrasted} as not having happened beside one that did ("취소 안 했는데 환불됐어요?": 취소;
     * {@code LocaleAnalysis.Analyzed#contrasted}).
     */
    public BotDecision decide(String normalizedText, List<String> contrasted, List<FaqMatch> retrieval,
                              List<String> classLabels, ToIntFunction<String> classIndex, double[] probs) {
        int[] best = topIndexes(probs, CLASS_TOP);
        List<Scored> ranked = rank(retrieval, classLabels, classIndex, probs, best);
        List<Candidate> candidates = candidates(ranked);

        String classTop = best.length == 0 ? null : classLabels.get(best[0]);
        double classTopP = best.length == 0 ? -1 : probs[best[0]];
        String retrTop = retrieval.isEmpty() ? null : retrieval.get(0).label();

        if (HandoffTriggers.matches(normalizedText)) {
            return new BotDecision.Handoff(1.0, "handoff", locale, candidates, BotDecision.Reason.REQUESTED);
        }
        if (ranked.isEmpty()) {
            return new BotDecision.Handoff(0.0, null, locale, candidates, BotDecision.Reason.UNSURE);
        }
        if (aboutAPerson(ranked.get(0)) && HandoffTriggers.declines(normalizedText)) {
            return declined(ranked, candidates, classTop, retrTop, contrasted);
        }
        if (ranked.get(0).label().kind() == LabelKind.HANDOFF && !HandoffTriggers.asks(normalizedText)) {
            return notAsked(ranked, candidates, classTop, retrTop, contrasted);
        }
        return decideRanked(ranked, candidates, classTop, retrTop, classTopP, contrasted);
    }

    /** The decision on labels already ranked, without triggers ({@code classTopP}: the classifier's top probability). */
    private BotDecision decideRanked(List<Scored> ranked, List<Candidate> candidates, String classTop, String retrTop,
                                     double classTopP, List<String> contrasted) {
        Scored top = ranked.get(0);
        double conf = confidence(ranked, 0, classTop, retrTop, contrasted);
        if (top.label().kind() == LabelKind.HANDOFF && classTopP >= HANDOFF_PROB
                && top.label().id().equals(classTop) && conf >= thresholds.clarify()) {
            return new BotDecision.Handoff(conf, top.label().id(), locale, candidates, BotDecision.Reason.REQUESTED);
        }
        if (top.label().kind() == LabelKind.SMALL_TALK && conf >= thresholds.answer() && top.label().reply() != null) {
            return new BotDecision.Answer(conf, top.label().id(), locale, null, top.label().reply(), candidates);
        }
        // Best FAQ interpretation.
        int faqIdx = -1;
        for (int i = 0; i < ranked.size(); i++) {
            if (ranked.get(i).label().kind() == LabelKind.FAQ) {
                faqIdx = i;
                break;
            }
        }
        if (faqIdx < 0) {
            return new BotDecision.Handoff(conf, top.label().id(), locale, candidates, BotDecision.Reason.UNSURE);
        }
        Scored faq = ranked.get(faqIdx);
        double faqConf = faqIdx == 0 ? conf : Math.min(conf, confidence(ranked, faqIdx, classTop, retrTop, contrasted));
        if (faqIdx == 0 && faqConf >= thresholds.answer() && !unspokenNegation(faq, contrasted)) {
            return new BotDecision.Answer(faqConf, faq.label().id(), locale, faq.label().id(), faq.label().reply(),
                    candidates);
        }
        if (faqConf >= thresholds.clarify()) {
            return new BotDecision.Clarify(faqConf, faq.label().id(), locale, candidates);
        }
        return new BotDecision.Handoff(faqConf, faq.label().id(), locale, candidates, BotDecision.Reason.UNSURE);
    }

    /**
     * The best label is about a person (the handoff intent or {@value #DECLINED_INTENT}) and the visitor
     * turned one down ("사람 부르지 마세요", "please do not transfer me to a human"): the classifier reads
     * the words for a person, not the "no" after them, so the handoff intent is left out and the rest
     * decides as usual; where that would still hand off (a {@value #DECLINED_INTENT} below the answer
     * threshold fell through to an unsure FAQ), its reply says the bot carries on, as the visitor asked.
     */
    private BotDecision declined(List<Scored> ranked, List<Candidate> candidates,
                                 String classTop, String retrTop, List<String> contrasted) {
        List<Scored> rest = ranked.stream().filter(s -> s.label().kind() != LabelKind.HANDOFF).toList();
        BotDecision usual = rest.isEmpty() ? null : decideRanked(rest, candidates, classTop, retrTop, -1, contrasted);
        Label reply = labels.get(DECLINED_INTENT);
        if ((usual == null || usual instanceof BotDecision.Handoff) && reply != null && reply.reply() != null) {
            // As sure as the bot is that the message is about a person (the rule read the "no"): the
            // confidence of the unsure FAQ left over would make a plain "사람 부르지 마" look like a gap.
            return new BotDecision.Answer(confidence(ranked, 0, classTop, retrTop, contrasted), reply.id(), locale, null,
                    reply.reply(), candidates);
        }
        return usual != null ? usual
                : new BotDecision.Handoff(0.0, null, locale, candidates, BotDecision.Reason.UNSURE);
    }

    /**
     * The best label is the handoff intent but nothing in the text asks for a person ({@link
     * HandoffTriggers#asks}): "사람 많아요?", "매장에 사람 많이 기다려요?" name people without asking for
     * one, and the classifier, trained on requests where 사람 is the word that recurs, reads the word.
     * The handoff intent is left out and the rest decides as usual (most often unsure: a handoff the gap
     * report lists as a question the FAQ lacks, not a request). So is the {@value #DECLINED_INTENT} intent,
     * which reads the same words for a person: a text that neither asks for one nor turns one down ({@link
     * HandoffTriggers#declines} was checked before) is no decline either ("상담원 몇 명이에요?" got the
     * "알겠어요, 궁금한 점을 물어봐 주세요" reply).
     */
    private BotDecision notAsked(List<Scored> ranked, List<Candidate> candidates, String classTop, String retrTop,
                                 List<String> contrasted) {
        List<Scored> rest = ranked.stream().filter(s -> !aboutAPerson(s)).toList();
        return rest.isEmpty() ? new BotDecision.Handoff(0.0, null, locale, candidates, BotDecision.Reason.UNSURE)
                : decideRanked(rest, candidates, classTop, retrTop, -1, contrasted);
    }

    /**
     * A message with nothing to read — only emoji, punctuation, a link or an e-mail address ("👍", "?",
     * "https://…"): the {@value #ACKNOWLEDGEMENT_INTENT} reply, which keeps the chat with the bot and
     * (like every bot message) offers a person, rather than queueing a "👍" for an agent. Null when the
     * locale has no such intent. Confidence 1: a rule decided, as with an explicit request.
     */
    public BotDecision nothingToRead() {
        Label ack = labels.get(ACKNOWLEDGEMENT_INTENT);
        if (ack == null || ack.kind() != LabelKind.SMALL_TALK || ack.reply() == null) {
            return null;
        }
        return new BotDecision.Answer(1.0, ack.id(), locale, null, ack.reply(), List.of());
    }

    private static boolean aboutAPerson(Scored top) {
        return top.label().kind() == LabelKind.HANDOFF || DECLINED_INTENT.equals(top.label().id());
    }

    /** Confidence of {@code ranked.get(i)} against the best other label: its raw score on the locale's scale. */
    private double confidence(List<Scored> ranked, int i, String classTop, String retrTop, List<String> contrasted) {
        return scale.apply(rawScore(ranked, i, classTop, retrTop, contrasted));
    }

    /**
     * The raw score of {@code ranked.get(i)}: combined, times the margin and agreement factors, and times
     * {@link #UNSPOKEN_NEGATION} when it is an FAQ entry and the question reports an event as not having
     * happened that none of the entry's phrasings negates ({@link #speaksOf}).
     */
    private static double rawScore(List<Scored> ranked, int i, String classTop, String retrTop,
                                   List<String> contrasted) {
        Scored s = ranked.get(i);
        double other = 0;
        for (int j = 0; j < ranked.size(); j++) {
            if (j != i) {
                other = Math.max(other, ranked.get(j).combined());
            }
        }
        double margin = Math.max(0, s.combined() - other);
        double c = s.combined() * Math.min(1.0, MARGIN_FLOOR + margin / MARGIN_FULL);
        String id = s.label().id();
        if (!id.equals(classTop) || !id.equals(retrTop)) {
            c *= DISAGREE_PENALTY;
        }
        if (unspokenNegation(s, contrasted)) {
            c *= UNSPOKEN_NEGATION;
        }
        return clamp(c);
    }

    /**
     * The question reports an event as not having happened beside one that did, and {@code s} is an FAQ entry
     * none of whose phrasings negates it: not an answer to it, whatever the scores.
     */
    private static boolean unspokenNegation(Scored s, List<String> contrasted) {
        return !contrasted.isEmpty() && s.label().kind() == LabelKind.FAQ && !speaksOf(s.label(), contrasted);
    }

    /**
     * Whether the entry's phrasings negate every event the question reports as not having happened. "취소 안
     * 했는데 환불됐어요?" (the refund came without a cancellation) is not what "환불 언제 들어와요?" or "주문
     * 취소했는데 돈 언제 돌려받아요" answer, though it shares their words: the classifier and retrieval read
     * the words, not the "안"; an entry trained on "로그인이 안 돼요" does speak of 로그인 not happening.
     */
    private static boolean speaksOf(Label label, List<String> contrasted) {
        for (String t : contrasted) {
            if (!label.negated().contains(t)) {
                return false;
            }
        }
        return true;
    }

    /** Classifier labels considered beside the retrieval matches. */
    static final int CLASS_TOP = 10;

    /**
     * Labels scored and sorted, best first: the retrieval matches and the classifier's
     * {@value #CLASS_TOP} most probable labels. Any other label has both a lower similarity and a
     * lower probability than ten others, so it cannot be among the first two; skipping it keeps a
     * 1,000-label FAQ from allocating and sorting 1,000 entries per question.
     */
    public List<Scored> rank(List<FaqMatch> retrieval, List<String> classLabels, ToIntFunction<String> classIndex,
                             double[] probs) {
        return rank(retrieval, classLabels, classIndex, probs, topIndexes(probs, CLASS_TOP));
    }

    /** {@link #rank(List, List, ToIntFunction, double[])} with the classifier's top labels already found. */
    private List<Scored> rank(List<FaqMatch> retrieval, List<String> classLabels, ToIntFunction<String> classIndex,
                              double[] probs, int[] classTop) {
        List<Scored> out = new ArrayList<>(retrieval.size() + classTop.length);
        // Retrieval matches are distinct labels, best first; then the classifier's top labels
        // that retrieval did not find (their similarity is 0).
        for (FaqMatch m : retrieval) {
            Label label = labels.get(m.label());
            if (label != null) {
                int k = classIndex.applyAsInt(m.label());
                double p = k < 0 ? 0.0 : probs[k];
                out.add(new Scored(label, m.similarity(), p, clamp(W_SIM * m.similarity() + (1 - W_SIM) * p)));
            }
        }
        for (int i : classTop) {
            String id = classLabels.get(i);
            if (contains(retrieval, id)) {
                continue;
            }
            Label label = labels.get(id);
            if (label != null) {
                out.add(new Scored(label, 0.0, probs[i], clamp((1 - W_SIM) * probs[i])));
            }
        }
        out.sort((a, b) -> Double.compare(b.combined(), a.combined()));
        return out;
    }

    private static boolean contains(List<FaqMatch> retrieval, String id) {
        for (FaqMatch m : retrieval) {
            if (m.label().equals(id)) {
                return true;
            }
        }
        return false;
    }

    /** Indexes of the {@code k} largest values, largest first. */
    private static int[] topIndexes(double[] v, int k) {
        int n = Math.min(k, v.length);
        int[] idx = new int[n];
        int filled = 0;
        for (int i = 0; i < v.length; i++) {
            if (filled < n) {
                int j = filled++;
                while (j > 0 && v[idx[j - 1]] < v[i]) {
                    idx[j] = idx[j - 1];
                    j--;
                }
                idx[j] = i;
            } else if (v[i] > v[idx[n - 1]]) {
                int j = n - 1;
                while (j > 0 && v[idx[j - 1]] < v[i]) {
                    idx[j] = idx[j - 1];
                    j--;
                }
                idx[j] = i;
            }
        }
        return idx;
    }

    private static List<Candidate> candidates(List<Scored> ranked) {
        List<Candidate> out = new ArrayList<>(3);
        for (Scored s : ranked) {
            if (s.label().kind() == LabelKind.FAQ && s.combined() > 0.02) {
                out.add(new Candidate(s.label().id(), s.label().title(), round(s.combined())));
                if (out.size() == 3) {
                    break;
                }
            }
        }
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static double clamp(double v) {
        return v < 0 ? 0 : Math.min(1, v);
    }
}
