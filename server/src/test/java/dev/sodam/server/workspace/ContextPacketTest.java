package dev.sodam.server.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WsTestClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The context packet over real sockets and HTTP: what the bot decided (stored with the conversation,
 * so the same after a restart), the FAQ candidates with their answers, the pages the widget reported
 * (without query strings), earlier conversations; and who may read it.
 */
class ContextPacketTest {
    private static final String KIM = "kim@sodam.test";
    private static final String KIM_PASSWORD = "kim-password-1";

    @TempDir
    static Path dataDir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dataDir);
        server.awaitBot();
        server.createAgent(KIM, "김상담", KIM_PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static JsonNode context(String id, String token, int expectedStatus) throws Exception {
        HttpResponse<String> response = server.get("/api/workspace/conversations/" + id + "/context", token);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
        return TestServer.json(response.body());
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }

    @Test
    void theAgentSeesWhatTheBotDecidedWhereTheVisitorIsAndTheirEarlierChats() throws Exception {
        String admin = server.loginAdmin();
        String kim = server.login(KIM, KIM_PASSWORD);
        String id;
        String visitorToken;
        try (WsTestClient visitor = WsTestClient.connect(server.visitorUri());
             WsTestClient adminWs = WsTestClient.connect(server.agentUri())) {
            visitorToken = visitor.helloVisitor(null, null, 0).get("visitorToken").asText();
            adminWs.helloAgent(admin);
            // The widget reports its page: the query and fragment never reach the server.
            visitor.send("{\"type\":\"page\",\"url\":\"https://shop.example.com/cart?coupon=SECRET#pay\",\"title\":\"장바구니\"}");
            visitor.send("{\"type\":\"page\",\"url\":\"https://shop.example.com/orders/1234?token=abc\",\"title\":\"주문 상세\"}");
            id = visitor.say("v-1", null, "배송 언제 와요?").get("conversationId").asText();
            visitor.await("message", m -> m.path("from").path("kind").asText().equals("bot"));
            visitor.say("v-2", id, "상담원 연결");
            visitor.await("status", s -> s.get("state").asText().equals("queued"));

            JsonNode packet = context(id, kim, 200); // queued: any agent may read it before accepting
            assertThat(packet.get("conversationId").asText()).isEqualTo(id);
            JsonNode turns = packet.get("turns");
            assertThat(turns.size()).isEqualTo(2);
            assertThat(turns.get(0).get("question").asText()).isEqualTo("배송 언제 와요?");
            assertThat(turns.get(0).get("decision").asText()).isIn("answer", "clarify");
            assertThat(turns.get(0).get("confidence").asDouble()).isBetween(0.0, 1.0);
            assertThat(turns.get(1).get("decision").asText()).isEqualTo("handoff");
            assertThat(turns.get(1).get("reason").asText()).isEqualTo("requested");
            assertThat(packet.get("bot").get("seq").asLong()).isEqualTo(turns.get(1).get("seq").asLong());
            JsonNode candidates = packet.get("candidates");
            assertThat(candidates.size()).isBetween(1, 3);
            for (JsonNode c : candidates) {
                assertThat(c.get("answer").asText()).isNotBlank();
                assertThat(c.get("score").asDouble()).isBetween(0.0, 1.0);
            }
            assertThat(candidates.get(0).get("faqId").asText()).startsWith("ko-delivery");
            assertThat(texts(packet.get("transcript"), "text")).startsWith("배송 언제 와요?");
            assertThat(texts(packet.get("transcript"), "from")).contains("visitor", "bot").doesNotContain("system");
            assertThat(packet.get("page").get("url").asText()).isEqualTo("https://shop.example.com/orders/1234");
            assertThat(packet.get("page").get("title").asText()).isEqualTo("주문 상세");
            assertThat(texts(packet.get("pages"), "url")).containsExactly("https://shop.example.com/orders/1234",
                    "https://shop.example.com/cart");
            assertThat(packet.toString()).doesNotContain("SECRET").doesNotContain("token=abc");
            assertThat(packet.get("urgency").get("sentiment").asText()).isEqualTo("neutral");
            assertThat(packet.get("previous").size()).isZero();

            // Once the admin has it, another agent may no longer read it; nobody without a token ever.
            adminWs.send("{\"type\":\"accept\",\"conversationId\":\"" + id + "\"}");
            visitor.await("status", s -> s.get("state").asText().equals("assigned"));
            assertThat(context(id, kim, 403).get("code").asText()).isEqualTo("forbidden");
            assertThat(context(id, null, 401).get("code").asText()).isEqualTo("unauthorized");
            assertThat(context(id, "not-a-token", 401).get("code").asText()).isEqualTo("unauthorized");
            assertThat(context("cv_nope", admin, 404).get("code").asText()).isEqualTo("not_found");
            assertThat(server.get("/api/workspace/conversations/" + id + "/nothing", admin).statusCode()).isEqualTo(404);

            // An agent has no page to report.
            adminWs.send("{\"type\":\"page\",\"url\":\"https://x.example/\",\"ref\":\"pg\"}");
            assertThat(adminWs.await("error", e -> e.path("ref").asText().equals("pg")).get("code").asText())
                    .isEqualTo("forbidden");

            adminWs.send("{\"type\":\"resolve\",\"conversationId\":\"" + id + "\"}");
            visitor.await("status", s -> s.get("state").asText().equals("resolved"));
        }

        // The next conversation of the same visitor lists this one as earlier.
        String second;
        try (WsTestClient visitor = WsTestClient.connect(server.visitorUri())) {
            visitor.helloVisitor(visitorToken, null, 0);
            second = visitor.say("v-3", null, "이 개같은 서비스 최악이에요!!!").get("conversationId").asText();
            visitor.await("message", m -> m.path("from").path("kind").asText().equals("bot")
                    || m.path("from").path("kind").asText().equals("system"));
        }
        JsonNode next = context(second, admin, 200);
        assertThat(texts(next.get("previous"), "id")).containsExactly(id);
        assertThat(next.get("previous").get(0).get("agent").get("name").asText()).isEqualTo("admin");
        assertThat(next.get("urgency").get("sentiment").asText()).isEqualTo("negative");
        assertThat(next.get("urgency").get("urgent").asBoolean()).isTrue();

        // After a restart the packet is rebuilt from what is stored.
        JsonNode before = context(id, admin, 200);
        server.close();
        server = TestServer.start(dataDir);
        JsonNode after = context(id, server.loginAdmin(), 200);
        assertThat(after.get("turns")).isEqualTo(before.get("turns"));
        assertThat(after.get("candidates")).isEqualTo(before.get("candidates"));
        assertThat(after.get("pages")).isEqualTo(before.get("pages"));
    }
}
