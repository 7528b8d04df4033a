package dev.sodam.server.delivery;

import dev.sodam.server.event.ChatEvent;
import dev.sodam.server.event.ChatEventListener;
import dev.sodam.server.model.Author;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.ConversationState;
import dev.sodam.server.protocol.Frames;
import dev.sodam.server.protocol.ServerFrame;
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
    /** Last queue position told to each queued conversation's visitor; only changes are pushed. */
    private final Map<String, Integer> toldPositions = new HashMap<>();

    public DeliveryListener(SessionRegistry sessions) {
        this.sessions = sessions;
    }

    @Override
    public void on(ChatEvent event) {
        // ConversationStarted pushes nothing: agents learn of a conversation when it needs them.
        if (event instanceof ChatEvent.MessagePosted posted) {
            onMessage(posted);
        } else if (event instanceof ChatEvent.HandoffRequested handoff) {
            Conversation c = handoff.conversation();
            toVisitor(c, Frames.status(c, handoff.queuePosition()));
            toldPositions.put(c.id(), handoff.queuePosition());
            toAllAgents(new ServerFrame.ConversationPush(Frames.forAgent(c, handoff.queuePosition())));
        } else if (event instanceof ChatEvent.ConversationAssigned
                || event instanceof ChatEvent.ConversationResolved) {
            Conversation c = event.conversation();
            toldPositions.remove(c.id());
            toVisitor(c, Frames.status(c, 0));
            toAllAgents(new ServerFrame.ConversationPush(Frames.forAgent(c, 0)));
        } else if (event instanceof ChatEvent.QueueChanged changed) {
            onQueueChanged(changed.queue());
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
            sessions.allAgents().forEach(s -> s.sendJson(json));
            int position = toldPositions.getOrDefault(c.id(), 0);
            String push = Frames.toJson(new ServerFrame.ConversationPush(Frames.forAgent(c, position)));
            sessions.allAgents().forEach(s -> s.sendJson(push));
        } else if (c.agentId() != null) {
            sessions.agent(c.agentId()).forEach(s -> s.sendJson(json));
        }
    }

    private void onQueueChanged(List<Conversation> queue) {
        for (int i = 0; i < queue.size(); i++) {
            Conversation c = queue.get(i);
            int position = i + 1;
            Integer told = toldPositions.put(c.id(), position);
            if (told == null || told != position) {
                toVisitor(c, Frames.status(c, position));
            }
        }
    }

    private void toVisitor(Conversation c, ServerFrame frame) {
        String json = Frames.toJson(frame);
        sessions.visitor(c.visitorId()).forEach(s -> s.sendJson(json));
    }

    private void toAllAgents(ServerFrame frame) {
        String json = Frames.toJson(frame);
        sessions.allAgents().forEach(s -> s.sendJson(json));
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
