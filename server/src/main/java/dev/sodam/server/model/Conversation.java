package dev.sodam.server.model;

import java.time.Instant;
import java.util.List;

/**
 * An immutable snapshot of a conversation as stored. Changes produce a new snapshot through
 * {@code ConversationService}, never by mutation.
 */
public record Conversation(String id, String siteId, String visitorId, String visitorName, String locale,
                           ConversationState state, String agentId, String agentName, long lastSeq, String preview,
                           Instant waitingSince, Instant createdAt, Instant updatedAt, String teamId, String topic,
                           boolean urgent, List<String> labels, long visitorReadSeq) {

    public Conversation {
        labels = labels == null ? List.of() : List.copyOf(labels);
    }

    public Conversation withState(ConversationState newState, Instant now) {
        return new Conversation(id, siteId, visitorId, visitorName, locale, newState, agentId, agentName, lastSeq,
                preview, waitingSince, createdAt, now, teamId, topic, urgent, labels, visitorReadSeq);
    }

    public Conversation queued(Instant now) {
        return new Conversation(id, siteId, visitorId, visitorName, locale, ConversationState.QUEUED, agentId,
                agentName, lastSeq, preview, now, createdAt, now, teamId, topic, urgent, labels, visitorReadSeq);
    }

    public Conversation assigned(String newAgentId, String newAgentName, Instant now) {
        return new Conversation(id, siteId, visitorId, visitorName, locale, ConversationState.ASSIGNED, newAgentId,
                newAgentName, lastSeq, preview, waitingSince, createdAt, now, teamId, topic, urgent, labels, visitorReadSeq);
    }

    /** Back in the queue at its original place ({@code waitingSince} kept), without an agent. */
    public Conversation requeued(Instant now) {
        return new Conversation(id, siteId, visitorId, visitorName, locale, ConversationState.QUEUED, null, null,
                lastSeq, preview, waitingSince, createdAt, now, teamId, topic, urgent, labels, visitorReadSeq);
    }

    /** Handed to a team (null: any agent). */
    public Conversation forTeam(String newTeamId) {
        return new Conversation(id, siteId, visitorId, visitorName, locale, state, agentId, agentName, lastSeq, preview,
                waitingSince, createdAt, updatedAt, newTeamId, topic, urgent, labels, visitorReadSeq);
    }

    /** Flagged to be served first (see {@code Urgency}). */
    public Conversation markedUrgent(boolean flag) {
        return new Conversation(id, siteId, visitorId, visitorName, locale, state, agentId, agentName, lastSeq, preview,
                waitingSince, createdAt, updatedAt, teamId, topic, flag, labels, visitorReadSeq);
    }

    /** The FAQ topic the bot last answered about. */
    public Conversation aboutTopic(String newTopic) {
        return new Conversation(id, siteId, visitorId, visitorName, locale, state, agentId, agentName, lastSeq, preview,
                waitingSince, createdAt, updatedAt, teamId, newTopic, urgent, labels, visitorReadSeq);
    }

    public Conversation withMessage(long seq, String newPreview, Instant now) {
        return new Conversation(id, siteId, visitorId, visitorName, locale, state, agentId, agentName, seq,
                newPreview, waitingSince, createdAt, now, teamId, topic, urgent, labels, visitorReadSeq);
    }

    /** With these labels (agents' tags, shown in the chat lists). */
    public Conversation labelled(List<String> newLabels) {
        return new Conversation(id, siteId, visitorId, visitorName, locale, state, agentId, agentName, lastSeq, preview,
                waitingSince, createdAt, updatedAt, teamId, topic, urgent, newLabels, visitorReadSeq);
    }

    /** The visitor has read up to {@code seq}. */
    public Conversation readByVisitor(long seq) {
        return new Conversation(id, siteId, visitorId, visitorName, locale, state, agentId, agentName, lastSeq, preview,
                waitingSince, createdAt, updatedAt, teamId, topic, urgent, labels, seq);
    }
}
