package dev.sodam.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.ServerExtension;
import dev.sodam.server.testing.WsTestClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client that writes its first frames right behind {@code hello}, without waiting for the welcome
 * (a bot, a script, a native app): they came after hello, so they are handled after it, in order —
 * not refused with {@code unauthorized} "say hello first", which a client reads as a bad token.
 */
class PipelinedHelloTest {
    @RegisterExtension
    static final ServerExtension app = ServerExtension.started();

    private static Map<String, Object> visitorHello(String token) {
        Map<String, Object> hello = new HashMap<>();
        hello.put("type", "hello");
        hello.put("role", "visitor");
        hello.put("site", "demo");
        hello.put("visitorToken", token);
        hello.put("locale", "ko");
        return hello;
    }

    private static Map<String, Object> send(String clientMsgId, String text) {
        Map<String, Object> send = new HashMap<>();
        send.put("type", "send");
        send.put("clientMsgId", clientMsgId);
        send.put("conversationId", null);
        send.put("text", text);
        return send;
    }

    @Test
    void framesSentRightAfterHelloAreHandledAfterTheWelcomeInOrder() throws Exception {
        try (WsTestClient visitor = WsTestClient.connect(app.server().visitorUri())) {
            visitor.send(visitorHello(null));
            visitor.send(send("p-1", "첫 번째"));
            visitor.send(send("p-2", "두 번째"));
            JsonNode first = visitor.ack("p-1");
            JsonNode second = visitor.ack("p-2");
            assertThat(visitor.frames("error")).as("nothing refused as before hello").isEmpty();
            assertThat(second.path("seq").asLong()).isGreaterThan(first.path("seq").asLong());
            List<JsonNode> frames = visitor.frames();
            assertThat(frames.get(0).path("type").asText()).as("the welcome comes first").isEqualTo("welcome");
        }
    }

    @Test
    void framesBehindARefusedHelloAreRefusedAfterItAndTheClientMayHelloAgain() throws Exception {
        try (WsTestClient visitor = WsTestClient.connect(app.server().visitorUri())) {
            visitor.send(visitorHello("vt_unknown"));
            visitor.send(Map.of("type", "typing", "conversationId", "cv_x", "on", true, "ref", "t-1"));
            visitor.await("error", e -> "t-1".equals(e.path("ref").asText()));
            List<JsonNode> errors = visitor.frames("error");
            assertThat(errors).extracting(e -> e.path("code").asText()).containsExactly("unauthorized", "unauthorized");
            assertThat(errors.get(0).path("message").asText()).contains("unknown visitor token");

            visitor.send(visitorHello(null));
            visitor.send(send("p-3", "다시"));
            assertThat(visitor.ack("p-3").path("seq").asLong()).isEqualTo(1);
        }
    }
}
