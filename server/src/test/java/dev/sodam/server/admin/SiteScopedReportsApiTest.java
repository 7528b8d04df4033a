package dev.sodam.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.AdminHttp;
import dev.sodam.server.testing.RoleTokens;
import dev.sodam.server.testing.ServerExtension;
import dev.sodam.server.testing.WsTestClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The gap report and the analytics for a site's admin: questions asked on two sites through real
 * sockets; the admin of shop2 sees shop2's only (naming demo is 403), the installation admin sees
 * both, or one with {@code site}; a site's admin may not turn a gap into an FAQ draft.
 */
class SiteScopedReportsApiTest {
    @RegisterExtension
    static final ServerExtension app = ServerExtension.started().withBot();
    static AdminHttp http;
    static String admin;
    static String shopAdmin;
    static String supervisor;

    @BeforeAll
    static void start() throws Exception {
        http = new AdminHttp(app.server());
        RoleTokens roles = RoleTokens.create(app.server());
        admin = roles.admin();
        shopAdmin = roles.siteAdmin();
        supervisor = roles.supervisor();
        ask("demo", "우주선 연료는 어디서 사나요?");
        ask("demo", "화성 가는 표 있어요?");
        ask("shop2", "공룡 알은 어디서 팔아요?");
    }

    static void ask(String site, String question) throws Exception {
        askOn(app.server(), site, question);
    }

    /** A visitor of {@code site} asks something the FAQ does not know; the chat ends up queued for a person. */
    static void askOn(dev.sodam.server.testing.TestServer server, String site, String question) throws Exception {
        // A visitor connects to the socket of their site (/ws?site=…); its hello names the same site.
        try (WsTestClient visitor = WsTestClient.connect(java.net.URI.create(
                server.visitorUri().toString().replace("site=demo", "site=" + site)))) {
            visitor.send("{\"type\":\"hello\",\"role\":\"visitor\",\"site\":\"" + site + "\",\"locale\":\"ko\"}");
            visitor.await("welcome");
            visitor.say("q", null, question);
            visitor.await("message", m -> !m.path("from").path("kind").asText().equals("visitor")
                    || visitor.frames("status").stream().anyMatch(s -> s.path("state").asText().equals("queued")));
            if (visitor.frames("status").stream().noneMatch(s -> s.path("state").asText().equals("queued"))) {
                visitor.send("{\"type\":\"handoff\",\"conversationId\":\""
                        + visitor.frames("message").get(0).path("conversationId").asText() + "\"}");
            }
            visitor.await("status", s -> s.path("state").asText().equals("queued"));
        }
    }

    static List<String> questions(JsonNode report) {
        List<String> out = new ArrayList<>();
        report.path("clusters").forEach(c -> c.path("examples").forEach(e -> out.add(e.path("text").asText())));
        return out;
    }

    @Test
    void aSiteAdminReadsOnlyTheirSitesReports() throws Exception {
        AdminHttp.Response gaps = http.call("GET", "/api/admin/gaps?lowConfidence=0.99", null, shopAdmin);
        assertThat(gaps.status()).isEqualTo(200);
        assertThat(questions(gaps.json())).containsExactly("공룡 알은 어디서 팔아요?");
        assertThat(http.call("GET", "/api/admin/gaps?site=shop2&lowConfidence=0.99", null, shopAdmin).json()
                .path("clusters")).isEqualTo(gaps.json().path("clusters"));

        AdminHttp.Response figures = http.call("GET", "/api/admin/analytics", null, shopAdmin);
        assertThat(figures.status()).isEqualTo(200);
        assertThat(figures.json().path("conversations").asInt()).isEqualTo(1);
        assertThat(figures.json().path("site").asText()).isEqualTo("shop2");
        AdminHttp.Response csv = http.call("GET", "/api/admin/analytics?format=csv", null, shopAdmin);
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.body()).contains("conversations");

        // Another site, by name, is refused and says why; so is a draft (the FAQ serves every site).
        for (String path : List.of("/api/admin/gaps?site=demo", "/api/admin/analytics?site=demo",
                "/api/admin/analytics?site=demo&format=csv")) {
            AdminHttp.Response refused = http.call("GET", path, null, shopAdmin);
            assertThat(refused.status()).as(path).isEqualTo(403);
            assertThat(refused.code()).isEqualTo("forbidden");
            assertThat(refused.json().path("message").asText()).contains("shop2");
        }
        long entries = http.count("SELECT COUNT(*) FROM faq_entries");
        AdminHttp.Response draft = http.call("POST", "/api/admin/gaps/draft",
                Map.of("locale", "ko", "question", "공룡 알은 어디서 팔아요?"), shopAdmin);
        assertThat(draft.status()).isEqualTo(403);
        assertThat(http.count("SELECT COUNT(*) FROM faq_entries")).isEqualTo(entries);
        // Bad input is still a 400 for a site's admin.
        assertThat(http.call("GET", "/api/admin/analytics?from=yesterday", null, shopAdmin).status()).isEqualTo(400);
        assertThat(http.call("GET", "/api/admin/gaps?locale=jp", null, shopAdmin).status()).isEqualTo(400);
        // A supervisor reads neither.
        assertThat(http.call("GET", "/api/admin/gaps", null, supervisor).status()).isEqualTo(403);
        assertThat(http.call("GET", "/api/admin/analytics", null, supervisor).status()).isEqualTo(403);
    }

    @Test
    void theInstallationAdminSeesEverySiteOrFiltersOne() throws Exception {
        List<String> all = questions(http.call("GET", "/api/admin/gaps?lowConfidence=0.99", null, admin).json());
        assertThat(all).containsExactlyInAnyOrder("우주선 연료는 어디서 사나요?", "화성 가는 표 있어요?", "공룡 알은 어디서 팔아요?");
        assertThat(questions(http.call("GET", "/api/admin/gaps?site=demo&lowConfidence=0.99", null, admin).json()))
                .containsExactlyInAnyOrder("우주선 연료는 어디서 사나요?", "화성 가는 표 있어요?");
        assertThat(http.call("GET", "/api/admin/analytics", null, admin).json().path("conversations").asInt()).isEqualTo(3);
        assertThat(http.call("GET", "/api/admin/analytics?site=shop2", null, admin).json().path("conversations").asInt())
                .isEqualTo(1);
        assertThat(http.call("GET", "/api/admin/analytics?site=demo", null, admin).json().path("conversations").asInt())
                .isEqualTo(2);
    }
}
