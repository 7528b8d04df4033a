package dev.sodam.server.delivery;

import dev.sodam.server.auth.Principal.AgentPrincipal;
import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.Replies;
import dev.sodam.server.event.ChatEvent;
import dev.sodam.server.event.ChatEvent.Presence;
import dev.sodam.server.event.ChatEventListener;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.protocol.Frames;
import dev.sodam.server.protocol.ServerFrame;
import dev.sodam.server.routing.RoutingActions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the router's decisions: offers, withdrawals, presence and alerts become frames; a
 * requeue becomes a committed state change through the service. Runs on the domain thread; it listens
 * for the clock's ticks only, to tell waiting visitors the places it held back (below).
 */
public final class RoutingDelivery implements RoutingActions, ChatEventListener {
    private static final Logger log = LoggerFactory.getLogger(RoutingDelivery.class);
    /** The places told at every change: where a visitor watches the number fall to their turn. */
    static final int LIVE_PLACES = 20;
    /** Further back, a changed place is told at most this often per visitor… */
    static final Duration DEEP_INTERVAL = Duration.ofSeconds(5);
    /** …and at most this many such frames a second on this node, with a second's worth held in reserve. */
    static final int DEEP_PER_SECOND = 500;

    private final SessionRegistry sessions;
    private final ConversationService service;
    private final Clock clock;
    /**
     * What each queued visitor was last told and when; only changes are pushed. Two maps take turns, so a
     * queue change of thousands of waiting visitors allocates no list per visitor and copies no map.
     */
    private Map<String, Told> told = new HashMap<>();
    private Map<String, Told> telling = new HashMap<>();
    /** The queue as last given, for the places held back until a tick. */
    private List<Conversation> queue = List.of();
    private List<Integer> etaSeconds = List.of();
    /** Some place changed and was not told yet. */
    private boolean heldBack;
    private double deepBudget = DEEP_PER_SECOND;
    private long deepBudgetAt;

    /** A visitor's place and ETA as last told ({@link #state}), and when (epoch milliseconds). */
    private static final class Told {
        long state;
        long at;
    }

    public RoutingDelivery(SessionRegistry sessions, ConversationService service, Clock clock) {
        this.sessions = sessions;
        this.service = service;
        this.clock = clock;
        this.deepBudgetAt = clock.millis();
    }

    @Override
    public void on(ChatEvent event) {
        if (event instanceof ChatEvent.ClockTicked && heldBack) {
            tellPlaces();
        }
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
    public void presence(String agentId, String agentName, Presence presence, int load, int cap, String reason) {
        ServerFrame frame = new ServerFrame.PresenceFrame(new ServerFrame.Person(agentId, agentName), presence.wire(),
                load, cap, reason);
        sessions.agent(agentId).forEach(s -> s.send(frame));
        for (Session s : sessions.allAgents()) {
            if (supervises(s) && !((AgentPrincipal) s.principal()).agent().id().equals(agentId)) {
                s.send(frame);
            }
        }
    }

    @Override
    public void queueStatus(List<Conversation> queue, List<Integer> etaSeconds) {
        this.queue = queue;
        this.etaSeconds = etaSeconds;
        tellPlaces();
    }

    /**
     * Tells each waiting visitor a changed place and ETA. A visitor just queued and the first
     * {@link #LIVE_PLACES} are told at once. Behind them a place is held back until the visitor was told
     * nothing for {@link #DEEP_INTERVAL} and the node's budget allows, front first: every dequeue moves
     * every place, and with thousands waiting a frame to each (a write to each socket) cost the node about
     * 50 ms per dequeue and every message its turn behind them (docs/benchmarks.md, "A flash crowd").
     */
    private void tellPlaces() {
        long now = clock.millis();
        deepBudget = Math.min(DEEP_PER_SECOND, deepBudget + (now - deepBudgetAt) * DEEP_PER_SECOND / 1000.0);
        deepBudgetAt = now;
        heldBack = false;
        telling.clear();
        for (int i = 0; i < queue.size(); i++) {
            Conversation c = queue.get(i);
            Integer eta = etaSeconds.get(i);
            long state = state(i + 1, eta);
            Told t = told.get(c.id());
            if (t == null || t.state != state) {
                boolean tell = t == null || i < LIVE_PLACES;
                if (!tell && now - t.at >= DEEP_INTERVAL.toMillis() && deepBudget >= 1) {
                    deepBudget--;
                    tell = true;
                }
                if (tell) {
                    if (t == null) {
                        t = new Told();
                    }
                    t.state = state;
                    t.at = now;
                    ServerFrame frame = Frames.status(c, i + 1, eta);
                    sessions.visitor(c.visitorId()).forEach(s -> s.send(frame));
                } else {
                    heldBack = true;
                }
            }
            telling.put(c.id(), t);
        }
        Map<String, Told> swap = told;
        told = telling;
        telling = swap;
    }

    /** A position and an ETA (null: unknown) as one number: the position above, the ETA + 1 below. */
    private static long state(int position, Integer etaSeconds) {
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

    @Override
    public void awayForMissedOffers(String agentId, int missed) {
        log.info("routing: agent {} let {} offers in a row time out; setting them away", agentId, missed);
        service.setPresence(agentId, Presence.AWAY, ChatEvent.PresenceSet.MISSED_OFFERS, Replies.of(p -> { }, error ->
                log.warn("routing: setting agent {} away failed: {}", agentId, error.getMessage())));
    }

    private static boolean supervises(Session session) {
        return session.principal() instanceof AgentPrincipal agent && agent.supervises();
    }
}
