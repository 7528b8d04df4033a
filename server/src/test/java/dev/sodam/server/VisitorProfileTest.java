package dev.sodam.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WsTestClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** identify over real sockets: stored, merged, the new name on later messages, and shown to the right agents only. */
class VisitorProfileTest {
    @TempDir
    static Path dataDir;
    static TestServer server;
    static String agent;
    static String other;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dataDir);
        server.createAgent("profile@sodam.test", "상담원 프로필", "agent-password-1");
        server.createAgent("other@sodam.test", "상담원 남", "agent-password-2");
        agent = server.login("profile@sodam.test", "agent-password-1");
        other = server.login("other@sodam.test", "agent-password-2");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String stored(String visitorId, String column) throws Exception {
        try (Connection db = TestServer.db(dataDir);
             PreparedStatement s = db.prepareStatement("SELECT " + column + " FROM visitors WHERE id = ?")) {
            s.setString(1, visitorId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @Test
    void identifyIsStoredMergedAndShownToTheAssignedAgentOnly() throws Exception {
        try (WsTestClient visitor = WsTestClient.connect(server.visitorUri());
             WsTestClient console = WsTestClient.connect(server.agentUri());
             WsTestClient bystander = WsTestClient.connect(server.agentUri())) {
            visitor.helloVisitor(null, null, 0);
            visitor.send("{\"type\":\"identify\",\"name\":\"<img src=x onerror=alert(1)>\",\"email\":\"minji@example.com\","
                    + "\"externalId\":\"u-1\",\"attributes\":{\"plan\":\"pro\",\"orders\":12,\"vip\":true}}");
            JsonNode ack = visitor.say("p-1", null, "상담원 연결");
            String conversationId = ack.get("conversationId").asText();
            JsonNode own = visitor.await("message", m -> m.path("clientMsgId").asText().equals("p-1"));
            assertThat(own.path("from").path("name").asText()).isEqualTo("<img src=x onerror=alert(1)>");
            String visitorId = own.path("from").path("id").asText();
            assertThat(stored(visitorId, "email")).isEqualTo("minji@example.com");
            assertThat(stored(visitorId, "attributes")).contains("\"orders\":\"12\"").contains("\"vip\":\"true\"");

            console.helloAgent(agent);
            bystander.helloAgent(other);
            visitor.await("status", s -> s.path("state").asText().equals("queued"));
            console.send("{\"type\":\"accept\",\"conversationId\":\"" + conversationId + "\"}");
            visitor.await("status", s -> s.path("state").asText().equals("assigned"));

            // A second identify merges: new attribute, changed name; the assigned agent is told.
            visitor.send("{\"type\":\"identify\",\"name\":\"김민지\",\"attributes\":{\"cart\":\"<script>x()</script>\"}}");
            JsonNode told = console.await("visitor", v -> v.path("visitor").path("name").asText().equals("김민지"));
            assertThat(told.path("conversationId").asText()).isEqualTo(conversationId);
            assertThat(told.path("visitor").path("email").asText()).isEqualTo("minji@example.com");
            assertThat(told.path("visitor").path("attributes").path("plan").asText()).isEqualTo("pro");
            assertThat(told.path("visitor").path("attributes").path("cart").asText()).isEqualTo("<script>x()</script>");
            console.await("conversation", c -> c.path("conversation").path("visitor").path("name").asText().equals("김민지"));
            assertThat(bystander.frames("visitor")).isEmpty();

            // The agent's full sync brings the profile too.
            int before = console.frames("visitor").size();
            console.send("{\"type\":\"sync\",\"conversationId\":\"" + conversationId + "\",\"afterSeq\":0}");
            Awaitility.await().until(() -> console.frames("visitor").size() > before);

            // Agents cannot identify; too many attributes are refused and change nothing.
            console.send("{\"type\":\"identify\",\"name\":\"x\",\"ref\":\"ag\"}");
            assertThat(console.await("error", e -> e.path("ref").asText().equals("ag")).path("code").asText())
                    .isEqualTo("forbidden");
            StringBuilder many = new StringBuilder("{\"type\":\"identify\",\"ref\":\"many\",\"attributes\":{");
            for (int i = 0; i < 28; i++) {
                many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
            }
            visitor.send(many.append("}}").toString());
            assertThat(visitor.await("error", e -> e.path("ref").asText().equals("many")).path("code").asText())
                    .isEqualTo("bad_request");
            assertThat(stored(visitorId, "attributes")).doesNotContain("k27");
            assertThat(stored(visitorId, "name")).isEqualTo("김민지");
        }
    }
}
