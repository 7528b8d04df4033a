package dev.sodam.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WsTestClient;
import dev.sodam.server.util.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images over real HTTP and sockets: type by magic bytes, the size cap, the message that shows the
 * image, and reading it back — the owner and the assigned agent may, a stranger, another agent and
 * no token may not.
 */
class AttachmentApiTest {
    @TempDir
    static Path dataDir;
    static TestServer server;
    static String agent;
    static String other;
    static final HttpClient http = HttpClient.newHttpClient();
    static final byte[] PNG = TestImages.png(40, 30);

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dataDir);
        server.createAgent("img@sodam.test", "상담원 이미지", "agent-password-1");
        server.createAgent("img2@sodam.test", "상담원 둘", "agent-password-2");
        agent = server.login("img@sodam.test", "agent-password-1");
        other = server.login("img2@sodam.test", "agent-password-2");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static HttpResponse<byte[]> upload(String query, byte[] body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.http("/api/attachments" + query)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", "image/png");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpResponse<byte[]> get(String id, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.http("/api/attachments/" + id))).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String code(HttpResponse<byte[]> response) throws Exception {
        return Json.MAPPER.readTree(response.body()).path("code").asText();
    }

    @Test
    void anImageIsCheckedStoredShownAndServedOnlyToItsParticipants() throws Exception {
        try (WsTestClient visitor = WsTestClient.connect(server.visitorUri());
             WsTestClient stranger = WsTestClient.connect(server.visitorUri());
             WsTestClient console = WsTestClient.connect(server.agentUri())) {
            String token = visitor.helloVisitor(null, null, 0).get("visitorToken").asText();
            String strangerToken = stranger.helloVisitor(null, null, 0).get("visitorToken").asText();

            assertThat(upload("", PNG, null).statusCode()).isEqualTo(401);
            HttpResponse<byte[]> html = upload("", "<svg onload=alert(1)>".getBytes(StandardCharsets.UTF_8), token);
            assertThat(html.statusCode()).isEqualTo(415);
            assertThat(code(html)).isEqualTo("unsupported_type");
            byte[] huge = TestImages.concat(PNG, new byte[2 * 1024 * 1024]);
            HttpResponse<byte[]> tooBig = upload("", huge, token);
            assertThat(tooBig.statusCode()).isEqualTo(413);
            assertThat(upload("", new byte[0], token).statusCode()).isEqualTo(400);

            HttpResponse<byte[]> stored = upload("?clientMsgId=img-1", PNG, token);
            assertThat(stored.statusCode()).isEqualTo(201);
            assertThat(stored.headers().firstValue("access-control-allow-origin")).hasValue("*");
            JsonNode ack = Json.MAPPER.readTree(stored.body());
            String id = ack.get("attachmentId").asText();
            String conversationId = ack.get("conversationId").asText();
            assertThat(ack.get("contentType").asText()).isEqualTo("image/png");
            // The same clientMsgId again: the original answer, nothing new stored.
            HttpResponse<byte[]> again = upload("?clientMsgId=img-1&conversationId=" + conversationId, PNG, token);
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(Json.MAPPER.readTree(again.body()).get("attachmentId").asText()).isEqualTo(id);

            JsonNode message = visitor.await("message", m -> m.path("attachment").path("id").asText().equals(id));
            assertThat(message.path("clientMsgId").asText()).isEqualTo("img-1");
            // The bot does not guess at a picture: it says an agent will look, offers a person, and waits.
            JsonNode bot = visitor.await("message", m -> "bot".equals(m.path("from").path("kind").asText()));
            assertThat(bot.path("text").asText()).contains("이미지는 상담원이 확인");
            assertThat(bot.path("actions").toString()).contains("handoff");

            HttpResponse<byte[]> mine = get(id, token);
            assertThat(mine.statusCode()).isEqualTo(200);
            assertThat(message.path("attachment").path("size").asLong()).isEqualTo(mine.body().length);
            assertThat(TestImages.read(mine.body()).getWidth()).as("the same picture, encoded afresh").isEqualTo(40);
            assertThat(mine.headers().firstValue("content-type")).hasValue("image/png");
            assertThat(mine.headers().firstValue("cache-control")).hasValue("private, no-store");
            assertThat(get(id, strangerToken).statusCode()).isEqualTo(404);
            assertThat(get(id, null).statusCode()).isEqualTo(401);
            assertThat(get(id, agent).statusCode()).as("not assigned, not queued").isEqualTo(404);
            assertThat(get("at_nothing", token).statusCode()).isEqualTo(404);
            // A stranger cannot post into someone else's conversation.
            assertThat(upload("?conversationId=" + conversationId, PNG, strangerToken).statusCode()).isEqualTo(404);

            console.helloAgent(agent);
            visitor.send("{\"type\":\"handoff\",\"conversationId\":\"" + conversationId + "\"}");
            visitor.await("status", s -> s.path("state").asText().equals("queued"));
            assertThat(get(id, other).statusCode()).as("any agent reads a queued chat").isEqualTo(200);
            console.send("{\"type\":\"accept\",\"conversationId\":\"" + conversationId + "\"}");
            visitor.await("status", s -> s.path("state").asText().equals("assigned"));
            assertThat(get(id, agent).statusCode()).isEqualTo(200);
            assertThat(get(id, other).statusCode()).as("another agent's chat").isEqualTo(404);

            // The agent sends an image too; the visitor reads it.
            HttpResponse<byte[]> fromAgent = upload("?conversationId=" + conversationId, PNG, agent);
            assertThat(fromAgent.statusCode()).isEqualTo(201);
            String agentImage = Json.MAPPER.readTree(fromAgent.body()).get("attachmentId").asText();
            visitor.await("message", m -> m.path("attachment").path("id").asText().equals(agentImage));
            assertThat(get(agentImage, token).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aPhonePhotoReachesTheAgentWithoutItsLocation() throws Exception {
        try (WsTestClient visitor = WsTestClient.connect(server.visitorUri())) {
            String token = visitor.helloVisitor(null, null, 0).get("visitorToken").asText();
            HttpRequest request = HttpRequest.newBuilder(URI.create(server.http("/api/attachments?clientMsgId=photo-1")))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(TestImages.phonePhoto(60, 40, 6)))
                    .header("Content-Type", "image/jpeg").header("Authorization", "Bearer " + token).build();
            HttpResponse<byte[]> stored = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            assertThat(stored.statusCode()).isEqualTo(201);
            String id = Json.MAPPER.readTree(stored.body()).get("attachmentId").asText();
            byte[] served = get(id, token).body(); // the bytes as stored
            assertThat(TestImages.contains(served, TestImages.SECRET)).isFalse();
            assertThat(TestImages.read(served).getHeight()).as("turned upright").isEqualTo(60);
        }
    }
}
