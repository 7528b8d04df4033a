package dev.sodam.server.model;

import java.time.Instant;
import java.util.List;

/**
 * What the bot decided about one visitor message, stored so that the agent's context packet
 * (intent, confidence, FAQ candidates) can be rebuilt at any time, also after a restart.
 *
 * @param seq      the visitor message the bot read
 * @param question that message's text
 * @param decision {@code answer}, {@code clarify} or {@code handoff}
 * @param reason   for a handoff: {@code requested} (the visitor asked for a person) or {@code unsure}; else null
 * @param faqId    the FAQ entry answered with, or null
 */
public record BotTurn(String conversationId, long seq, String question, String decision, String reason, String intent,
                      double confidence, String faqId, List<Candidate> candidates, Instant at) {
    public BotTurn {
        candidates = candidates == null ? List.of() : List.copyOf(candidates);
    }

    /** The visitor asked for a person: the candidates say nothing about their question. */
    public boolean requestedPerson() {
        return "requested".equals(reason);
    }

    /** An FAQ entry the bot considered, with its score in [0, 1]. */
    public record Candidate(String faqId, String question, double score) {
    }
}
