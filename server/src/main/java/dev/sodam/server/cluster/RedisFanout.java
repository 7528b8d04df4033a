package dev.sodam.server.cluster;

import dev.sodam.server.config.ClusterSettings;
import dev.sodam.server.config.ConfigException;
import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.Replies;
import dev.sodam.server.delivery.DeliveryListener;
import dev.sodam.server.delivery.Session;
import dev.sodam.server.delivery.SessionRegistry;
import dev.sodam.server.event.ChatEvent;
import dev.sodam.server.event.ChatEventListener;
import dev.sodam.server.faq.BotPeers;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.Message;
import dev.sodam.server.model.ConversationState;
import dev.sodam.server.auth.AccessPeers;
import dev.sodam.server.auth.Principal;
import dev.sodam.server.store.StoreTx;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live fan-out between the nodes of one installation over Redis pub/sub (Lettuce).
 *
 * <p>As the last-but-one bus listener it publishes every committed event that other nodes' connections
 * need (what {@link EventCodec} relays); what arrives from other nodes is handed to the domain thread and
 * to the same {@link DeliveryListener} as this node's own events, so the rules of who gets what stay in one
 * place, and delivery happens in the domain thread's order relative to a resuming connection's replay.
 *
 * <p>Pub/sub is at-most-once: a subscriber that loses its connection misses what was published meanwhile,
 * and a node killed between its commit and its publish never publishes. Neither may cost a message, so the
 * store is the truth and pub/sub only the fast path: a connection that sees a seq above the next one is
 * first sent the stored messages in between (the delivery listener's gap fill); after this node's
 * subscription comes back, and when another node stops sending heartbeats (it died or lost Redis), every
 * local connection is caught up from the store: the messages after the last seq it was sent and the
 * current state of the conversations that changed. A connection never gets one seq twice
 * ({@link Session#markSent}).
 *
 * <p>It carries revocations ({@link AccessPeers}): tokens that stopped working on one node are forgotten and
 * their connections closed on every node at once; a catch-up checks cached tokens and live connections
 * against the store, in case a revocation was lost.
 *
 * <p>It also carries notices that the bot's inputs changed ({@link BotPeers}): a node that committed an FAQ
 * change or saved thresholds says so, and the others read them from the store. A catch-up also checks
 * the bot against the store, as a notice may have been lost like any event.
 */
public final class RedisFanout implements ChatEventListener, BotPeers, AccessPeers, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisFanout.class);
    /** How often a node says it is alive, and how long a silent node is given before it counts as gone. */
    static final Duration HEARTBEAT = Duration.ofSeconds(1);
    static final Duration SILENT_AFTER = Duration.ofSeconds(4);
    /** Publishes kept while Redis is away; beyond that they fail and the other nodes catch up from the store. */
    private static final int QUEUED_WHILE_DISCONNECTED = 100_000;

    private final String node = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final String channel;
    private final ConversationService service;
    private final DeliveryListener delivery;
    private final SessionRegistry sessions;
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> publisher;
    private final StatefulRedisPubSubConnection<String, String> subscriber;
    private final ScheduledExecutorService timer;
    /** Events from other nodes waiting for the domain thread, and whether a hand-over is queued there. */
    private final Queue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean handOverQueued = new AtomicBoolean();
    /** On the domain thread: the inbox waits while the queue is read from the store (see {@link #receiveQueue}). */
    private boolean inboxPaused;
    /** The queue's changes, as sent and as heard (domain thread). */
    private final QueueRelay queueRelay = new QueueRelay();
    /** Other nodes by id, with when (nanoTime) each was last heard. */
    private final Map<String, Long> heard = new ConcurrentHashMap<>();
    private final AtomicBoolean subscribedOnce = new AtomicBoolean();
    /** When the subscription was lost (epoch ms), 0 while it is up. */
    private final AtomicLong lostAt = new AtomicLong();
    private final AtomicLong publishFailures = new AtomicLong();
    private final AtomicLong catchUps = new AtomicLong();
    private final AtomicLong queueReads = new AtomicLong();
    private volatile boolean closing;
    /** Routing across nodes; null while only delivery is fanned out (tests of fan-out alone). */
    private volatile RoutingOwner routing;
    /** What this node does with another node's bot notice, and on a catch-up; none until {@link #followBotChanges}. */
    private volatile Consumer<BotPeers.Change> botChanged = change -> { };
    private volatile Runnable botCatchUp = () -> { };
    /** What this node does with another node's revocation, and on a catch-up; none until {@link #followAccessChanges}. */
    private volatile AccessPeers accessRevoked = AccessPeers.NONE;
    private volatile Runnable accessCatchUp = () -> { };

    private RedisFanout(ClusterSettings settings, String channel, ConversationService service,
                        DeliveryListener delivery, SessionRegistry sessions) {
        this.channel = channel;
        this.service = service;
        this.delivery = delivery;
        this.sessions = sessions;
        this.resources = ClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                // Reconnect fast: every second without the subscription is a second of catch-up.
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .build();
        RedisURI uri;
        try {
            uri = RedisURI.create(settings.redisUrl());
        } catch (RuntimeException e) {
            resources.shutdown();
            throw new ConfigException("cluster.redis.url (SODAM_CLUSTER_REDIS_URL) is not a usable Redis URL: " + e.getMessage());
        }
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder().autoReconnect(true).requestQueueSize(QUEUED_WHILE_DISCONNECTED)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS).build());
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sodam-cluster");
            thread.setDaemon(true);
            return thread;
        });
        try {
            // Named connections, so an operator (or a test) finds this node's in CLIENT LIST.
            this.publisher = client.connect(StringCodec.UTF8, RedisURI.builder(uri).withClientName("sodam-" + node + "-pub").build());
            this.subscriber = client.connectPubSub(StringCodec.UTF8,
                    RedisURI.builder(uri).withClientName("sodam-" + node + "-sub").build());
        } catch (RuntimeException e) {
            close();
            throw new ConfigException("cluster.redis.url (SODAM_CLUSTER_REDIS_URL): cannot reach Redis at "
                    + redacted(settings.redisUrl()) + ": " + e.getMessage());
        }
        subscriber.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String from, String json) {
                received(json);
            }

            @Override
            public void subscribed(String to, long count) {
                onSubscribed();
            }
        });
        subscriber.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                if (closing) {
                    return;
                }
                lostAt.compareAndSet(0, System.currentTimeMillis());
                log.warn("cluster: lost the Redis subscription; reconnecting, then catching up from the store");
            }

            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
                // Catch-up waits for the resubscription itself (onSubscribed): before it, events still go missing.
            }
        });
    }

    /**
     * Connects to Redis and subscribes; start-up stops with a {@link ConfigException} naming
     * {@code cluster.redis.url} when Redis cannot be reached.
     *
     * @param databaseUrl the shared store's JDBC URL: the channel is named after its database, so installations
     *                    sharing one Redis never hear each other
     */
    public static RedisFanout start(ClusterSettings settings, String databaseUrl, ConversationService service,
                                    DeliveryListener delivery, SessionRegistry sessions) {
        RedisFanout fanout = new RedisFanout(settings, channelFor(databaseUrl), service, delivery, sessions);
        try {
            fanout.subscriber.sync().subscribe(fanout.channel);
        } catch (RuntimeException e) {
            fanout.close();
            throw new ConfigException("cluster.redis.url (SODAM_CLUSTER_REDIS_URL): subscribing at "
                    + redacted(settings.redisUrl()) + " failed: " + e.getMessage());
        }
        fanout.timer.scheduleAtFixedRate(fanout::beat, 0, HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
        log.info("cluster: node {} fans out over Redis {} on channel {}", fanout.node, redacted(settings.redisUrl()),
                fanout.channel);
        return fanout;
    }

    /** {@code sodam:<database>:events}, from {@code jdbc:postgresql://host:port/<database>?…}. */
    static String channelFor(String databaseUrl) {
        String path = databaseUrl.substring(databaseUrl.indexOf("//") + 2);
        int slash = path.indexOf('/');
        String database = slash < 0 ? "" : path.substring(slash + 1);
        int query = database.indexOf('?');
        database = query < 0 ? database : database.substring(0, query);
        return "sodam:" + (database.isEmpty() ? "default" : database) + ":events";
    }

    /**
     * Routes with {@code owner}: this node's agents' connection events go to the routing owner, the owner's
     * decisions come back; the lock is checked every second.
     */
    public void routeWith(RoutingOwner owner) {
        owner.attach(this);
        this.routing = owner;
        timer.scheduleWithFixedDelay(() -> {
            try {
                owner.checkOwnership();
            } catch (RuntimeException e) {
                log.warn("cluster: checking the routing lock failed: {}", e.toString());
            }
        }, 0, HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Hands other nodes' bot notices to {@code changed}, and asks {@code catchUp} to compare the bot with the
     * store whenever this node catches up (its subscription came back, another node went silent). Both are
     * called on Redis or timer threads: they must hand blocking work to an executor.
     */
    public void followBotChanges(Consumer<BotPeers.Change> changed, Runnable catchUp) {
        this.botChanged = changed;
        this.botCatchUp = catchUp;
    }

    /**
     * Hands other nodes' revocations to {@code revoked}, and asks {@code catchUp} to check this node's cached
     * tokens and live connections against the store whenever this node catches up (a revocation may have been
     * lost like any event). Both are called on Redis or timer threads: they must hand blocking work to an executor.
     */
    public void followAccessChanges(AccessPeers revoked, Runnable catchUp) {
        this.accessRevoked = revoked;
        this.accessCatchUp = catchUp;
    }

    /** Tells the other nodes that tokens stopped working (after the commit). */
    @Override
    public void revoked(String agentId, Set<String> tokenHashes, String reason) {
        publish(EventCodec.encode(node, new EventCodec.Revocation(agentId, tokenHashes, reason)));
    }

    /** Tells the other nodes that the bot's inputs changed (after the commit). */
    @Override
    public void changed(BotPeers.Change change) {
        publish(EventCodec.botChanged(node, change));
    }

        /** This node's id on the channel (also in its Redis client names, {@code sodam-<id>-sub}). */
    public String nodeId() {
        return node;
    }

    /** Whether this node runs routing for the cluster now (holds the routing lock). */
    public boolean ownsRouting() {
        RoutingOwner owner = routing;
        return owner != null && owner.owns();
    }

    /** How many other nodes this node hears now (their heartbeats arrive). */
    public int nodesHeard() {
        return heard.size();
    }

    /** How many times this node, routing, read the queue from the store because a queue change was lost. */
    public long queueReads() {
        return queueReads.get();
    }

    /** The other nodes heard within {@code within} (their heartbeat comes every {@link #HEARTBEAT}). */
    Set<String> nodesHeardWithin(Duration within) {
        long since = System.nanoTime() - within.toNanos();
        Set<String> nodes = new HashSet<>();
        heard.forEach((node, at) -> {
            if (at - since > 0) {
                nodes.add(node);
            }
        });
        return nodes;
    }

    /** How many times this node caught its connections up from the store. */
    public long catchUps() {
        return catchUps.get();
    }

    // ------------------------------------------------------------------ out

    @Override
    public void on(ChatEvent event) {
        if (event instanceof ChatEvent.QueueChanged || EventCodec.relayed(event)
                || routing != null && EventCodec.routingInput(event)) {
            publish(event);
        }
    }

    void publishRoutingOutput(RoutingOutput output) {
        publish(EventCodec.encode(node, output));
    }

    void publishRosterRequest() {
        publish(EventCodec.rosterRequest(node));
    }

    void publishRoster(Roster roster) {
        publish(EventCodec.encode(node, roster));
    }

    private void publish(ChatEvent event) {
        String json;
        try {
            // A queue change travels as an order (QueueRelay); one that fails to encode leaves a gap in the
            // numbers, and the routing node reads the queue from the store.
            json = event instanceof ChatEvent.QueueChanged changed ? EventCodec.encode(node, queueRelay.next(changed.queue()))
                    : EventCodec.encode(node, event);
        } catch (IllegalArgumentException e) {
            log.error("cluster: cannot encode {}; other nodes catch up from the store", event.getClass().getSimpleName(), e);
            return;
        }
        publish(json);
    }

    private void publish(String json) {
        // Asynchronous: the domain thread never waits for Redis. While Redis is away the command waits in
        // Lettuce's queue; should it fail, the other nodes notice the silence and catch up from the store.
        publisher.async().publish(channel, json).exceptionally(failure -> {
            if (!closing && publishFailures.getAndIncrement() % 1000 == 0) {
                log.warn("cluster: publishing to Redis failed ({} so far): {}", publishFailures.get(), failure.toString());
            }
            return null;
        });
    }

    private void beat() {
        try {
            publisher.async().publish(channel, EventCodec.heartbeat(node));
            long now = System.nanoTime();
            for (Map.Entry<String, Long> other : heard.entrySet()) {
                if (now - other.getValue() > SILENT_AFTER.toNanos() && heard.remove(other.getKey(), other.getValue())) {
                    log.warn("cluster: node {} went silent; catching up from the store what it may not have published",
                            other.getKey());
                    RoutingOwner owner = routing;
                    String gone = other.getKey();
                    handOver(() -> {
                        queueRelay.forget(gone);
                        if (owner != null) {
                            owner.nodeGone(gone);
                        }
                    });
                    catchUp(Instant.now().minus(SILENT_AFTER).minusSeconds(2), "node " + other.getKey() + " went silent");
                }
            }
        } catch (RuntimeException e) {
            log.warn("cluster: heartbeat failed: {}", e.toString());
        }
    }

    // ------------------------------------------------------------------ in

    private void received(String json) {
        if (EventCodec.sentBy(node, json)) {
            return;
        }
        EventCodec.Envelope envelope;
        try {
            envelope = EventCodec.decode(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            log.warn("cluster: ignoring what arrived on {}: {}", channel, e.getMessage());
            return;
        }
        if (envelope.node().equals(node)) {
            return;
        }
        Long before = heard.put(envelope.node(), System.nanoTime());
        RoutingOwner owner = routing;
        if (before == null) {
            log.info("cluster: hearing node {}", envelope.node());
            if (owner != null && owner.owns()) {
                // A new node, or one back after silence (its agents were counted as gone): the owner asks again.
                publishRosterRequest();
            }
        }
        String from = envelope.node();
        if (envelope.roster() != null) {
            if (owner != null) {
                handOver(() -> owner.roster(envelope.roster(), from));
            }
        } else if (envelope.output() != null) {
            if (owner != null) {
                handOver(() -> owner.apply(envelope.output()));
            }
        } else if (envelope.queue() != null) {
            handOver(() -> receiveQueue(envelope.queue(), from));
        } else if (envelope.revocation() != null) {
            EventCodec.Revocation revocation = envelope.revocation();
            accessRevoked.revoked(revocation.agentId(), revocation.tokenHashes(), revocation.reason());
        } else if (EventCodec.FAQ_CHANGED.equals(envelope.type())) {
            botChanged.accept(BotPeers.Change.FAQ);
        } else if (EventCodec.THRESHOLDS_CHANGED.equals(envelope.type())) {
            botChanged.accept(BotPeers.Change.THRESHOLDS);
        } else if (EventCodec.ROSTER_REQUEST.equals(envelope.type())) {
            if (owner != null) {
                handOver(owner::announceRoster);
            }
        } else if (envelope.event() != null && envelope.routingInput()) {
            if (owner != null) {
                handOver(() -> owner.remote(envelope.event(), from));
            }
        } else if (envelope.event() != null) {
            handOver(() -> deliver(envelope.event(), from));
        }
    }

    /** Runs {@code work} on the domain thread, after whatever arrived before it. */
    private void handOver(Runnable work) {
        inbox.add(work);
        if (handOverQueued.compareAndSet(false, true)) {
            // One hand-over carries every event that arrived until it runs: one slot in a batch, not one per event.
            service.execute(tx -> null, Replies.of(v -> deliverInbox(), e -> {
                handOverQueued.set(false);
                log.warn("cluster: could not deliver events from other nodes: {}", e.getMessage());
            }));
        }
    }

    /** On the domain thread: this node's connections get the other nodes' events, in arrival order. */
    private void deliverInbox() {
        handOverQueued.set(false);
        for (Runnable work = inboxPaused ? null : inbox.poll(); work != null; work = inboxPaused ? null : inbox.poll()) {
            try {
                work.run();
            } catch (RuntimeException e) {
                log.error("cluster: handling what another node sent failed", e);
            }
        }
    }

    /**
     * On the domain thread: another node's queue change, to this node's delivery and (as the routing owner) its
     * router. When the order cannot be told from what arrived before (one was lost), the router gets the
     * queue read from the store, and what arrived after the order waits for it, so nothing overtakes it.
     */
    private void receiveQueue(QueueRelay.Order order, String from) {
        List<Conversation> queue = queueRelay.received(from, order);
        RoutingOwner owner = routing;
        if (queue != null || owner == null || !owner.routesHere()) {
            deliver(new ChatEvent.QueueChanged(queue != null ? queue : QueueRelay.places(order.ids())), from);
            return;
        }
        inboxPaused = true;
        queueReads.incrementAndGet();
        service.execute(StoreTx::queue, Replies.of(stored -> {
            queueRelay.resynced(stored);
            deliver(new ChatEvent.QueueChanged(stored), from);
            resumeInbox();
        }, e -> {
            log.warn("cluster: reading the queue after a lost queue change failed ({}); the next change reads it again",
                    e.getMessage());
            resumeInbox();
        }));
    }

    /** On the domain thread: another node's event, to this node's delivery and to routing. */
    private void deliver(ChatEvent event, String from) {
        delivery.on(event);
        RoutingOwner owner = routing;
        if (owner != null) {
            owner.remote(event, from);
        }
    }

    private void resumeInbox() {
        inboxPaused = false;
        deliverInbox();
    }

    private void onSubscribed() {
        if (!subscribedOnce.compareAndSet(false, true)) {
            long since = lostAt.getAndSet(0);
            log.info("cluster: subscribed to {} again; catching up from the store", channel);
            RoutingOwner owner = routing;
            if (owner != null) {
                // The routing owner may have counted this node's agents as gone meanwhile: tell it who is here.
                handOver(owner::announceRoster);
            }
            // Events of the second before the loss may have been in flight too.
            catchUp(Instant.ofEpochMilli(since == 0 ? System.currentTimeMillis() : since).minusSeconds(2),
                    "the Redis subscription came back");
        }
    }

    // ------------------------------------------------------------------ catch-up

    /** A conversation to bring up to date: the stored messages after the lowest seq a local connection has. */
    private record Behind(Conversation conversation, List<Message> missed, int queuePosition) {
    }

    /**
     * Reads what this node's connections may have missed since {@code since} and delivers it, both on the
     * domain thread: a later event delivered before the read would otherwise be overtaken by the older state
     * read here. What was delivered before is not sent again.
     */
    private void catchUp(Instant since, String why) {
        try {
            botCatchUp.run();
        } catch (RuntimeException e) {
            log.warn("cluster: checking the bot against the store failed: {}", e.toString());
        }
        try {
            accessCatchUp.run();
        } catch (RuntimeException e) {
            log.warn("cluster: checking sessions against the store failed: {}", e.toString());
        }
        service.execute(tx -> readBehind(tx, since), Replies.of(behind -> {
            catchUps.incrementAndGet();
            log.info("cluster: caught up {} conversation(s) because {}", behind.size(), why);
            behind.forEach(b -> delivery.catchUp(b.conversation(), b.missed(), b.queuePosition()));
        }, e -> {
            log.warn("cluster: catch-up failed ({}); trying again in a second", e.getMessage());
            if (!timer.isShutdown()) {
                timer.schedule(() -> catchUp(since, why), 1, TimeUnit.SECONDS);
            }
        }));
    }

    private List<Behind> readBehind(StoreTx tx, Instant since) {
        Map<String, Long> lowest = new HashMap<>();
        Set<String> visitors = new HashSet<>();
        Set<String> agents = new HashSet<>();
        for (Session s : sessions.allVisitors()) {
            visitors.add(((Principal.VisitorPrincipal) s.principal()).visitor().id());
            s.sentSeqs().forEach((id, seq) -> lowest.merge(id, seq, Math::min));
        }
        for (Session s : sessions.allAgents()) {
            agents.add(((Principal.AgentPrincipal) s.principal()).agent().id());
            s.sentSeqs().forEach((id, seq) -> lowest.merge(id, seq, Math::min));
        }
        if (visitors.isEmpty() && agents.isEmpty()) {
            return List.of();
        }
        {
            Map<String, Conversation> candidates = new LinkedHashMap<>();
            List<Conversation> queue = tx.queue();
            queue.forEach(c -> candidates.put(c.id(), c));
            for (String visitor : visitors) {
                tx.openConversationOf(visitor).ifPresent(c -> candidates.putIfAbsent(c.id(), c));
            }
            for (String agent : agents) {
                tx.assignedTo(agent).forEach(c -> candidates.putIfAbsent(c.id(), c));
            }
            for (String id : lowest.keySet()) {
                if (!candidates.containsKey(id)) {
                    tx.conversation(id).ifPresent(c -> candidates.put(id, c));
                }
            }
            List<Behind> out = new ArrayList<>();
            for (Conversation c : candidates.values()) {
                Long after = lowest.get(c.id());
                List<Message> missed = after != null && c.lastSeq() > after
                        ? tx.messagesAfter(c.id(), after, ConversationService.MAX_REPLAY) : List.of();
                boolean changed = c.updatedAt() != null && !c.updatedAt().isBefore(since);
                if (!missed.isEmpty() || changed) {
                    int position = c.state() == ConversationState.QUEUED ? queue.indexOf(c) + 1 : 0;
                    out.add(new Behind(c, missed, position));
                }
            }
            return out;
        }
    }

    // ------------------------------------------------------------------

    private static String redacted(String url) {
        return url.replaceAll("//[^@/]*@", "//***@");
    }

    @Override
    public void close() {
        closing = true;
        timer.shutdownNow();
        RoutingOwner owner = routing;
        if (owner != null) {
            owner.close();
        }
        try {
            if (subscriber != null) {
                subscriber.close();
            }
            if (publisher != null) {
                publisher.close();
            }
        } catch (RuntimeException e) {
            log.debug("cluster: closing the Redis connections: {}", e.toString());
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
