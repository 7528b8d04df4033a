package dev.sodam.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WsTestClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that starts shutting down tells the load balancer first: readiness answers 503 JSON with
 * {@code "draining": true} while liveness stays 200 and the node goes on serving the chats it has and
 * new connections, until it stops accepting.
 */
class DrainingReadinessTest {
    @TempDir
    Path dataDir;

    @Test
    void aDrainingNodeIsAliveAndStillServingButNotReady() throws Exception {
        try (TestServer server = TestServer.start(dataDir)) {
            server.awaitBot();
            HttpResponse<String> ready = server.get("/api/health/ready", null);
            assertThat(ready.statusCode()).isEqualTo(200);
            JsonNode up = TestServer.json(ready.body());
            assertThat(up.at("/checks/drain").asText()).isEqualTo("UP");
            assertThat(up.has("draining")).isFalse();

            try (WsTestClient visitor = WsTestClient.connect(server.visitorUri())) {
                visitor.helloVisitor(null, null, 0);
                JsonNode before = visitor.say("before", null, "안녕하세요");
                String conversationId = before.path("conversationId").asText();

                server.drain();

                HttpResponse<String> draining = server.get("/api/health/ready", null);
                assertThat(draining.statusCode()).isEqualTo(503);
                assertThat(draining.headers().firstValue("Content-Type")).hasValueSatisfying(
                        type -> assertThat(type).startsWith("application/json"));
                JsonNode down = TestServer.json(draining.body());
                assertThat(down.path("status").asText()).isEqualTo("DOWN");
                assertThat(down.path("draining").asBoolean()).isTrue();
                assertThat(down.at("/checks/drain").asText()).isEqualTo("DOWN");
                assertThat(down.at("/checks/store").asText()).as("the store itself is fine").isEqualTo("UP");

                HttpResponse<String> live = server.get("/api/health/live", null);
                assertThat(live.statusCode()).isEqualTo(200);
                assertThat(server.get("/api/health", null).statusCode()).isEqualTo(200);

                // Still serving: the open chat is acked, and a new connection is taken.
                assertThat(visitor.say("during", conversationId, "아직 연결돼 있나요?").path("seq").asLong())
                        .isGreaterThan(before.path("seq").asLong());
                try (WsTestClient late = WsTestClient.connect(server.visitorUri())) {
                    assertThat(late.helloVisitor(null, null, 0).path("visitorToken").asText()).isNotEmpty();
                }
            }
        }
    }
}
