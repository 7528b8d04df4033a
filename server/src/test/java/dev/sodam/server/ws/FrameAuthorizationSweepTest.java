package dev.sodam.server.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.MutableClock;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WsTestClient;
import dev.sodam.server.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Promise 5 for the WebSocket: every client frame type × every kind of caller, against one
 * conversation that belongs to visitor A and is assigned to agent 김. The expected outcome of each
 * pair is written in {@link #EXPECTED} (a code, or "ok"); the sweep fails on any difference, and above
 * all on a success where a refusal is expected.
 *
 * <p>Frames that end or move the conversation (resolve, transfer) are sent only by callers who must
 * be refused, so the conversation stays as it is for everyone else; their successful use is covered
 * by TransferTest and ProtocolTest.
 */
class FrameAuthorizationSweepTest {
    private static final List<String> FRAMES = List.of("send", "sync", "typing", "read", "handoff", "accept", "label",
            "note", "rate", "identify", "page", "resolve", "transfer", "colleagues");

    /**
     * caller → outcome per frame, in {@link #FRAMES} order ({@code colleagues}, who could take a transfer,
     * is answered to whoever may transfer: the chat's agent, supervisors, admins). "-": not sent (a frame
     * that would change the conversation for the callers after it, by a caller allowed to). A visitor's
     * handoff of a chat already with an agent changes nothing and is no error.
     */
    private static final Map<String, String> EXPECTED = new LinkedHashMap<>();

    static {
        // frame:              send       sync       typing     read       handoff    accept     label      note       rate       identify   page       resolve    transfer   colleagues
        EXPECTED.put("owner",
                "ok         ok         ok         ok         ok         forbidden  forbidden  forbidden  conflict   ok         ok         forbidden  forbidden  forbidden");
        EXPECTED.put("other-visitor",
                "not_found  not_found  not_found  not_found  not_found  forbidden  forbidden  forbidden  not_found  ok         ok         forbidden  forbidden  forbidden");
        EXPECTED.put("assigned-agent",
                "ok         ok         ok         ok         forbidden  conflict   ok         ok         forbidden  forbidden  forbidden  -          -          ok");
        EXPECTED.put("other-agent",
                "forbidden  forbidden  forbidden  forbidden  forbidden  conflict   forbidden  forbidden  forbidden  forbidden  forbidden  forbidden  forbidden  forbidden");
        // Supervisors read every chat, label it, write notes, transfer and resolve it (docs/admin.md), but
        // neither write to the visitor nor relay typing or read receipts in a chat that is not theirs.
        EXPECTED.put("supervisor",
                "forbidden  ok         forbidden  forbidden  forbidden  conflict   ok         ok         forbidden  forbidden  forbidden  -          -          ok");
        EXPECTED.put("admin",
                "forbidden  ok         forbidden  forbidden  forbidden  conflict   ok         ok         forbidden  forbidden  forbidden  -          -          ok");
        // An admin of another site learns nothing, not even that the conversation exists.
        EXPECTED.put("other-site-admin",
                "not_found  not_found  not_found  not_found  forbidden  not_found  not_found  not_found  forbidden  forbidden  forbidden  not_found  not_found  not_found");
        EXPECTED.put("no-hello",
                "unauthorized unauthorized unauthorized unauthorized unauthorized unauthorized unauthorized unauthorized unauthorized unauthorized unauthorized unauthorized unauthorized unauthorized");
    }

    @TempDir
    static Path dataDir;
    static final MutableClock clock = new MutableClock(Instant.now());
    static TestServer server;
    static String admin;
    static String conversationId;
    static String visitorToken;
    static String kimId;
    static final Map<String, String> agentTokens = new LinkedHashMap<>();
    static final AtomicInteger refs = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dataDir, Map.of(), clock);
        server.createSite("shop2");
        admin = server.loginAdmin();
        kimId = user("kim@sweep.test", "김상담", "agent", null);
        user("lee@sweep.test", "이상담", "agent", null);
        user("choi@sweep.test", "최관리", "supervisor", null);
        user("admin@shop2.test", "가게2 관리자", "admin", "shop2");
        agentTokens.put("assigned-agent", server.login("kim@sweep.test", "sweep-password-1"));
        agentTokens.put("other-agent", server.login("lee@sweep.test", "sweep-password-1"));
        agentTokens.put("supervisor", server.login("choi@sweep.test", "sweep-password-1"));
        agentTokens.put("admin", admin);
        agentTokens.put("other-site-admin", server.login("admin@shop2.test", "sweep-password-1"));

        // Visitor A asks for a person; 김 (the only agent online) accepts.
        try (WsTestClient kim = WsTestClient.connect(server.agentUri());
             WsTestClient visitor = WsTestClient.connect(server.visitorUri())) {
            kim.helloAgent(agentTokens.get("assigned-agent"));
            visitorToken = visitor.helloVisitor(null, null, 0).get("visitorToken").asText();
            conversationId = visitor.say("a-1", null, "상담원 연결").get("conversationId").asText();
            await().atMost(Duration.ofSeconds(30)).until(() -> kim.frames("conversation").stream()
                    .anyMatch(c -> conversationId.equals(c.path("conversation").path("id").asText())
                            && "queued".equals(c.path("conversation").path("state").asText())));
            kim.send(Map.of("type", "accept", "conversationId", conversationId));
            kim.await("conversation", c -> conversationId.equals(c.path("conversation").path("id").asText())
                    && "assigned".equals(c.path("conversation").path("state").asText()));
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String user(String email, String name, String role, String site) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("email", email);
        body.put("name", name);
        body.put("role", role);
        body.put("siteId", site);
        body.put("password", "sweep-password-1");
        var response = server.post("/api/admin/users", Json.MAPPER.writeValueAsString(body), admin);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return TestServer.json(response.body()).path("user").path("id").asText();
    }

    private static Map<String, Object> frame(String type) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("type", type);
        f.put("ref", "sweep-" + refs.incrementAndGet());
        switch (type) {
            case "identify" -> f.put("name", "스윕");
            case "page" -> f.put("url", "https://shop.example.com/sweep");
            default -> f.put("conversationId", conversationId);
        }
        switch (type) {
            case "send" -> {
                f.put("clientMsgId", "sweep-msg-" + refs.get());
                f.put("text", "권한 점검");
            }
            case "sync" -> f.put("afterSeq", 0);
            case "typing" -> f.put("on", true);
            case "read" -> f.put("seq", 1);
            case "label" -> {
                f.put("label", "점검" + refs.get());
                f.put("on", true);
            }
            case "note" -> f.put("text", "권한 점검 메모");
            case "rate" -> {
                f.put("kind", "csat");
                f.put("score", 5);
            }
            case "transfer" -> f.put("toAgentId", kimId);
            default -> {
            }
        }
        return f;
    }

    /** Sends each frame the caller may be tested with and returns the outcome per frame. */
    private static Map<String, String> sweep(WsTestClient client, List<String> expected) {
        Map<String, String> refOf = new LinkedHashMap<>();
        for (int i = 0; i < FRAMES.size(); i++) {
            if (expected.get(i).equals("-")) {
                continue;
            }
            Map<String, Object> f = frame(FRAMES.get(i));
            refOf.put(FRAMES.get(i), (String) f.get("ref"));
            client.send(f);
        }
        // Errors carry the frame's ref. Wait until every frame that must be refused was answered: a
        // frame wrongly let through never is, shows as "ok" below and fails the comparison.
        Map<String, String> outcome = new TreeMap<>();
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                List<String> answered = client.frames("error").stream().map(e -> e.path("ref").asText()).toList();
                return refOf.entrySet().stream().filter(e -> !expected.get(FRAMES.indexOf(e.getKey())).equals("ok"))
                        .allMatch(e -> answered.contains(e.getValue()));
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // reported as differences
        }
        Map<String, String> codeByRef = new LinkedHashMap<>();
        for (JsonNode error : client.frames("error")) {
            codeByRef.put(error.path("ref").asText(), error.path("code").asText());
        }
        refOf.forEach((type, ref) -> outcome.put(type, codeByRef.getOrDefault(ref, "ok")));
        return outcome;
    }

    @Test
    void everyFrameTypeByEveryCallerIsAnsweredAsTheTableSays() throws Exception {
        Map<String, Map<String, String>> actual = new LinkedHashMap<>();
        for (String caller : List.of("owner", "other-visitor", "no-hello")) {
            try (WsTestClient client = WsTestClient.connect(server.visitorUri())) {
                if (caller.equals("owner")) {
                    client.helloVisitor(visitorToken, null, 0);
                } else if (caller.equals("other-visitor")) {
                    client.helloVisitor(null, null, 0);
                }
                actual.put(caller, sweep(client, List.of(EXPECTED.get(caller).trim().split("\\s+"))));
            }
        }
        for (Map.Entry<String, String> token : agentTokens.entrySet()) {
            try (WsTestClient client = WsTestClient.connect(server.agentUri())) {
                client.helloAgent(token.getValue());
                actual.put(token.getKey(), sweep(client, List.of(EXPECTED.get(token.getKey()).trim().split("\\s+"))));
            }
        }

        List<String> differences = new ArrayList<>();
        int pairs = 0;
        for (Map.Entry<String, String> row : EXPECTED.entrySet()) {
            List<String> expected = List.of(row.getValue().trim().split("\\s+"));
            for (int i = 0; i < FRAMES.size(); i++) {
                if (expected.get(i).equals("-")) {
                    continue;
                }
                pairs++;
                String got = actual.get(row.getKey()).get(FRAMES.get(i));
                if (!expected.get(i).equals(got)) {
                    differences.add(row.getKey() + " " + FRAMES.get(i) + ": expected " + expected.get(i) + ", got " + got);
                }
            }
        }
        String figure = "frame authorization sweep: " + pairs + " caller × frame pairs, " + differences.size()
                + " differences " + differences + "\n" + actual + "\n";
        System.out.print(figure);
        Files.createDirectories(Path.of("target-metrics"));
        Files.writeString(Path.of("target-metrics", "frame-authorization-sweep.txt"), figure);
        assertThat(differences).isEmpty();
    }

    @Test
    void aRevokedOrExpiredTokenCannotSayHello() throws Exception {
        String revokedToken = server.login("lee@sweep.test", "sweep-password-1");
        String leeId = TestServer.json(server.get("/api/account/me", revokedToken).body()).path("id").asText();
        assertThat(server.send("DELETE", "/api/admin/users/" + leeId + "/sessions", null, admin).statusCode())
                .isEqualTo(200);
        try (WsTestClient client = WsTestClient.connect(server.agentUri())) {
            client.send("{\"type\":\"hello\",\"role\":\"agent\",\"token\":\"" + revokedToken + "\"}");
            assertThat(client.await("error").path("code").asText()).isEqualTo("unauthorized");
        }

        String expiring = server.login("choi@sweep.test", "sweep-password-1");
        clock.advance(Duration.ofHours(13)); // auth.tokenTtlHours is 12
        try (WsTestClient client = WsTestClient.connect(server.agentUri())) {
            client.send("{\"type\":\"hello\",\"role\":\"agent\",\"token\":\"" + expiring + "\"}");
            assertThat(client.await("error").path("code").asText()).isEqualTo("unauthorized");
        }
    }
}
