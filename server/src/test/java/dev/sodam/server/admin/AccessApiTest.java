package dev.sodam.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.AdminHttp;
import dev.sodam.server.testing.AdminHttp.Response;
import dev.sodam.server.testing.MutableClock;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WsTestClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Users, roles, sessions, teams and the audit log through the REST API of a real server: every
 * endpoint with every role (and another site's admin), bad input that writes nothing, stale edits,
 * invites, disabling that cuts tokens and sockets at once, lockout on a clock the test moves.
 */
class AccessApiTest {
    @TempDir
    static Path dataDir;
    static TestServer server;
    static AdminHttp api;
    static MutableClock clock;
    static String admin;
    static String agent;
    static String agentId;
    static String supervisor;
    static String supervisorId;
    static String otherSiteAdmin;
    static String demoSiteAdminId;

    @BeforeAll
    static void start() throws Exception {
        clock = new MutableClock(Instant.now());
        server = TestServer.start(dataDir, Map.of(), clock);
        api = new AdminHttp(server);
        api.execute("INSERT INTO sites(id, name, allowed_origins) VALUES ('shop2', '두번째 가게', '[\"self\"]')");
        admin = server.loginAdmin();
        agentId = createUser("agent@access.test", "상담원 박", "agent", null, "agent-password-1").path("id").asText();
        agent = server.login("agent@access.test", "agent-password-1");
        supervisorId = createUser("super@access.test", "관리자 최", "supervisor", null, "super-password-1").path("id").asText();
        supervisor = server.login("super@access.test", "super-password-1");
        createUser("admin@shop2.test", "가게2 관리자", "admin", "shop2", "shop2-password-1");
        otherSiteAdmin = server.login("admin@shop2.test", "shop2-password-1");
        demoSiteAdminId = createUser("admin@demo.test", "데모 관리자", "admin", "demo", "demo-password-11").path("id").asText();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static JsonNode createUser(String email, String name, String role, String site, String password) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("email", email);
        body.put("name", name);
        body.put("role", role);
        body.put("siteId", site);
        if (password != null) {
            body.put("password", password);
        }
        Response created = api.call("POST", "/api/admin/users", body, admin);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("user");
    }

    static long rows() throws Exception {
        return api.count("SELECT (SELECT count(*) FROM agents) + (SELECT count(*) FROM teams) * 1000"
                + " + (SELECT count(*) FROM team_members) * 100000 + (SELECT count(*) FROM audit_log) * 10000000"
                + " + (SELECT count(*) FROM one_time_tokens) * 1000000000");
    }

    @Test
    void everyEndpointIsRefusedToWhoeverMayNotCallIt() throws Exception {
        String target = createUser("target@access.test", "대상", "agent", null, "target-password-1").path("id").asText();
        Response team = api.call("POST", "/api/admin/teams", Map.of("id", "probe", "name", Map.of("ko", "점검", "en", "Probe"),
                "tags", List.of("probe-topic")), admin);
        assertThat(team.status()).as(team.body()).isEqualTo(201);
        Object[][] endpoints = {
                {"GET", "/api/admin/users", null},
                {"POST", "/api/admin/users", Map.of("email", "new@access.test", "name", "새 사람", "role", "agent",
                        "siteId", "demo")},
                {"GET", "/api/admin/users/" + target, null},
                {"PUT", "/api/admin/users/" + target, Map.of("name", "바뀐 이름", "version", 1)},
                {"POST", "/api/admin/users/" + target + "/reset-password", null},
                {"GET", "/api/admin/users/" + target + "/sessions", null},
                {"DELETE", "/api/admin/users/" + target + "/sessions", null},
                {"GET", "/api/admin/teams", null},
                {"POST", "/api/admin/teams", Map.of("id", "probe2", "name", Map.of("ko", "둘", "en", "Two"))},
                {"GET", "/api/admin/teams/probe", null},
                {"PUT", "/api/admin/teams/probe", Map.of("name", Map.of("ko", "점검2", "en", "Probe 2"), "version", 1)},
                {"DELETE", "/api/admin/teams/probe", null},
                {"GET", "/api/admin/audit", null},
                {"GET", "/api/admin/audit?format=csv", null},
        };
        long before = rows();
        for (Object[] e : endpoints) {
            String what = e[0] + " " + e[1];
            Response none = api.call((String) e[0], (String) e[1], e[2], null);
            assertThat(none.status()).as(what + " without a token").isEqualTo(401);
            assertThat(api.call((String) e[0], (String) e[1], e[2], "at_forged").status()).as(what).isEqualTo(401);
            Response asAgent = api.call((String) e[0], (String) e[1], e[2], agent);
            assertThat(asAgent.status()).as(what + " as an agent").isEqualTo(403);
            assertThat(asAgent.code()).isEqualTo("forbidden");
            Response asSupervisor = api.call((String) e[0], (String) e[1], e[2], supervisor);
            assertThat(asSupervisor.status()).as(what + " as a supervisor").isEqualTo(403);
            // Another site's admin: installation-wide sections are refused; this installation-wide
            // user is not theirs to see (404), and lists show only their own site.
            Response foreign = api.call((String) e[0], (String) e[1], e[2], otherSiteAdmin);
            String path = (String) e[1];
            if (path.startsWith("/api/admin/teams")) {
                assertThat(foreign.status()).as(what + " as another site's admin").isEqualTo(403);
            } else if (path.contains(target)) {
                assertThat(foreign.status()).as(what + " as another site's admin").isEqualTo(404);
            } else if (e[0].equals("POST")) {
                assertThat(foreign.status()).as(what + " as another site's admin").isEqualTo(403);
            } else {
                assertThat(foreign.status()).as(what + " as another site's admin").isEqualTo(200);
                assertThat(foreign.body()).as(what + " shows nothing of other sites")
                        .doesNotContain("access.test").doesNotContain("admin@demo.test");
            }
        }
        assertThat(rows()).as("refused calls write nothing").isEqualTo(before);

        int[] expected = {200, 201, 200, 200, 200, 200, 200, 200, 201, 200, 200, 200, 200, 200};
        for (int i = 0; i < endpoints.length; i++) {
            Response ok = api.call((String) endpoints[i][0], (String) endpoints[i][1], endpoints[i][2], admin);
            assertThat(ok.status()).as(endpoints[i][0] + " " + endpoints[i][1] + ": " + ok.body()).isEqualTo(expected[i]);
        }
        assertThat(api.call("GET", "/api/admin/users/nobody", null, admin).status()).isEqualTo(404);
        assertThat(api.call("PATCH", "/api/admin/users", "{}", admin).status()).isEqualTo(405);
        // FAQ and bot hold installation-wide data: a site's admin is refused.
        assertThat(api.call("GET", "/api/admin/faq", null, otherSiteAdmin).status()).isEqualTo(403);
        assertThat(api.call("GET", "/api/admin/bot/status", null, otherSiteAdmin).status()).isEqualTo(403);
        // A site's admin cannot hand out another site or the whole installation.
        Response grab = api.call("POST", "/api/admin/users", Map.of("email", "x@shop2.test", "name", "X", "role", "admin",
                "siteId", "demo"), otherSiteAdmin);
        assertThat(grab.status()).isEqualTo(403);
        Response own = api.call("POST", "/api/admin/users", Map.of("email", "staff@shop2.test", "name", "직원",
                "role", "agent"), otherSiteAdmin);
        assertThat(own.status()).as(own.body()).isEqualTo(201);
        assertThat(own.json().path("user").path("siteId").asText()).isEqualTo("shop2");
        assertThat(api.call("GET", "/api/admin/users/" + demoSiteAdminId, null, otherSiteAdmin).status()).isEqualTo(404);
    }

    @Test
    void anInviteSetsThePasswordOnceAndLogsIn() throws Exception {
        Response invited = api.call("POST", "/api/admin/users", Map.of("email", "Invitee@Access.test", "name", "초대 손님",
                "role", "agent", "maxChats", 5), admin);
        assertThat(invited.status()).as(invited.body()).isEqualTo(201);
        JsonNode user = invited.json().path("user");
        assertThat(user.path("email").asText()).isEqualTo("invitee@access.test");
        assertThat(user.path("pending").asBoolean()).isTrue();
        assertThat(user.path("maxChats").asInt()).isEqualTo(5);
        String link = invited.json().path("invite").path("token").asText();
        assertThat(invited.json().path("invite").path("url").asText()).isEqualTo("/admin/password#token=" + link);
        assertThat(api.count("SELECT count(*) FROM one_time_tokens WHERE token_hash = '" + link + "'"))
                .as("only the hash is stored").isZero();
        // Before the invite is used nothing logs in, not even an empty password.
        assertThat(api.call("POST", "/api/auth/login", Map.of("email", "invitee@access.test", "password", ""), null)
                .status()).isEqualTo(401);

        Response weak = api.call("POST", "/api/account/password", Map.of("token", link, "password", "short"), null);
        assertThat(weak.status()).isEqualTo(400);
        assertThat(weak.json().path("message").asText()).contains("at least 10");
        Response set = api.call("POST", "/api/account/password", Map.of("token", link, "password", "초대받은-새-비밀번호"), null);
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        String token = set.json().path("token").asText();
        assertThat(api.call("GET", "/api/account/me", null, token).json().path("email").asText())
                .isEqualTo("invitee@access.test");
        assertThat(api.call("POST", "/api/account/password", Map.of("token", link, "password", "다시-쓰는-비밀번호"), null)
                .status()).as("a link works once").isEqualTo(401);
        assertThat(server.login("invitee@access.test", "초대받은-새-비밀번호")).isNotBlank();
        assertThat(api.call("GET", "/api/admin/users/" + user.path("id").asText(), null, admin).json()
                .path("pending").asBoolean()).isFalse();
    }

    @Test
    void disablingCutsTokensAndLiveSocketsAtOnce() throws Exception {
        String id = createUser("leaver@access.test", "퇴사자", "agent", null, "leaver-password-1").path("id").asText();
        String token = server.login("leaver@access.test", "leaver-password-1");
        try (WsTestClient console = WsTestClient.connect(server.agentUri())) {
            console.helloAgent(token);
            assertThat(api.call("GET", "/api/account/me", null, token).status()).isEqualTo(200); // now cached
            Response disabled = api.call("PUT", "/api/admin/users/" + id, Map.of("disabled", true, "version", 1), admin);
            assertThat(disabled.status()).as(disabled.body()).isEqualTo(200);
            assertThat(disabled.json().path("disabled").asBoolean()).isTrue();
            assertThat(api.call("GET", "/api/account/me", null, token).status()).as("the token stops at once").isEqualTo(401);
            await().atMost(Duration.ofSeconds(5)).until(console::isClosed);
        }
        Response login = api.call("POST", "/api/auth/login", Map.of("email", "leaver@access.test",
                "password", "leaver-password-1"), null);
        assertThat(login.status()).isEqualTo(403);
        assertThat(login.json().path("message").asText()).contains("disabled");
        try (WsTestClient again = WsTestClient.connect(server.agentUri())) {
            again.send("{\"type\":\"hello\",\"role\":\"agent\",\"token\":\"" + token + "\"}");
            assertThat(again.await("error").path("code").asText()).isEqualTo("unauthorized");
        }
        // Disabled accounts are no transfer targets.
        try (WsTestClient console = WsTestClient.connect(server.agentUri())) {
            JsonNode welcome = console.helloAgent(admin);
            assertThat(welcome.toString()).doesNotContain(id);
        }
        Response enabled = api.call("PUT", "/api/admin/users/" + id, Map.of("disabled", false, "version", 2), admin);
        assertThat(enabled.status()).isEqualTo(200);
        assertThat(api.call("GET", "/api/account/me", null, token).status())
                .as("enabling again does not bring the old token back").isEqualTo(401);
        assertThat(server.login("leaver@access.test", "leaver-password-1")).isNotBlank();
        // An admin cannot lock themselves out.
        String me = api.call("GET", "/api/account/me", null, admin).json().path("id").asText();
        long version = api.call("GET", "/api/admin/users/" + me, null, admin).json().path("version").asLong();
        Response self = api.call("PUT", "/api/admin/users/" + me, Map.of("disabled", true, "version", version), admin);
        assertThat(self.status()).isEqualTo(409);
    }

    @Test
    void aRoleOrSiteChangeEndsEverySessionAndClosesLiveSockets() throws Exception {
        String id = createUser("moved@access.test", "이동자", "supervisor", null, "moved-password-1").path("id").asText();
        String sessions = "/api/admin/users/" + id + "/sessions";

        String token = server.login("moved@access.test", "moved-password-1");
        String other = server.login("moved@access.test", "moved-password-1");
        try (WsTestClient console = WsTestClient.connect(server.agentUri())) {
            console.helloAgent(token);
            assertThat(api.call("GET", "/api/account/me", null, token).json().path("role").asText())
                    .as("now cached").isEqualTo("supervisor");
            Response demoted = api.call("PUT", "/api/admin/users/" + id, Map.of("role", "agent", "version", 1), admin);
            assertThat(demoted.status()).as(demoted.body()).isEqualTo(200);
            assertThat(demoted.json().path("role").asText()).isEqualTo("agent");
            // Not a token that now acts as an agent: no token at all, so the owner logs in again.
            assertThat(api.call("GET", "/api/account/me", null, token).status()).as("the token stops at once").isEqualTo(401);
            assertThat(api.call("GET", "/api/account/me", null, other).status()).as("every session").isEqualTo(401);
            assertThat(api.call("GET", sessions, null, admin).json().path("sessions").size()).isZero();
            assertThat(api.count("SELECT count(*) FROM auth_tokens WHERE agent_id = '" + id + "'")).isZero();
            await().atMost(Duration.ofSeconds(5)).until(console::isClosed);
            assertThat(console.closeStatus()).isEqualTo(4401);
        }
        try (WsTestClient again = WsTestClient.connect(server.agentUri())) {
            again.send("{\"type\":\"hello\",\"role\":\"agent\",\"token\":\"" + token + "\"}");
            assertThat(again.await("error").path("code").asText()).isEqualTo("unauthorized");
        }

        String relogged = server.login("moved@access.test", "moved-password-1");
        try (WsTestClient console = WsTestClient.connect(server.agentUri())) {
            console.helloAgent(relogged);
            Response moved = api.call("PUT", "/api/admin/users/" + id, Map.of("siteId", "demo", "version", 2), admin);
            assertThat(moved.status()).as(moved.body()).isEqualTo(200);
            assertThat(moved.json().path("siteId").asText()).isEqualTo("demo");
            assertThat(api.call("GET", "/api/account/me", null, relogged).status()).as("a site change too").isEqualTo(401);
            assertThat(api.call("GET", sessions, null, admin).json().path("sessions").size()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(console::isClosed);
            assertThat(console.closeStatus()).isEqualTo(4401);
        }
        String fresh = server.login("moved@access.test", "moved-password-1");
        JsonNode me = api.call("GET", "/api/account/me", null, fresh).json();
        assertThat(me.path("role").asText()).isEqualTo("agent");
        assertThat(me.path("siteId").asText()).isEqualTo("demo");

        // Edits that take nothing away leave the sessions alone.
        Response renamed = api.call("PUT", "/api/admin/users/" + id, Map.of("name", "이동자 2", "maxChats", 3,
                "version", 3), admin);
        assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
        assertThat(api.call("GET", "/api/account/me", null, fresh).status()).isEqualTo(200);
        assertThat(api.call("GET", sessions, null, admin).json().path("sessions").size()).isEqualTo(1);
    }

    @Test
    void aPasswordResetEndsTheOldPasswordAndEverySession() throws Exception {
        String id = createUser("forgot@access.test", "잊은 사람", "agent", null, "forgot-password-1").path("id").asText();
        String first = server.login("forgot@access.test", "forgot-password-1");
        String second = server.login("forgot@access.test", "forgot-password-1");
        assertThat(api.call("GET", "/api/admin/users/" + id + "/sessions", null, admin).json().path("sessions").size())
                .isEqualTo(2);
        Response reset = api.call("POST", "/api/admin/users/" + id + "/reset-password", null, admin);
        assertThat(reset.status()).isEqualTo(200);
        assertThat(api.call("GET", "/api/account/me", null, first).status()).isEqualTo(401);
        assertThat(api.call("GET", "/api/account/me", null, second).status()).isEqualTo(401);
        assertThat(api.call("POST", "/api/auth/login", Map.of("email", "forgot@access.test",
                "password", "forgot-password-1"), null).status()).isEqualTo(401);
        Response set = api.call("POST", "/api/account/password", Map.of("token", reset.json().path("token").asText(),
                "password", "새로운-비밀번호-1"), null);
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(server.login("forgot@access.test", "새로운-비밀번호-1")).isNotBlank();
    }

    @Test
    void staleEditsGet409AndBadInputA400ThatWritesNothing() throws Exception {
        JsonNode user = createUser("edited@access.test", "편집 대상", "agent", null, "edited-password-1");
        String id = user.path("id").asText();
        Response first = api.call("PUT", "/api/admin/users/" + id, Map.of("role", "supervisor", "maxChats", 4,
                "version", 1), admin);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().path("role").asText()).isEqualTo("supervisor");
        assertThat(first.json().path("version").asLong()).isEqualTo(2);
        Response stale = api.call("PUT", "/api/admin/users/" + id, Map.of("name", "늦은 편집", "version", 1), admin);
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.json().path("message").asText()).contains("version 2");

        long before = rows();
        Object[][] bad = {
                {"POST", "/api/admin/users", Map.of("email", "not-an-email", "name", "이름"), "email"},
                {"POST", "/api/admin/users", Map.of("email", "a@b.test", "name", " "), "name"},
                {"POST", "/api/admin/users", Map.of("email", "a@b.test", "name", "이름", "role", "owner"), "role"},
                {"POST", "/api/admin/users", Map.of("email", "a@b.test", "name", "이름", "password", "short"), "password"},
                {"POST", "/api/admin/users", Map.of("email", "a@b.test", "name", "이름", "maxChats", 0), "maxChats"},
                {"POST", "/api/admin/users", Map.of("email", "a@b.test", "name", "이름", "siteId", "nowhere"), "site"},
                {"POST", "/api/admin/users", Map.of("email", "a@b.test", "name", "이름", "teams", List.of("ghost")), "team"},
                {"POST", "/api/admin/users", "[1,2]", "JSON object"},
                {"POST", "/api/admin/users", "{not json", "JSON object"},
                {"PUT", "/api/admin/users/" + id, Map.of("name", "이름"), "version"},
                {"PUT", "/api/admin/users/" + id, Map.of("disabled", "yes", "version", 2), "disabled"},
                {"PUT", "/api/admin/users/" + id, Map.of("email", "new@x.test", "version", 2), "email"},
                {"POST", "/api/admin/teams", Map.of("id", "Bad Id!", "name", Map.of("ko", "가", "en", "A")), "id"},
                {"POST", "/api/admin/teams", Map.of("id", "t1", "name", Map.of("ko", "가")), "name.en"},
                {"POST", "/api/admin/teams", Map.of("id", "t1", "name", Map.of("ko", "가", "en", "A"),
                        "members", List.of("ag_nobody")), "user"},
                {"POST", "/api/admin/teams", Map.of("id", "t1", "name", Map.of("ko", "가", "en", "A"),
                        "hours", Map.of("timeZone", "Mars/Base")), "hours"},
                {"GET", "/api/admin/audit?from=yesterday", null, "from"},
                {"GET", "/api/admin/audit?limit=0", null, "limit"},
                // Numbers beyond an int's or a long's range: refused, not read wrapped (2^32 + 3 as 3).
                {"POST", "/api/admin/users", "{\"email\":\"a@b.test\",\"name\":\"이름\",\"maxChats\":4294967299}", "maxChats"},
                {"PUT", "/api/admin/users/" + id, "{\"name\":\"이름\",\"version\":99999999999999999999}", "'version'"},
                {"PUT", "/api/admin/privacy", "{\"retentionDays\":4294967326,\"version\":0}", "retentionDays"},
                {"PUT", "/api/admin/privacy", "{\"retentionDays\":30,\"version\":99999999999999999999}", "'version'"},
        };
        for (Object[] c : bad) {
            Response response = api.call((String) c[0], (String) c[1], c[2], admin);
            assertThat(response.status()).as(c[1] + " " + c[2] + ": " + response.body()).isEqualTo(400);
            assertThat(response.code()).isEqualTo("bad_request");
            assertThat(response.json().path("message").asText()).as(response.body()).contains((String) c[3]);
        }
        Response duplicate = api.call("POST", "/api/admin/users", Map.of("email", "EDITED@access.test", "name", "중복"), admin);
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(rows()).as("nothing half-written").isEqualTo(before);
    }

    @Test
    void loginsAreThrottledPerAccountAndPerAddress() throws Exception {
        createUser("guessed@access.test", "추측 대상", "agent", null, "guessed-password-1");
        for (int i = 0; i < 5; i++) {
            assertThat(api.call("POST", "/api/auth/login", Map.of("email", "guessed@access.test", "password", "wrong-" + i),
                    null).status()).isEqualTo(401);
        }
        Response locked = api.call("POST", "/api/auth/login", Map.of("email", "guessed@access.test",
                "password", "guessed-password-1"), null);
        assertThat(locked.status()).as("even the right password is refused while locked").isEqualTo(429);
        assertThat(locked.code()).isEqualTo("rate_limited");
        clock.advance(Duration.ofMinutes(16));
        assertThat(server.login("guessed@access.test", "guessed-password-1")).isNotBlank();

        // One address guessing many accounts is stopped too (the test client is always 127.0.0.1).
        for (int i = 0; i < 30; i++) {
            api.call("POST", "/api/auth/login", Map.of("email", "nobody" + i + "@access.test", "password", "x"), null);
        }
        assertThat(api.call("POST", "/api/auth/login", Map.of("email", "guessed@access.test",
                "password", "guessed-password-1"), null).status()).isEqualTo(429);
        clock.advance(Duration.ofMinutes(16));
        assertThat(server.login("guessed@access.test", "guessed-password-1")).isNotBlank();
    }

    @Test
    void sessionsExpireAndCanBeListedAndRevoked() throws Exception {
        createUser("sessions@access.test", "세션 주인", "agent", null, "sessions-password-1");
        String laptop = server.login("sessions@access.test", "sessions-password-1");
        String phone = server.login("sessions@access.test", "sessions-password-1");
        JsonNode sessions = api.call("GET", "/api/account/sessions", null, laptop).json().path("sessions");
        assertThat(sessions.size()).isEqualTo(2);
        assertThat(sessions.findValuesAsText("ip")).containsOnly("127.0.0.1");
        String phoneSession = null;
        for (JsonNode s : sessions) {
            if (!s.path("current").asBoolean()) {
                phoneSession = s.path("id").asText();
            }
        }
        assertThat(api.call("DELETE", "/api/account/sessions/" + phoneSession, null, laptop).status()).isEqualTo(200);
        assertThat(api.call("GET", "/api/account/me", null, phone).status()).isEqualTo(401);
        assertThat(api.call("DELETE", "/api/account/sessions/" + phoneSession, null, laptop).status()).isEqualTo(404);
        assertThat(api.call("POST", "/api/account/logout", null, laptop).status()).isEqualTo(200);
        assertThat(api.call("GET", "/api/account/me", null, laptop).status()).isEqualTo(401);

        String old = server.login("sessions@access.test", "sessions-password-1");
        clock.advance(Duration.ofHours(13)); // auth.tokenTtlHours = 12
        assertThat(api.call("GET", "/api/account/me", null, old).status()).as("expired").isEqualTo(401);
        // Every other test's tokens expired with it.
        admin = server.loginAdmin();
        agent = server.login("agent@access.test", "agent-password-1");
        supervisor = server.login("super@access.test", "super-password-1");
        otherSiteAdmin = server.login("admin@shop2.test", "shop2-password-1");
    }

    @Test
    void teamsAreManagedWithVersionsAndTheirTopicsStayUnique() throws Exception {
        Map<String, Object> hours = Map.of("timeZone", "Asia/Seoul", "weekly", Map.of("mon", List.of("09:00-18:00")));
        Response created = api.call("POST", "/api/admin/teams", Map.of("id", "vip", "name", Map.of("ko", "VIP", "en", "VIP"),
                "tags", List.of("VIP-care"), "members", List.of(agentId), "hours", hours), admin);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().path("tags").toString()).isEqualTo("[\"vip-care\"]");
        assertThat(api.call("GET", "/api/admin/users/" + agentId, null, admin).json().path("teams").toString())
                .contains("vip");
        Response edited = api.call("PUT", "/api/admin/teams/vip", Map.of("allAgents", true, "hours", (Object) null
                == null ? Map.of() : Map.of(), "version", 1), admin);
        assertThat(edited.status()).as(edited.body()).isEqualTo(400); // {} is no valid business hours
        Response open = api.call("PUT", "/api/admin/teams/vip", "{\"hours\":null,\"version\":1}", admin);
        assertThat(open.status()).as(open.body()).isEqualTo(200);
        assertThat(open.json().path("hours").isNull()).isTrue();
        assertThat(open.json().path("version").asLong()).isEqualTo(2);
        assertThat(api.call("PUT", "/api/admin/teams/vip", "{\"version\":1}", admin).status()).isEqualTo(409);
        Response taken = api.call("POST", "/api/admin/teams", Map.of("id", "vip2", "name", Map.of("ko", "둘", "en", "Two"),
                "tags", List.of("vip-care")), admin);
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.json().path("message").asText()).contains("vip-care");
        assertThat(api.call("GET", "/api/admin/teams/vip2", null, admin).status()).isEqualTo(404);
        // Membership from the user's side.
        long version = api.call("GET", "/api/admin/users/" + agentId, null, admin).json().path("version").asLong();
        Response moved = api.call("PUT", "/api/admin/users/" + agentId, Map.of("teams", List.of(), "version", version), admin);
        assertThat(moved.json().path("teams").size()).isZero();
        assertThat(api.call("DELETE", "/api/admin/teams/vip?version=1", null, admin).status()).isEqualTo(409);
        assertThat(api.call("DELETE", "/api/admin/teams/vip?version=2", null, admin).status()).isEqualTo(200);
        assertThat(api.call("GET", "/api/admin/teams/vip", null, admin).status()).isEqualTo(404);
    }

    @Test
    void theAuditLogRecordsWhoWhatWhenBeforeAndAfterAndExportsCsv() throws Exception {
        JsonNode user = createUser("audited@access.test", "감사 대상", "agent", null, "audited-password-1");
        String id = user.path("id").asText();
        api.call("PUT", "/api/admin/users/" + id, Map.of("name", "감사 대상 (수정)", "version", 1), admin);
        Response faq = api.call("POST", "/api/admin/faq", Map.of("id", "audit-probe", "locale", "ko",
                "question", "감사 기록 질문", "answer", "=HYPERLINK(\"x\")"), admin);
        assertThat(faq.status()).isEqualTo(201);

        JsonNode entries = api.call("GET", "/api/admin/audit?target=" + id, null, admin).json().path("entries");
        assertThat(entries.findValuesAsText("action")).containsExactly("user.update", "user.create");
        JsonNode update = entries.get(0);
        assertThat(update.path("actor").path("name").asText()).isEqualTo("admin");
        assertThat(update.path("before").path("name").asText()).isEqualTo("감사 대상");
        assertThat(update.path("after").path("name").asText()).isEqualTo("감사 대상 (수정)");
        assertThat(Instant.parse(update.path("at").asText())).isEqualTo(clock.instant().truncatedTo(ChronoUnit.MILLIS));
        assertThat(entries.toString()).doesNotContain("argon2").doesNotContain("password_hash");

        JsonNode faqRows = api.call("GET", "/api/admin/audit?type=faq&action=faq.create", null, admin).json().path("entries");
        assertThat(faqRows.findValuesAsText("target")).contains("audit-probe");
        String today = clock.instant().toString().substring(0, 10);
        assertThat(api.call("GET", "/api/admin/audit?from=" + today + "&to=" + today + "&target=" + id, null, admin)
                .json().path("entries").size()).isEqualTo(2);
        assertThat(api.call("GET", "/api/admin/audit?to=2000-01-01", null, admin).json().path("entries").size()).isZero();

        Response csv = api.call("GET", "/api/admin/audit?format=csv&type=faq", null, admin);
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.raw().headers().firstValue("content-type")).hasValue("text/csv; charset=utf-8");
        assertThat(csv.body().getBytes(StandardCharsets.UTF_8)).startsWith(0xEF, 0xBB, 0xBF);
        String[] lines = csv.body().substring(1).split("\r\n");
        assertThat(lines[0]).isEqualTo("id,at,actor_id,actor_name,site_id,action,type,target,before,after");
        assertThat(csv.body()).contains("\"faq.create\"").contains("audit-probe");
        // The entry text starts with '=' inside JSON, so no cell starts with a formula.
        assertThat(csv.body()).doesNotContain(",\"=");
    }

    @Test
    void aSupervisorSeesTheQueueAndManagesOtherAgentsChatsWhichAnAgentMayNot() throws Exception {
        createUser("colleague@access.test", "동료", "agent", null, "colleague-password-1");
        String colleague = server.login("colleague@access.test", "colleague-password-1");
        try (WsTestClient visitor = WsTestClient.connect(server.visitorUri());
             WsTestClient owner = WsTestClient.connect(server.agentUri());
             WsTestClient other = WsTestClient.connect(server.agentUri());
             WsTestClient overseer = WsTestClient.connect(server.agentUri())) {
            visitor.helloVisitor(null, null, 0);
            owner.helloAgent(agent);
            other.helloAgent(colleague);
            assertThat(overseer.helloAgent(supervisor).path("agent").path("role").asText()).isEqualTo("supervisor");
            String id = visitor.say("s-1", null, "상담원 연결").path("conversationId").asText();
            overseer.await("conversation", c -> c.path("conversation").path("id").asText().equals(id));
            owner.send("{\"type\":\"accept\",\"conversationId\":\"" + id + "\",\"ref\":\"acc\"}");
            visitor.await("status", st -> st.path("state").asText().equals("assigned"));

            other.send("{\"type\":\"resolve\",\"conversationId\":\"" + id + "\",\"ref\":\"r-agent\"}");
            assertThat(other.await("error", e -> e.path("ref").asText().equals("r-agent")).path("code").asText())
                    .isEqualTo("forbidden");
            overseer.send("{\"type\":\"transfer\",\"conversationId\":\"" + id + "\",\"toTeamId\":\"support\","
                    + "\"ref\":\"t-super\"}");
            visitor.await("status", st -> st.path("state").asText().equals("queued"));
            overseer.send("{\"type\":\"resolve\",\"conversationId\":\"" + id + "\",\"ref\":\"r-super\"}");
            visitor.await("status", st -> st.path("state").asText().equals("resolved"));
        }
    }
}
