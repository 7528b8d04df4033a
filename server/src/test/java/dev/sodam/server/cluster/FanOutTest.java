package dev.sodam.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.ClusterEnv;
import dev.sodam.server.testing.PostgresTestSupport;
import dev.sodam.server.testing.RedisTestSupport;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WsTestClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real nodes in this JVM on one fresh PostgreSQL database and a real Redis, clients on real sockets:
 * a visitor on one node and an agent on the other see each other's messages, typing and status live;
 * and a Redis that goes away during traffic and comes back costs nothing (catch-up from the store),
 * delivering every message exactly once.
 */
class FanOutTest {
    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    /** A visitor on {@code a} whose chat an agent on {@code b} accepted; returns the conversation id. */
    private static String assignedAcrossNodes(WsTestClient visitor, WsTestClient agent) {
        visitor.send("{\"type\":\"send\",\"clientMsgId\":\"v-1\",\"text\":\"상담원 연결\",\"handoff\":true,\"ref\":\"v-1\"}");
        String id = visitor.ack("v-1").get("conversationId").asText();
        visitor.await("status", s -> s.get("state").asText().equals("queued"));
        // The handoff was committed on node A: node B's agent hears of it over Redis.
        agent.await("conversation", c -> c.get("conversation").get("id").asText().equals(id)
                && c.get("conversation").get("state").asText().equals("queued"));
        agent.send("{\"type\":\"accept\",\"conversationId\":\"" + id + "\",\"ref\":\"acc\"}");
        visitor.await("status", s -> s.get("state").asText().equals("assigned"));
        return id;
    }

    private static void assertExactlyOnceInOrder(WsTestClient client, String conversationId) {
        List<Long> seqs = client.messages(conversationId).stream().map(m -> m.get("seq").asLong()).toList();
        assertThat(seqs).as("each seq once, in order").doesNotHaveDuplicates().isSorted();
    }

    @Test
    void aVisitorOnOneNodeAndAnAgentOnAnotherSeeEachOtherLive() throws Exception {
        String db = PostgresTestSupport.createDatabase();
        String redis = RedisTestSupport.url();
        try (TestServer a = TestServer.start(dirA, ClusterEnv.node(db, redis));
             TestServer b = TestServer.start(dirB, ClusterEnv.node(db, redis));
             WsTestClient visitor = WsTestClient.connect(a.visitorUri());
             WsTestClient agent = WsTestClient.connect(b.agentUri())) {
            visitor.helloVisitor(null, null, 0);
            agent.helloAgent(b.loginAdmin());
            String id = assignedAcrossNodes(visitor, agent);

            agent.say("a-1", id, "안녕하세요, 무엇을 도와드릴까요?");
            visitor.await("message", m -> m.path("clientMsgId").asText().equals("a-1"));
            visitor.send("{\"type\":\"typing\",\"conversationId\":\"" + id + "\",\"on\":true}");
            agent.await("typing", t -> t.get("conversationId").asText().equals(id) && t.get("on").asBoolean());
            agent.send("{\"type\":\"typing\",\"conversationId\":\"" + id + "\",\"on\":true}");
            visitor.await("typing", t -> t.get("on").asBoolean());
            visitor.say("v-2", id, "주문한 물건이 안 와요");
            agent.await("message", m -> m.path("clientMsgId").asText().equals("v-2"));
            visitor.send("{\"type\":\"read\",\"conversationId\":\"" + id + "\",\"seq\":"
                    + visitor.messages(id).get(visitor.messages(id).size() - 1).get("seq").asLong() + "}");
            agent.await("read", r -> r.get("conversationId").asText().equals(id));

            agent.send("{\"type\":\"resolve\",\"conversationId\":\"" + id + "\"}");
            visitor.await("status", s -> s.get("state").asText().equals("resolved"));
            // The notices node B posted (assigned, resolved) reached the visitor on node A, gapless.
            List<Long> seqs = visitor.messages(id).stream().map(m -> m.get("seq").asLong()).toList();
            assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, seqs.size()).boxed().toList());
            assertExactlyOnceInOrder(agent, id);
        }
    }

    @Test
    void redisGoingAwayDuringTrafficLosesNothing() throws Exception {
        String db = PostgresTestSupport.createDatabase();
        try (RedisTestSupport.PrivateRedis redis = RedisTestSupport.startPrivate();
             TestServer a = TestServer.start(dirA, ClusterEnv.node(db, redis.url()));
             TestServer b = TestServer.start(dirB, ClusterEnv.node(db, redis.url()));
             WsTestClient visitor = WsTestClient.connect(a.visitorUri());
             WsTestClient agent = WsTestClient.connect(b.agentUri())) {
            visitor.helloVisitor(null, null, 0);
            agent.helloAgent(b.loginAdmin());
            String id = assignedAcrossNodes(visitor, agent);

            List<String> fromAgent = new ArrayList<>();
            List<String> fromVisitor = new ArrayList<>();
            for (int round = 0; round < 30; round++) {
                if (round == 10) {
                    redis.stop();
                }
                if (round == 20) {
                    redis.start();
                }
                fromAgent.add(agent.say("a-" + round, id, "답변 " + round).get("clientMsgId").asText());
                fromVisitor.add(visitor.say("w-" + round, id, "질문 " + round).get("clientMsgId").asText());
            }
            // Every acknowledged message reaches the other side (over Redis, or read back from the store).
            for (String clientMsgId : fromAgent) {
                visitor.await("message", m -> m.path("clientMsgId").asText().equals(clientMsgId));
            }
            for (String clientMsgId : fromVisitor) {
                agent.await("message", m -> m.path("clientMsgId").asText().equals(clientMsgId));
            }
            assertExactlyOnceInOrder(visitor, id);
            assertExactlyOnceInOrder(agent, id);
            List<Long> seqs = visitor.messages(id).stream().map(m -> m.get("seq").asLong()).toList();
            assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, seqs.size()).boxed().toList());
            assertThat(a.cluster().orElseThrow().catchUps() + b.cluster().orElseThrow().catchUps())
                    .as("the nodes noticed the loss and read back from the store").isPositive();

            // After the restart, live fan-out works again.
            agent.say("after", id, "다시 연결됐어요");
            JsonNode after = visitor.await("message", m -> m.path("clientMsgId").asText().equals("after"));
            assertThat(after.get("seq").asLong()).isEqualTo(seqs.get(seqs.size() - 1) + 1);
        }
    }
}
