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
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routing with two real nodes on one PostgreSQL database and a real Redis: one node routes for both (the
 * holder of the routing lock), so a chat queued on one node is offered to an agent on the other; when the
 * routing node goes away the other takes over from the stored queue without requeueing anybody's chats;
 * and a hundred handoffs raced for by agents on both nodes never put more chats on an agent than their cap.
 */
class RoutingAcrossNodesTest {
    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    @Test
    void oneNodeRoutesForAllAndAnotherTakesOverWhenItGoes() throws Exception {
        String db = PostgresTestSupport.createDatabase();
        String redis = RedisTestSupport.url();
        try (RoutingNodes.Running running = new RoutingNodes.Running()) {
            TestServer a = running.add(TestServer.start(dirA, ClusterEnv.node(db, redis)));
            TestServer b = running.add(TestServer.start(dirB, ClusterEnv.node(db, redis)));
            awaitRouting(a, b);
            assertThat(owns(a) && owns(b)).as("one routing owner").isFalse();
            TestServer routing = owns(a) ? a : b;
            TestServer other = routing == a ? b : a;
            try (WsTestClient agent = WsTestClient.connect(other.agentUri())) {
                agent.helloAgent(other.loginAdmin());

                // A chat queued on the routing node is offered to the agent on the other node, who accepts it.
                String first;
                try (WsTestClient visitor = WsTestClient.connect(routing.visitorUri())) {
                    visitor.helloVisitor(null, null, 0);
                    first = handoff(visitor, "v-1");
                    JsonNode offer = agent.await("offer", o -> o.get("conversationId").asText().equals(first));
                    assertThat(offer.get("conversation").get("state").asText()).isEqualTo("queued");
                    agent.send("{\"type\":\"accept\",\"conversationId\":\"" + first + "\"}");
                    visitor.await("status", s -> s.get("state").asText().equals("assigned"));
                    agent.await("presence", p -> p.get("load").asInt() == 1);
                }

                // The routing node goes away; the other takes routing over from the stored queue.
                running.stop(routing);
                awaitRouting(other);
                try (WsTestClient visitor = WsTestClient.connect(other.visitorUri())) {
                    visitor.helloVisitor(null, null, 0);
                    String second = handoff(visitor, "v-2");
                    agent.await("offer", o -> o.get("conversationId").asText().equals(second));
                    JsonNode status = visitor.await("status", s -> s.get("state").asText().equals("queued")
                            && s.has("queuePosition"));
                    assertThat(status.get("queuePosition").asInt()).isEqualTo(1);
                }
                // The new owner knew the agent was connected: the accepted chat stays theirs.
                try (Connection sql = PostgresTestSupport.connect(db); Statement q = sql.createStatement();
                     ResultSet rs = q.executeQuery("SELECT state, agent_id FROM conversations WHERE id = '" + first + "'")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("ASSIGNED");
                }
            }
        }
    }

    @Test
    void aNodeHeardAgainAfterSilenceKeepsItsAgentsChats() throws Exception {
        String db = PostgresTestSupport.createDatabase();
        MutableClock clock = new MutableClock(Instant.now());
        try (RedisTestSupport.PrivateRedis redis = RedisTestSupport.startPrivate();
             TestServer a = TestServer.start(dirA, ClusterEnv.node(db, redis.url()), clock);
             TestServer b = TestServer.start(dirB, ClusterEnv.node(db, redis.url()));
             WsTestClient agent = WsTestClient.connect(b.agentUri());
             WsTestClient visitor = WsTestClient.connect(a.visitorUri())) {
            awaitRouting(a);
            agent.helloAgent(b.loginAdmin());
            visitor.helloVisitor(null, null, 0);
            String id = handoff(visitor, "v-1");
            agent.await("offer", o -> o.get("conversationId").asText().equals(id));
            agent.send("{\"type\":\"accept\",\"conversationId\":\"" + id + "\"}");
            visitor.await("status", s -> s.get("state").asText().equals("assigned"));

            // Redis goes away long enough for the routing node to count node B's agent as gone (grace starts) ...
            redis.stop();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> a.cluster().orElseThrow().nodesHeard() == 0);
            int presenceBefore = agent.frames("presence").size();
            redis.start();
            // ... and when B is heard again, it tells the owner its agent is still there.
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> agent.frames("presence").size() > presenceBefore);
            clock.advance(Duration.ofMinutes(5));   // far past the presence grace
            Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> stateOf(db, id)
                    .equals("ASSIGNED"));
        }
    }

    /**
     * Regression of routing.awayAfterMissedOffers across nodes: the routing node sets an agent connected to
     * the other node away (the committed presence change happens where the router runs), the agent's
     * console there is told why, and a node that takes routing over later still has them away, not back
     * online and offered the chat they walked away from.
     */
    @Test
    void anAgentOnAnotherNodeWhoMissesOffersIsSetAwayAndStaysAwayAfterATakeOver() throws Exception {
        String db = PostgresTestSupport.createDatabase();
        String redis = RedisTestSupport.url();
        MutableClock clock = new MutableClock(Instant.now());
        try (RoutingNodes.Running running = new RoutingNodes.Running()) {
            TestServer a = running.add(TestServer.start(dirA, ClusterEnv.node(db, redis), clock));
            awaitRouting(a);
            TestServer nodeB = running.add(TestServer.start(dirB, ClusterEnv.node(db, redis)));
            try (WsTestClient agent = WsTestClient.connect(nodeB.agentUri());
                 WsTestClient visitor = WsTestClient.connect(a.visitorUri())) {
                String agentId = agent.helloAgent(nodeB.loginAdmin()).get("agent").get("id").asText();
                visitor.helloVisitor(null, null, 0);
                String id = handoff(visitor, "v-1");
                agent.await("offer", o -> o.get("conversationId").asText().equals(id));
                clock.advance(Duration.ofSeconds(30));
                agent.await("offer", o -> agent.frames("offer").indexOf(o) == 1); // one miss: offered again
                clock.advance(Duration.ofSeconds(30));
                agent.await("presence", p -> p.path("agent").path("id").asText().equals(agentId)
                        && p.path("status").asText().equals("away") && p.path("reason").asText().equals("missed_offers"));
                assertThat(agent.frames("offer")).hasSize(2);

                // The routing node goes; node B takes over from the stored queue and its own roster.
                int presenceBefore = agent.frames("presence").size();
                running.stop(a);
                awaitRouting(nodeB);
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> agent.frames("presence").size() > presenceBefore);
                JsonNode told = agent.frames("presence").get(presenceBefore);
                assertThat(told.get("status").asText()).as("the new router has the agent away").isEqualTo("away");
                // ... and knows why (node B's roster of its own agents carries the reason): a console that
                // connects now (a reload, a second tab) is told it as the first one was.
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
                    List<JsonNode> presences = agent.frames("presence");
                    return presences.subList(presenceBefore, presences.size()).stream().anyMatch(p ->
                            p.path("status").asText().equals("away") && p.path("reason").asText().equals("missed_offers"));
                });
                try (WsTestClient tab = WsTestClient.connect(nodeB.agentUri())) {
                    tab.helloAgent(nodeB.loginAdmin());
                    tab.await("presence", p -> p.path("agent").path("id").asText().equals(agentId)
                            && p.path("status").asText().equals("away") && p.path("reason").asText().equals("missed_offers"));
                }
                agent.send("{\"type\":\"presence\",\"status\":\"online\"}");
                agent.await("offer", o -> agent.frames("offer").indexOf(o) == 2);
                assertThat(agent.frames("offer")).extracting(o -> o.get("conversationId").asText())
                        .as("offered again only once back online").containsExactly(id, id, id);
            }
        }
    }

    /**
     * The routing owner tells every node the queue as ids only (no conversation bodies, see
     * {@code EventCodecTest.aQueueStatusAcrossNodesCarriesNoConversationBodies}); a visitor connected to
     * another node still learns their place as the queue changes on the routing node, from the ids alone.
     */
    @Test
    void aVisitorOnAnotherNodeIsToldTheirPlaceWhenTheQueueMovesOnTheRoutingNode() throws Exception {
        String db = PostgresTestSupport.createDatabase();
        String redis = RedisTestSupport.url();
        try (RoutingNodes.Running running = new RoutingNodes.Running()) {
            TestServer a = running.add(TestServer.start(dirA, ClusterEnv.node(db, redis)));
            awaitRouting(a);
            TestServer nodeB = running.add(TestServer.start(dirB, ClusterEnv.node(db, redis)));
            try (WsTestClient first = WsTestClient.connect(a.visitorUri());
                 WsTestClient second = WsTestClient.connect(nodeB.visitorUri())) {
                first.helloVisitor(null, null, 0);
                String firstId = handoff(first, "v-1");
                second.helloVisitor(null, null, 0);
                String secondId = handoff(second, "v-2");
                JsonNode behind = second.await("status", s -> s.path("queuePosition").asInt() == 2);
                assertThat(behind.get("conversationId").asText()).isEqualTo(secondId);
                assertThat(behind.get("state").asText()).isEqualTo("queued");

                // The chat ahead is taken on the routing node: the visitor on node B moves up.
                try (WsTestClient agent = WsTestClient.connect(a.agentUri())) {
                    agent.helloAgent(a.loginAdmin());
                    agent.await("offer", o -> o.get("conversationId").asText().equals(firstId));
                    agent.send("{\"type\":\"accept\",\"conversationId\":\"" + firstId + "\"}");
                    first.await("status", s -> s.get("state").asText().equals("assigned"));
                    JsonNode next = second.await("status", s -> s.path("queuePosition").asInt() == 1);
                    assertThat(next.get("conversationId").asText()).isEqualTo(secondId);
                    assertThat(next.get("state").asText()).isEqualTo("queued");
                    assertThat(next.has("agent")).isFalse();
                }
                assertThat(second.frames("status")).as("nothing of the other visitor's chat reaches this one")
                        .allMatch(s -> s.get("conversationId").asText().equals(secondId));
            }
        }
    }

    /**
     * Regression of the queue travelling as ids: a queue change from a node whose earlier changes the routing
     * node never heard (pub/sub lost them, or it was first heard mid-way) names conversations whose bodies it
     * may have stale or not at all; the routing node reads the queue from the store instead, and offers from it.
     */
    @Test
    void aQueueChangeAfterALostOneIsReadFromTheStoreByTheRoutingNode() throws Exception {
        String db = PostgresTestSupport.createDatabase();
        String redis = RedisTestSupport.url();
        RedisClient client = RedisClient.create(redis);
        try (TestServer a = TestServer.start(dirA, ClusterEnv.node(db, redis));
             StatefulRedisConnection<String, String> publisher = client.connect()) {
            awaitRouting(a);
            RedisFanout fanout = a.cluster().orElseThrow();
            String id;
            try (WsTestClient visitor = WsTestClient.connect(a.visitorUri())) {
                visitor.helloVisitor(null, null, 0);
                id = handoff(visitor, "v-1");
            }
            String channel = RedisFanout.channelFor(db);
            // Another node's seventh queue change, the first this node hears: what came before is lost.
            publisher.sync().publish(channel, EventCodec.encode("node-x",
                    new QueueRelay.Order(7, List.of(id, "cv_never_stored"), List.of())));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> fanout.queueReads() == 1);
            // Its eighth follows without a gap: told from what the store's read left, nothing read again.
            publisher.sync().publish(channel, EventCodec.encode("node-x", new QueueRelay.Order(8, List.of(id), List.of())));

            try (WsTestClient agent = WsTestClient.connect(a.agentUri())) {
                agent.helloAgent(a.loginAdmin());
                JsonNode offer = agent.await("offer", o -> o.get("conversationId").asText().equals(id));
                assertThat(offer.get("conversation").path("preview").asText()).as("offered whole")
                        .isEqualTo(column(db, id, "preview")).isNotEmpty();
                assertThat(offer.get("conversation").path("visitor").path("name").asText()).isNotEmpty();
                Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                        .until(() -> fanout.queueReads() == 1);
                assertThat(agent.frames("offer")).as("no offer of what the store does not hold")
                        .noneMatch(o -> o.get("conversationId").asText().equals("cv_never_stored"));
            }
        } finally {
            client.shutdown();
        }
    }

    private static String stateOf(String db, String conversationId) throws Exception {
        return column(db, conversationId, "state");
    }

    private static String column(String db, String conversationId, String column) throws Exception {
        try (Connection sql = PostgresTestSupport.connect(db); Statement q = sql.createStatement();
             ResultSet rs = q.executeQuery("SELECT " + column + " FROM conversations WHERE id = '" + conversationId + "'")) {
            return rs.next() ? rs.getString(1) : "";
        }
    }

    @Test
    void aHundredRacingHandoffsNeverOverflowACap() throws Exception {
        String db = PostgresTestSupport.createDatabase();
        String redis = RedisTestSupport.url();
        try (TestServer a = TestServer.start(dirA, ClusterEnv.node(db, redis));
             TestServer b = TestServer.start(dirB, ClusterEnv.node(db, redis))) {
            List<WsTestClient> agents = new ArrayList<>();
            List<WsTestClient> visitors = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    String email = "agent" + i + "@sodam.test";
                    createAgent(db, email, "상담원 " + i, "agent-password-" + i);
                    TestServer at = i % 2 == 0 ? a : b;
                    WsTestClient agent = WsTestClient.connect(at.agentUri());
                    agent.helloAgent(at.login(email, "agent-password-" + i));
                    agents.add(agent);
                }
                Set<String> chats = new HashSet<>();
                List<Set<String>> tried = new ArrayList<>();
                agents.forEach(agent -> tried.add(new HashSet<>()));
                for (int i = 0; i < 100; i++) {
                    WsTestClient visitor = WsTestClient.connect((i % 2 == 0 ? a : b).visitorUri());
                    visitors.add(visitor);
                    visitor.helloVisitor(null, null, 0);
                    chats.add(handoff(visitor, "h-" + i));
                    grab(agents, tried);
                }
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                    grab(agents, tried);
                    return assignedPerAgent(db).values().stream().mapToInt(Integer::intValue).sum() >= 12;
                });
                assertThat(chats).hasSize(100);
                // Four agents with a cap of three: twelve chats assigned, never more per agent.
                Map<String, Integer> perAgent = assignedPerAgent(db);
                assertThat(perAgent).hasSize(4);
                assertThat(perAgent.values()).allMatch(n -> n == 3);
                try (Connection sql = PostgresTestSupport.connect(db); Statement q = sql.createStatement();
                     ResultSet rs = q.executeQuery("SELECT count(*) FROM conversations WHERE state = 'QUEUED'")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(88);
                }
            } finally {
                agents.forEach(WsTestClient::close);
                visitors.forEach(WsTestClient::drop);
            }
        }
    }

    /**
     * Every agent accepts every queued chat it has heard of and every offer, once each: accepts racing for the
     * same chats on both nodes at once.
     */
    private static void grab(List<WsTestClient> agents, List<Set<String>> tried) {
        for (int i = 0; i < agents.size(); i++) {
            WsTestClient agent = agents.get(i);
            List<String> ids = new ArrayList<>();
            agent.frames("conversation").stream().filter(p -> p.get("conversation").get("state").asText().equals("queued"))
                    .forEach(p -> ids.add(p.get("conversation").get("id").asText()));
            agent.frames("offer").forEach(o -> ids.add(o.get("conversationId").asText()));
            for (String id : ids) {
                if (tried.get(i).add(id)) {
                    agent.send("{\"type\":\"accept\",\"conversationId\":\"" + id + "\"}");
                }
            }
        }
    }

    /** An agent account in the shared database (TestServer.createAgent writes to its own store). */
    private static void createAgent(String db, String email, String name, String password) throws Exception {
        try (Connection sql = PostgresTestSupport.connect(db); java.sql.PreparedStatement insert = sql.prepareStatement(
                "INSERT INTO agents(id, email, name, role, password_hash, created_at) VALUES (?, ?, ?, 'agent', ?, ?)")) {
            insert.setString(1, "ag_test_" + email.hashCode());
            insert.setString(2, email);
            insert.setString(3, name);
            insert.setString(4, new dev.sodam.server.auth.PasswordHasher().hash(password));
            insert.setLong(5, System.currentTimeMillis());
            insert.executeUpdate();
        }
    }

    private static Map<String, Integer> assignedPerAgent(String db) throws Exception {
        Map<String, Integer> out = new HashMap<>();
        try (Connection sql = PostgresTestSupport.connect(db); Statement q = sql.createStatement();
             ResultSet rs = q.executeQuery(
                     "SELECT agent_id, count(*) FROM conversations WHERE state = 'ASSIGNED' GROUP BY agent_id")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getInt(2));
            }
        }
        return out;
    }
}
