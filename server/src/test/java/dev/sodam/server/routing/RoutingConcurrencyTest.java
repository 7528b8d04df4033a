package dev.sodam.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.server.auth.Principal.AgentPrincipal;
import dev.sodam.server.auth.Principal.VisitorPrincipal;
import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.Replies;
import dev.sodam.server.conversation.Results;
import dev.sodam.server.event.ChatEvent;
import dev.sodam.server.event.ChatEvent.HandoffReason;
import dev.sodam.server.event.ChatEvent.Presence;
import dev.sodam.server.event.EventBus;
import dev.sodam.server.model.Agent;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.ConversationState;
import dev.sodam.server.model.Site;
import dev.sodam.server.store.SqliteStore;
import dev.sodam.server.testing.MutableClock;
import dev.sodam.server.util.Ids;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 200 handoffs at the same instant while 10 agents with a limit of 3 go online and away at random
 * and accept every offer from their own threads. A monitor replays the committed events: no agent
 * ever holds more than 3 conversations, no conversation is ever held by two agents, and once the
 * agents work through the queue every conversation is served — none lost.
 */
class RoutingConcurrencyTest {
    private static final int HANDOFFS = 200;
    private static final int AGENTS = 10;
    private static final int CAP = 3;

    @TempDir
    Path dir;

    /** Replays committed events on the domain thread: who holds what, and the worst seen. */
    static final class Monitor implements dev.sodam.server.event.ChatEventListener {
        final Map<String, String> holder = new HashMap<>();
        final Map<String, Integer> held = new HashMap<>();
        int maxHeld;
        final List<String> violations = new ArrayList<>();
        int served;

        @Override
        public void on(ChatEvent event) {
            if (event instanceof ChatEvent.ConversationAssigned assigned) {
                Conversation c = assigned.conversation();
                String before = holder.put(c.id(), c.agentId());
                if (before != null) {
                    violations.add(c.id() + " assigned to " + c.agentId() + " while held by " + before);
                }
                int now = held.merge(c.agentId(), 1, Integer::sum);
                maxHeld = Math.max(maxHeld, now);
            } else if (event instanceof ChatEvent.ConversationsRequeued requeued) {
                for (Conversation c : requeued.conversations()) {
                    release(c.id());
                }
            } else if (event instanceof ChatEvent.ConversationResolved resolved) {
                if (release(resolved.conversation().id())) {
                    served++;
                }
            }
        }

        private boolean release(String conversationId) {
            String agent = holder.remove(conversationId);
            if (agent != null) {
                held.merge(agent, -1, Integer::sum);
                return true;
            }
            return false;
        }
    }

    @Test
    void theCapHoldsNothingIsAssignedTwiceAndNothingIsLost() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
        RoutingSettings settings = new RoutingSettings(CAP, Duration.ofSeconds(30), 3, Duration.ofSeconds(20));
        ExecutorService agentThreads = Executors.newFixedThreadPool(4);
        try (SqliteStore store = SqliteStore.open(dir)) {
            EventBus bus = new EventBus();
            ConversationService service = new ConversationService(store, bus, clock, new Ids(clock), settings);
            Monitor monitor = new Monitor();
            bus.subscribe(monitor);
            Map<String, AgentPrincipal> agents = new HashMap<>();
            RoutingActions actions = new RoutingActions() {
                @Override
                public void offer(String agentId, Conversation conversation, int position, Instant expiresAt) {
                    // Each agent's console accepts from its own thread, racing everything else.
                    agentThreads.execute(() -> service.accept(agents.get(agentId), conversation.id(),
                            Replies.of(c -> { }, e -> { })));
                }

                @Override
                public void offerWithdrawn(String agentId, String conversationId, String reason) {
                }

                @Override
                public void presence(String agentId, String name, Presence presence, int load, int cap, String reason) {
                }

                @Override
                public void queueStatus(List<Conversation> queue, List<Integer> etaSeconds) {
                }

                @Override
                public void unplaced(Conversation conversation, int attempts) {
                }

                @Override
                public void requeue(String agentId) {
                    service.requeueAgent(agentId, Replies.of(r -> { }, e -> { }));
                }

                @Override
                public void awayForMissedOffers(String agentId, int missed) {
                    service.setPresence(agentId, Presence.AWAY, dev.sodam.server.event.ChatEvent.PresenceSet.MISSED_OFFERS,
                            Replies.of(p -> { }, e -> { }));
                }
            };
            bus.subscribe(new Router(settings, actions, clock));

            List<VisitorPrincipal> visitors = new ArrayList<>();
            List<String> conversations = new ArrayList<>();
            Replies.<Void>future(r -> service.execute(tx -> {
                tx.insertSite(new Site("demo", "demo", List.of(Site.SELF)));
                for (int i = 0; i < AGENTS; i++) {
                    tx.insertAgent(new Agent("ag_" + i, "a" + i + "@sodam.test", "agent " + i, Agent.Role.AGENT, "x",
                            clock.instant()));
                }
                return null;
            }, r)).join();
            for (int i = 0; i < AGENTS; i++) {
                Agent agent = store.read(tx -> tx.agent("ag_" + agents.size())).orElseThrow();
                agents.put(agent.id(), new AgentPrincipal(agent));
            }
            for (int i = 0; i < HANDOFFS; i++) {
                VisitorPrincipal visitor = new VisitorPrincipal(Replies.<Results.VisitorHello>future(r ->
                        service.helloVisitor("demo", null, "ko", null, 0, r)).join().visitor());
                visitors.add(visitor);
                conversations.add(Replies.<Results.Posted>future(r ->
                        service.post(visitor, null, "c", "사람 불러주세요", null, r)).join().conversation().id());
            }
            for (AgentPrincipal agent : agents.values()) {
                Replies.<Integer>future(r -> service.agentConnected(agent, r)).join();
            }

            // Everything at once: 200 handoffs, and every agent flipping between online and away.
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService racers = Executors.newFixedThreadPool(8);
            for (int i = 0; i < HANDOFFS; i++) {
                VisitorPrincipal visitor = visitors.get(i);
                String id = conversations.get(i);
                racers.execute(() -> {
                    await(start);
                    service.requestHandoff(visitor, id, HandoffReason.VISITOR_ASKED, Replies.of(c -> { }, e -> { }));
                });
            }
            Random random = new Random(42);
            for (AgentPrincipal agent : agents.values()) {
                long seed = random.nextLong();
                racers.execute(() -> {
                    await(start);
                    Random mine = new Random(seed);
                    for (int flip = 0; flip < 20; flip++) {
                        Presence presence = mine.nextInt(3) == 0 ? Presence.AWAY : Presence.ONLINE;
                        service.setPresence(agent, presence, Replies.of(p -> { }, e -> { }));
                    }
                });
            }
            start.countDown();
            racers.shutdown();
            assertThat(racers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

            // Then everyone online, and the agents work through the queue, resolving as they go.
            for (AgentPrincipal agent : agents.values()) {
                Replies.<Presence>future(r -> service.setPresence(agent, Presence.ONLINE, r)).join();
            }
            for (int round = 0; round < 200 && served(service, monitor) < HANDOFFS; round++) {
                settle(service, agentThreads);
                List<Conversation> assigned = store.read(tx -> tx.assigned());
                for (Conversation c : assigned) {
                    Replies.<Conversation>future(r -> service.resolve(agents.get(c.agentId()), c.id(), r)).join();
                }
                if (assigned.isEmpty()) {
                    // Offers that went stale while agents flipped presence: let them time out and move on.
                    clock.advance(Duration.ofSeconds(31));
                    service.tick();
                }
            }
            settle(service, agentThreads);

            Integer served = Replies.<Integer>future(r -> service.execute(tx -> monitor.served, r)).join();
            Integer maxHeld = Replies.<Integer>future(r -> service.execute(tx -> monitor.maxHeld, r)).join();
            List<String> violations = Replies.<List<String>>future(r ->
                    service.execute(tx -> List.copyOf(monitor.violations), r)).join();
            assertThat(violations).isEmpty();
            assertThat(maxHeld).isEqualTo(CAP);
            assertThat(served).isEqualTo(HANDOFFS);
            List<Conversation> open = store.read(tx -> tx.queue());
            assertThat(open).isEmpty();
            for (String id : conversations) {
                assertThat(store.read(tx -> tx.conversation(id)).orElseThrow().state()).isEqualTo(ConversationState.RESOLVED);
            }
            service.close();
        } finally {
            agentThreads.shutdownNow();
        }
    }

    /** The monitor lives on the domain thread; read it there. */
    private static int served(ConversationService service, Monitor monitor) {
        return Replies.<Integer>future(r -> service.execute(tx -> monitor.served, r)).join();
    }

    private static void settle(ConversationService service, ExecutorService agentThreads) throws Exception {
        for (int i = 0; i < 5; i++) {
            Replies.<Void>future(r -> service.execute(tx -> null, r)).join();
            // Accepts are submitted from the agents' threads; give them their turn before the next barrier.
            agentThreads.submit(() -> { }).get(10, TimeUnit.SECONDS);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
