package dev.sodam.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.MutableClock;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WebhookReceiver;
import dev.sodam.server.testing.WebhookReceiver.Delivery;
import dev.sodam.server.testing.WsTestClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks against a real local HTTP receiver: signatures, the event catalogue in order per
 * conversation, retries with backoff on the injected clock, a stalled receiver that never slows
 * chat, the delivery log and manual redelivery, and the outbox surviving a restart.
 */
class WebhookDeliveryTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    @TempDir
    static Path dataDir;
    static final MutableClock clock = MutableClock.atGoldenInstant();
    static TestServer server;
    static String admin;
    static String agent;

    static Map<String, String> env() {
        return Map.of("SODAM_WEBHOOKS_ALLOW_PRIVATE", "true", "SODAM_WEBHOOK_TIMEOUT_SECONDS", "1",
                "SODAM_WEBHOOK_MAX_ATTEMPTS", "2", "SODAM_WEBHOOK_RETRY_BASE_SECONDS", "10");
    }

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dataDir, env(), clock);
        server.createAgent("agent@sodam.test", "상담원 김", "agent-password-1");
        admin = server.loginAdmin();
        agent = server.login("agent@sodam.test", "agent-password-1");
        server.awaitBot();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Creates a webhook to the receiver and returns [id, secret]. */
    static String[] hook(TestServer on, WebhookReceiver receiver, String events) throws Exception {
        String body = "{\"url\":\"" + receiver.url() + "\"" + (events == null ? "" : ",\"events\":" + events) + "}";
        HttpResponse<String> created = on.send("POST", "/api/admin/webhooks", body, admin);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode json = TestServer.json(created.body());
        return new String[] {json.get("id").asText(), json.get("secret").asText()};
    }

    static void unhook(String id) throws Exception {
        assertThat(server.send("DELETE", "/api/admin/webhooks/" + id, null, admin).statusCode()).isEqualTo(200);
    }

    static String hmac(String secret, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }

    static JsonNode deliveries(String webhookId) throws Exception {
        HttpResponse<String> log = server.send("GET", "/api/admin/webhooks/" + webhookId + "/deliveries?limit=100", null, admin);
        assertThat(log.statusCode()).isEqualTo(200);
        return TestServer.json(log.body()).get("items");
    }

    @Test
    void theWholeLifeOfAChatArrivesSignedAndInOrder() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver();
             WsTestClient visitor = WsTestClient.connect(server.visitorUri());
             WsTestClient console = WsTestClient.connect(server.agentUri())) {
            String[] hook = hook(server, receiver, null);
            visitor.helloVisitor(null, null, 0);
            String id = visitor.say("c1", null, "배송은 얼마나 걸리나요?").get("conversationId").asText();
            visitor.send("{\"type\":\"handoff\",\"conversationId\":\"" + id + "\"}");
            console.helloAgent(agent);
            await().atMost(WAIT).until(() -> receiver.about(id).stream()
                    .anyMatch(d -> d.json().get("type").asText().equals("conversation.queued")));
            console.send("{\"type\":\"accept\",\"conversationId\":\"" + id + "\"}");
            await().atMost(WAIT).until(() -> receiver.about(id).stream()
                    .anyMatch(d -> d.json().get("type").asText().equals("conversation.assigned")));
            console.say("a1", id, "안녕하세요, 상담원 김입니다.");
            console.send("{\"type\":\"resolve\",\"conversationId\":\"" + id + "\"}");
            await().atMost(WAIT).until(() -> receiver.about(id).stream()
                    .anyMatch(d -> d.json().get("type").asText().equals("conversation.resolved")));
            visitor.send("{\"type\":\"rate\",\"conversationId\":\"" + id + "\",\"kind\":\"csat\",\"score\":5}");
            await().atMost(WAIT).until(() -> receiver.about(id).stream()
                    .anyMatch(d -> d.json().get("type").asText().equals("csat.created")));

            List<Delivery> got = receiver.about(id);
            List<String> types = got.stream().map(d -> d.json().get("type").asText()).toList();
            assertThat(types.get(0)).isEqualTo("conversation.created");
            assertThat(types).containsSubsequence("conversation.created", "message.created", "conversation.queued",
                    "conversation.assigned", "conversation.resolved", "csat.created");
            List<Long> seqs = new ArrayList<>();
            Set<String> eventIds = new HashSet<>();
            for (Delivery d : got) {
                JsonNode event = d.json();
                String timestamp = d.header("Sodam-Timestamp");
                assertThat(d.header("Sodam-Signature"))
                        .isEqualTo("t=" + timestamp + ",v1=" + hmac(hook[1], timestamp + "." + d.body()));
                assertThat(d.header("Sodam-Event-Id")).isEqualTo(event.get("id").asText());
                assertThat(d.header("Sodam-Event-Type")).isEqualTo(event.get("type").asText());
                assertThat(eventIds.add(event.get("id").asText())).isTrue();
                if (event.get("type").asText().equals("message.created")) {
                    seqs.add(event.at("/data/message/seq").asLong());
                }
            }
            assertThat(seqs).isSorted().doesNotHaveDuplicates();
            assertThat(got.stream().filter(d -> d.json().get("type").asText().equals("csat.created")).findFirst()
                    .orElseThrow().json().at("/data/feedback/score").asInt()).isEqualTo(5);
            unhook(hook[0]);
        }
    }

    @Test
    void aFailedDeliveryIsRetriedWithBackoffLoggedAndRedeliveredByHand() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver();
             WsTestClient visitor = WsTestClient.connect(server.visitorUri())) {
            String[] hook = hook(server, receiver, "[\"conversation.created\"]");
            receiver.answer(500);
            visitor.helloVisitor(null, null, 0);
            String id = visitor.say("r1", null, "안녕하세요").get("conversationId").asText();
            await().atMost(WAIT).until(() -> deliveries(hook[0]).path(0).path("attempts").asInt() == 1);
            JsonNode first = deliveries(hook[0]).get(0);
            assertThat(first.get("status").asText()).isEqualTo("pending");
            assertThat(first.get("lastStatus").asInt()).isEqualTo(500);
            assertThat(receiver.about(id)).hasSize(1);
            clock.advance(Duration.ofSeconds(9));
            // Not due yet: a poll runs every second, and nothing more arrives before the backoff has passed.
            await().pollDelay(Duration.ofMillis(1500)).atMost(WAIT).until(() -> true);
            assertThat(receiver.about(id)).hasSize(1);
            clock.advance(Duration.ofSeconds(2));
            await().atMost(WAIT).until(() -> deliveries(hook[0]).get(0).get("status").asText().equals("failed"));
            JsonNode failed = deliveries(hook[0]).get(0);
            assertThat(failed.get("log")).hasSize(2);
            assertThat(failed.get("log").get(1).get("statusCode").asInt()).isEqualTo(500);

            receiver.answer(204);
            HttpResponse<String> byAgent = server.send("POST", "/api/admin/webhooks/" + hook[0] + "/deliveries/"
                    + failed.get("seq").asLong() + "/redeliver", null, agent);
            assertThat(byAgent.statusCode()).isEqualTo(403);
            HttpResponse<String> again = server.send("POST", "/api/admin/webhooks/" + hook[0] + "/deliveries/"
                    + failed.get("seq").asLong() + "/redeliver", null, admin);
            assertThat(again.statusCode()).isEqualTo(202);
            JsonNode audit = TestServer.json(server.send("GET", "/api/admin/audit?action=webhook.redeliver", null, admin).body());
            assertThat(audit.path("entries").findValuesAsText("target")).contains(hook[0]);
            await().atMost(WAIT).until(() -> deliveries(hook[0]).get(0).get("status").asText().equals("delivered"));
            List<Delivery> got = receiver.about(id);
            assertThat(got).hasSize(3);
            assertThat(got.stream().map(d -> d.header("Sodam-Event-Id")).distinct()).hasSize(1);
            unhook(hook[0]);
        }
    }

    @Test
    void aStalledReceiverNeverSlowsChat() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver();
             WsTestClient visitor = WsTestClient.connect(server.visitorUri())) {
            String[] hook = hook(server, receiver, null);
            receiver.stall();
            visitor.helloVisitor(null, null, 0);
            String id = visitor.say("s0", null, "안녕하세요").get("conversationId").asText();
            await().atMost(WAIT).until(() -> !receiver.about(id).isEmpty());
            long slowest = 0;
            for (int i = 1; i <= 30; i++) {
                long started = System.nanoTime();
                visitor.say("s" + i, id, "메시지 " + i);
                slowest = Math.max(slowest, System.nanoTime() - started);
            }
            assertThat(Duration.ofNanos(slowest)).isLessThan(Duration.ofSeconds(1));
            await().atMost(WAIT).until(() -> deliveries(hook[0]).findValuesAsText("lastError").stream()
                    .anyMatch(e -> e.startsWith("timed out")));
            // Still in order: nothing after the stalled event was sent meanwhile.
            assertThat(receiver.about(id)).hasSize(1);
            receiver.release();
            unhook(hook[0]);
        }
    }

    @Test
    void targetsAreCheckedAndOnlyAdminsManageWebhooks() throws Exception {
        assertThat(server.send("GET", "/api/admin/webhooks", null, agent).statusCode()).isEqualTo(403);
        assertThat(server.send("GET", "/api/admin/webhooks", null, null).statusCode()).isEqualTo(401);
        HttpResponse<String> ftp = server.send("POST", "/api/admin/webhooks", "{\"url\":\"ftp://example.com/x\"}", admin);
        assertThat(ftp.statusCode()).isEqualTo(400);
        assertThat(TestServer.json(ftp.body()).get("code").asText()).isEqualTo("bad_request");
        HttpResponse<String> unknown = server.send("POST", "/api/admin/webhooks",
                "{\"url\":\"http://127.0.0.1:9/x\",\"events\":[\"everything\"]}", admin);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(server.send("DELETE", "/api/admin/webhooks/wh_missing", null, admin).statusCode()).isEqualTo(404);
    }

    @Test
    void thePendingOutboxIsDeliveredAfterARestart(@TempDir Path otherDir) throws Exception {
        MutableClock restartClock = MutableClock.atGoldenInstant();
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answer(503);
            String id;
            String eventId;
            try (TestServer first = TestServer.start(otherDir, env(), restartClock)) {
                String token = first.loginAdmin();
                HttpResponse<String> created = first.send("POST", "/api/admin/webhooks",
                        "{\"url\":\"" + receiver.url() + "\",\"events\":[\"conversation.created\"]}", token);
                assertThat(created.statusCode()).isEqualTo(201);
                try (WsTestClient visitor = WsTestClient.connect(first.visitorUri())) {
                    visitor.helloVisitor(null, null, 0);
                    id = visitor.say("x1", null, "안녕하세요").get("conversationId").asText();
                }
                await().atMost(WAIT).until(() -> receiver.about(id).size() == 1);
                eventId = receiver.about(id).get(0).header("Sodam-Event-Id");
            }
            receiver.answer(200);
            try (TestServer second = TestServer.start(otherDir, env(), restartClock)) {
                assertThat(second.port()).as("the restarted server, which owns the outbox now").isPositive();
                restartClock.advance(Duration.ofSeconds(11));
                await().atMost(WAIT).until(() -> receiver.about(id).size() == 2);
                assertThat(receiver.about(id).get(1).header("Sodam-Event-Id")).isEqualTo(eventId);
            }
        }
    }
}
