package dev.sodam.server.conversation;

import dev.sodam.server.model.Agent;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.Message;
import dev.sodam.server.model.Visitor;
import dev.sodam.server.store.AgentName;
import java.util.List;

/** Values returned by {@link ConversationService} calls. */
public final class Results {
    private Results() {
    }

    /**
     * A visitor said hello. {@code visitorToken} is the token to keep (new or the same);
     * {@code replay} holds the messages after the resume point; {@code resumeNotFound} is true when
     * the resume named a conversation that is not this visitor's.
     */
    public record VisitorHello(Visitor visitor, String visitorToken, Conversation open, int queuePosition,
                               List<Message> replay, boolean resumeNotFound,
                               List<dev.sodam.server.model.Feedback> feedback) {
        public VisitorHello(Visitor visitor, String visitorToken, Conversation open, int queuePosition,
                            List<Message> replay, boolean resumeNotFound) {
            this(visitor, visitorToken, open, queuePosition, replay, resumeNotFound, List.of());
        }
    }

    /** An agent said hello: the queue (longest waiting first) and the agent's assigned conversations. */
    public record AgentHello(Agent agent, List<Conversation> queue, List<Conversation> assigned,
                             List<AgentName> colleagues, List<dev.sodam.server.model.Team> teams) {
    }

    /**
     * Who could take a transfer of a conversation now, judged as {@code transfer} judges them: every other
     * account that serves the conversation's site, by name.
     */
    public record Colleagues(String conversationId, List<Colleague> colleagues) {
    }

    /** One possible transfer target; {@code refusal} null when a transfer to them would go through now. */
    public record Colleague(String id, String name, List<String> teamIds, dev.sodam.server.event.ChatEvent.Presence presence,
                            int load, int cap, Refusal refusal) {
        public boolean available() {
            return refusal == null;
        }
    }

    /** Why a transfer to an agent would be refused now (checked in this order, as {@code transfer} does). */
    public enum Refusal {
        DISABLED, PENDING, OFFLINE, AWAY, AT_LIMIT;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A stored message; {@code duplicate} when the clientMsgId had been stored before (nothing new stored). */
    public record Posted(Conversation conversation, Message message, boolean duplicate) {
    }

    /**
     * Messages of a conversation after a seq, in order, and on a full sync its feedback and (for
     * agents) its private notes and the visitor's profile (null otherwise).
     */
    public record Synced(Conversation conversation, List<Message> messages, List<dev.sodam.server.model.Note> notes,
                         List<dev.sodam.server.model.Feedback> feedback, dev.sodam.server.model.VisitorProfile profile) {
        public Synced(Conversation conversation, List<Message> messages, List<dev.sodam.server.model.Note> notes) {
            this(conversation, messages, notes, List.of(), null);
        }
    }
}
