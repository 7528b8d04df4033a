package dev.sodam.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.ClusterEnv;
import dev.sodam.server.testing.PostgresTestSupport;
import dev.sodam.server.testing.RedisTestSupport;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WsTestClient;
import dev.sodam.server.util.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real node processes ({@code java … SodamMain}, as {@code java -jar sodam.jar} runs it) on different
 * ports, one fresh PostgreSQL database and a real Redis. Visitors and the agent are spread over the nodes:
 * messages, typing and status cross nodes live; then one node is killed with {@code kill -9} in the middle
 * of the traffic, its visitor reconnects to a surviving node, resumes by seq and re-sends what was not
 * acknowledged, and every acknowledged message is stored once and reaches the other side exactly once.
 * Last the routing node is killed too, and another node takes routing over.
 */
class ClusterNodesTest {
    @TempDir
    Path dir;
    private final List<Node> nodes = new ArrayList<>();

    /** One Sodam process. */
    private static final class Node {
        final Process process;
        final int port;
        final Path log;

        Node(Process process, int port, Path log) {
            this.process = process;
            this.port = port;
            this.log = log;
        }

        URI visitorUri() {
            return URI.create("ws://127.0.0.1:" + port + "/ws?site=demo");
        }

        URI agentUri() {
            return URI.create("ws://127.0.0.1:" + port + "/ws");
        }
    }

    @AfterEach
    void stopNodes() {
        nodes.forEach(n -> n.process.destroyForcibly());
        for (Node n : nodes) {
            try {
                n.process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Node start(int index, String databaseUrl, String redisUrl) throws IOException {
        Path data = Files.createDirectories(dir.resolve("node" + index));
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Map<String, String> env = new HashMap<>(TestServer.environment(data));
        env.putAll(ClusterEnv.node(databaseUrl, redisUrl));
        env.put("SODAM_PORT", String.valueOf(port));
        Path log = dir.resolve("node" + index + ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dfile.encoding=UTF-8",
                "-cp", System.getProperty("java.class.path"), "dev.sodam.server.SodamMain")
                .directory(TestServer.repoRoot().toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Node node = new Node(builder.start(), port, log);
        nodes.add(node);
        return node;
    }

    private static void awaitReady(Node node) {
        HttpClient http = HttpClient.newHttpClient();
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!node.process.isAlive()) {
                throw new AssertionError("node on port " + node.port + " exited: " + Files.readString(node.log));
            }
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port + "/api/health/ready"))
                        .build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    private static String login(Node node) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + node.port + "/api/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + TestServer.ADMIN_EMAIL + "\",\"password\":\""
                        + TestServer.ADMIN_PASSWORD + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body()).get("token").asText();
    }

    /** A visitor's queued chat, accepted by the agent on another node; returns its id. */
    private static String assigned(WsTestClient visitor, WsTestClient agent, String clientMsgId) {
        visitor.send("{\"type\":\"send\",\"clientMsgId\":\"" + clientMsgId + "\",\"text\":\"사람이랑 얘기하고 싶어요\","
                + "\"handoff\":true,\"ref\":\"" + clientMsgId + "\"}");
        String id = visitor.ack(clientMsgId).get("conversationId").asText();
        visitor.await("status", s -> s.get("conversationId").asText().equals(id) && s.get("state").asText().equals("queued"));
        agent.await("conversation", c -> c.get("conversation").get("id").asText().equals(id)
                && c.get("conversation").get("state").asText().equals("queued"));
        agent.send("{\"type\":\"accept\",\"conversationId\":\"" + id + "\"}");
        visitor.await("status", s -> s.get("conversationId").asText().equals(id) && s.get("state").asText().equals("assigned"));
        return id;
    }

    private static void send(WsTestClient client, String conversationId, String clientMsgId) {
        client.send("{\"type\":\"send\",\"clientMsgId\":\"" + clientMsgId + "\",\"conversationId\":\"" + conversationId
                + "\",\"text\":\"메시지 " + clientMsgId + "\",\"ref\":\"" + clientMsgId + "\"}");
    }

    /**
     * Waits for the ack of {@code clientMsgId} on any of {@code connections}; an error frame answering it
     * fails at once, and a timeout says what each connection was answered and how the nodes' logs end.
     */
    private static void awaitAck(List<WsTestClient> connections, String clientMsgId, List<Node> nodes) throws IOException {
        try {
            Awaitility.await("an ack of " + clientMsgId).atMost(Duration.ofSeconds(20)).until(() -> {
                for (WsTestClient c : connections) {
                    for (JsonNode error : c.frames("error")) {
                        if (clientMsgId.equals(error.path("ref").asText())) {
                            throw new AssertionError("expected an ack of " + clientMsgId + " but got " + error);
                        }
                    }
                }
                return connections.stream().anyMatch(c -> acked(c).contains(clientMsgId));
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            StringBuilder why = new StringBuilder(e.getMessage());
            for (WsTestClient c : connections) {
                why.append("\nconnection acked ").append(acked(c)).append(", closed ").append(c.isClosed());
            }
            for (Node n : nodes) {
                List<String> lines = Files.readAllLines(n.log);
                why.append("\nlog of node on port ").append(n.port).append(" ends:\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
            }
            throw new AssertionError(why.toString(), e);
        }
    }

    private static Set<String> acked(WsTestClient client) {
        Set<String> out = new LinkedHashSet<>();
        client.frames("ack").forEach(a -> out.add(a.get("clientMsgId").asText()));
        return out;
    }

    private static List<Long> seqs(WsTestClient client, String conversationId) {
        return client.messages(conversationId).stream().map(m -> m.get("seq").asLong()).toList();
    }

    private static long lastSeq(List<WsTestClient> connections, String conversationId) {
        return connections.stream().flatMap(c -> seqs(c, conversationId).stream()).mapToLong(Long::longValue).max().orElse(0);
    }

    @Test
    void threeNodesDeliverLiveAndSurviveTheKillOfOne() throws Exception {
        String db = PostgresTestSupport.createDatabase();
        String redis = RedisTestSupport.url();
        Node one = start(1, db, redis);
        awaitReady(one);   // the first node creates the schema and the admin; the others find them
        Node two = start(2, db, redis);
        Node three = start(3, db, redis);
        awaitReady(two);
        awaitReady(three);

        try (WsTestClient agent = WsTestClient.connect(two.agentUri());
             WsTestClient visitor1 = WsTestClient.connect(one.visitorUri())) {
            agent.helloAgent(login(two));
            visitor1.helloVisitor(null, null, 0);
            WsTestClient visitor3 = WsTestClient.connect(three.visitorUri());
            JsonNode welcome3 = visitor3.helloVisitor(null, null, 0);
            String token3 = welcome3.get("visitorToken").asText();

            // Live across nodes: status, messages and typing both ways.
            String chat1 = assigned(visitor1, agent, "v1-0");
            String chat3 = assigned(visitor3, agent, "v3-0");
            agent.say("a1-0", chat1, "안녕하세요, 상담원입니다.");
            visitor1.await("message", m -> m.path("clientMsgId").asText().equals("a1-0"));
            visitor1.send("{\"type\":\"typing\",\"conversationId\":\"" + chat1 + "\",\"on\":true}");
            agent.await("typing", t -> t.get("conversationId").asText().equals(chat1) && t.get("on").asBoolean());
            agent.send("{\"type\":\"typing\",\"conversationId\":\"" + chat3 + "\",\"on\":true}");
            visitor3.await("typing", t -> t.get("conversationId").asText().equals(chat3) && t.get("on").asBoolean());

            // Traffic on all three chats' sides; node 3 (visitor 3's) is killed in the middle of it.
            List<WsTestClient> visitor3Connections = new ArrayList<>(List.of(visitor3));
            List<String> sent3 = new ArrayList<>();
            for (int round = 1; round <= 30; round++) {
                if (round == 12) {
                    three.process.destroyForcibly();   // SIGKILL: no drain, no goodbye
                    three.process.waitFor(10, TimeUnit.SECONDS);
                    WsTestClient dead = visitor3;
                    Awaitility.await().atMost(Duration.ofSeconds(20)).until(dead::isClosed);
                    // The widget's way back: another node, resume by the last seq seen, then its outbox again.
                    visitor3 = WsTestClient.connect(one.visitorUri());
                    visitor3Connections.add(visitor3);
                    visitor3.helloVisitor(token3, chat3, lastSeq(visitor3Connections, chat3));
                    Set<String> ackedBefore = acked(dead);
                    for (String clientMsgId : sent3) {
                        if (!ackedBefore.contains(clientMsgId)) {
                            send(visitor3, chat3, clientMsgId);
                        }
                    }
                }
                String id3 = "v3-" + round;
                sent3.add(id3);
                send(visitor3, chat3, id3);
                send(visitor1, chat1, "v1-" + round);
                send(agent, chat1, "a1-" + round);
                send(agent, chat3, "a3-" + round);
            }
            // Acked on the connection that was cut or, re-sent, on the one after it: whichever it was.
            for (String clientMsgId : sent3) {
                awaitAck(visitor3Connections, clientMsgId, List.of(one, two, three));
            }
            for (int round = 1; round <= 30; round++) {
                visitor1.ack("v1-" + round);
                agent.ack("a1-" + round);
                agent.ack("a3-" + round);
            }

            // Every acknowledged message is stored exactly once ...
            List<String> everyId = new ArrayList<>(sent3);
            for (int round = 1; round <= 30; round++) {
                everyId.addAll(List.of("v1-" + round, "a1-" + round, "a3-" + round));
            }
            try (Connection sql = PostgresTestSupport.connect(db);
                 PreparedStatement count = sql.prepareStatement("SELECT count(*) FROM messages WHERE client_msg_id = ?")) {
                for (String clientMsgId : everyId) {
                    count.setString(1, clientMsgId);
                    try (ResultSet rs = count.executeQuery()) {
                        rs.next();
                        assertThat(rs.getInt(1)).as("stored copies of " + clientMsgId).isEqualTo(1);
                    }
                }
            }
            // ... reaches the other side live, across nodes and across the kill ...
            for (String clientMsgId : sent3) {
                agent.await("message", m -> m.path("clientMsgId").asText().equals(clientMsgId));
            }
            for (int round = 1; round <= 30; round++) {
                String a1 = "a1-" + round;
                String a3 = "a3-" + round;
                String v1 = "v1-" + round;
                visitor1.await("message", m -> m.path("clientMsgId").asText().equals(a1));
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> visitor3Connections.stream()
                        .anyMatch(c -> c.messages(chat3).stream().anyMatch(m -> m.path("clientMsgId").asText().equals(a3))));
                agent.await("message", m -> m.path("clientMsgId").asText().equals(v1));
            }
            // ... never twice on one connection, and the resumed visitor has the whole chat without a gap.
            for (WsTestClient client : List.of(agent, visitor1, visitor3Connections.get(0), visitor3)) {
                for (String chat : List.of(chat1, chat3)) {
                    assertThat(seqs(client, chat)).as("seqs of " + chat).doesNotHaveDuplicates().isSorted();
                }
            }
            Set<Long> visitor3Seqs = new java.util.TreeSet<>();
            visitor3Connections.forEach(c -> visitor3Seqs.addAll(seqs(c, chat3)));
            long last = lastSeq(visitor3Connections, chat3);
            assertThat(visitor3Seqs).hasSize((int) last);
            assertThat(seqs(visitor3, chat3)).as("the resumed connection starts after the last seq seen before the kill")
                    .allMatch(seq -> seq > lastSeq(List.of(visitor3Connections.get(0)), chat3));
            visitor3.close();
            visitor3Connections.get(0).close();

            // Routing is owned by node 1 (it started first); killed too, node 2 takes routing over: a chat
            // queued now is offered to the agent, whose two chats the new owner restored, not requeued.
            assertThat(Files.readString(one.log)).contains("this node owns routing now");
            one.process.destroyForcibly();
            one.process.waitFor(10, TimeUnit.SECONDS);
            try (WsTestClient late = WsTestClient.connect(two.visitorUri())) {
                late.helloVisitor(null, null, 0);
                late.send("{\"type\":\"send\",\"clientMsgId\":\"late-1\",\"text\":\"상담원 연결\",\"handoff\":true,"
                        + "\"ref\":\"late-1\"}");
                String lateChat = late.ack("late-1").get("conversationId").asText();
                JsonNode offer = agent.await("offer", o -> o.get("conversationId").asText().equals(lateChat));
                assertThat(offer.get("conversation").get("state").asText()).isEqualTo("queued");
            }
            try (Connection sql = PostgresTestSupport.connect(db); java.sql.Statement q = sql.createStatement();
                 ResultSet rs = q.executeQuery("SELECT count(*) FROM conversations WHERE state = 'ASSIGNED'")) {
                rs.next();
                assertThat(rs.getInt(1)).as("the agent's chats stay assigned across the take-over").isEqualTo(2);
            }
        }
    }
}
