package dev.sodam.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WsTestClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping the server in the middle of a burst: what was acked is stored with the seq in its ack,
 * nothing is half done, the client is told to reconnect (1012), and its re-sent messages are each
 * stored exactly once after the restart.
 */
class GracefulShutdownTest {

    private static final int BURST = 100;

    @TempDir
    Path dataDir;

    private static String send(String conversationId, int i) {
        return "{\"type\":\"send\",\"clientMsgId\":\"m" + i + "\",\"ref\":\"m" + i + "\",\"conversationId\":\""
                + conversationId + "\",\"text\":\"메시지 " + i + "\"}";
    }

    @Test
    void aShutdownMidBurstAcksOrRefusesEachMessageAndTheResentOnesAreStoredOnce() throws Exception {
        String token;
        String conversationId;
        Map<String, Long> ackedBefore = new HashMap<>();
        Map<String, String> fastClient = Map.of("SODAM_RATE_PER_SECOND", "1000", "SODAM_RATE_BURST", "1000");
        TestServer server = TestServer.start(dataDir, fastClient);
        Thread stopper = new Thread(server::close, "stopper");
        try (WsTestClient visitor = WsTestClient.connect(server.visitorUri())) {
            token = visitor.helloVisitor(null, null, 0).path("visitorToken").asText();
            conversationId = visitor.say("m0", null, "안녕하세요").path("conversationId").asText();
            visitor.send("{\"type\":\"handoff\",\"conversationId\":\"" + conversationId + "\"}");
            try {
                for (int i = 1; i <= BURST; i++) {
                    visitor.send(send(conversationId, i));
                    if (i == BURST / 2) {
                        stopper.start();
                    }
                }
            } catch (RuntimeException socketClosedMidBurst) {
                // What was not sent is re-sent after the restart, as the widget's outbox does.
            }
            await().atMost(Duration.ofSeconds(30)).until(visitor::isClosed);
            // 1012 when the close frame arrives; on a fast machine the client may still be writing the
            // burst and see its own write fail first (-1): either way it reconnects and resends.
            assertThat(visitor.closeStatus()).as("told to reconnect: service restart").isIn(1012, -1);
            for (JsonNode ack : visitor.frames("ack")) {
                ackedBefore.put(ack.path("clientMsgId").asText(), ack.path("seq").asLong());
            }
            for (JsonNode error : visitor.frames("error")) {
                assertThat(error.path("code").asText()).as("a refusal the client may retry").isEqualTo("internal");
            }
        }
        stopper.join(30_000);
        System.out.println("graceful shutdown: " + ackedBefore.size() + " of " + (BURST + 1) + " acked before the stop");

        try (TestServer again = TestServer.start(dataDir, fastClient)) {
            try (WsTestClient visitor = WsTestClient.connect(again.visitorUri())) {
                visitor.helloVisitor(token, conversationId, 0);
                for (int i = 1; i <= BURST; i++) {
                    visitor.send(send(conversationId, i));
                }
                for (int i = 0; i <= BURST; i++) {
                    String id = "m" + i;
                    if (i == 0) {
                        continue; // acked before the burst; not re-sent
                    }
                    JsonNode ack = visitor.await("ack", a -> id.equals(a.path("clientMsgId").asText()));
                    if (ackedBefore.containsKey(id)) {
                        assertThat(ack.path("seq").asLong()).as(id + ": the same ack as before the stop")
                                .isEqualTo(ackedBefore.get(id));
                    }
                }
            }
            try (WsTestClient reader = WsTestClient.connect(again.visitorUri())) {
                reader.helloVisitor(token, conversationId, 0);
                await().until(() -> reader.messages(conversationId).stream()
                        .anyMatch(m -> ("m" + BURST).equals(m.path("clientMsgId").asText())));
                List<JsonNode> replay = reader.messages(conversationId);
                for (int k = 0; k < replay.size(); k++) {
                    assertThat(replay.get(k).path("seq").asLong()).as("gapless").isEqualTo(k + 1);
                }
                for (int i = 0; i <= BURST; i++) {
                    String id = "m" + i;
                    assertThat(replay.stream().filter(m -> id.equals(m.path("clientMsgId").asText())).count())
                            .as(id + " stored exactly once").isEqualTo(1);
                }
            }
        }
    }
}
