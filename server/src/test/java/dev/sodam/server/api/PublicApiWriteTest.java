package dev.sodam.server.api;

import static dev.sodam.server.api.PublicApiTest.assertError;
import static dev.sodam.server.api.PublicApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WebhookReceiver;
import dev.sodam.server.testing.WsTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
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
 * Writes through the public API on a real server: hand-off, resolve and messages go through the
 * conversation service (the visitor sees them, webhooks fire, the audit log names the key), a retried
 * message with the same Idempotency-Key is stored once, FAQ edits go through the FAQ service so the
 * bot answers with them, and every write checks the key's scope and site. Creating and revoking keys
 * and changing webhooks is audited, never with a secret.
 */
class PublicApiWriteTest {
    @TempDir
    static Path dataDir;
    static TestServer server;
    static WebhookReceiver receiver;
    static String admin;
    static String reader;
    static String writer;
    static String faqKey;
    static String otherSite;
    static String otherAdmin;

    @BeforeAll
    static void start() throws Exception {
        receiver = new WebhookReceiver();
        server = TestServer.start(dataDir, Map.of("SODAM_WEBHOOKS_ALLOW_PRIVATE", "true"));
        server.createSite("other");
        admin = server.loginAdmin();
        reader = server.createApiKey(admin, "demo", "[\"read\"]", null);
        writer = server.createApiKey(admin, "demo", "[\"read\",\"write\"]", null);
        faqKey = server.createApiKey(admin, "demo", "[\"faq\"]", null);
        otherSite = server.createApiKey(admin, "other", "[\"read\",\"write\",\"faq\"]", null);
        assertThat(server.send("POST", "/api/admin/users", "{\"email\":\"admin@other.test\",\"name\":\"다른 가게\","
                + "\"role\":\"admin\",\"siteId\":\"other\",\"password\":\"other-password-1\"}", admin).statusCode()).isEqualTo(201);
        otherAdmin = server.login("admin@other.test", "other-password-1");
        assertThat(server.send("POST", "/api/admin/webhooks", "{\"site\":\"demo\",\"url\":\"" + receiver.url() + "\"}",
                admin).statusCode()).isEqualTo(201);
        server.awaitBot();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    static HttpResponse<String> post(String path, String body, String key, String idempotencyKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.http(path)))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Audit rows about a conversation (or FAQ entry), oldest first. */
    static List<JsonNode> audit(String target) throws Exception {
        List<JsonNode> rows = new java.util.ArrayList<>();
        json(server.get("/api/admin/audit?target=" + target, admin)).get("entries").forEach(rows::add);
        java.util.Collections.reverse(rows);
        return rows;
    }

    @Test
    void handOffPostAsAgentAndBotThenResolveLikeTheConsoleWould() throws Exception {
        try (WsTestClient visitor = WsTestClient.connect(server.visitorUri())) {
            visitor.helloVisitor(null, null, 0);
            String id = visitor.say("w1", null, "배송은 얼마나 걸리나요?").get("conversationId").asText();
            String base = "/api/v1/conversations/" + id;

            JsonNode queued = json(post(base + "/handoff", "", writer, null));
            assertThat(queued.get("state").asText()).isEqualTo("queued");
            assertThat(post(base + "/handoff", "{}", writer, null).statusCode()).as("again: nothing changes").isEqualTo(200);
            visitor.await("status", f -> f.path("state").asText().equals("queued"));

            HttpResponse<String> first = post(base + "/messages", "{\"text\":\"주문 확인했어요.\"}", writer, "crm-42");
            HttpResponse<String> retry = post(base + "/messages", "{\"text\":\"주문 확인했어요.\"}", writer, "crm-42");
            assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
            assertThat(retry.statusCode()).as("a retry is answered with the original").isEqualTo(200);
            assertThat(json(retry).get("id").asText()).isEqualTo(json(first).get("id").asText());
            JsonNode bot = json(post(base + "/messages", "{\"text\":\"자동 안내입니다.\",\"authorKind\":\"bot\"}", writer, null));
            assertThat(bot.at("/from/kind").asText()).isEqualTo("bot");
            assertThat(bot.get("seq").asLong()).isEqualTo(json(first).get("seq").asLong() + 1);
            assertThat(visitor.messages(id).stream().filter(m -> m.path("text").asText().equals("주문 확인했어요.")))
                    .as("the visitor got the message once").hasSize(1);
            JsonNode messages = json(server.get(base + "/messages", reader));
            assertThat(messages.get("items").findValuesAsText("text").stream().filter("주문 확인했어요."::equals))
                    .as("stored once").hasSize(1);

            JsonNode resolved = json(post(base + "/resolve", "", writer, null));
            assertThat(resolved.get("state").asText()).isEqualTo("resolved");
            visitor.await("status", f -> f.path("state").asText().equals("resolved"));
            assertError(post(base + "/resolve", "", writer, null), 409, "conflict");
            assertError(post(base + "/handoff", "", writer, null), 409, "conflict");
            assertError(post(base + "/messages", "{\"text\":\"늦었어요\"}", writer, null), 409, "conflict");

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(receiver.about(id).stream()
                    .map(d -> d.json().get("type").asText()).toList())
                    .contains("conversation.queued", "conversation.resolved").contains("message.created"));
            JsonNode queuedEvent = receiver.about(id).stream().map(WebhookReceiver.Delivery::json)
                    .filter(e -> e.get("type").asText().equals("conversation.queued")).findFirst().orElseThrow();
            assertThat(queuedEvent.at("/data/reason").asText()).isEqualTo("integration");
            List<String> actions = audit(id).stream().map(e -> e.get("action").asText()).toList();
            assertThat(actions).containsExactly("conversation.handoff", "conversation.message", "conversation.message",
                    "conversation.resolve");
            assertThat(audit(id).get(0).at("/actor/id").asText()).startsWith("ak_");
        }
    }

    @Test
    void everyWriteChecksTheKeysScopeAndSite() throws Exception {
        String id;
        try (WsTestClient visitor = WsTestClient.connect(server.visitorUri())) {
            visitor.helloVisitor(null, null, 0);
            id = visitor.say("s1", null, "안녕하세요").get("conversationId").asText();
        }
        String base = "/api/v1/conversations/" + id;
        for (String path : List.of(base + "/handoff", base + "/resolve", base + "/messages")) {
            String body = path.endsWith("messages") ? "{\"text\":\"x\"}" : "";
            assertError(post(path, body, reader, null), 403, "forbidden");
            assertError(post(path, body, faqKey, null), 403, "forbidden");
            assertError(post(path, body, otherSite, null), 404, "not_found");
            assertError(server.post(path, body, null), 401, "unauthorized");
            assertError(server.post(path, body, admin), 401, "unauthorized");
        }
        for (String[] faqWrite : new String[][] {{"POST", "/api/v1/faq"}, {"PUT", "/api/v1/faq/ko-delivery-fee"},
                {"POST", "/api/v1/faq/ko-delivery-fee/disable"}}) {
            assertError(server.send(faqWrite[0], faqWrite[1], "{}", writer), 403, "forbidden");
            assertError(server.send(faqWrite[0], faqWrite[1], "{}", reader), 403, "forbidden");
            assertError(server.send(faqWrite[0], faqWrite[1], "{}", null), 401, "unauthorized");
        }
        assertThat(json(server.get(base, reader)).get("state").asText()).as("nothing changed").isEqualTo("bot");
        assertError(server.send("POST", "/api/admin/api-keys", "{\"site\":\"other\",\"name\":\"faq\",\"scopes\":[\"faq\"]}",
                otherAdmin), 403, "forbidden");
        assertError(post(base + "/messages", "{\"text\":\"x\",\"clientMsgId\":\"a\"}", writer, "b"), 400, "bad_request");
        assertError(post(base + "/messages", "{\"text\":\"x\",\"authorKind\":\"visitor\"}", writer, null), 400, "bad_request");
        assertError(post(base + "/messages", "{\"text\":\"x\"}", writer, "k".repeat(65)), 400, "bad_request");
        assertError(post(base + "/handoff", "{\"topic\":7}", writer, null), 400, "bad_request");
    }

    @Test
    void faqEntriesWrittenThroughTheApiAreWhatTheBotAnswersWith() throws Exception {
        String question = "반려견을 데리고 매장에 방문해도 되나요?";
        HttpResponse<String> created = server.send("POST", "/api/v1/faq", "{\"id\":\"ko-pets-api\",\"locale\":\"ko\","
                + "\"question\":\"" + question + "\",\"paraphrases\":[\"강아지 데려가도 돼요?\",\"애완동물 동반 가능한가요?\"],"
                + "\"answer\":\"네, 목줄을 한 반려견은 함께 오실 수 있어요.\",\"tags\":[\"store\"]}", faqKey);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(json(created).get("version").asLong()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(120)).until(() -> "ko-pets-api".equals(ask(question).path("faqId").asText()));

        JsonNode updated = json(server.send("PUT", "/api/v1/faq/ko-pets-api", "{\"locale\":\"ko\",\"question\":\""
                + question + "\",\"answer\":\"네, 목줄을 한 반려견은 1층 매장에 함께 오실 수 있어요.\",\"version\":1}", faqKey));
        assertThat(updated.get("version").asLong()).isEqualTo(2);
        assertError(server.send("PUT", "/api/v1/faq/ko-pets-api", "{\"locale\":\"ko\",\"question\":\"q\",\"answer\":\"a\","
                + "\"version\":1}", faqKey), 409, "conflict");
        await().atMost(Duration.ofSeconds(120)).until(() -> ask(question).path("answer").asText().contains("1층"));

        JsonNode disabled = json(server.post("/api/v1/faq/ko-pets-api/disable", "", faqKey));
        assertThat(disabled.get("enabled").asBoolean()).isFalse();
        await().atMost(Duration.ofSeconds(120)).until(() -> !"ko-pets-api".equals(ask(question).path("faqId").asText()));
        assertError(server.post("/api/v1/faq/no-such-entry/disable", "", faqKey), 404, "not_found");

        List<String> actions = audit("ko-pets-api").stream().map(e -> e.get("action").asText()).toList();
        assertThat(actions).containsExactly("faq.create", "faq.update", "faq.disable");
        assertThat(audit("ko-pets-api").get(0).at("/actor/id").asText()).startsWith("ak_");
    }

    @Test
    void keyAndWebhookChangesAreAuditedWithoutTheirSecrets() throws Exception {
        JsonNode key = json(server.send("POST", "/api/admin/api-keys", "{\"name\":\"ERP\",\"scopes\":[\"read\"]}", admin));
        String keyId = key.at("/key/id").asText();
        assertThat(server.send("DELETE", "/api/admin/api-keys/" + keyId, null, admin).statusCode()).isEqualTo(200);
        JsonNode hook = json(server.send("POST", "/api/admin/webhooks", "{\"url\":\"" + receiver.url() + "?erp\"}", admin));
        String hookId = hook.get("id").asText();
        assertThat(server.send("PUT", "/api/admin/webhooks/" + hookId, "{\"enabled\":false}", admin).statusCode())
                .isEqualTo(200);
        assertThat(server.send("DELETE", "/api/admin/webhooks/" + hookId, null, admin).statusCode()).isEqualTo(200);

        assertThat(audit(keyId).stream().map(e -> e.get("action").asText()).toList())
                .containsExactly("apikey.create", "apikey.revoke");
        List<JsonNode> hookRows = audit(hookId);
        assertThat(hookRows.stream().map(e -> e.get("action").asText()).toList())
                .containsExactly("webhook.create", "webhook.update", "webhook.delete");
        assertThat(hookRows.get(1).at("/before/enabled").asBoolean()).isTrue();
        assertThat(hookRows.get(1).at("/after/enabled").asBoolean()).isFalse();
        String log = server.get("/api/admin/audit", admin).body();
        assertThat(log).contains(keyId).doesNotContain(key.get("secret").asText()).doesNotContain(hook.get("secret").asText());
    }

    static JsonNode ask(String text) throws Exception {
        return json(server.post("/api/bot/ask", "{\"text\":\"" + text + "\",\"locale\":\"ko\"}", admin));
    }

    static String faqBody(String id, String locale, String question, String extra) {
        return "{" + (id == null ? "" : "\"id\":\"" + id + "\",") + "\"locale\":\"" + locale + "\",\"question\":\""
                + question + "\",\"answer\":\"답: " + question + "\"" + extra + "}";
    }

    static JsonNode publicEntry(String id) throws Exception {
        for (JsonNode e : json(server.get("/api/v1/faq?q=" + id, reader)).get("items")) {
            if (e.get("id").asText().equals(id)) {
                return e;
            }
        }
        throw new AssertionError("no entry " + id + " in GET /api/v1/faq");
    }

    @Test
    void anEntrysTeamAndTranslationAreReadAndWrittenThroughTheApi() throws Exception {
        JsonNode ko = json(server.send("POST", "/api/v1/faq", faqBody("api-umbrella-ko", "ko", "우산 빌려주나요?",
                ",\"team\":\"delivery\""), faqKey));
        assertThat(ko.get("team").asText()).isEqualTo("delivery");
        assertThat(ko.get("translation").isNull()).isTrue();
        HttpResponse<String> created = server.send("POST", "/api/v1/faq", faqBody("api-umbrella-en", "en",
                "Do you lend umbrellas?", ",\"team\":\"payment\",\"translation\":\"api-umbrella-ko\""), faqKey);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(json(created).get("translation").asText()).isEqualTo("api-umbrella-ko");

        // The read shape: both sides name each other; the list filters by team.
        JsonNode read = publicEntry("api-umbrella-ko");
        assertThat(read.get("team").asText()).isEqualTo("delivery");
        assertThat(read.get("translation").asText()).isEqualTo("api-umbrella-en");
        assertThat(read.get("version").asLong()).isEqualTo(2);
        List<String> delivery = new java.util.ArrayList<>();
        json(server.get("/api/v1/faq?team=delivery", reader)).get("items").forEach(e -> delivery.add(e.get("id").asText()));
        assertThat(delivery).contains("api-umbrella-ko").doesNotContain("api-umbrella-en");

        // A replace without the fields keeps them.
        JsonNode replaced = json(server.send("PUT", "/api/v1/faq/api-umbrella-ko", faqBody(null, "ko", "우산 빌려주나요?",
                ",\"version\":2"), faqKey));
        assertThat(replaced.get("team").asText()).isEqualTo("delivery");
        assertThat(replaced.get("translation").asText()).isEqualTo("api-umbrella-en");

        // Refused, and nothing written: no such team, a link to no entry, to itself, to the same
        // language, to an entry linked to a third one; a team or link that is not even a string.
        String[][] refused = {
                {"POST", "/api/v1/faq", faqBody("api-bad-1", "ko", "팀이 없어요", ",\"team\":\"marketing\""), "400", "team"},
                {"POST", "/api/v1/faq", faqBody("api-bad-2", "ko", "없는 번역", ",\"translation\":\"no-such-entry\""), "400",
                        "translation"},
                {"POST", "/api/v1/faq", faqBody("api-bad-3", "ko", "자기 자신", ",\"translation\":\"api-bad-3\""), "400",
                        "itself"},
                {"POST", "/api/v1/faq", faqBody("api-bad-4", "ko", "같은 언어", ",\"translation\":\"api-umbrella-ko\""), "400",
                        "other language"},
                {"POST", "/api/v1/faq", faqBody("api-bad-5", "en", "Third one?", ",\"translation\":\"api-umbrella-ko\""), "409",
                        "already linked"},
                {"POST", "/api/v1/faq", faqBody("api-bad-6", "ko", "숫자 팀", ",\"team\":7"), "400", "team"},
                {"PUT", "/api/v1/faq/api-umbrella-ko", faqBody(null, "ko", "우산 빌려주나요?",
                        ",\"team\":\"marketing\",\"version\":3"), "400", "team"},
                {"PUT", "/api/v1/faq/api-umbrella-en", faqBody(null, "en", "Do you lend umbrellas?",
                        ",\"translation\":\"api-umbrella-en\",\"version\":1"), "400", "itself"}};
        for (String[] r : refused) {
            HttpResponse<String> answer = server.send(r[0], r[1], r[2], faqKey);
            assertError(answer, Integer.parseInt(r[3]), r[3].equals("409") ? "conflict" : "bad_request");
            assertThat(json(answer).get("message").asText()).as(r[2]).contains(r[4]);
        }
        for (String id : List.of("api-bad-1", "api-bad-2", "api-bad-3", "api-bad-4", "api-bad-5", "api-bad-6")) {
            assertThat(server.get("/api/admin/faq/" + id, admin).statusCode()).isEqualTo(404);
        }
        assertThat(publicEntry("api-umbrella-ko").get("version").asLong()).isEqualTo(3);
        assertThat(publicEntry("api-umbrella-en").get("version").asLong()).isEqualTo(1);

        // null clears: the link on both sides, and the team.
        JsonNode cleared = json(server.send("PUT", "/api/v1/faq/api-umbrella-en", faqBody(null, "en",
                "Do you lend umbrellas?", ",\"team\":null,\"translation\":null,\"version\":1"), faqKey));
        assertThat(cleared.get("team").isNull()).isTrue();
        assertThat(cleared.get("translation").isNull()).isTrue();
        assertThat(publicEntry("api-umbrella-ko").get("translation").isNull()).isTrue();
        assertThat(audit("api-umbrella-ko").stream().map(a -> a.get("action").asText()).toList())
                .containsExactly("faq.create", "faq.update", "faq.update", "faq.update");
    }
}
