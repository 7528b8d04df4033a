package dev.sodam.server.cluster;

import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.Replies;
import dev.sodam.server.event.ChatEvent;
import dev.sodam.server.event.ChatEvent.Presence;
import dev.sodam.server.event.ChatEventListener;
import dev.sodam.server.event.EventBus;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.routing.Availability;
import dev.sodam.server.routing.RoutingActions;
import dev.sodam.server.store.ClusterLock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routing for several nodes: one node at a time — the holder of the cluster lock {@code routing} (a
 * PostgreSQL advisory lock) — runs the router and the stale-chat watcher, over every node's events; the
 * others only carry out its decisions for their own connections. So the queue has one order, an offer
 * and its accept timer have one owner, and a nudge is sent once.
 *
 * <p>Inputs: this node's committed events and agents' connection events (from the bus), the other nodes'
 * (from {@link RedisFanout}). Outputs: offers, withdrawals, presence, queue status and alerts are published
 * to every node and carried out by each node's local {@link RoutingActions}; a requeue is a committed
 * change the owner makes itself. When the owner dies its database session ends, the lock is free, and the
 * next node to ask takes over: it starts the router afresh from the stored queue and assignments, and every
 * node tells it which agents are connected there ({@link Roster}); offers of the dead owner are made
 * again. When a node goes silent, the owner counts its agents' connections as closed, and asks for the
 * node's roster again should it be heard again.
 *
 * <p>An agent's away (their own, or routing's for missed offers) lives in the router, which keeps it across a
 * reload; while nobody routes (the owner died, the next has not heard the rosters yet) it lives only here, on
 * the agent's node. So this node keeps an away agent for the presence grace period after their last
 * connection closes, and a reload in that time comes back away, not as a fresh, online agent; the roster
 * tells a new owner of such an agent too (no connections), in case the reload reached another node. A node
 * whose fresh connection the router tells away (the reload reached it while a router kept the away) learns
 * it from that presence. A new owner holds its offers and presence frames until the rosters are in, since a
 * fresh connection counts as online until the roster of the node that kept the away says otherwise.
 *
 * <p>Everything except {@link #checkOwnership} runs on the domain thread.
 */
public final class RoutingOwner implements ChatEventListener, Availability {
    private static final Logger log = LoggerFactory.getLogger(RoutingOwner.class);

    private final ClusterLock lock;
    private final Function<RoutingActions, List<ChatEventListener>> routing;
    private final RoutingActions local;
    private final ConversationService service;
    private final Clock clock;
    /** How long an away agent whose last connection here closed is kept (the router's presence grace). */
    private final Duration grace;
    private RedisFanout fanout;
    /** Read by the timer thread; the domain thread's view is {@link #acting}. */
    private volatile boolean owner;
    /** The router and watcher while this node owns routing; null otherwise. */
    private EventBus acting;
    /** The acting router's view of who is connected and online, while this node owns routing; null otherwise. */
    private Availability present;
    /** As the owner: agents' open connections per other node, to close them when that node goes silent. */
    private final Map<String, Map<String, Integer>> connectionsByNode = new HashMap<>();
    /**
     * As a new owner, until every node heard has told its roster (or {@link #ROSTER_TICKS} clock ticks passed): the
     * nodes still to answer. Meanwhile offers and presence wait (the latest per conversation and per agent): a
     * fresh connection counts as online until the roster of the node that kept the agent away says otherwise,
     * and an offer made in between would reach someone who said they were away. Null when nothing waits.
     */
    private Set<String> rostersAwaited;
    private int ticksAwaited;
    private final Map<String, RoutingOutput> offersHeld = new LinkedHashMap<>();
    private final Map<String, RoutingOutput> presenceHeld = new LinkedHashMap<>();
    /** The clock ticks a new owner waits at most for the rosters (a node heard just now may be the dead owner). */
    static final int ROSTER_TICKS = 2;
    /** As the owner: the away agents without connections each other node's roster told, so a roster told twice changes nothing. */
    private final Map<String, Set<String>> awayGoneByNode = new HashMap<>();
    /**
     * This node's agents: their last connection event, how many connections, their presence and why; and
     * an away agent whose last connection closed, for the presence grace period after it (no connections).
     */
    private final Map<String, LocalAgent> localAgents = new HashMap<>();

    private static final class LocalAgent {
        ChatEvent.AgentConnected connected;
        int connections;
        Presence presence = Presence.ONLINE;
        /** Why routing set that presence (missed offers), told to a later owner with it; null otherwise. */
        String reason;
        /** Whether a presence change was heard since the agent connected here (else the presence is a fresh connection's). */
        boolean heard;
        /** When the last connection closed, while an away agent is kept without one; null while connected. */
        Instant leftAt;
    }

    /**
     * @param routing makes the owner-only listeners (router last) that carry out their decisions through the
     *                given actions; called afresh on every take-over
     * @param local   this node's actions: frames to its own connections, requeues through the service
     */
    public RoutingOwner(ClusterLock lock, Function<RoutingActions, List<ChatEventListener>> routing, RoutingActions local,
                        ConversationService service, Clock clock, Duration presenceGrace) {
        this.lock = lock;
        this.routing = routing;
        this.local = local;
        this.service = service;
        this.clock = clock;
        this.grace = presenceGrace;
    }

    void attach(RedisFanout redis) {
        this.fanout = redis;
    }

    /** Whether this node runs routing now. */
    public boolean owns() {
        return owner;
    }

    /** On the domain thread: whether this node's router is running (from a take-over's start to the lock's loss). */
    boolean routesHere() {
        return acting != null;
    }

    /** Gives the lock up (another node takes routing over at its next check). */
    void close() {
        owner = false;
        lock.close();
    }

    // ------------------------------------------------------------------ ownership (timer thread)

    /** Takes routing over when the lock is free, or gives it up when the lock was lost; called every second. */
    void checkOwnership() {
        boolean holds = lock.tryHold();
        if (holds && !owner) {
            owner = true;
            log.info("cluster: this node owns routing now; reading the queue and asking the other nodes for their agents");
            service.execute(tx -> null, Replies.of(v -> takeOver(), e -> owner = false));
        } else if (!holds && owner) {
            owner = false;
            log.warn("cluster: this node lost the routing lock; another node routes now");
            service.execute(tx -> null, Replies.of(v -> {
                acting = null;
                present = null;
                rostersAwaited = null;
                offersHeld.clear();
                presenceHeld.clear();
            }, e -> { }));
        }
    }

    private void takeOver() {
        EventBus owned = new EventBus();
        List<ChatEventListener> listeners = routing.apply(new Broadcast());
        listeners.forEach(owned::subscribe);
        acting = owned;
        present = listeners.stream().filter(Availability.class::isInstance).map(Availability.class::cast)
                .findFirst().orElse(null);
        connectionsByNode.clear();
        awayGoneByNode.clear();
        // The stored queue and assignments first (through the bus, like a start-up), then who is connected.
        service.restoreRouting(Replies.of(v -> service.execute(tx -> null, Replies.of(after -> {
            // A later batch: the restored state has reached the router by now (events follow their reply).
            rostersAwaited = new HashSet<>(fanout.nodesHeardWithin(RedisFanout.HEARTBEAT.multipliedBy(2)));
            ticksAwaited = 0;
            localAgents.values().forEach(this::announceHere);
            fanout.publishRosterRequest();
            if (rostersAwaited.isEmpty()) {
                releaseHeld();
            }
        }, e -> { })), e -> log.warn("cluster: restoring routing failed: {}", e.getMessage())));
    }

    /**
     * Whether an agent is connected and online, as the router knows it (it hears every node's agents). A
     * node that does not route cannot tell and lets the transfer through; the owner's router then gives
     * an absent agent the grace period and returns their chats to the queue after it.
     */
    @Override
    public boolean online(String agentId) {
        Availability router = present;
        return router == null || router.online(agentId);
    }

    /** The acting router's presence of the agent; as {@link #online}, everyone is online to a node that does not route. */
    @Override
    public Presence presence(String agentId) {
        Availability router = present;
        return router == null ? Presence.ONLINE : router.presence(agentId);
    }

    // ------------------------------------------------------------------ inputs (domain thread)

    /** This node's events, from the bus. */
    @Override
    public void on(ChatEvent event) {
        if (event instanceof ChatEvent.AgentConnected connected) {
            LocalAgent agent = localAgents.computeIfAbsent(connected.agent().id(), id -> new LocalAgent());
            agent.connected = connected;
            agent.connections++;
            agent.leftAt = null;
            if (agent.presence == Presence.OFFLINE) {
                // As the router has it: offline is left by connecting, away is not.
                agent.presence = connected.presence();
                agent.reason = null;
                agent.heard = false;
            }
        } else if (event instanceof ChatEvent.AgentDisconnected disconnected) {
            LocalAgent agent = localAgents.get(disconnected.agentId());
            if (agent != null && agent.connections > 0 && --agent.connections == 0) {
                if (agent.presence == Presence.AWAY) {
                    // A reload may follow while nobody routes: it must come back away.
                    agent.leftAt = clock.instant();
                } else {
                    localAgents.remove(disconnected.agentId());
                }
            }
        } else if (event instanceof ChatEvent.PresenceSet set) {
            presenceSet(set);
        } else if (event instanceof ChatEvent.ClockTicked tick) {
            // The router lets an absent agent's presence go after the grace period; so does this node.
            localAgents.values().removeIf(agent -> agent.leftAt != null && !agent.leftAt.plus(grace).isAfter(tick.now()));
            if (rostersAwaited != null && ++ticksAwaited >= ROSTER_TICKS) {
                log.info("cluster: no roster yet from node(s) {}; routing without them", rostersAwaited);
                releaseHeld();
            }
        }
        if (event instanceof ChatEvent.RoutingRestored && acting == null) {
            return;
        }
        feed(event);
    }

    /** Another node's event: delivered ones and its agents' connection events. */
    void remote(ChatEvent event, String node) {
        if (event instanceof ChatEvent.PresenceSet set) {
            // Set on another node for one of this node's agents: by the routing owner (missed offers) or
            // in the agent's tab there. Remembered, so a roster told to a later owner does not bring them
            // back online behind their console's back.
            presenceSet(set);
        }
        if (acting == null) {
            return;
        }
        if (event instanceof ChatEvent.AgentConnected connected) {
            connectionsByNode.computeIfAbsent(node, n -> new HashMap<>()).merge(connected.agent().id(), 1, Integer::sum);
        } else if (event instanceof ChatEvent.AgentDisconnected disconnected) {
            Map<String, Integer> agents = connectionsByNode.get(node);
            if (agents != null) {
                agents.computeIfPresent(disconnected.agentId(), (id, n) -> n > 1 ? n - 1 : null);
            }
        }
        feed(event);
    }

    private void presenceSet(ChatEvent.PresenceSet set) {
        LocalAgent agent = localAgents.get(set.agentId());
        if (agent != null) {
            agent.presence = set.presence();
            agent.reason = set.reason();
            agent.heard = true;
            if (agent.connections == 0 && set.presence() != Presence.AWAY) {
                localAgents.remove(set.agentId());
            }
        }
    }

    /**
     * The router told an agent's presence: away, to an agent who connected here and has heard of no change
     * since, is the away it kept across their reload (which reached this node, not the one that knew): kept
     * here too, for a later owner's roster. A change heard since is newer than any such telling.
     */
    private void told(RoutingOutput output) {
        if (output instanceof RoutingOutput.PresenceTold told && told.presence() == Presence.AWAY) {
            LocalAgent agent = localAgents.get(told.agentId());
            if (agent != null && !agent.heard && agent.connections > 0) {
                agent.presence = Presence.AWAY;
                agent.reason = told.reason();
            }
        }
    }

    /** A node stopped sending heartbeats: as the owner, its agents' connections count as closed. */
    void nodeGone(String node) {
        awayGoneByNode.remove(node);
        Map<String, Integer> agents = connectionsByNode.remove(node);
        if (acting == null || agents == null) {
            return;
        }
        agents.forEach((agentId, connections) -> {
            for (int i = 0; i < connections; i++) {
                feed(new ChatEvent.AgentDisconnected(agentId));
            }
        });
    }

    /** A new owner asked: this node's agents and their connections, and the away ones it keeps without one. */
    void announceRoster() {
        fanout.publishRoster(new Roster(localAgents.values().stream().map(agent -> new Roster.Entry(
                agent.connected.agent(), agent.connected.cap(), agent.presence, agent.connections, agent.reason))
                .toList()));
    }

    /**
     * As the owner: what {@code node} says is connected there replaces what was counted for it; only the
     * difference reaches the router, so a roster told twice withdraws no offer.
     */
    void roster(Roster roster, String node) {
        if (acting == null) {
            return;
        }
        Map<String, Integer> before = connectionsByNode.getOrDefault(node, Map.of());
        Set<String> awayGoneBefore = awayGoneByNode.getOrDefault(node, Set.of());
        Map<String, Integer> now = new HashMap<>();
        Set<String> awayGone = new HashSet<>();
        for (Roster.Entry entry : roster.agents()) {
            String id = entry.agent().id();
            now.put(id, entry.connections());
            int had = before.getOrDefault(id, 0);
            for (int i = had; i < entry.connections(); i++) {
                feed(new ChatEvent.AgentConnected(entry.agent(), entry.cap(), entry.presence()));
            }
            for (int i = entry.connections(); i < had; i++) {
                feed(new ChatEvent.AgentDisconnected(id));
            }
            if (entry.connections() == 0) {
                // Away, their last connection there closed within the grace period: a reload may bring them
                // back on any node, as a fresh connection that knows nothing of the away.
                awayGone.add(id);
                if (had == 0 && !awayGoneBefore.contains(id)) {
                    awayWithoutConnection(entry.agent(), entry.cap(), entry.presence(), entry.reason());
                }
            } else if (had == 0 && entry.presence() != Presence.ONLINE) {
                feed(new ChatEvent.PresenceSet(id, entry.presence(), entry.reason()));
            }
        }
        before.forEach((id, had) -> {
            if (!now.containsKey(id)) {
                for (int i = 0; i < had; i++) {
                    feed(new ChatEvent.AgentDisconnected(id));
                }
            }
        });
        connectionsByNode.put(node, now);
        awayGoneByNode.put(node, awayGone);
        if (rostersAwaited != null && rostersAwaited.remove(node) && rostersAwaited.isEmpty()) {
            releaseHeld();
        }
    }

    /** Every roster is in (or the wait is over): what the router decided meanwhile goes out, its latest word each. */
    private void releaseHeld() {
        rostersAwaited = null;
        List<RoutingOutput> held = new java.util.ArrayList<>(presenceHeld.values());
        held.addAll(offersHeld.values());
        presenceHeld.clear();
        offersHeld.clear();
        held.forEach(this::broadcast);
    }

    /** The owner's router's decision: carried out here, and published to every node. */
    private void broadcast(RoutingOutput output) {
        told(output);
        output.applyTo(local);
        fanout.publishRoutingOutput(output);
    }

    /** The owner decided something: carried out for this node's connections. */
    void apply(RoutingOutput output) {
        told(output);
        output.applyTo(local);
    }

    /** As the new owner: this node's own agents, as they announced themselves when they connected. */
    private void announceHere(LocalAgent agent) {
        if (agent.connections == 0) {
            awayWithoutConnection(agent.connected.agent(), agent.connected.cap(), agent.presence, agent.reason);
            return;
        }
        for (int i = 0; i < agent.connections; i++) {
            feed(new ChatEvent.AgentConnected(agent.connected.agent(), agent.connected.cap(), agent.presence));
        }
        if (agent.presence != Presence.ONLINE) {
            feed(new ChatEvent.PresenceSet(agent.connected.agent().id(), agent.presence, agent.reason));
        }
    }

    /**
     * An away agent with no connection (on that node): the router gets them as after a disconnect, away, so the
     * grace period runs and a reconnect anywhere finds them away; the presence set last, as a connection
     * elsewhere may have told the router they are online (a fresh connection's default) and for the reason.
     */
    private void awayWithoutConnection(dev.sodam.server.model.Agent agent, int cap, Presence presence, String reason) {
        feed(new ChatEvent.AgentConnected(agent, cap, presence));
        feed(new ChatEvent.AgentDisconnected(agent.id()));
        feed(new ChatEvent.PresenceSet(agent.id(), presence, reason));
    }

    private void feed(ChatEvent event) {
        if (acting != null) {
            acting.publish(event);
        }
    }

    /** The owner's router's actions: published to every node, carried out here too; a requeue only here. */
    private final class Broadcast implements RoutingActions {
        private void both(RoutingOutput output) {
            broadcast(output);
        }

        @Override
        public void offer(String agentId, Conversation conversation, int queuePosition, Instant expiresAt) {
            RoutingOutput offer = new RoutingOutput.Offer(agentId, conversation, queuePosition, expiresAt);
            if (rostersAwaited != null) {
                offersHeld.put(conversation.id(), offer);
            } else {
                both(offer);
            }
        }

        @Override
        public void offerWithdrawn(String agentId, String conversationId, String reason) {
            if (rostersAwaited != null && offersHeld.get(conversationId) instanceof RoutingOutput.Offer held
                    && held.agentId().equals(agentId)) {
                // Never sent: nothing to withdraw.
                offersHeld.remove(conversationId);
                return;
            }
            both(new RoutingOutput.OfferWithdrawn(agentId, conversationId, reason));
        }

        @Override
        public void presence(String agentId, String agentName, Presence presence, int load, int cap, String reason) {
            RoutingOutput told = new RoutingOutput.PresenceTold(agentId, agentName, presence, load, cap, reason);
            if (rostersAwaited != null) {
                presenceHeld.remove(agentId);
                presenceHeld.put(agentId, told);
            } else {
                both(told);
            }
        }

        /** Here with the conversations as the router has them; to the other nodes only their ids and visitors. */
        @Override
        public void queueStatus(List<Conversation> queue, List<Integer> etaSeconds) {
            local.queueStatus(queue, etaSeconds);
            fanout.publishRoutingOutput(RoutingOutput.QueueStatus.of(queue, etaSeconds));
        }

        @Override
        public void unplaced(Conversation conversation, int attempts) {
            both(new RoutingOutput.Unplaced(conversation, attempts));
        }

        @Override
        public void requeue(String agentId) {
            local.requeue(agentId);
        }

        /**
         * Like a requeue, a committed change this node makes itself: its PresenceSet reaches the router here
         * and, as a routing input, the agent's own node, which keeps it for the next owner's roster.
         */
        @Override
        public void awayForMissedOffers(String agentId, int missed) {
            local.awayForMissedOffers(agentId, missed);
        }
    }
}
