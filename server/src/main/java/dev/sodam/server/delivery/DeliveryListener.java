package dev.sodam.server.delivery;

import dev.sodam.server.auth.Principal;
import dev.sodam.server.event.ChatEvent;
import dev.sodam.server.event.ChatEventListener;
import dev.sodam.server.model.Author;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.ConversationState;
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

    public DeliveryListener(SessionRegistry sessions) {
        this.sessions = sessions;
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
                || event instanceof ChatEvent.ConversationResolved) {
            Conversation c = event.conversation();
            positions.remove(c.id());
            toVisitor(c, Frames.status(c, 0));
            toAgentsOf(c, new ServerFrame.ConversationPush(Frames.forAgent(c, 0)));
        } else if (event instanceof ChatEvent.ConversationTransferred transferred) {
            Conversation c = transferred.conversation();
            if (c.state() == ConversationState.ASSIGNED) {
                // To a team it is queued again: routing tells the visitor its place and ETA.
                toVisitor(c, Frames.status(c, 0));
            }
            toAgentsOf(c, new ServerFrame.ConversationPush(Frames.forAgent(c, 0)));
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
        String json = Frames.toJson(Frames.message(posted.message()));
        sessions.visitor(c.visitorId()).forEach(s -> s.sendJson(json));
        if (c.state() == ConversationState.QUEUED) {
            agentsOf(c).forEach(s -> s.sendJson(json));
            int position = positions.getOrDefault(c.id(), 0);
            String push = Frames.toJson(new ServerFrame.ConversationPush(Frames.forAgent(c, position)));
            agentsOf(c).forEach(s -> s.sendJson(push));
        } else if (c.agentId() != null) {
            sessions.agent(c.agentId()).forEach(s -> s.sendJson(json));
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
