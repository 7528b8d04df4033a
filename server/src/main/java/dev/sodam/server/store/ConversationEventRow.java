package dev.sodam.server.store;

import java.time.Instant;

/**
 * One row of {@code conversation_events} (V26): a step in a conversation's life, for the analytics
 * and the gap report. {@code kind} is one of {@link #KINDS}; {@code agentId}, {@code teamId} and
 * {@code reason} are set as the migration describes and null otherwise. {@code id} is 0 before
 * insertion.
 */
public record ConversationEventRow(long id, String conversationId, String siteId, String kind, Instant at,
                                   String agentId, String teamId, String reason) {
    public static final java.util.List<String> KINDS =
            java.util.List.of("started", "handoff", "assigned", "requeued", "transferred", "resolved");

    /** A row with only the conversation, kind and time; add details with the {@code with…} methods. */
    public static ConversationEventRow of(String conversationId, String siteId, String kind, Instant at) {
        return new ConversationEventRow(0, conversationId, siteId, kind, at, null, null, null);
    }

    public ConversationEventRow withAgent(String newAgentId, String newTeamId) {
        return new ConversationEventRow(id, conversationId, siteId, kind, at, newAgentId, newTeamId, reason);
    }

    public ConversationEventRow withReason(String newReason) {
        return new ConversationEventRow(id, conversationId, siteId, kind, at, agentId, teamId, newReason);
    }
}
