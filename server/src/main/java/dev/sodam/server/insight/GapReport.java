package dev.sodam.server.insight;

import dev.sodam.bot.FaqBot;
import dev.sodam.bot.analysis.TextNormalizer;
import dev.sodam.server.model.Author;
import dev.sodam.server.model.BotTurn;
import dev.sodam.server.model.Feedback;
import dev.sodam.server.model.Message;
import dev.sodam.server.store.ConversationEventRow;
import dev.sodam.server.store.StoreTx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The questions the bot failed in a period, grouped by similarity. A visitor question is a gap
 * when the bot
 * <ul>
 *   <li>{@code bot_unsure}: handed the conversation to a person because it had no good answer;</li>
 *   <li>{@code low_confidence}: answered with a confidence below the given bound;</li>
 *   <li>{@code clarified}: could only offer suggestions ("이런 질문을 찾으셨나요?");</li>
 *   <li>{@code asked_for_person}: answered or suggested, and the visitor's next move was
 *       상담원 연결 (the button, or saying so);</li>
 *   <li>{@code thumbs_down}: answered, and the visitor rated the answer 👎.</li>
 * </ul>
 * The bot's side comes from its stored decisions (the {@code bot_*} columns of the messages it read),
 * handoffs from the conversation events, ratings from the feedback table.
 * Per cluster: the count, the reasons, example questions, and what the agent actually wrote
 * after the question (the longest of the agent's first messages, so a greeting is not offered as
 * the answer) — the draft answer of a new FAQ entry.
 */
public final class GapReport {
    public static final double DEFAULT_LOW_CONFIDENCE = 0.7;
    /**
     * An answer counts as unsure when its confidence is within this much above the locale's answer
     * threshold: the bot's own line moves with calibration, so a fixed cut (0.7) would call most
     * Korean answers unsure when the calibrated line is 0.49, and none when it is 0.8.
     */
    public static final double LOW_CONFIDENCE_MARGIN = 0.15;
    static final int EXAMPLES = 10;
    static final int AGENT_ANSWERS = 3;
    /** Agent messages after the question looked at for the answer. */
    static final int AGENT_MESSAGES = 5;
    static final int MAX_QUESTIONS = 5_000;
    private static final int TRANSCRIPT_LIMIT = 2_000;

    private GapReport() {
    }

    /** One failed question. {@code agentAnswer} is null when no agent wrote after it. */
    public record Gap(String conversationId, long questionSeq, Instant at, String locale, String text,
                      Set<String> reasons, String agentAnswer, String agentName) {
    }

    /** A group of similar gaps. */
    public record GapCluster(String id, String locale, int count, String label, List<String> terms,
                             Map<String, Integer> reasons, List<Gap> examples, List<AgentAnswer> agentAnswers,
                             Instant lastAt) {
    }

    /** An agent's reply to a question of the cluster. */
    public record AgentAnswer(String conversationId, String agentName, String text) {
    }

    public record Report(Instant from, Instant to, int questions, List<GapCluster> clusters) {
    }

    /** Builds the report from committed data; run it on a reader (blocking). */
    public static Report build(StoreTx tx, ReportRange range, String siteId, String locale,
                               java.util.function.ToDoubleFunction<String> lowConfidence,
                               double threshold) {
        List<Gap> gaps = gaps(tx, range, siteId, lowConfidence);
        Map<String, List<Gap>> byLocale = new TreeMap<>();
        for (Gap gap : gaps) {
            if (locale == null || locale.equals(gap.locale())) {
                byLocale.computeIfAbsent(gap.locale(), k -> new ArrayList<>()).add(gap);
            }
        }
        List<GapCluster> clusters = new ArrayList<>();
        byLocale.forEach((loc, list) -> {
            List<QuestionClusters.Cluster> found = QuestionClusters.cluster(list.stream().map(Gap::text).toList(), loc,
                    threshold);
            for (QuestionClusters.Cluster c : found) {
                clusters.add(cluster(loc, list, c));
            }
        });
        clusters.sort(Comparator.comparingInt((GapCluster c) -> -c.count())
                .thenComparing(GapCluster::lastAt, Comparator.reverseOrder()).thenComparing(GapCluster::id));
        int total = byLocale.values().stream().mapToInt(List::size).sum();
        return new Report(range.from(), range.to(), total, clusters);
    }

    private static GapCluster cluster(String locale, List<Gap> list, QuestionClusters.Cluster c) {
        List<Gap> members = c.members().stream().map(list::get).toList();
        Map<String, Integer> reasons = new TreeMap<>();
        members.forEach(g -> g.reasons().forEach(r -> reasons.merge(r, 1, Integer::sum)));
        // Newest first: the examples an admin reads and the answers most likely still true.
        List<Gap> newest = members.stream().sorted(Comparator.comparing(Gap::at).reversed()).toList();
        List<AgentAnswer> answers = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Gap g : newest) {
            if (g.agentAnswer() != null && seen.add(g.agentAnswer()) && answers.size() < AGENT_ANSWERS) {
                answers.add(new AgentAnswer(g.conversationId(), g.agentName(), g.agentAnswer()));
            }
        }
        Gap first = members.get(0);
        String id = "gap-" + locale + "-" + first.conversationId() + "-" + first.questionSeq();
        return new GapCluster(id, locale, members.size(), list.get(c.medoid()).text(), c.terms(), reasons,
                newest.stream().limit(EXAMPLES).toList(), answers, newest.get(0).at());
    }

    /** Every failed question of the period, oldest first, at most {@link #MAX_QUESTIONS}. */
    static List<Gap> gaps(StoreTx tx, ReportRange range, String siteId,
                          java.util.function.ToDoubleFunction<String> lowConfidence) {
        Map<String, List<BotTurn>> turns = new LinkedHashMap<>();
        for (BotTurn t : tx.botTurns(range.from(), range.to())) {
            turns.computeIfAbsent(t.conversationId(), k -> new ArrayList<>()).add(t);
        }
        Map<String, List<ConversationEventRow>> handoffs = new HashMap<>();
        for (ConversationEventRow e : tx.conversationEvents(range.from(), range.to(), siteId)) {
            if (e.kind().equals("handoff")) {
                handoffs.computeIfAbsent(e.conversationId(), k -> new ArrayList<>()).add(e);
            }
        }
        Map<String, List<Feedback>> thumbsDown = new HashMap<>();
        for (Feedback f : tx.feedbackSearch(siteId, null, Feedback.Kind.THUMBS, range.from(), range.to(), MAX_QUESTIONS)) {
            if (f.score() == 0 && f.messageId() != null) {
                thumbsDown.computeIfAbsent(f.conversationId(), k -> new ArrayList<>()).add(f);
            }
        }
        List<Gap> out = new ArrayList<>();
        for (Map.Entry<String, List<BotTurn>> entry : turns.entrySet()) {
            String conversationId = entry.getKey();
            List<BotTurn> list = entry.getValue();
            ChatLocale localeOf = new ChatLocale(tx, conversationId);
            Map<Long, Set<String>> failed = new LinkedHashMap<>();
            for (BotTurn t : list) {
                if ("handoff".equals(t.decision()) && "unsure".equals(t.reason())) {
                    mark(failed, t.seq(), "bot_unsure");
                } else if ("clarify".equals(t.decision())) {
                    mark(failed, t.seq(), "clarified");
                } else if ("answer".equals(t.decision())
                        && t.confidence() < lowConfidence.applyAsDouble(localeOf.apply(t.question()))) {
                    mark(failed, t.seq(), "low_confidence");
                }
            }
            for (ConversationEventRow e : handoffs.getOrDefault(conversationId, List.of())) {
                if (!"bot_unsure".equals(e.reason())) {
                    BotTurn before = lastReplyBefore(list, Long.MAX_VALUE, e.at());
                    if (before != null) {
                        mark(failed, before.seq(), "asked_for_person");
                    }
                }
            }
            for (Feedback f : thumbsDown.getOrDefault(conversationId, List.of())) {
                tx.message(conversationId, f.messageId()).map(m -> lastReplyBefore(list, m.seq(), null))
                        .ifPresent(t -> mark(failed, t.seq(), "thumbs_down"));
            }
            if (failed.isEmpty()) {
                continue;
            }
            if (siteId != null && tx.conversation(conversationId).filter(c -> c.siteId().equals(siteId)).isEmpty()) {
                continue;
            }
            List<Message> transcript = tx.messagesAfter(conversationId, 0, TRANSCRIPT_LIMIT);
            failed.forEach((seq, reasons) -> {
                BotTurn turn = list.stream().filter(t -> t.seq() == seq).findFirst().orElseThrow();
                Message question = transcript.stream().filter(m -> m.seq() == seq).findFirst().orElse(null);
                if (question == null || question.from().kind() != Author.Kind.VISITOR || question.text().isBlank()) {
                    return; // deleted by retention, or not a visitor's words
                }
                Message answer = agentAnswer(transcript, seq);
                out.add(new Gap(conversationId, seq, turn.at(), localeOf.apply(question.text()), question.text().strip(),
                        Set.copyOf(reasons), answer == null ? null : answer.text(),
                        answer == null ? null : answer.from().name()));
            });
            if (out.size() >= MAX_QUESTIONS) {
                break;
            }
        }
        out.sort(Comparator.comparing(Gap::at).thenComparing(Gap::conversationId).thenComparingLong(Gap::questionSeq));
        return out;
    }

    /**
     * The bot's last answer or suggestions before a point: before seq {@code beforeSeq} (a rated
     * message), or asked at or before {@code atOrBefore} (a handoff); null when none.
     */
    private static BotTurn lastReplyBefore(List<BotTurn> turns, long beforeSeq, Instant atOrBefore) {
        BotTurn found = null;
        for (BotTurn t : turns) {
            boolean reply = "answer".equals(t.decision()) || "clarify".equals(t.decision());
            if (reply && t.seq() < beforeSeq && (atOrBefore == null || !t.at().isAfter(atOrBefore))) {
                found = t;
            }
        }
        return found;
    }

    private static void mark(Map<Long, Set<String>> failed, long seq, String reason) {
        failed.computeIfAbsent(seq, k -> new LinkedHashSet<>()).add(reason);
    }

    /**
     * The language the bot read a question of one chat in ({@link FaqBot#localeOf}): a question with
     * no letters ("👍", "12345") is read in the chat's language, looked up once and only then; by
     * letters alone a Korean visitor's "👍" was filed under English.
     */
    private static final class ChatLocale {
        private final StoreTx tx;
        private final String conversationId;
        private String hint;

        ChatLocale(StoreTx tx, String conversationId) {
            this.tx = tx;
            this.conversationId = conversationId;
        }

        String apply(String text) {
            if (hint == null && !TextNormalizer.hasLetters(TextNormalizer.normalize(text))) {
                hint = tx.conversation(conversationId).map(c -> c.locale()).orElse("ko");
            }
            return FaqBot.localeOf(text, hint);
        }
    }

    /** The longest of the first agent messages after {@code seq}: the answer, not the greeting. */
    private static Message agentAnswer(List<Message> transcript, long seq) {
        Message best = null;
        int seen = 0;
        for (Message m : transcript) {
            if (m.seq() <= seq || m.from().kind() != Author.Kind.AGENT) {
                continue;
            }
            if (best == null || m.text().strip().length() > best.text().strip().length()) {
                best = m;
            }
            if (++seen >= AGENT_MESSAGES) {
                break;
            }
        }
        return best;
    }
}
