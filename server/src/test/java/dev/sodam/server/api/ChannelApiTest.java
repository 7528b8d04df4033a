package dev.sodam.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WebhookReceiver;
import dev.sodam.server.testing.WebhookReceiver.Delivery;
import dev.sodam.server.testing.WsTestClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The channel API with a test adapter: a real HTTP receiver stands for the external messenger's
 * reply endpoint. A chat posted through the channel is answered by the bot, handed off, answered by
 * an agent in the console, and every reply reaches the adapter's webhook.
 */
class ChannelApiTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    @TempDir
    static Path dataDir;
    static TestServer server;
    static WebhookReceiver adapter;
    static String admin;
    static String agent;
    static String channelKey;
    static String reader;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dataDir, Map.of("SODAM_WEBHOOKS_ALLOW_PRIVATE", "true"));
        server.createAgent("agent@sodam.test", "상담원 김", "agent-password-1");
        admin = server.loginAdmin();
        agent = server.login("agent@sodam.test", "agent-password-1");
        channelKey = server.createApiKey(admin, "demo", "[\"write\"]", "testchat");
        reader = server.createApiKey(admin, "demo", "[\"read\"]", null);
        adapter = new WebhookReceiver();
        HttpResponse<String> hook = server.send("POST", "/api/admin/webhooks", "{\"url\":\"" + adapter.url()
                + "\",\"channel\":\"testchat\",\"events\":[\"message.created\"]}", admin);
        assertThat(hook.statusCode()).as(hook.body()).isEqualTo(201);
        server.awaitBot();
    }

    @AfterAll
    static void stop() {
        if (adapter != null) {
            adapter.close();
        }
        if (server != null) {
            server.close();
        }
    }

    static HttpResponse<String> send(String externalId, String messageId, String text, String key) throws Exception {
        String body = "{\"externalId\":\"" + externalId + "\",\"messageId\":\"" + messageId + "\",\"name\":\"홍길동\","
                + "\"text\":\"" + text + "\"}";
        return server.send("POST", "/api/v1/channels/testchat/messages", body, key);
    }

    static List<JsonNode> replies(String externalId) {
        return adapter.deliveries().stream().map(Delivery::json)
                .filter(e -> externalId.equals(e.at("/data/externalId").asText())).toList();
    }

    @Test
    void aChannelChatMeetsTheBotTheQueueAndAnAgentAndEveryReplyReachesTheAdapter() throws Exception {
        HttpResponse<String> first = send("kakao-user-1", "m1", "배송은 얼마나 걸리나요?", channelKey);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        String id = TestServer.json(first.body()).get("conversationId").asText();
        await().atMost(WAIT).until(() -> replies("kakao-user-1").stream()
                .anyMatch(e -> e.at("/data/message/from/kind").asText().equals("bot")));
        assertThat(replies("kakao-user-1")).allSatisfy(e -> {
            assertThat(e.at("/data/message/from/kind").asText()).isNotEqualTo("visitor");
            assertThat(e.at("/data/conversation/channel").asText()).isEqualTo("testchat");
        });

        HttpResponse<String> again = send("kakao-user-1", "m1", "배송은 얼마나 걸리나요?", channelKey);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(TestServer.json(again.body()).at("/message/id").asText())
                .isEqualTo(TestServer.json(first.body()).at("/message/id").asText());

        assertThat(send("kakao-user-1", "m2", "상담원 연결해 주세요", channelKey).statusCode()).isEqualTo(201);
        await().atMost(WAIT).until(() -> TestServer.json(server.send("GET", "/api/v1/conversations/" + id, null, reader)
                .body()).get("state").asText().equals("queued"));
        try (WsTestClient console = WsTestClient.connect(server.agentUri())) {
            JsonNode welcome = console.helloAgent(agent);
            JsonNode listed = null;
            for (JsonNode c : welcome.get("conversations")) {
                if (c.get("id").asText().equals(id)) {
                    listed = c;
                }
            }
            assertThat(listed).as("the queued channel chat is in the console").isNotNull();
            assertThat(listed.at("/visitor/name").asText()).isEqualTo("[testchat] 홍길동");
            console.send("{\"type\":\"accept\",\"conversationId\":\"" + id + "\"}");
            await().atMost(WAIT).until(() -> TestServer.json(server.send("GET", "/api/v1/conversations/" + id, null,
                    reader).body()).get("state").asText().equals("assigned"));
            console.say("a1", id, "안녕하세요, 상담원 김입니다. 주문번호를 알려주세요.");
            await().atMost(WAIT).until(() -> replies("kakao-user-1").stream()
                    .anyMatch(e -> e.at("/data/message/text").asText().startsWith("안녕하세요, 상담원 김입니다")));
            assertThat(send("kakao-user-1", "m3", "12345 입니다", channelKey).statusCode()).isEqualTo(201);
            JsonNode visitorLine = console.await("message", f -> f.path("text").asText().equals("12345 입니다"));
            assertThat(visitorLine.get("conversationId").asText()).isEqualTo(id);
        }
        JsonNode agentReply = replies("kakao-user-1").stream()
                .filter(e -> e.at("/data/message/from/kind").asText().equals("agent")).findFirst().orElseThrow();
        assertThat(agentReply.at("/data/message/from/name").asText()).isEqualTo("상담원 김");
        JsonNode listed = TestServer.json(server.send("GET", "/api/v1/conversations?channel=testchat", null, reader)
                .body());
        assertThat(listed.get("items").findValuesAsText("id")).contains(id);
    }

    @Test
    void onlyTheChannelsOwnKeyPostsAndBadInputIs4xxJson() throws Exception {
        HttpResponse<String> wrongKey = send("x-1", "m1", "안녕하세요", reader);
        assertThat(wrongKey.statusCode()).isEqualTo(403);
        String otherChannel = server.createApiKey(admin, "demo", "[\"write\"]", "otherchat");
        assertThat(send("x-1", "m1", "안녕하세요", otherChannel).statusCode()).isEqualTo(403);
        assertThat(server.send("GET", "/api/v1/conversations", null, channelKey).statusCode()).isEqualTo(403);
        HttpResponse<String> noExternal = server.send("POST", "/api/v1/channels/testchat/messages",
                "{\"text\":\"안녕\"}", channelKey);
        assertThat(noExternal.statusCode()).isEqualTo(400);
        assertThat(TestServer.json(noExternal.body()).get("code").asText()).isEqualTo("bad_request");
        assertThat(server.send("POST", "/api/v1/channels/testchat/messages", "{\"externalId\":\"x\",\"text\":\"a\","
                + "\"locale\":\"fr\"}", channelKey).statusCode()).isEqualTo(400);
        assertThat(server.send("POST", "/api/v1/channels/testchat/messages", "[]", channelKey).statusCode())
                .isEqualTo(400);
        assertThat(server.send("POST", "/api/v1/channels/testchat/messages", "{\"externalId\":\"x\",\"text\":\"a\"}",
                null).statusCode()).isEqualTo(401);
    }
}
