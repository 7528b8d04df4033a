package dev.sodam.bot;

import java.util.List;

/**
 * What the bot decided for one question. Exactly one of three outcomes; {@link #decision()} is the
 * wire name used by {@code POST /api/bot/ask}.
 */
public sealed interface BotDecision permits BotDecision.Answer, BotDecision.Clarify, BotDecision.Handoff {

    /** {@code answer}, {@code clarify} or {@code handoff}. */
    String decision();

    /** Calibrated confidence in [0, 1] of the best interpretation. */
    double confidence();

    /** The best intent label (a FAQ id, a small-talk intent such as {@code greeting}, or {@code handoff}); may be null. */
    String intent();

    /** Locale the question was analysed in ({@code ko} or {@code en}). */
    String locale();

    /** Best FAQ candidates, best first, at most three. */
    List<Candidate> candidates();

    /** Answer with a FAQ entry or a small-talk reply. {@code faqId} is null for small talk. */
    record Answer(double confidence, String intent, String locale, String faqId, String answer,
                  List<Candidate> candidates) implements BotDecision {
        public Answer {
            candidates = List.copyOf(candidates);
        }

        @Override
        public String decision() {
            return "answer";
        }
    }

    /** Not sure: offer the top candidates as suggestions ("이런 질문을 찾으셨나요?"). */
    record Clarify(double confidence, String intent, String locale, List<Candidate> candidates) implements BotDecision {
        public Clarify {
            candidates = List.copyOf(candidates);
        }

        @Override
        public String decision() {
            return "clarify";
        }
    }

    /** Hand the conversation to a person, either because the visitor asked or because the bot is unsure. */
    record Handoff(double confidence, String intent, String locale, List<Candidate> candidates, Reason reason)
            implements BotDecision {
        public Handoff {
            candidates = List.copyOf(candidates);
        }

        @Override
        public String decision() {
            return "handoff";
        }
    }

    /** Why the bot hands off. */
    enum Reason {
        /** The visitor asked for a person (상담원 연결, "talk to a human"). */
        REQUESTED,
        /** Confidence fell below the clarify threshold: out of scope or unclear. */
        UNSURE
    }
}
