package dev.sodam.bot;

import dev.sodam.bot.analysis.LocaleAnalysis;
import dev.sodam.bot.analysis.TextNormalizer;
import dev.sodam.bot.decide.BotResponder;
import dev.sodam.bot.decide.Label;
import dev.sodam.bot.decide.LabelKind;
import dev.sodam.bot.faq.FaqIndex;
import dev.sodam.bot.faq.FaqMatch;
import dev.sodam.bot.faq.LabelledText;
import dev.sodam.bot.intent.FeatureExtractor;
import dev.sodam.bot.intent.IntentClassifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FAQ bot: per locale, a Lucene index of every phrasing and an OpenNLP maxent classifier, both
 * built in memory by {@link #train}, combined by {@link BotResponder}. Immutable and thread-safe.
 */
public final class FaqBot {

    private static final Logger LOG = LoggerFactory.getLogger(FaqBot.class);
    /** Hangul share of letters from which a text is Korean. */
    static final double HANGUL_SHARE = 0.3;
    /** Longer input is cut before analysis. */
    static final int MAX_CHARS = 500;
    private static final int RETRIEVAL_LABELS = 10;

    private final Map<String, FaqEntry> entries;
    private final Map<String, LocaleModel> models;
    private final BotThresholds defaults;

    /** One locale's model; {@code texts} are the phrasings it was trained on (what {@link #retrain} compares). */
    private record LocaleModel(String locale, LocaleAnalysis analysis, FaqIndex index, IntentClassifier classifier,
                               BotResponder responder, int faqCount, List<LabelledText> texts) {
        LocaleModel withResponder(BotResponder other) {
            return new LocaleModel(locale, analysis, index, classifier, other, faqCount, texts);
        }
    }

    private record LocaleInput(String locale, LocaleAnalysis analysis, List<LabelledText> texts,
                               Map<String, Label> labels, int faqCount) {
    }

    private static <T> T timed(String what, Supplier<T> task) {
        long t0 = System.nanoTime();
        T result = task.get();
        LOG.debug("bot: {} built in {} ms", what, (System.nanoTime() - t0) / 1_000_000);
        return result;
    }

    private FaqBot(Map<String, FaqEntry> entries, Map<String, LocaleModel> models, BotThresholds defaults) {
        this.entries = entries;
        this.models = models;
        this.defaults = defaults;
    }

    /**
     * Trains like {@link #train(List, List, BotThresholds)}, then calibrates every locale that has
     * validation questions ({@link Calibration#fit}: the scale from raw score to the probability of a
     * right answer, and in its units the answer threshold maximising overall accuracy with out of scope
     * as one more class, clarify derived from it). Locales without validation questions keep the raw
     * score and {@code defaults}. A question counts for the locale it is analysed in.
     */
    public static FaqBot train(List<FaqEntry> faq, List<SmallTalkIntent> intents, BotThresholds defaults,
                               List<LabelledQuestion> validation) {
        return train(faq, intents, defaults).calibrate(validation);
    }

    /**
     * This bot calibrated per locale on {@code validation} (see {@link Calibration#fit}): the scale from
     * raw score to confidence fitted on the questions, and the thresholds chosen in its units.
     */
    public FaqBot calibrate(List<LabelledQuestion> validation) {
        FaqBot raw = withScales(Map.of());
        Map<String, List<Calibration.Scored>> byLocale = new LinkedHashMap<>();
        for (LabelledQuestion q : validation) {
            Prediction p = raw.predict(q.text(), null);
            byLocale.computeIfAbsent(p.locale(), k -> new ArrayList<>())
                    .add(Calibration.Scored.of(q.intent(), p));
        }
        Map<String, ConfidenceScale> scales = new LinkedHashMap<>();
        Map<String, BotThresholds> chosen = new LinkedHashMap<>();
        byLocale.forEach((locale, scored) -> {
            Calibration.Fitted fitted = Calibration.fit(scored);
            LOG.info("bot: locale {}: calibrated on {} questions: answer {}, clarify {}; {}", locale,
                    scored.size(), String.format("%.4f", fitted.thresholds().answer()),
                    String.format("%.4f", fitted.thresholds().clarify()), fitted.scale());
            scales.put(locale, fitted.scale());
            chosen.put(locale, fitted.thresholds());
        });
        return raw.withScales(scales).withThresholds(chosen);
    }

    /**
     * This bot with the given thresholds for the given locales (the others unchanged); what the
     * server uses to apply {@code sodam.yaml} overrides. Cheap: indexes and classifiers are shared.
     */
    public FaqBot withThresholds(Map<String, BotThresholds> perLocale) {
        Map<String, LocaleModel> out = new LinkedHashMap<>(models);
        perLocale.forEach((locale, t) -> {
            LocaleModel m = out.get(locale);
            if (m != null) {
                out.put(locale, m.withResponder(m.responder().withThresholds(t)));
            }
        });
        return new FaqBot(entries, Map.copyOf(out), defaults);
    }

    /**
     * This bot with the given confidence scales (from a validation, {@link Calibration#fit}); every
     * locale left out gets {@link ConfidenceScale#IDENTITY}, the raw score. Thresholds are unchanged, so
     * give them in the new scale's units ({@link #withThresholds}).
     */
    public FaqBot withScales(Map<String, ConfidenceScale> perLocale) {
        Map<String, LocaleModel> out = new LinkedHashMap<>(models);
        out.replaceAll((locale, m) -> m.withResponder(m.responder().withScale(
                perLocale.getOrDefault(locale, ConfidenceScale.IDENTITY))));
        return new FaqBot(entries, Map.copyOf(out), defaults);
    }

    /** The scale from raw score to confidence of {@code locale} ({@link ConfidenceScale#IDENTITY} when none). */
    public ConfidenceScale scale(String locale) {
        LocaleModel m = locale == null ? null : models.get(locale);
        return m == null ? ConfidenceScale.IDENTITY : m.responder().scale();
    }

    /** Stored classifier weights over all locales (diagnostics: what {@link #withWeightTolerance} keeps). */
    public long storedWeights() {
        return models.values().stream().mapToLong(m -> m.classifier().storedWeights()).sum();
    }

    /** Whether {@code other} answers {@code locale} with this bot's very index and classifier (tests of {@link #retrain}). */
    boolean sharesModel(FaqBot other, String locale) {
        LocaleModel a = models.get(locale);
        LocaleModel b = other.models.get(locale);
        return a != null && b != null && a.index() == b.index() && a.classifier() == b.classifier();
    }

    /** The locales this bot has a model for. */
    public Set<String> locales() {
        return models.keySet();
    }

    /** The thresholds used for questions analysed in {@code locale}. */
    public BotThresholds thresholds(String locale) {
        LocaleModel m = locale == null ? null : models.get(locale);
        return m == null ? defaults : m.responder().thresholds();
    }

    /**
     * Builds indexes and classifiers for every locale that has FAQ entries or intent examples.
     *
     * @throws IllegalArgumentException on duplicate faq ids
     */
    public static FaqBot train(List<FaqEntry> faq, List<SmallTalkIntent> intents, BotThresholds thresholds) {
        return build(faq, intents, thresholds, null, IntentClassifier.WEIGHT_TOLERANCE);
    }

    /**
     * {@link #train(List, List, BotThresholds)} keeping every classifier weight (no pruning): the
     * exact model, slower at hundreds of labels. For evaluation: {@link #withWeightTolerance} of this
     * bot gives what {@code train} gives, so both can be scored from one training.
     */
    public static FaqBot trainExact(List<FaqEntry> faq, List<SmallTalkIntent> intents, BotThresholds thresholds) {
        return build(faq, intents, thresholds, null, 0.0);
    }

    /**
     * This bot with every locale's classifier weights pruned at {@code weightTolerance} (see
     * {@link IntentClassifier#WEIGHT_TOLERANCE}); indexes, thresholds and labels are shared. Prune
     * an exact bot ({@link #trainExact}) to get what training with that tolerance gives.
     */
    public FaqBot withWeightTolerance(double weightTolerance) {
        Map<String, LocaleModel> out = new LinkedHashMap<>();
        models.forEach((locale, m) -> out.put(locale, new LocaleModel(locale, m.analysis(), m.index(),
                m.classifier().pruned(weightTolerance), m.responder(), m.faqCount(), m.texts())));
        return new FaqBot(entries, Map.copyOf(out), defaults);
    }

    /**
     * {@link #train} for a changed FAQ, reusing {@code previous}'s index and classifier for every
     * locale whose phrasings (every entry's question and paraphrases and every small-talk example,
     * with their labels, in order) are unchanged: an edited answer, tag or small-talk reply is live
     * as soon as this returns, whatever the FAQ's size, and an edit in one language retrains only
     * that language (a 1,000-entry locale takes minutes to train).
     *
     * @param previous the bot answering now, or null for a full training
     */
    public static FaqBot retrain(FaqBot previous, List<FaqEntry> faq, List<SmallTalkIntent> intents,
                                 BotThresholds thresholds) {
        return build(faq, intents, thresholds, previous, IntentClassifier.WEIGHT_TOLERANCE);
    }

    private static FaqBot build(List<FaqEntry> faq, List<SmallTalkIntent> intents, BotThresholds thresholds,
                                FaqBot previous, double weightTolerance) {
        long start = System.nanoTime();
        Map<String, FaqEntry> byId = new LinkedHashMap<>();
        for (FaqEntry e : faq) {
            if (byId.putIfAbsent(e.id(), e) != null) {
                throw new IllegalArgumentException("duplicate faq id " + e.id());
            }
        }
        Set<String> locales = new LinkedHashSet<>();
        faq.forEach(e -> locales.add(e.locale()));
        intents.forEach(i -> locales.addAll(i.examples().keySet()));

        List<LocaleInput> inputs = new ArrayList<>();
        for (String locale : locales) {
            List<LabelledText> texts = new ArrayList<>();
            Map<String, Label> labels = new LinkedHashMap<>();
            int faqCount = 0;
            for (FaqEntry e : faq) {
                if (!e.locale().equals(locale)) {
                    continue;
                }
                faqCount++;
                labels.put(e.id(), new Label(e.id(), LabelKind.FAQ, e.question(), e.answer()));
                texts.add(new LabelledText(e.id(), e.question()));
                e.paraphrases().forEach(p -> texts.add(new LabelledText(e.id(), p)));
            }
            for (SmallTalkIntent i : intents) {
                List<String> ex = i.examples().getOrDefault(locale, List.of());
                if (ex.isEmpty() || labels.containsKey(i.intent())) {
                    continue;
                }
                LabelKind kind = SmallTalkIntent.HANDOFF.equals(i.action()) ? LabelKind.HANDOFF : LabelKind.SMALL_TALK;
                labels.put(i.intent(), new Label(i.intent(), kind, null, i.answers().get(locale)));
                ex.forEach(x -> texts.add(new LabelledText(i.intent(), x)));
            }
            if (labels.size() < 2) {
                LOG.warn("bot: locale {} has fewer than two labels; skipped", locale);
                continue;
            }
            LocaleAnalysis analysis = LocaleAnalysis.forLocale(locale);
            inputs.add(new LocaleInput(locale, analysis, texts, withNegations(labels, texts, analysis), faqCount));
        }

        // Index and classifier of every locale are independent: build them in parallel (Nori's
        // dictionary load dominates the Korean index and overlaps with the rest).
        ExecutorService pool = Executors.newFixedThreadPool(
                Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())), r -> {
                    Thread t = new Thread(r, "sodam-bot-train");
                    t.setDaemon(true);
                    return t;
                });
        Map<String, LocaleModel> models = new LinkedHashMap<>();
        try {
            List<CompletableFuture<TrainedModels.Trained>> trained = new ArrayList<>();
            for (LocaleInput in : inputs) {
                LocaleModel same = previous == null ? null : previous.models.get(in.locale());
                if (same != null && same.texts().equals(in.texts())
                        && same.classifier().weightTolerance() == weightTolerance) {
                    LOG.info("bot: locale {}: phrasings unchanged, index and classifier reused", in.locale());
                    trained.add(CompletableFuture.completedFuture(
                            new TrainedModels.Trained(same.analysis(), same.index(), same.classifier())));
                    continue;
                }
                boolean[] started = new boolean[1];
                trained.add(TrainedModels.SHARED.get(new TrainedModels.Key(in.locale(), weightTolerance, in.texts()),
                        () -> {
                            started[0] = true;
                            CompletableFuture<IntentClassifier> classifier = CompletableFuture.supplyAsync(
                                    () -> timed(in.locale() + " classifier", () -> IntentClassifier.train(in.locale(),
                                            in.texts(), new FeatureExtractor(in.analysis()), weightTolerance)), pool);
                            CompletableFuture<FaqIndex> index = CompletableFuture.supplyAsync(
                                    () -> timed(in.locale() + " index", () -> FaqIndex.build(in.texts(), in.analysis())),
                                    pool);
                            return classifier.thenCombine(index, (c, i) -> new TrainedModels.Trained(in.analysis(), i, c));
                        }));
                if (!started[0]) {
                    LOG.info("bot: locale {}: phrasings trained on earlier in this process, index and classifier reused",
                            in.locale());
                }
            }
            for (int k = 0; k < inputs.size(); k++) {
                LocaleInput in = inputs.get(k);
                TrainedModels.Trained t = trained.get(k).get();
                models.put(in.locale(), new LocaleModel(in.locale(), t.analysis(), t.index(), t.classifier(),
                        new BotResponder(in.locale(), thresholds, in.labels()), in.faqCount(), in.texts()));
                LOG.info("bot: locale {}: {} labels ({} FAQ), {} phrasings", in.locale(), in.labels().size(),
                        in.faqCount(), in.texts().size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("bot training interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("bot training failed", cause);
        } finally {
            pool.shutdownNow();
        }
        LOG.info("bot: trained in {} ms", (System.nanoTime() - start) / 1_000_000);
        return new FaqBot(Map.copyOf(byId), Map.copyOf(models), thresholds);
    }

    /** A cheap test for a phrasing that may negate something; only those are analysed for {@link #withNegations}. */
    private static final Pattern NEGATION_CUE = Pattern.compile("[안못않]|n't|\\bno|never|cannot|\\w+nt\\b");

    /**
     * The labels with the events their phrasings negate ({@link Label#negated}), read by the responder's
     * check of a question that reports an event as not having happened.
     */
    private static Map<String, Label> withNegations(Map<String, Label> labels, List<LabelledText> texts,
                                                    LocaleAnalysis analysis) {
        Map<String, Set<String>> negated = new LinkedHashMap<>();
        for (LabelledText t : texts) {
            String normalized = TextNormalizer.normalize(t.text());
            if (NEGATION_CUE.matcher(normalized).find()) {
                List<String> terms = analysis.analyze(t.text(), normalized).negated();
                if (!terms.isEmpty()) {
                    negated.computeIfAbsent(t.label(), k -> new LinkedHashSet<>()).addAll(terms);
                }
            }
        }
        if (negated.isEmpty()) {
            return labels;
        }
        Map<String, Label> out = new LinkedHashMap<>();
        labels.forEach((id, l) -> out.put(id, negated.containsKey(id)
                ? new Label(l.id(), l.kind(), l.title(), l.reply(), negated.get(id)) : l));
        return out;
    }

    /** A question cut to {@link #MAX_CHARS}, normalised, and the model of the locale it is read in (null: none). */
    private record Question(String raw, String normalized, LocaleModel model) {
        LocaleAnalysis.Analyzed analyzed() {
            return model.analysis().analyze(raw, normalized);
        }
    }

    private Question question(String text, String localeHint) {
        String raw = text == null ? "" : text;
        if (raw.length() > MAX_CHARS) {
            raw = raw.substring(0, MAX_CHARS);
        }
        String normalized = TextNormalizer.normalize(raw);
        return new Question(raw, normalized, pick(detectLocale(normalized, localeHint), localeHint));
    }

    /** Answers, clarifies or hands off one visitor message. Thread-safe. */
    public BotDecision ask(String text, String localeHint) {
        Question q = question(text, localeHint);
        LocaleModel model = q.model();
        String normalized = q.normalized();
        if (model == null) {
            String loc = localeHint == null ? "ko" : localeHint;
            return new BotDecision.Handoff(0.0, null, loc, List.of(), BotDecision.Reason.UNSURE);
        }
        if (!q.raw().isBlank() && !TextNormalizer.hasLettersOrDigits(normalized)) {
            // "👍", "?", a link alone: nothing for the models to read, so nothing they say means anything.
            BotDecision nothing = model.responder().nothingToRead();
            if (nothing != null) {
                return nothing;
            }
        }
        LocaleAnalysis.Analyzed analyzed = q.analyzed();
        List<FaqMatch> retrieval = model.index().search(analyzed, RETRIEVAL_LABELS);
        double[] probs = model.classifier().classify(analyzed);
        IntentClassifier c = model.classifier();
        return model.responder().decide(normalized, analyzed.contrasted(), retrieval, c.labels(), c::indexOf, probs);
    }

    /**
     * What the analysis chain makes of one question: the locale it is analysed in (as {@link #ask}
     * picks it), its normalised text, its word terms (Nori morphemes for Korean, English stems) and
     * the character n-grams the index and the classifier also read. For the admin's test console.
     */
    public record Analysis(String locale, String normalized, List<String> words, List<String> ngrams) {
        public Analysis {
            words = List.copyOf(words);
            ngrams = List.copyOf(ngrams);
        }
    }

    /** The analysis {@link #ask} runs on {@code text}, as terms. Thread-safe. */
    public Analysis analyze(String text, String localeHint) {
        Question q = question(text, localeHint);
        if (q.model() == null) {
            return new Analysis(localeHint == null ? "ko" : localeHint, q.normalized(), List.of(), List.of());
        }
        LocaleAnalysis.Analyzed analyzed = q.analyzed();
        return new Analysis(q.model().locale(), q.normalized(), analyzed.words(), analyzed.ngrams());
    }

    /**
     * The best label and its confidence for one question, without handoff triggers or bands (what
     * calibration and the evaluation command use). Thread-safe.
     */
    public Prediction predict(String text, String localeHint) {
        String hint = localeHint == null ? defaultLocale() : localeHint;
        Question q = question(text, hint);
        LocaleModel model = q.model();
        if (model == null) {
            return new Prediction(null, 0.0, hint);
        }
        LocaleAnalysis.Analyzed analyzed = q.analyzed();
        IntentClassifier c = model.classifier();
        return model.responder().top(analyzed.contrasted(), model.index().search(analyzed, RETRIEVAL_LABELS),
                c.labels(), c::indexOf, c.classify(analyzed));
    }

    private String defaultLocale() {
        return models.containsKey("ko") || models.isEmpty() ? "ko" : models.keySet().iterator().next();
    }

    /**
     * The locale {@link #ask} reads {@code text} in (before falling back to a locale that has a model):
     * for reports that must agree with the bot, such as the gap report.
     */
    public static String localeOf(String text, String localeHint) {
        return detectLocale(TextNormalizer.normalize(text == null ? "" : text), localeHint);
    }

    /** {@code ko} when at least 30 % of the words are Hangul; the hint when there are no letters; else {@code en}. */
    static String detectLocale(String normalized, String localeHint) {
        if (!TextNormalizer.hasLetters(normalized)) {
            return localeHint == null ? "ko" : localeHint;
        }
        return TextNormalizer.mostlyHangul(normalized, HANGUL_SHARE) ? "ko" : "en";
    }

    private LocaleModel pick(String locale, String hint) {
        LocaleModel m = models.get(locale);
        if (m != null && m.faqCount() > 0) {
            return m;
        }
        if (hint != null && models.containsKey(hint) && models.get(hint).faqCount() > 0) {
            return models.get(hint);
        }
        if (m != null) {
            return m;
        }
        return models.values().stream().findFirst().orElse(null);
    }

    /** The entry with this id. */
    public Optional<FaqEntry> entry(String faqId) {
        return faqId == null ? Optional.empty() : Optional.ofNullable(entries.get(faqId));
    }

    /**
     * The visitor picked a suggested question: Answer with confidence 1.0. An unknown id (visitor
     * input is untrusted) gives Handoff(UNSURE) with confidence 0 rather than an exception.
     */
    public BotDecision answerFaq(String faqId) {
        FaqEntry e = faqId == null ? null : entries.get(faqId);
        if (e == null) {
            return new BotDecision.Handoff(0.0, null, "ko", List.of(), BotDecision.Reason.UNSURE);
        }
        return new BotDecision.Answer(1.0, e.id(), e.locale(), e.id(), e.answer(),
                List.of(new Candidate(e.id(), e.question(), 1.0)));
    }

    /** All FAQ entries, in training order. */
    public List<FaqEntry> entries() {
        return List.copyOf(entries.values());
    }

    /** Diagnostics for tuning and tests: every label of the question's locale with its scores. */
    public List<BotResponder.Scored> explain(String text, String localeHint) {
        String normalized = TextNormalizer.normalize(text);
        LocaleModel model = pick(detectLocale(normalized, localeHint), localeHint);
        if (model == null) {
            return List.of();
        }
        LocaleAnalysis.Analyzed analyzed = model.analysis().analyze(text, normalized);
        IntentClassifier c = model.classifier();
        return model.responder().rank(model.index().search(analyzed, RETRIEVAL_LABELS), c.labels(), c::indexOf,
                c.classify(analyzed));
    }
}
