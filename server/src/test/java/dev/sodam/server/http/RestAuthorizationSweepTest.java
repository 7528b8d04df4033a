package dev.sodam.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sodam.server.testing.MutableClock;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WsTestClient;
import dev.sodam.server.util.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Promise 5 for HTTP: every REST route in docs/openapi.yaml × every kind of caller. The routes come
 * from the spec (which {@code OpenApiContractTest} holds equal to the server's own route table), so a
 * new route is swept the day it is added; what each caller may do is written here, in {@link #EXPECTED},
 * per kind of route, with the few routes whose owner is a person rather than a site in
 * {@link #OVERRIDES}. The sweep fails on any difference, and above all on a success where a refusal
 * is expected.
 *
 * <p>Every resource named in a path belongs to the site {@code demo}: a conversation, its visitor and
 * an image in it, a webhook, an API key, an account of that site, the installation admin's session. An
 * admin of the site {@code shop2} and a key of {@code shop2} must learn nothing of them: a 403 or 404
 * on a path that names one ("hidden"), and a list without any of them. Routes that change state are
 * called only by callers who must be refused, so the resources stay as they are for everyone after
 * them; their successful use is covered by each area's own API test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestAuthorizationSweepTest {
    static final List<String> CALLERS = List.of("anonymous", "visitor", "other-visitor", "agent", "supervisor", "admin",
            "site-admin", "other-site-admin", "revoked", "disabled", "key-read", "key-other-site", "key-revoked");

    /**
     * Kind of route → outcome per caller, in {@link #CALLERS} order. "ok": 2xx (sent for GET only);
     * "hidden": 403/404 on a path naming a demo resource, 2xx without any demo resource in a list;
     * a number: that status.
     */
    static final Map<String, String> EXPECTED = new LinkedHashMap<>();

    static {
        // caller:                anon visitor other agent super admin site  other-site  revoked disabled key-read key-other key-revoked
        EXPECTED.put("account",
                "401  401     401   ok    ok    ok    ok    ok          401     401      401      401       401");
        EXPECTED.put("admin",
                "401  401     401   403   403   ok    ok    hidden      401     401      401      401       401");
        EXPECTED.put("installation-admin",
                "401  401     401   403   403   ok    403   403         401     401      401      401       401");
        // The swept conversation waits in the queue, so every agent of its site may open its images.
        EXPECTED.put("participant",
                "401  ok      hidden ok    ok    ok    ok    hidden      401     401      401      401       401");
        EXPECTED.put("key-read",
                "401  401     401   401   401   401   401   401         401     401      ok       hidden    401");
        EXPECTED.put("key-write",
                "401  401     401   401   401   401   401   401         401     401      403      hidden    401");
    }

    /** Routes whose resource is one person's, not one site's: only its owner (the installation admin) reaches it. */
    static final Map<String, String> OVERRIDES = Map.of(
            // The FAQ is installation-wide: a key with the 'faq' scope (which only an installation admin
            // grants) edits it whichever site it names.
            "PUT /api/v1/faq/{id}",
            "401  401     401   401   401   401   401   401         401     401      403      ok        401",
            "POST /api/v1/faq/{id}/disable",
            "401  401     401   401   401   401   401   401         401     401      403      ok        401",
            // The admin's own session: nobody else may end it, nor learn that it exists.
            "DELETE /api/account/sessions/{id}",
            "401  401     401   hidden hidden ok  hidden hidden      401     401      401      401       401",
            // The swept conversation waits in the queue: every agent of its site may look before accepting.
            "GET /api/workspace/conversations/{id}/context",
            "401  401     401   ok    ok    ok    ok    hidden      401     401      401      401       401");

    /**
     * Bodies that would be accepted from an entitled caller, for the routes whose validation answers
     * before the owner is looked up: with "{}" their 400 would hide a missing check.
     */
    static final Map<String, String> BODIES = Map.of(
            "POST /api/v1/conversations/{id}/messages", "{\"text\":\"sweep\"}",
            "PUT /api/admin/users/{id}", "{\"disabled\":true,\"version\":1}");

    @TempDir
    static Path dataDir;
    static final MutableClock clock = new MutableClock(Instant.now());
    static TestServer server;
    static JsonNode spec;
    static final Map<String, String> tokens = new LinkedHashMap<>();
    /** Path prefix → the demo resource its {id} names. */
    static final Map<String, String> ids = new LinkedHashMap<>();
    /** Strings that only demo's resources contain: none may appear in what shop2's callers are shown. */
    static final List<String> demoMarkers = new ArrayList<>();
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        spec = new ObjectMapper(new YAMLFactory()).readTree(TestServer.repoRoot().resolve("docs/openapi.yaml").toFile());
        server = TestServer.start(dataDir, Map.of("SODAM_WEBHOOKS_ALLOW_PRIVATE", "true"), clock);
        server.awaitBot();
        String admin = server.loginAdmin();
        ok("POST", "/api/admin/sites", "{\"id\":\"shop2\",\"name\":\"두번째 가게\"}", admin);
        user("kim@sweep.test", "agent", null, admin);
        user("choi@sweep.test", "supervisor", null, admin);
        String demoAgentId = user("jang@demo.sweep.test", "agent", "demo", admin);
        user("park@demo.sweep.test", "admin", "demo", admin);
        user("admin@shop2.sweep.test", "admin", "shop2", admin);
        String gone = user("gone@sweep.test", "agent", null, admin);

        tokens.put("admin", admin);
        tokens.put("agent", server.login("kim@sweep.test", "sweep-password-1"));
        tokens.put("supervisor", server.login("choi@sweep.test", "sweep-password-1"));
        tokens.put("site-admin", server.login("park@demo.sweep.test", "sweep-password-1"));
        tokens.put("other-site-admin", server.login("admin@shop2.sweep.test", "sweep-password-1"));
        String revoked = server.login("choi@sweep.test", "sweep-password-1");
        ok("POST", "/api/account/logout", null, revoked);
        tokens.put("revoked", revoked);
        tokens.put("disabled", server.login("gone@sweep.test", "sweep-password-1"));
        ok("PUT", "/api/admin/users/" + gone, "{\"disabled\":true,\"version\":1}", admin);

        tokens.put("key-read", server.createApiKey(admin, "demo", "[\"read\"]", null));
        tokens.put("key-other-site", server.createApiKey(admin, "shop2", "[\"read\",\"write\",\"faq\"]", null));
        JsonNode revokedKey = ok("POST", "/api/admin/api-keys",
                "{\"site\":\"demo\",\"name\":\"revoked key\",\"scopes\":[\"read\",\"write\",\"faq\"]}", admin);
        ok("DELETE", "/api/admin/api-keys/" + revokedKey.at("/key/id").asText(), null, admin);
        tokens.put("key-revoked", revokedKey.path("secret").asText());
        String keyId = ok("POST", "/api/admin/api-keys",
                "{\"site\":\"demo\",\"name\":\"swept key\",\"scopes\":[\"read\"]}", admin).at("/key/id").asText();

        String conversationId;
        String attachmentId;
        try (WsTestClient visitor = WsTestClient.connect(server.visitorUri());
             WsTestClient other = WsTestClient.connect(server.visitorUri())) {
            tokens.put("visitor", visitor.helloVisitor(null, null, 0).get("visitorToken").asText());
            tokens.put("other-visitor", other.helloVisitor(null, null, 0).get("visitorToken").asText());
            conversationId = visitor.say("sweep-1", null, "스윕 테스트 질문 배송 조회").get("conversationId").asText();
            visitor.say("sweep-1b", conversationId, "상담원 연결");
            visitor.await("status", s -> "queued".equals(s.path("state").asText()));
            other.say("sweep-2", null, "다른 방문자의 질문");
            attachmentId = upload(conversationId, tokens.get("visitor"));
        }
        String visitorId = visitorOf(conversationId);
        String webhookId = ok("POST", "/api/admin/webhooks",
                "{\"url\":\"http://127.0.0.1:9/hook\",\"events\":[\"csat.created\"]}", admin).path("id").asText();
        String teamId = ok("POST", "/api/admin/teams",
                "{\"id\":\"sweep\",\"name\":{\"ko\":\"스윕\",\"en\":\"Sweep\"},\"tags\":[]}", admin).path("id").asText();
        String faqId = ok("GET", "/api/admin/faq", null, admin).at("/entries/0/id").asText();
        String cannedId = ok("GET", "/api/workspace/canned", null, admin).at("/canned/0/id").asText();
        String sessionId = ok("GET", "/api/account/sessions", null, admin).at("/sessions/0/id").asText();

        ids.put("/api/v1/conversations/", conversationId);
        ids.put("/api/workspace/conversations/", conversationId);
        ids.put("/api/v1/visitors/", visitorId);
        ids.put("/api/admin/visitors/", visitorId);
        ids.put("/api/attachments/", attachmentId);
        ids.put("/api/admin/webhooks/", webhookId);
        ids.put("/api/admin/api-keys/", keyId);
        ids.put("/api/admin/users/", demoAgentId);
        ids.put("/api/account/sessions/", sessionId);
        ids.put("/api/admin/sites/", "demo");
        ids.put("/api/admin/faq/", faqId);
        ids.put("/api/v1/faq/", faqId);
        ids.put("/api/admin/teams/", teamId);
        ids.put("/api/workspace/canned/", cannedId);
        demoMarkers.addAll(List.of(conversationId, visitorId, webhookId, keyId, "jang@demo.sweep.test",
                "park@demo.sweep.test", "스윕 테스트 질문"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static JsonNode ok(String method, String path, String body, String token) throws Exception {
        HttpResponse<String> response = server.send(method, path, body, token);
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isBetween(200, 299);
        return response.body().isEmpty() ? Json.MAPPER.createObjectNode() : TestServer.json(response.body());
    }

    static String user(String email, String role, String site, String admin) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("email", email);
        body.put("name", email.substring(0, email.indexOf('@')));
        body.put("role", role);
        body.put("siteId", site);
        body.put("password", "sweep-password-1");
        return ok("POST", "/api/admin/users", Json.MAPPER.writeValueAsString(body), admin).path("user").path("id").asText();
    }

    static String visitorOf(String conversationId) throws Exception {
        String key = server.createApiKey(tokens.get("admin"), "demo", "[\"read\"]", null);
        return ok("GET", "/api/v1/conversations/" + conversationId, null, key).at("/visitor/id").asText();
    }

    /** A real one-pixel PNG, so the upload is stored whatever the server does to images. */
    static String upload(String conversationId, String token) throws Exception {
        java.awt.image.BufferedImage pixel = new java.awt.image.BufferedImage(1, 1, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(pixel, "png", png);
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.http("/api/attachments?conversationId=" + conversationId)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(png.toByteArray())).header("Content-Type", "image/png")
                .header("Authorization", "Bearer " + token).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
        return TestServer.json(response.body()).path("attachmentId").asText();
    }

    /** One documented operation and the kind of route it is. */
    record Route(String method, String template, String kind) {
        @Override
        public String toString() {
            return method + " " + template;
        }

        String path() {
            String path = template.replace("{channel}", "test").replace("{seq}", "1").replace("{locale}", "ko");
            for (Map.Entry<String, String> id : ids.entrySet()) {
                if (path.startsWith(id.getKey())) {
                    return path.replace("{id}", id.getValue());
                }
            }
            return path.replace("{id}", "no-such-id");
        }

        List<String> expected() {
            String row = OVERRIDES.getOrDefault(toString(), EXPECTED.get(kind));
            return List.of(row.trim().split("\\s+"));
        }
    }

    static List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        spec.get("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            String method = operation.getKey().toUpperCase(Locale.ROOT);
            if (method.equals("PARAMETERS")) {
                return;
            }
            JsonNode doc = operation.getValue();
            String kind;
            if (path.getKey().startsWith("/api/v1/")) {
                kind = method.equals("GET") ? "key-read" : "key-write";
            } else {
                kind = doc.path("x-role").asText("none");
            }
            if (EXPECTED.containsKey(kind)) {
                routes.add(new Route(method, path.getKey(), kind));
            }
        }));
        return routes;
    }

    /** What a caller got, in the words of {@link #EXPECTED}. */
    static String outcome(Route route, String caller, HttpResponse<String> response) {
        int status = response.statusCode();
        boolean namesDemo = !route.path().equals(route.template().replace("{id}", "no-such-id"))
                && route.template().contains("{id}");
        String expected = route.expected().get(CALLERS.indexOf(caller));
        if (status >= 200 && status < 300) {
            if (caller.contains("other-site") && !namesDemo && demoMarkers.stream().anyMatch(response.body()::contains)) {
                return "leaked";
            }
            return expected.equals("hidden") && !namesDemo ? "hidden" : "ok";
        }
        if ((status == 403 || status == 404) && namesDemo && !caller.equals("anonymous")) {
            if (expected.equals("hidden")) {
                return "hidden";
            }
        }
        return String.valueOf(status);
    }

    @Test
    @Order(1)
    void everyRouteTimesEveryCallerMatchesTheTable() throws Exception {
        List<String> differences = new ArrayList<>();
        int sent = 0;
        for (Route route : routes()) {
            List<String> expected = route.expected();
            for (int i = 0; i < CALLERS.size(); i++) {
                String caller = CALLERS.get(i);
                String want = expected.get(i);
                boolean allowed = want.equals("ok") || (want.equals("hidden") && !route.template().contains("{id}"));
                if (allowed && !route.method().equals("GET")) {
                    continue; // would change what the callers after it see; covered by the area's API test
                }
                HttpResponse<String> response = server.send(route.method(), route.path(),
                        route.method().equals("GET") ? null : BODIES.getOrDefault(route.toString(), "{}"), tokens.get(caller));
                sent++;
                String got = outcome(route, caller, response);
                if (!got.equals(want)) {
                    differences.add(route + " as " + caller + ": expected " + want + ", got " + got + " "
                            + abbreviate(response.body()));
                }
            }
        }
        assertThat(differences).as("sent " + sent + " requests").isEmpty();
        assertThat(sent).isGreaterThan(600);
    }

    @Test
    @Order(2)
    void aVisitorTokenOfOneSiteIsNotAVisitorOfAnother() throws Exception {
        try (WsTestClient elsewhere = WsTestClient.connect(URI.create(server.visitorUri().toString().replace("site=demo", "site=shop2")))) {
            String demoConversation = ids.get("/api/v1/conversations/");
            elsewhere.send(Map.of("type", "hello", "role", "visitor", "site", "shop2", "locale", "ko",
                    "visitorToken", tokens.get("visitor"),
                    "resume", Map.of("conversationId", demoConversation, "lastSeq", 0)));
            JsonNode refused = elsewhere.await("error");
            assertThat(refused.path("code").asText()).as("demo's visitor is unknown to shop2").isEqualTo("unauthorized");
            assertThat(elsewhere.frames("welcome")).isEmpty();
            // The socket stays open for a fresh start, and the fresh visitor cannot reach demo's conversation.
            elsewhere.send(Map.of("type", "hello", "role", "visitor", "site", "shop2", "locale", "ko"));
            assertThat(elsewhere.await("welcome").path("visitorToken").asText()).isNotEqualTo(tokens.get("visitor"));
            elsewhere.send(Map.of("type", "sync", "ref", "s1", "conversationId", demoConversation,
                    "afterSeq", 0));
            assertThat(elsewhere.await("error", e -> "s1".equals(e.path("ref").asText())).path("code").asText())
                    .isEqualTo("not_found");
            assertThat(elsewhere.frames("message")).as("nothing of demo's conversation is replayed").isEmpty();
        }
    }

    @Test
    @Order(3)
    void anExpiredTokenIsRefusedEverywhere() throws Exception {
        clock.advance(Duration.ofHours(13)); // auth.tokenTtlHours is 12
        List<String> accepted = new ArrayList<>();
        for (Route route : routes()) {
            if (route.kind().startsWith("key-")) {
                continue; // API keys do not expire with time; they are revoked
            }
            HttpResponse<String> response = server.send(route.method(), route.path(),
                    route.method().equals("GET") ? null : "{}", tokens.get("admin"));
            if (response.statusCode() != 401) {
                accepted.add(route + ": " + response.statusCode());
            }
        }
        assertThat(accepted).isEmpty();
    }

    static String abbreviate(String body) {
        return body.length() > 160 ? body.substring(0, 160) + "…" : body;
    }
}
