package dev.sodam.server.model;

import java.time.Instant;

/**
 * An immutable snapshot of a conversation as stored. Changes produce a new snapshot through
 * {@code ConversationService}, never by mutation.
 */
public record Conversation(String id, String siteId, String visitorId, String visitorName, String locale,
                           ConversationState state, String agentId, String agentName, long lastSeq, String preview,
                           Instant waitingSince, Instant createdAt, Instant updatedAt, String teamId, String topic,
                           boolean urgent) {

    public Conversation withState(ConversationState newState, Instant now) {
        return new Conversation(id, siteId, visitorId, visitorName, locale, newState, agentId, agentName, lastSeq,
                preview, waitingSince, createdAt, now, teamId, topic, urgent);
    }

    public Conversation queued(Instant now) {
        return new Conversation(id, siteId, visitorId, visitorName, locale, ConversationState.QUEUED, agentId,
                agentName, lastSeq, preview, now, createdAt, now, teamId, topic, urgent);
    }

    public Conversation assigned(String newAgentId, String newAgentName, Instant now) {
        return new Conversation(id, siteId, visitorId, visitorName, locale, ConversationState.ASSIGNED, newAgentId,
                newAgentName, lastSeq, preview, waitingSince, createdAt, now, teamId, topic, urgent);
    }

    /** Back in the queue at its original place ({@code waitingSince} kept), without an agent. */
    public Conversation requeued(Instant now) {
        return new Conversation(id, siteId, visitorId, visitorName, locale, ConversationState.QUEUED, null, null,
                lastSeq, preview, waitingSince, createdAt, now, teamId, topic, urgent);
    }

    /** Handed to a team (null: any agent). */
    public Conversation forTeam(String newTeamId) {
        return new Conversation(id, siteId, visitorId, visitorName, locale, state, agentId, agentName, lastSeq, preview,
                waitingSince, createdAt, updatedAt, newTeamId, topic, urgent);
    }

    /** Flagged to be served first (see {@code Urgency}). */
    public Conversation markedUrgent(boolean flag) {
        return new Conversation(id, siteId, visitorId, visitorName, locale, state, agentId, agentName, lastSeq, preview,
                waitingSince, createdAt, updatedAt, teamId, topic, flag);
    }

    /** The FAQ topic the bot last answered about. */
    public Conversation aboutTopic(String newTopic) {
        return new Conversation(id, siteId, visitorId, visitorName, locale, state, agentId, agentName, lastSeq, preview,
                waitingSince, createdAt, updatedAt, teamId, newTopic, urgent);
    }

    public Conversation withMessage(long seq, String newPreview, Instant now) {
        return new Conversation(id, siteId, visitorId, visitorName, locale, state, agentId, agentName, seq,
                newPreview, waitingSince, createdAt, now, teamId, topic, urgent);
    }
}
