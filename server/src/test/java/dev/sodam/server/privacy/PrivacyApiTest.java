package dev.sodam.server.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.AdminHttp;
import dev.sodam.server.testing.MutableClock;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WsTestClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data protection through a real server: personal numbers are masked before a message is stored
 * (and so in what agents see), settings with a version, retention on a clock the test moves, a
 * visitor's export and deletion — each endpoint with every role and another site's admin.
 */
class PrivacyApiTest {
    @TempDir
    static Path dataDir;
    static TestServer server;
    static MutableClock clock;
    static AdminHttp api;
    static String admin;
    static String agent;
    static String supervisor;
    static String otherSiteAdmin;

    @BeforeAll
    static void start() throws Exception {
        clock = new MutableClock(Instant.now());
        server = TestServer.start(dataDir, Map.of(), clock);
        api = new AdminHttp(server);
        execute("INSERT INTO sites(id, name, allowed_origins) VALUES ('shop2', '두번째 가게', '[\"self\"]')");
        logins();
        for (Object[] u : new Object[][] {{"agent@privacy.test", "agent", null}, {"super@privacy.test", "supervisor", null},
                {"admin@shop2.test", "admin", "shop2"}}) {
            Map<String, Object> body = new java.util.HashMap<>(Map.of("email", u[0], "name", "사용자", "role", u[1],
                    "password", "privacy-password-1"));
            if (u[2] != null) {
                body.put("siteId", u[2]);
            }
            assertThat(call("POST", "/api/admin/users", body, admin).status()).isEqualTo(201);
        }
        logins();
    }

    static void logins() throws Exception {
        admin = server.loginAdmin();
        if (agent != null || count("SELECT count(*) FROM agents") > 1) {
            agent = server.login("agent@privacy.test", "privacy-password-1");
            supervisor = server.login("super@privacy.test", "privacy-password-1");
            otherSiteAdmin = server.login("admin@shop2.test", "privacy-password-1");
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static AdminHttp.Response call(String method, String path, Object body, String token) throws Exception {
        return api.call(method, path, body, token);
    }

    static long count(String sql) throws Exception {
        return api.count(sql);
    }

    static String text(String sql) throws Exception {
        return api.text(sql);
    }

    static void execute(String sql) throws Exception {
        api.execute(sql);
    }

    /** A visitor says something; returns the conversation id. */
    static String visitorSays(String text) throws Exception {
        try (WsTestClient visitor = WsTestClient.connect(server.visitorUri())) {
            visitor.helloVisitor(null, null, 0);
            return visitor.say("p-" + System.nanoTime(), null, text).path("conversationId").asText();
        }
    }

    @Test
    void personalNumbersAreMaskedBeforeTheyAreStoredAndSoInTheConsole() throws Exception {
        String id = visitorSays("카드 4111-1111-1111-1111 로 결제했고 연락처는 010-1234-5678, 주민번호 900101-1234567 이에요. "
                + "주문번호 2024-1123-4567 확인 부탁해요");
        String stored = text("SELECT body FROM messages WHERE conversation_id = '" + id + "' AND seq = 1");
        assertThat(stored).isEqualTo("카드 ****-****-****-1111 로 결제했고 연락처는 010-****-5678, 주민번호 ******-******* 이에요. "
                + "주문번호 2024-1123-4567 확인 부탁해요");
        assertThat(count("SELECT count(*) FROM messages WHERE body LIKE '%4111-1111-1111-1111%' OR body LIKE '%1234-5678%'"))
                .isZero();
        try (WsTestClient console = WsTestClient.connect(server.agentUri())) {
            console.helloAgent(admin);
            console.send("{\"type\":\"sync\",\"conversationId\":\"" + id + "\",\"afterSeq\":0}");
            JsonNode first = console.await("message", m -> m.path("seq").asLong() == 1
                    && m.path("conversationId").asText().equals(id));
            assertThat(first.path("text").asText()).contains("010-****-5678").doesNotContain("1234-5678");
        }

        // A configured pattern applies from the next message on.
        long version = call("GET", "/api/admin/privacy", null, admin).json().path("version").asLong();
        AdminHttp.Response saved = call("PUT", "/api/admin/privacy", Map.of("maskPatterns", List.of("회원번호\\s*\\d{6}"),
                "version", version), admin);
        assertThat(saved.status()).as(saved.json().toString()).isEqualTo(200);
        String second = visitorSays("회원번호 123456 이에요");
        assertThat(text("SELECT body FROM messages WHERE conversation_id = '" + second + "' AND seq = 1"))
                .isEqualTo("**** ****** 이에요");
        assertThat(call("POST", "/api/admin/privacy/mask", Map.of("text", "회원번호 654321, 010 9999 8888"), admin)
                .json().path("masked").asText()).isEqualTo("**** ******, 010 **** 8888");
    }

    /** Notes and satisfaction comments are free text too: the numbers in them are masked the same way. */
    @Test
    void notesAndSatisfactionCommentsAreMaskedLikeMessages() throws Exception {
        try (WsTestClient visitor = WsTestClient.connect(server.visitorUri());
             WsTestClient agent = WsTestClient.connect(server.agentUri())) {
            agent.helloAgent(admin);
            visitor.helloVisitor(null, null, 0);
            String id = visitor.say("n-1", null, "문의할게요").path("conversationId").asText();
            visitor.send(Map.of("type", "handoff", "conversationId", id));
            org.awaitility.Awaitility.await().until(() -> agent.frames("conversation").stream().anyMatch(c ->
                    id.equals(c.path("conversation").path("id").asText())
                            && "queued".equals(c.path("conversation").path("state").asText())));
            agent.send(Map.of("type", "accept", "conversationId", id));
            agent.await("conversation", c -> id.equals(c.path("conversation").path("id").asText())
                    && "assigned".equals(c.path("conversation").path("state").asText()));
            agent.send(Map.of("type", "note", "conversationId", id, "text", "고객 카드 4111-1111-1111-1111 확인함"));
            JsonNode note = agent.await("note", n -> id.equals(n.path("conversationId").asText()));
            assertThat(note.path("text").asText()).isEqualTo("고객 카드 ****-****-****-1111 확인함");
            agent.send(Map.of("type", "resolve", "conversationId", id));
            visitor.await("status", st -> "resolved".equals(st.path("state").asText()));
            visitor.send(Map.of("type", "rate", "conversationId", id, "kind", "csat", "score", 5,
                    "comment", "친절했어요. 010-1234-5678로 연락 주세요"));
            visitor.await("rated");
            assertThat(text("SELECT body FROM notes WHERE conversation_id = '" + id + "'"))
                    .isEqualTo("고객 카드 ****-****-****-1111 확인함");
            assertThat(text("SELECT comment FROM feedback WHERE conversation_id = '" + id + "'"))
                    .isEqualTo("친절했어요. 010-****-5678로 연락 주세요");
        }
    }

    @Test
    void settingsHaveAVersionAndBadInputWritesNothing() throws Exception {
        JsonNode current = call("GET", "/api/admin/privacy", null, admin).json();
        long version = current.path("version").asLong();
        long audit = count("SELECT count(*) FROM audit_log");
        Object[][] bad = {
                {Map.of("maskPatterns", List.of("([a-z"), "version", version), "regular expression"},
                {Map.of("maskPatterns", List.of("x*"), "version", version), "empty"},
                {Map.of("retentionDays", 0, "version", version), "retentionDays"},
                {Map.of("retentionDays", "30", "version", version), "retentionDays"},
                {Map.of("retentionDays", 30), "version"},
                {Map.of("maskPatterns", "not-a-list", "version", version), "maskPatterns"},
                {"[]", "JSON object"},
        };
        for (Object[] c : bad) {
            AdminHttp.Response response = call("PUT", "/api/admin/privacy", c[0], admin);
            assertThat(response.status()).as(c[0].toString()).isEqualTo(400);
            assertThat(response.json().path("message").asText()).contains((String) c[1]);
        }
        assertThat(call("GET", "/api/admin/privacy", null, admin).json().path("version").asLong()).isEqualTo(version);
        assertThat(count("SELECT count(*) FROM audit_log")).isEqualTo(audit);
        AdminHttp.Response ok = call("PUT", "/api/admin/privacy", Map.of("maskPatterns", current.path("maskPatterns"),
                "version", version), admin);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(call("PUT", "/api/admin/privacy", Map.of("version", version), admin).status())
                .as("stale").isEqualTo(409);
        assertThat(count("SELECT count(*) FROM audit_log WHERE action = 'privacy.update'")).isPositive();
    }

    @Test
    void everyEndpointRefusesWhoMayNotCallIt() throws Exception {
        String conversation = visitorSays("제 정보를 지워 주세요");
        Object[][] endpoints = {
                {"GET", "/api/admin/privacy", null},
                {"PUT", "/api/admin/privacy", Map.of("version", 99)},
                {"POST", "/api/admin/privacy/purge", null},
                {"POST", "/api/admin/privacy/mask", Map.of("text", "010-1234-5678")},
                {"GET", "/api/admin/visitors/" + conversation + "/export", null},
                {"DELETE", "/api/admin/visitors/" + conversation, null},
        };
        // (The bot may still be answering, so count what a refused call could have removed.)
        long stored = count("SELECT (SELECT count(*) FROM conversations) + (SELECT count(*) FROM visitors)"
                + " + (SELECT count(*) FROM settings) * 1000");
        for (Object[] e : endpoints) {
            String what = e[0] + " " + e[1];
            assertThat(call((String) e[0], (String) e[1], e[2], null).status()).as(what).isEqualTo(401);
            assertThat(call((String) e[0], (String) e[1], e[2], agent).status()).as(what + " agent").isEqualTo(403);
            assertThat(call((String) e[0], (String) e[1], e[2], supervisor).status()).as(what + " supervisor").isEqualTo(403);
            int foreign = call((String) e[0], (String) e[1], e[2], otherSiteAdmin).status();
            assertThat(foreign).as(what + " another site's admin").isEqualTo(((String) e[1]).contains("visitors") ? 404 : 403);
        }
        assertThat(count("SELECT (SELECT count(*) FROM conversations) + (SELECT count(*) FROM visitors)"
                + " + (SELECT count(*) FROM settings) * 1000")).as("refused calls change nothing").isEqualTo(stored);
    }

    @Test
    void aVisitorsDataIsExportedAndDeletedOnRequest() throws Exception {
        String id = visitorSays("배송지 바꿔 주세요. 010-2222-3333 으로 연락 주세요");
        String visitorId = text("SELECT visitor_id FROM conversations WHERE id = '" + id + "'");
        AdminHttp.Response export = call("GET", "/api/admin/visitors/" + id + "/export", null, admin);
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.json().path("visitor").path("id").asText()).isEqualTo(visitorId);
        JsonNode conversation = export.json().path("conversations").get(0);
        assertThat(conversation.path("id").asText()).isEqualTo(id);
        assertThat(conversation.path("messages").get(0).path("text").asText()).contains("010-****-3333");
        assertThat(call("GET", "/api/admin/visitors/" + visitorId + "/export", null, admin).json().path("conversations")
                .size()).as("by visitor id too").isEqualTo(1);

        // A webhook event about the chat, still waiting to be sent: it holds the visitor's words.
        execute("INSERT INTO webhooks(id, site_id, url, secret, events, created_at) VALUES ('wh-privacy', 'demo', "
                + "'https://hooks.example.com/x', 's', '[\"message.created\"]', 0)");
        execute("INSERT INTO webhook_outbox(event_id, webhook_id, event_type, conversation_id, payload, created_at, status,"
                + " next_attempt_at) VALUES ('ev-privacy', 'wh-privacy', 'message.created', '" + id + "', "
                + "'{\"text\":\"배송지 바꿔 주세요\"}', 0, 'pending', 0)");

        AdminHttp.Response deleted = call("DELETE", "/api/admin/visitors/" + visitorId, null, admin);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().path("conversations").asInt()).isEqualTo(1);
        // Regression: the event had no foreign key to the conversation and outlived the deletion.
        assertThat(count("SELECT count(*) FROM webhook_outbox WHERE conversation_id = '" + id + "'")).isZero();
        execute("DELETE FROM webhooks WHERE id = 'wh-privacy'");
        assertThat(count("SELECT count(*) FROM conversations WHERE visitor_id = '" + visitorId + "'")).isZero();
        assertThat(count("SELECT count(*) FROM messages WHERE conversation_id = '" + id + "'")).isZero();
        assertThat(count("SELECT count(*) FROM messages WHERE bot_decision IS NOT NULL AND conversation_id = '" + id + "'")).isZero();
        assertThat(count("SELECT count(*) FROM visitors WHERE id = '" + visitorId + "'")).isZero();
        assertThat(call("DELETE", "/api/admin/visitors/" + visitorId, null, admin).status()).isEqualTo(404);
        assertThat(count("SELECT count(*) FROM audit_log WHERE action = 'visitor.delete' AND target_id = '" + visitorId + "'"))
                .isEqualTo(1);
    }

    /**
     * A data subject's access request: the export holds every stored fact about the visitor — what
     * identify() told, pages, the bot's decisions, an image, the agent's note, 👍/👎 and CSAT — not
     * only the transcript.
     */
    @Test
    void theExportHoldsEverythingStoredAboutTheVisitor() throws Exception {
        String id;
        String botAnswerId;
        try (WsTestClient visitor = WsTestClient.connect(server.visitorUri());
             WsTestClient console = WsTestClient.connect(server.agentUri())) {
            String token = visitor.helloVisitor(null, null, 0).path("visitorToken").asText();
            visitor.send("{\"type\":\"page\",\"url\":\"https://shop.example.com/orders/77?secret=1\",\"title\":\"주문 상세\"}");
            visitor.send("{\"type\":\"identify\",\"name\":\"홍길동\",\"email\":\"hong@example.com\","
                    + "\"externalId\":\"u-77\",\"attributes\":{\"phone\":\"010-9999-8888\",\"plan\":\"vip\"}}");
            id = visitor.say("x-1", null, "배송은 얼마나 걸리나요?").path("conversationId").asText();
            String conversationId = id;
            botAnswerId = visitor.await("message", m -> "bot".equals(m.path("from").path("kind").asText()))
                    .path("messageId").asText();
            visitor.send(Map.of("type", "rate", "conversationId", id, "kind", "thumbs", "messageId", botAnswerId,
                    "score", 1, "ref", "r-1"));
            visitor.await("rated", r -> "thumbs".equals(r.path("kind").asText()));
            java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
            javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(8, 6, java.awt.image.BufferedImage.TYPE_INT_RGB),
                    "png", png);
            java.net.http.HttpResponse<String> image = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.http("/api/attachments?clientMsgId=img-1"
                                    + "&conversationId=" + id)))
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(png.toByteArray()))
                            .header("Content-Type", "image/png").header("Authorization", "Bearer " + token).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(image.statusCode()).as(image.body()).isEqualTo(201);

            console.helloAgent(admin);
            visitor.send(Map.of("type", "handoff", "conversationId", id));
            visitor.await("status", st -> "queued".equals(st.path("state").asText()));
            console.send(Map.of("type", "accept", "conversationId", id));
            visitor.await("status", st -> "assigned".equals(st.path("state").asText()));
            console.send(Map.of("type", "note", "conversationId", id, "text", "단골 고객, 환불 문의"));
            console.await("note", n -> conversationId.equals(n.path("conversationId").asText()));
            console.say("a-1", id, "확인해 드릴게요");
            console.send(Map.of("type", "resolve", "conversationId", id));
            visitor.await("status", st -> "resolved".equals(st.path("state").asText()));
            visitor.send(Map.of("type", "rate", "conversationId", id, "kind", "csat", "score", 4,
                    "comment", "빨랐어요", "ref", "r-2"));
            visitor.await("rated", r -> "csat".equals(r.path("kind").asText()));
        }
        String visitorId = text("SELECT visitor_id FROM conversations WHERE id = '" + id + "'");

        JsonNode export = call("GET", "/api/admin/visitors/" + visitorId + "/export", null, admin).json();
        JsonNode person = export.path("visitor");
        assertThat(person.path("name").asText()).isEqualTo("홍길동");
        assertThat(person.path("email").asText()).isEqualTo("hong@example.com");
        assertThat(person.path("externalId").asText()).isEqualTo("u-77");
        assertThat(person.path("attributes").path("phone").asText()).isEqualTo("010-9999-8888");
        assertThat(person.path("attributes").path("plan").asText()).isEqualTo("vip");
        assertThat(person.path("locale").asText()).isEqualTo("ko");
        assertThat(person.has("channel")).isTrue();
        assertThat(export.toString()).as("the token's hash is a credential").doesNotContain(
                text("SELECT token_hash FROM visitors WHERE id = '" + visitorId + "'"));
        assertThat(export.path("pages")).hasSize(1);
        assertThat(export.path("pages").get(0).path("url").asText()).isEqualTo("https://shop.example.com/orders/77");
        assertThat(export.path("pages").get(0).path("title").asText()).isEqualTo("주문 상세");

        JsonNode conversation = export.path("conversations").get(0);
        assertThat(conversation.path("state").asText()).isEqualTo("resolved");
        assertThat(conversation.path("agent").path("name").asText()).isNotBlank();
        JsonNode messages = conversation.path("messages");
        assertThat(messages.get(0).path("text").asText()).isEqualTo("배송은 얼마나 걸리나요?");
        assertThat(messages.get(0).path("bot").path("decision").asText()).as("the bot's decision on the question")
                .isIn("answer", "clarify", "handoff");
        JsonNode withImage = null;
        for (JsonNode m : messages) {
            if (m.has("attachment")) {
                withImage = m;
            }
        }
        assertThat(withImage).as("the image's message").isNotNull();
        assertThat(withImage.path("attachment").path("contentType").asText()).isEqualTo("image/png");
        assertThat(withImage.path("attachment").path("url").asText())
                .isEqualTo("/api/attachments/" + withImage.path("attachment").path("id").asText());
        assertThat(messages.toString()).contains("확인해 드릴게요").contains(botAnswerId);
        assertThat(conversation.path("notes").get(0).path("text").asText()).isEqualTo("단골 고객, 환불 문의");
        Map<String, JsonNode> feedback = new java.util.HashMap<>();
        conversation.path("feedback").forEach(f -> feedback.put(f.path("kind").asText(), f));
        assertThat(feedback).containsOnlyKeys("thumbs", "csat");
        assertThat(feedback.get("thumbs").path("messageId").asText()).isEqualTo(botAnswerId);
        assertThat(feedback.get("thumbs").path("score").asInt()).isEqualTo(1);
        assertThat(feedback.get("csat").path("score").asInt()).isEqualTo(4);
        assertThat(feedback.get("csat").path("comment").asText()).isEqualTo("빨랐어요");
        assertThat(conversation.path("events").toString()).contains("\"started\"").contains("\"handoff\"")
                .contains("\"assigned\"").contains("\"resolved\"");

        // What a deletion removes is what was exported: nothing of it is left afterwards.
        long[] before = {count("SELECT count(*) FROM visitor_pages WHERE visitor_id = '" + visitorId + "'"),
                count("SELECT count(*) FROM feedback WHERE conversation_id = '" + id + "'"),
                count("SELECT count(*) FROM notes WHERE conversation_id = '" + id + "'"),
                count("SELECT count(*) FROM attachments WHERE conversation_id = '" + id + "'")};
        assertThat(before).containsExactly(1, 2, 1, 1);
        assertThat(call("DELETE", "/api/admin/visitors/" + visitorId, null, admin).status()).isEqualTo(200);
        assertThat(count("SELECT (SELECT count(*) FROM visitor_pages WHERE visitor_id = '" + visitorId + "')"
                + " + (SELECT count(*) FROM feedback WHERE conversation_id = '" + id + "')"
                + " + (SELECT count(*) FROM notes WHERE conversation_id = '" + id + "')"
                + " + (SELECT count(*) FROM attachments WHERE conversation_id = '" + id + "')")).isZero();
    }

    /**
     * Deleting a visitor with open chats: every console hears that they are over (the resolved
     * "conversation" push it already knows), so no ghost stays in the queue, the agent holding one is
     * told, and routing gives that agent's place back.
     */
    @Test
    void deletingAVisitorWithOpenChatsTellsEveryConsole() throws Exception {
        try (WsTestClient held = WsTestClient.connect(server.visitorUri());
             WsTestClient waiting = WsTestClient.connect(server.visitorUri());
             WsTestClient holder = WsTestClient.connect(server.agentUri());
             WsTestClient watcher = WsTestClient.connect(server.agentUri())) {
            String holderId = holder.helloAgent(admin).path("agent").path("id").asText();
            watcher.helloAgent(supervisor);
            held.helloVisitor(null, null, 0);
            waiting.helloVisitor(null, null, 0);
            String assigned = held.say("h-1", null, "문의 있어요").path("conversationId").asText();
            held.send(Map.of("type", "handoff", "conversationId", assigned));
            held.await("status", st -> "queued".equals(st.path("state").asText()));
            holder.send(Map.of("type", "accept", "conversationId", assigned));
            held.await("status", st -> "assigned".equals(st.path("state").asText()));
            holder.await("presence", p -> holderId.equals(p.path("agent").path("id").asText())
                    && p.path("load").asInt() == 1);
            String queued = waiting.say("w-1", null, "저도 문의 있어요").path("conversationId").asText();
            waiting.send(Map.of("type", "handoff", "conversationId", queued));
            watcher.await("conversation", c -> queued.equals(c.path("conversation").path("id").asText())
                    && "queued".equals(c.path("conversation").path("state").asText()));

            String queuedVisitor = text("SELECT visitor_id FROM conversations WHERE id = '" + queued + "'");
            assertThat(call("DELETE", "/api/admin/visitors/" + queuedVisitor, null, admin).status()).isEqualTo(200);
            for (WsTestClient console : List.of(watcher, holder)) {
                console.await("conversation", c -> queued.equals(c.path("conversation").path("id").asText())
                        && "resolved".equals(c.path("conversation").path("state").asText()));
            }

            String heldVisitor = text("SELECT visitor_id FROM conversations WHERE id = '" + assigned + "'");
            assertThat(call("DELETE", "/api/admin/visitors/" + heldVisitor, null, admin).status()).isEqualTo(200);
            JsonNode over = holder.await("conversation", c -> assigned.equals(c.path("conversation").path("id").asText())
                    && "resolved".equals(c.path("conversation").path("state").asText()));
            assertThat(over.path("conversation").path("agent").path("id").asText()).isEqualTo(holderId);
            holder.await("presence", p -> holderId.equals(p.path("agent").path("id").asText())
                    && p.path("load").asInt() == 0);
            held.await("status", st -> assigned.equals(st.path("conversationId").asText())
                    && "resolved".equals(st.path("state").asText()));
            // Nothing is written about a deleted chat: no system notice, no webhook.
            assertThat(count("SELECT count(*) FROM messages WHERE conversation_id IN ('" + assigned + "', '" + queued + "')"))
                    .isZero();
        }
    }

    /**
     * Deletion follows the foreign keys to visitors and conversations, so a migration can add a table
     * it empties; the export must then show it too. This fails until PrivacyService.EXPORTED_TABLES
     * (and the export) name every such table.
     */
    @Test
    void theExportCoversEveryTableADeletionEmpties() throws Exception {
        java.util.Set<String> reached = new java.util.TreeSet<>();
        try (java.sql.Connection db = TestServer.db(dataDir)) {
            java.util.Deque<String> pending = new java.util.ArrayDeque<>(List.of("visitors"));
            while (!pending.isEmpty()) {
                String table = pending.pop();
                if (!reached.add(table)) {
                    continue;
                }
                try (java.sql.ResultSet keys = db.getMetaData().getExportedKeys(null, null, table)) {
                    while (keys.next()) {
                        pending.push(keys.getString("FKTABLE_NAME").toLowerCase(java.util.Locale.ROOT));
                    }
                }
            }
        }
        assertThat(reached).as("tables a visitor's deletion empties")
                .containsExactlyInAnyOrderElementsOf(PrivacyService.EXPORTED_TABLES);
    }

    @Test
    void retentionDeletesOnlyResolvedTranscriptsOlderThanThePeriod() throws Exception {
        String old = visitorSays("오래된 문의예요");
        String open = visitorSays("아직 열린 문의예요");
        execute("UPDATE conversations SET state = 'RESOLVED' WHERE id = '" + old + "'");
        long version = call("GET", "/api/admin/privacy", null, admin).json().path("version").asLong();
        Map<String, Object> settings = new java.util.HashMap<>();
        settings.put("retentionDays", 30);
        settings.put("maskPatterns", call("GET", "/api/admin/privacy", null, admin).json().path("maskPatterns"));
        settings.put("version", version);
        assertThat(call("PUT", "/api/admin/privacy", settings, admin).status()).isEqualTo(200);

        JsonNode nothingYet = call("POST", "/api/admin/privacy/purge", null, admin).json();
        assertThat(nothingYet.path("conversations").asLong()).isZero();
        clock.advance(Duration.ofDays(31));
        logins(); // every token expired with the jump
        JsonNode purged = call("POST", "/api/admin/privacy/purge", null, admin).json();
        assertThat(purged.path("conversations").asLong()).isPositive();
        assertThat(count("SELECT count(*) FROM conversations WHERE id = '" + old + "'")).isZero();
        assertThat(count("SELECT count(*) FROM messages WHERE conversation_id = '" + old + "'")).isZero();
        assertThat(count("SELECT count(*) FROM conversations WHERE id = '" + open + "'")).as("open chats stay").isEqualTo(1);
        assertThat(count("SELECT count(*) FROM audit_log WHERE action = 'privacy.purge'")).isEqualTo(1);
    }
}
