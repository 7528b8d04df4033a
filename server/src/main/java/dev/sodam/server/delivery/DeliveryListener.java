package dev.sodam.server.delivery;

import dev.sodam.server.auth.Principal;
import dev.sodam.server.event.ChatEvent;
import dev.sodam.server.event.ChatEventListener;
import dev.sodam.server.model.Author;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.ConversationState;
import dev.sodam.server.model.Message;
import dev.sodam.server.protocol.Frames;
import dev.sodam.server.protocol.ServerFrame;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pushes committed events to every connection entitled to them: the visitor's tabs, the assigned
 * agent, and — while a conversation is queued — every agent. Runs on the domain thread in commit
 * order; writes are queued to each channel's event loop, so it never blocks.
 */
public final class DeliveryListener implements ChatEventListener {
    private final SessionRegistry sessions;
    /** Queue positions as of the last queue change, for the agents' conversation pushes. */
    private final Map<String, Integer> positions = new HashMap<>();

    /** Where missed messages are read from when a connection's seqs show a gap; null on a single node. */
    private final MessageHistory history;

    /** The messages of a conversation as stored, for filling a gap in what a connection was sent. */
    @FunctionalInterface
    public interface MessageHistory {
        /** Up to {@code limit} messages with seq > {@code afterSeq}, in seq order. */
        List<Message> after(String conversationId, long afterSeq, int limit);
    }

    /** One node: every message is committed here and reaches a connection in seq order. */
    public DeliveryListener(SessionRegistry sessions) {
        this(sessions, null);
    }

    /**
     * Several nodes: messages of one conversation are committed on different nodes and arrive over
     * pub/sub, where one can be late or lost; a connection whose last seq is below the one at hand is
     * first sent what lies between, read from {@code history}.
     */
    public DeliveryListener(SessionRegistry sessions, MessageHistory history) {
        this.sessions = sessions;
        this.history = history;
    }

    /**
     * Brings the connections entitled to {@code c} up to date after pub/sub may have lost events (a
     * Redis reconnect, another node's death): the stored messages they were not sent, in seq order
     * and never twice, then the conversation's current state, as its own events would have.
     */
    public void catchUp(Conversation c, List<Message> stored, int queuePosition) {
        for (Message message : stored) {
            onMessage(new ChatEvent.MessagePosted(c, message, null));
        }
        if (queuePosition > 0) {
            positions.put(c.id(), queuePosition);
        }
        toVisitor(c, Frames.status(c, queuePosition));
        if (c.state() != ConversationState.BOT) {
            toAgentsOf(c, new ServerFrame.ConversationPush(Frames.forAgent(c, queuePosition)));
        }
    }

    @Override
    public void on(ChatEvent event) {
        // ConversationStarted pushes nothing: agents learn of a conversation when it needs them.
        if (event instanceof ChatEvent.MessagePosted posted) {
            onMessage(posted);
        } else if (event instanceof ChatEvent.HandoffRequested handoff) {
            // The visitor's status (position, ETA) comes from routing, which sees the queue change next.
            Conversation c = handoff.conversation();
            positions.put(c.id(), handoff.queuePosition());
            toAgentsOf(c, new ServerFrame.ConversationPush(Frames.forAgent(c, handoff.queuePosition())));
        } else if (event instanceof ChatEvent.ConversationAssigned
                || event instanceof ChatEvent.ConversationResolved || event instanceof ChatEvent.ConversationDeleted) {
            // A deleted conversation reaches consoles as resolved: it leaves the queue, an open tab shows
            // it ended, and no frame of theirs names it any more (protocol.md, "conversation" push).
            Conversation c = event.conversation();
            positions.remove(c.id());
            toVisitor(c, Frames.status(c, 0));
            toAgentsOf(c, new ServerFrame.ConversationPush(Frames.forAgent(c, 0)));
            forgetExceptAssignee(c);
        } else if (event instanceof ChatEvent.ConversationTransferred transferred) {
            Conversation c = transferred.conversation();
            if (c.state() == ConversationState.ASSIGNED) {
                // To a team it is queued again: routing tells the visitor its place and ETA.
                toVisitor(c, Frames.status(c, 0));
            }
            toAgentsOf(c, new ServerFrame.ConversationPush(Frames.forAgent(c, 0)));
            if (c.state() == ConversationState.ASSIGNED) {
                forgetExceptAssignee(c);
            }
        } else if (event instanceof ChatEvent.NoteAdded added) {
            // Notes go to agents only: the assigned agent and every admin; never to the visitor.
            String json = Frames.toJson(Frames.note(added.note()));
            for (Session s : agentsOf(added.conversation())) {
                Principal.AgentPrincipal agent = (Principal.AgentPrincipal) s.principal();
                if (agent.supervises() || agent.agent().id().equals(added.conversation().agentId())
                        || agent.agent().id().equals(added.note().from().id())) {
                    s.sendJson(json);
                }
            }
        } else if (event instanceof ChatEvent.VisitorIdentified identified) {
            Conversation c = identified.conversation();
            if (c != null) {
                // Who may read the conversation learns who the visitor is; every agent sees the new name.
                String json = Frames.toJson(Frames.visitor(c.id(), identified.profile()));
                for (Session s : agentsOf(c)) {
                    Principal.AgentPrincipal agent = (Principal.AgentPrincipal) s.principal();
                    if (agent.supervises() || c.state() == ConversationState.QUEUED
                            || agent.agent().id().equals(c.agentId())) {
                        s.sendJson(json);
                    }
                }
                if (c.state() != ConversationState.BOT) {
                    toAgentsOf(c, new ServerFrame.ConversationPush(Frames.forAgent(c, positions.getOrDefault(c.id(), 0))));
                }
            }
        } else if (event instanceof ChatEvent.FeedbackGiven given) {
            // The visitor's tabs (so all show the same rating), the conversation's agent and admins.
            Conversation c = given.conversation();
            String json = Frames.toJson(Frames.rated(given.feedback()));
            sessions.visitor(c.visitorId()).forEach(s -> s.sendJson(json));
            for (Session s : agentsOf(c)) {
                Principal.AgentPrincipal agent = (Principal.AgentPrincipal) s.principal();
                if (agent.supervises() || agent.agent().id().equals(c.agentId())) {
                    s.sendJson(json);
                }
            }
        } else if (event instanceof ChatEvent.ConversationLabelled labelled) {
            Conversation c = labelled.conversation();
            toAgentsOf(c, new ServerFrame.ConversationPush(Frames.forAgent(c, positions.getOrDefault(c.id(), 0))));
        } else if (event instanceof ChatEvent.ConversationsRequeued requeued) {
            requeued.conversations().forEach(c ->
                    toAgentsOf(c, new ServerFrame.ConversationPush(Frames.forAgent(c, 0))));
        } else if (event instanceof ChatEvent.QueueChanged changed) {
            positions.clear();
            for (int i = 0; i < changed.queue().size(); i++) {
                positions.put(changed.queue().get(i).id(), i + 1);
            }
        } else if (event instanceof ChatEvent.TypingChanged typing) {
            toOtherSide(typing.conversation(), typing.from(),
                    new ServerFrame.TypingFrame(typing.conversation().id(), Frames.from(typing.from()), typing.on()));
        } else if (event instanceof ChatEvent.ReadUpTo read) {
            toOtherSide(read.conversation(), read.from(),
                    new ServerFrame.ReadFrame(read.conversation().id(), Frames.from(read.from()), read.seq()));
        }
    }

    private void onMessage(ChatEvent.MessagePosted posted) {
        Conversation c = posted.conversation();
        Message message = posted.message();
        List<Session> to = new ArrayList<>(sessions.visitor(c.visitorId()));
        if (c.state() == ConversationState.QUEUED) {
            to.addAll(agentsOf(c));
        } else if (c.agentId() != null) {
            to.addAll(sessions.agent(c.agentId()));
        }
        fillGaps(to, message);
        String json = Frames.toJson(Frames.message(message));
        for (Session s : to) {
            if (s.markSent(c.id(), message.seq())) {
                s.sendJson(json);
            }
        }
        if (c.state() == ConversationState.QUEUED) {
            int position = positions.getOrDefault(c.id(), 0);
            String push = Frames.toJson(new ServerFrame.ConversationPush(Frames.forAgent(c, position)));
            agentsOf(c).forEach(s -> s.sendJson(push));
        }
    }

    /** Sends each connection the stored messages between its last seq and {@code next}'s, if any are missing. */
    private void fillGaps(List<Session> to, Message next) {
        if (history == null) {
            return;
        }
        long from = Long.MAX_VALUE;
        for (Session s : to) {
            long last = s.lastSent(next.conversationId());
            if (last > 0 && last + 1 < next.seq()) {
                from = Math.min(from, last);
            }
        }
        if (from == Long.MAX_VALUE) {
            return;
        }
        List<Message> missed = history.after(next.conversationId(), from, (int) Math.min(next.seq() - from - 1,
                dev.sodam.server.conversation.ConversationService.MAX_REPLAY));
        for (Message m : missed) {
            if (m.seq() >= next.seq()) {
                break;
            }
            String json = Frames.toJson(Frames.message(m));
            for (Session s : to) {
                if (s.lastSent(m.conversationId()) > 0 && s.markSent(m.conversationId(), m.seq())) {
                    s.sendJson(json);
                }
            }
        }
    }

    private void toVisitor(Conversation c, ServerFrame frame) {
        String json = Frames.toJson(frame);
        sessions.visitor(c.visitorId()).forEach(s -> s.sendJson(json));
    }

    private void toAgentsOf(Conversation c, ServerFrame frame) {
        String json = Frames.toJson(frame);
        agentsOf(c).forEach(s -> s.sendJson(json));
    }

    /**
     * Agents other than the one the conversation is assigned to are sent none of its messages any more
     * (queued, it went to all of them): their connections drop its seq ({@link Session#forget}).
     */
    private void forgetExceptAssignee(Conversation c) {
        for (Session s : sessions.allAgents()) {
            if (!((Principal.AgentPrincipal) s.principal()).agent().id().equals(c.agentId())) {
                s.forget(c.id());
            }
        }
    }

    /** The agents whose account may see the conversation's site: an account of another site never hears of it. */
    private List<Session> agentsOf(Conversation c) {
        List<Session> out = new ArrayList<>();
        for (Session s : sessions.allAgents()) {
            if (((Principal.AgentPrincipal) s.principal()).agent().seesSite(c.siteId())) {
                out.add(s);
            }
        }
        return out;
    }

    private void toOtherSide(Conversation c, Author from, ServerFrame frame) {
        if (from.kind() == Author.Kind.VISITOR) {
            if (c.agentId() != null) {
                String json = Frames.toJson(frame);
                sessions.agent(c.agentId()).forEach(s -> s.sendJson(json));
            }
        } else {
            toVisitor(c, frame);
        }
    }
}
