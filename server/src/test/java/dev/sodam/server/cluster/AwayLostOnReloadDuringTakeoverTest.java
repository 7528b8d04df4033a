package dev.sodam.server.cluster;

import static dev.sodam.server.cluster.RoutingNodes.awaitRouting;
import static dev.sodam.server.cluster.RoutingNodes.handoff;
import static dev.sodam.server.cluster.RoutingNodes.owns;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.ClusterEnv;
import dev.sodam.server.testing.MutableClock;
import dev.sodam.server.testing.PostgresTestSupport;
import dev.sodam.server.testing.RedisTestSupport;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WsTestClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression of "Cluster: a reload during a routing takeover can lose an agent's away state". An agent who is
 * away (their own choice, or set away for missed offers) reloads the console (disconnect, reconnect) around the
 * time the routing owner dies and another node takes routing over. Nobody routes between the old owner's death
 * and the new owner's router hearing the rosters; the agent's away state then lived only in their node's list of
 * its connected agents, which forgot them on their last disconnect and counted the reconnect as a fresh, online
 * agent — so the new owner offered chats to someone who had said they were away.
 *
 * <p>The window is held open by the test itself: it waits for the routing lock (a blocking
 * {@code pg_advisory_lock}, queued before any node's {@code pg_try_advisory_lock}), so when the owner goes the
 * test holds routing and no node takes over until the test lets go.
 */
class AwayLostOnReloadDuringTakeoverTest {
    /** {@code PostgresAdvisoryLock.NAMESPACE} and the lock's name, as the nodes take it. */
    private static final int LOCK_NAMESPACE = 0x50DA;
    private static final int ROUTING_LOCK = "routing".hashCode();

    @TempDir
    Path dirA;
    @TempDir
    Path dirB;
    @TempDir
    Path dirC;

    private static boolean away(JsonNode presence, String agentId) {
        return presence.path("agent").path("id").asText().equals(agentId) && presence.path("status").asText().equals("away");
    }

    /**
     * The first presence the new router tells the reloaded console is away (and says why, when routing set it),
     * so is every later one, and no offer reaches the console for three seconds.
     */
    private static void staysAwayAndGetsNoOffer(WsTestClient console, String agentId, String reason) {
        JsonNode told = console.await("presence", p -> p.path("agent").path("id").asText().equals(agentId));
        assertThat(told.get("status").asText()).as("the new router has the reloaded agent away").isEqualTo("away");
        if (reason != null) {
            // ... and says why, as to the console that saw the change.
            console.await("presence", p -> away(p, agentId) && p.path("reason").asText().equals(reason));
        }
        Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() ->
                console.frames("offer").isEmpty() && console.frames("presence").stream()
                        .filter(p -> p.path("agent").path("id").asText().equals(agentId)).allMatch(p -> away(p, agentId)));
    }

    /**
     * Holds the routing lock for the test: queued behind the owner's, so it is the test's the moment the owner's
     * session ends, before any node's next try.
     */
    private static final class RoutingWindow implements AutoCloseable {
        private final Connection connection;
        private final CompletableFuture<Void> held;

        RoutingWindow(String db) throws SQLException {
            connection = PostgresTestSupport.connect(db);
            held = CompletableFuture.runAsync(() -> {
                try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_lock(?, ?)")) {
                    lock.setInt(1, LOCK_NAMESPACE);
                    lock.setInt(2, ROUTING_LOCK);
                    lock.executeQuery().close();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        void awaitHeld() throws Exception {
            held.get(20, TimeUnit.SECONDS);
        }

        /** Lets a node take routing over. */
        @Override
        public void close() throws SQLException {
            connection.close();
        }
    }

    /**
     * Set away for missed offers by the owner on node A, the agent on node B reloads while nobody routes: node B
     * takes over and must not bring them back online and offer them the chat they walked away from.
     */
    @Test
    void anAgentSetAwayForMissedOffersWhoReloadsWhileNobodyRoutesStaysAway() throws Exception {
        String db = PostgresTestSupport.createDatabase();
        String redis = RedisTestSupport.url();
        MutableClock clock = new MutableClock(Instant.now());
        try (RoutingNodes.Running running = new RoutingNodes.Running()) {
            TestServer a = running.add(TestServer.start(dirA, ClusterEnv.node(db, redis), clock));
            awaitRouting(a);
            TestServer b = running.add(TestServer.start(dirB, ClusterEnv.node(db, redis)));
            String token = b.loginAdmin();
            WsTestClient first = WsTestClient.connect(b.agentUri());
            WsTestClient reloaded = null;
            String agentId = first.helloAgent(token).get("agent").get("id").asText();
            try (WsTestClient visitor = WsTestClient.connect(a.visitorUri())) {
                visitor.helloVisitor(null, null, 0);
                String id = handoff(visitor, "v-1");
                first.await("offer", o -> o.get("conversationId").asText().equals(id));
                clock.advance(Duration.ofSeconds(30));
                first.await("offer", o -> first.frames("offer").indexOf(o) == 1);
                clock.advance(Duration.ofSeconds(30));
                first.await("presence", p -> away(p, agentId) && p.path("reason").asText().equals("missed_offers"));

                try (RoutingWindow window = new RoutingWindow(db)) {
                    running.stop(a);
                    window.awaitHeld();
                    assertThat(owns(b)).isFalse();
                    // The reload: the old console closes, a new one says hello, while nobody routes.
                    first.close();
                    reloaded = WsTestClient.connect(b.agentUri());
                    reloaded.helloAgent(token);
                }
                awaitRouting(b);
                staysAwayAndGetsNoOffer(reloaded, agentId, "missed_offers");
            } finally {
                first.close();
                if (reloaded != null) {
                    reloaded.close();
                }
            }
        }
    }

    /** Away by their own choice: the console closes while node A routes and opens again once node B routes. */
    @Test
    void anAgentAwayWhoseConsoleWasClosedAcrossTheTakeOverStaysAway() throws Exception {
        String db = PostgresTestSupport.createDatabase();
        String redis = RedisTestSupport.url();
        try (RoutingNodes.Running running = new RoutingNodes.Running()) {
            TestServer a = running.add(TestServer.start(dirA, ClusterEnv.node(db, redis)));
            awaitRouting(a);
            TestServer b = running.add(TestServer.start(dirB, ClusterEnv.node(db, redis)));
            String token = b.loginAdmin();
            String agentId;
            try (WsTestClient console = WsTestClient.connect(b.agentUri())) {
                agentId = console.helloAgent(token).get("agent").get("id").asText();
                console.send("{\"type\":\"presence\",\"status\":\"away\"}");
                console.await("presence", p -> away(p, agentId));
            }
            try (WsTestClient visitor = WsTestClient.connect(a.visitorUri())) {
                visitor.helloVisitor(null, null, 0);
                handoff(visitor, "v-1");
                running.stop(a);
                awaitRouting(b);
                try (WsTestClient console = WsTestClient.connect(b.agentUri())) {
                    console.helloAgent(token);
                    staysAwayAndGetsNoOffer(console, agentId, null);
                }
            }
        }
    }

    /**
     * Away by their own choice, reloaded while node A routes (A keeps them away), later node A goes: node B's
     * roster must say away, not what a fresh connection starts as.
     */
    @Test
    void anAgentAwayWhoReloadedBeforeTheTakeOverStaysAway() throws Exception {
        String db = PostgresTestSupport.createDatabase();
        String redis = RedisTestSupport.url();
        try (RoutingNodes.Running running = new RoutingNodes.Running()) {
            TestServer a = running.add(TestServer.start(dirA, ClusterEnv.node(db, redis)));
            awaitRouting(a);
            TestServer b = running.add(TestServer.start(dirB, ClusterEnv.node(db, redis)));
            String token = b.loginAdmin();
            String agentId;
            try (WsTestClient console = WsTestClient.connect(b.agentUri())) {
                agentId = console.helloAgent(token).get("agent").get("id").asText();
                console.send("{\"type\":\"presence\",\"status\":\"away\"}");
                console.await("presence", p -> away(p, agentId));
            }
            try (WsTestClient console = WsTestClient.connect(b.agentUri());
                 WsTestClient visitor = WsTestClient.connect(a.visitorUri())) {
                console.helloAgent(token);
                console.await("presence", p -> away(p, agentId));
                visitor.helloVisitor(null, null, 0);
                handoff(visitor, "v-1");
                int before = console.frames("presence").size();
                running.stop(a);
                awaitRouting(b);
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> console.frames("presence").size() > before);
                Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() ->
                        console.frames("offer").isEmpty() && console.frames("presence").stream()
                                .filter(p -> p.path("agent").path("id").asText().equals(agentId)).allMatch(p -> away(p, agentId)));
            }
        }
    }

    /**
     * The reload lands on another node (a load balancer without stickiness) while nobody routes: node C's fresh
     * connection knows nothing of the away, node B still remembers it for the grace period and says so.
     */
    @Test
    void anAgentAwayWhoReloadsOntoAnotherNodeWhileNobodyRoutesStaysAway() throws Exception {
        String db = PostgresTestSupport.createDatabase();
        String redis = RedisTestSupport.url();
        try (RoutingNodes.Running running = new RoutingNodes.Running()) {
            TestServer a = running.add(TestServer.start(dirA, ClusterEnv.node(db, redis)));
            awaitRouting(a);
            TestServer b = running.add(TestServer.start(dirB, ClusterEnv.node(db, redis)));
            TestServer c = running.add(TestServer.start(dirC, ClusterEnv.node(db, redis)));
            String token = b.loginAdmin();
            WsTestClient first = WsTestClient.connect(b.agentUri());
            WsTestClient reloaded = null;
            String agentId = first.helloAgent(token).get("agent").get("id").asText();
            first.send("{\"type\":\"presence\",\"status\":\"away\"}");
            first.await("presence", p -> away(p, agentId));
            try (WsTestClient visitor = WsTestClient.connect(c.visitorUri())) {
                visitor.helloVisitor(null, null, 0);
                handoff(visitor, "v-1");
                try (RoutingWindow window = new RoutingWindow(db)) {
                    running.stop(a);
                    window.awaitHeld();
                    first.close();
                    reloaded = WsTestClient.connect(c.agentUri());
                    reloaded.helloAgent(token);
                }
                awaitRouting(b, c);
                // Node C may take over first: its fresh connection counts as online until node B's roster says
                // away, and the new owner tells nothing and offers nothing until the rosters are in.
                staysAwayAndGetsNoOffer(reloaded, agentId, null);
            } finally {
                first.close();
                if (reloaded != null) {
                    reloaded.close();
                }
            }
        }
    }

    /**
     * The away agent's console opens on node C while node A routes (A keeps them away and tells C so), then the
     * node they chose away on goes, then node A: node C takes over with only what it learned from A's router.
     */
    @Test
    void anAgentAwayWhoseOtherNodeIsGoneStaysAwayWhenTheirNewNodeTakesOver() throws Exception {
        String db = PostgresTestSupport.createDatabase();
        String redis = RedisTestSupport.url();
        try (RoutingNodes.Running running = new RoutingNodes.Running()) {
            TestServer a = running.add(TestServer.start(dirA, ClusterEnv.node(db, redis)));
            awaitRouting(a);
            TestServer b = running.add(TestServer.start(dirB, ClusterEnv.node(db, redis)));
            TestServer c = running.add(TestServer.start(dirC, ClusterEnv.node(db, redis)));
            String token = b.loginAdmin();
            try (WsTestClient first = WsTestClient.connect(b.agentUri());
                 WsTestClient second = WsTestClient.connect(c.agentUri());
                 WsTestClient visitor = WsTestClient.connect(c.visitorUri())) {
                String agentId = first.helloAgent(token).get("agent").get("id").asText();
                first.send("{\"type\":\"presence\",\"status\":\"away\"}");
                first.await("presence", p -> away(p, agentId));
                second.helloAgent(token);
                second.await("presence", p -> away(p, agentId));
                visitor.helloVisitor(null, null, 0);
                handoff(visitor, "v-1");

                running.stop(b);
                int before = second.frames("presence").size();
                running.stop(a);
                awaitRouting(c);
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> second.frames("presence").size() > before);
                Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() ->
                        second.frames("offer").isEmpty() && second.frames("presence").stream()
                                .filter(p -> p.path("agent").path("id").asText().equals(agentId)).allMatch(p -> away(p, agentId)));
            }
        }
    }
}
