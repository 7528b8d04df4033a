package dev.sodam.server.delivery;

import dev.sodam.server.auth.Principal.AgentPrincipal;
import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.Replies;
import dev.sodam.server.event.ChatEvent.Presence;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.protocol.Frames;
import dev.sodam.server.protocol.ServerFrame;
import dev.sodam.server.routing.RoutingActions;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the router's decisions: offers, withdrawals, presence and alerts become frames; a
 * requeue becomes a committed state change through the service. Runs on the domain thread.
 */
public final class RoutingDelivery implements RoutingActions {
    private static final Logger log = LoggerFactory.getLogger(RoutingDelivery.class);
    private final SessionRegistry sessions;
    private final ConversationService service;
    /**
     * What each queued visitor was last told, position and ETA in one number ({@link #told}); only changes
     * are pushed. Two maps take turns, so a queue change of thousands of waiting visitors allocates no
     * list per visitor and copies no map.
     */
    private Map<String, Long> told = new HashMap<>();
    private Map<String, Long> telling = new HashMap<>();

    public RoutingDelivery(SessionRegistry sessions, ConversationService service) {
        this.sessions = sessions;
        this.service = service;
    }

    @Override
    public void offer(String agentId, Conversation conversation, int queuePosition, Instant expiresAt) {
        ServerFrame frame = new ServerFrame.Offer(conversation.id(), expiresAt.toString(),
                Frames.forAgent(conversation, queuePosition));
        sessions.agent(agentId).forEach(s -> s.send(frame));
    }

    @Override
    public void offerWithdrawn(String agentId, String conversationId, String reason) {
        ServerFrame frame = new ServerFrame.OfferWithdrawn(conversationId, reason);
        sessions.agent(agentId).forEach(s -> s.send(frame));
    }

    @Override
    public void presence(String agentId, String agentName, Presence presence, int load, int cap) {
        ServerFrame frame = new ServerFrame.PresenceFrame(new ServerFrame.Person(agentId, agentName), presence.wire(),
                load, cap);
        sessions.agent(agentId).forEach(s -> s.send(frame));
        for (Session s : sessions.allAgents()) {
            if (supervises(s) && !((AgentPrincipal) s.principal()).agent().id().equals(agentId)) {
                s.send(frame);
            }
        }
    }

    @Override
    public void queueStatus(List<Conversation> queue, List<Integer> etaSeconds) {
        telling.clear();
        for (int i = 0; i < queue.size(); i++) {
            Conversation c = queue.get(i);
            Integer eta = etaSeconds.get(i);
            long state = told(i + 1, eta);
            telling.put(c.id(), state);
            Long before = told.get(c.id());
            if (before == null || before != state) {
                ServerFrame frame = Frames.status(c, i + 1, eta);
                sessions.visitor(c.visitorId()).forEach(s -> s.send(frame));
            }
        }
        Map<String, Long> swap = told;
        told = telling;
        telling = swap;
    }

    /** A position and an ETA (null: unknown) as one number: the position above, the ETA + 1 below. */
    private static long told(int position, Integer etaSeconds) {
        return ((long) position << 32) | (etaSeconds == null ? 0 : etaSeconds + 1L);
    }

    @Override
    public void unplaced(Conversation conversation, int attempts) {
        log.warn("routing: conversation {} was offered {} times without being accepted", conversation.id(), attempts);
        ServerFrame frame = new ServerFrame.Alert("unplaced", conversation.id(),
                "no agent accepted this conversation after " + attempts + " offers");
        for (Session s : sessions.allAgents()) {
            if (supervises(s)) {
                s.send(frame);
            }
        }
    }

    @Override
    public void requeue(String agentId) {
        service.requeueAgent(agentId, Replies.of(requeued -> { }, error ->
                log.warn("routing: requeue of agent {} failed: {}", agentId, error.getMessage())));
    }

    private static boolean supervises(Session session) {
        return session.principal() instanceof AgentPrincipal agent && agent.supervises();
    }
}
