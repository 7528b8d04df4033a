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

        AdminHttp.Response deleted = call("DELETE", "/api/admin/visitors/" + visitorId, null, admin);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().path("conversations").asInt()).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM conversations WHERE visitor_id = '" + visitorId + "'")).isZero();
        assertThat(count("SELECT count(*) FROM messages WHERE conversation_id = '" + id + "'")).isZero();
        assertThat(count("SELECT count(*) FROM messages WHERE bot_decision IS NOT NULL AND conversation_id = '" + id + "'")).isZero();
        assertThat(count("SELECT count(*) FROM visitors WHERE id = '" + visitorId + "'")).isZero();
        assertThat(call("DELETE", "/api/admin/visitors/" + visitorId, null, admin).status()).isEqualTo(404);
        assertThat(count("SELECT count(*) FROM audit_log WHERE action = 'visitor.delete' AND target_id = '" + visitorId + "'"))
                .isEqualTo(1);
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
