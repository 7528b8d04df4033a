package dev.sodam.server.event;

import dev.sodam.server.model.Agent;
import dev.sodam.server.model.Author;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.Message;
import java.time.Instant;
import java.util.List;

/**
 * The catalogue of things that happened, in the past tense. Every state change of a conversation
 * emits exactly one of these after it is committed; side effects (delivery, bot replies, system
 * messages) are listeners, never inline code in the service.
 */
public sealed interface ChatEvent {

    /** The conversation the event is about (null only for {@link QueueChanged}). */
    Conversation conversation();

    /** A visitor started a new conversation (state BOT). */
    record ConversationStarted(Conversation conversation) implements ChatEvent {
    }

    /** A message was stored with its seq. {@code pickedFaqId} is set when the visitor clicked a suggestion. */
    record MessagePosted(Conversation conversation, Message message, String pickedFaqId) implements ChatEvent {
    }

    /** The conversation entered the queue (BOT → QUEUED). {@code queuePosition} is 1-based. */
    record HandoffRequested(Conversation conversation, HandoffReason reason, int queuePosition) implements ChatEvent {
    }

    /** An agent took the conversation (QUEUED → ASSIGNED). */
    record ConversationAssigned(Conversation conversation) implements ChatEvent {
    }

    /** The conversation ended (→ RESOLVED). */
    record ConversationResolved(Conversation conversation, Author by) implements ChatEvent {
    }

    /** The queue's membership or order changed; {@code queue} is the new queue, longest waiting first. */
    record QueueChanged(List<Conversation> queue) implements ChatEvent {
        public QueueChanged {
            queue = List.copyOf(queue);
        }

        @Override
        public Conversation conversation() {
            return null;
        }
    }

    /**
     * A visitor's site told who they are ({@code identify}); {@code conversation} is their open
     * conversation, or null when they have none (nobody is told then).
     */
    record VisitorIdentified(Conversation conversation, dev.sodam.server.model.VisitorProfile profile)
            implements ChatEvent {
    }

    /** A visitor rated a bot answer, the chat or the site (stored in {@code feedback}). */
    record FeedbackGiven(Conversation conversation, dev.sodam.server.model.Feedback feedback) implements ChatEvent {
    }

    /** Someone started or stopped typing (relayed, not stored). */
    record TypingChanged(Conversation conversation, Author from, boolean on) implements ChatEvent {
    }

    /** Someone has read up to {@code seq} (relayed, not stored). */
    record ReadUpTo(Conversation conversation, Author from, long seq) implements ChatEvent {
    }

    /**
     * An agent's conversations went back to the queue (ASSIGNED → QUEUED) because the agent went
     * away or offline; they keep their original place.
     */
    record ConversationsRequeued(List<Conversation> conversations, String agentId) implements ChatEvent {
        public ConversationsRequeued {
            conversations = List.copyOf(conversations);
        }

        @Override
        public Conversation conversation() {
            return null;
        }
    }

    /**
     * An assigned conversation was handed on: to another agent ({@code toAgentId}) or back to the
     * queue for a team ({@code toTeamId}); {@code conversation} is its new state.
     */
    record ConversationTransferred(Conversation conversation, String fromAgentId, String toAgentId, String toTeamId)
            implements ChatEvent {
    }

    /** A private note was added (agents only). */
    record NoteAdded(Conversation conversation, dev.sodam.server.model.Note note) implements ChatEvent {
    }

    /** An agent connection was authenticated; {@code cap} is the agent's chat limit. */
    record AgentConnected(Agent agent, int cap, Presence presence) implements ChatEvent {
        @Override
        public Conversation conversation() {
            return null;
        }
    }

    /** An agent connection closed. */
    record AgentDisconnected(String agentId) implements ChatEvent {
        @Override
        public Conversation conversation() {
            return null;
        }
    }

    /**
     * An agent's presence was set: by the agent ({@code reason} null), or by routing for them, saying why
     * ({@link #MISSED_OFFERS}: they let {@code routing.awayAfterMissedOffers} offers in a row time out).
     */
    record PresenceSet(String agentId, Presence presence, String reason) implements ChatEvent {
        /** Routing set the agent away: they let offers time out, one after another. */
        public static final String MISSED_OFFERS = "missed_offers";

        /** The agent's own choice. */
        public PresenceSet(String agentId, Presence presence) {
            this(agentId, presence, null);
        }

        @Override
        public Conversation conversation() {
            return null;
        }
    }

    /** An agent declined an offer. */
    record OfferDeclined(String conversationId, String agentId) implements ChatEvent {
        @Override
        public Conversation conversation() {
            return null;
        }
    }

    /** Time passed: timers (offer deadlines, presence grace) are due up to {@code now}. */
    record ClockTicked(Instant now) implements ChatEvent {
        @Override
        public Conversation conversation() {
            return null;
        }
    }

    /**
     * The state routing starts from after a (re)start: the queue and every assigned conversation,
     * with each agent's cap, and when the latest stored accepts happened (oldest first), so the queue's
     * ETA does not start from nothing: without them a visitor queued after a restart saw no ETA until
     * two more chats had been accepted.
     */
    record RoutingRestored(List<Conversation> queue, List<Conversation> assigned, List<Instant> recentDequeues,
                           Instant now) implements ChatEvent {
        public RoutingRestored {
            queue = List.copyOf(queue);
            assigned = List.copyOf(assigned);
            recentDequeues = List.copyOf(recentDequeues);
        }

        /** Without a dequeue history (the ETA is unknown until two accepts are seen). */
        public RoutingRestored(List<Conversation> queue, List<Conversation> assigned, Instant now) {
            this(queue, assigned, List.of(), now);
        }

        @Override
        public Conversation conversation() {
            return null;
        }
    }

    /** An agent's availability for new chats. */
    enum Presence {
        ONLINE, AWAY, OFFLINE;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Why a conversation was handed to people. */
    enum HandoffReason {
        /** The visitor pressed 상담원 연결 or sent a handoff frame. */
        VISITOR_ASKED,
        /** The bot recognised a request for a person in the visitor's text. */
        BOT_DETECTED_REQUEST,
        /** The bot was not confident enough to answer or clarify. */
        BOT_UNSURE,
        /** An integration asked through the REST API ({@code POST /api/v1/conversations/{id}/handoff}). */
        INTEGRATION
    }

    /**
     * An open conversation was deleted with its visitor (data protection, docs/admin.md). Nothing of it
     * is stored any more, so listeners let go of it as of a resolved one — consoles drop it from the
     * queue or mark its tab ended, routing frees the agent's place — but nothing is written about it:
     * no system notice, no webhook. {@code conversation} is as it was, with the state {@code resolved}.
     */
    record ConversationDeleted(Conversation conversation) implements ChatEvent {
    }

    /** An agent added or removed a label; agents' lists show the new set. */
    record ConversationLabelled(Conversation conversation) implements ChatEvent {
    }
}
