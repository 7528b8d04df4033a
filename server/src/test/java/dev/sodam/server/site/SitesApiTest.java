package dev.sodam.server.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.ServerExtension;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WsTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Several sites in one installation over real HTTP and WebSockets: an installation admin adds a
 * site, which takes visitors from its origins at once; a site's admin sees and changes only their
 * own site and its settings; agents and strangers are refused; bad input writes nothing; every
 * change is in the audit log.
 */
class SitesApiTest {
    @RegisterExtension
    static final ServerExtension app = ServerExtension.started();
    static String admin;
    static String agent;

    @BeforeAll
    static void start() throws Exception {
        admin = app.server().loginAdmin();
        app.server().createAgent("agent@sites.test", "상담원", "agent-password-1");
        agent = app.server().login("agent@sites.test", "agent-password-1");
    }

    private static HttpResponse<String> call(String method, String path, String body, String token) throws Exception {
        return app.server().send(method, path, body, token);
    }

    private static List<String> siteIds(String token) throws Exception {
        HttpResponse<String> listed = call("GET", "/api/admin/sites", null, token);
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        return TestServer.json(listed.body()).path("sites").findValuesAsText("id");
    }

    /** Opens a visitor socket to a site as a page on {@code origin} would; the handshake fails when refused. */
    private static WebSocket connect(String site, String origin) throws Exception {
        return HttpClient.newHttpClient().newWebSocketBuilder().header("Origin", origin)
                .buildAsync(URI.create("ws://127.0.0.1:" + app.server().port() + "/ws?site=" + site), new WebSocket.Listener() { })
                .get(10, TimeUnit.SECONDS);
    }

    @Test
    void anAdminAddsASiteThatTakesVisitorsFromItsOriginsAtOnce() throws Exception {
        assertThat(siteIds(admin)).contains("demo").doesNotContain("shop2");
        for (String bad : new String[] {"{\"id\":\"Shop 2\"}", "{\"id\":\"\"}", "{\"id\":\"" + "a".repeat(33) + "\"}",
            "{\"name\":\"no key\"}", "{\"id\":\"shop2\",\"allowedOrigins\":[\"https://shop2.example/path\"]}",
            "{\"id\":\"shop2\",\"allowedOrigins\":[\"javascript:alert(1)\"]}",
            "{\"id\":\"shop2\",\"allowedOrigins\":[\"https://*.example.com\"]}",
            "{\"id\":\"shop2\",\"allowedOrigins\":[5]}", "{\"id\":\"shop2\",\"name\":\"  \"}", "[1]"}) {
            HttpResponse<String> refused = call("POST", "/api/admin/sites", bad, admin);
            assertThat(refused.statusCode()).as(bad + ": " + refused.body()).isEqualTo(400);
            assertThat(TestServer.json(refused.body()).path("code").asText()).isEqualTo("bad_request");
        }
        assertThat(siteIds(admin)).as("bad input adds nothing").doesNotContain("shop2", "shop-2", "");

        HttpResponse<String> created = call("POST", "/api/admin/sites",
                "{\"id\":\"shop2\",\"name\":\"가게 2\",\"allowedOrigins\":[\"HTTPS://Shop2.example\",\"self\"]}", admin);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(TestServer.json(created.body()).path("allowedOrigins").toString())
                .isEqualTo("[\"https://shop2.example\",\"self\"]");
        assertThat(call("POST", "/api/admin/sites", "{\"id\":\"shop2\"}", admin).statusCode()).isEqualTo(409);
        assertThat(siteIds(admin)).contains("demo", "shop2");

        // No restart: the origin check knows the new site and its origins now.
        connect("shop2", "https://shop2.example").sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> connect("shop2", "https://evil.example")).hasRootCauseMessage(
                "Unexpected HTTP response status code 403");
        assertThatThrownBy(() -> connect("shop3", "https://shop2.example")).hasRootCauseMessage(
                "Unexpected HTTP response status code 404");

        // A visitor's token belongs to its site: the demo visitor is a stranger on shop2.
        String demoToken;
        try (WsTestClient demo = WsTestClient.connect(app.server().visitorUri())) {
            demoToken = demo.helloVisitor(null, null, 0).path("visitorToken").asText();
        }
        try (WsTestClient elsewhere = WsTestClient.connect(URI.create("ws://127.0.0.1:" + app.server().port() + "/ws?site=shop2"))) {
            elsewhere.send("{\"type\":\"hello\",\"role\":\"visitor\",\"site\":\"shop2\",\"visitorToken\":\"" + demoToken + "\"}");
            assertThat(elsewhere.await("error").path("code").asText()).isEqualTo("unauthorized");
            elsewhere.send("{\"type\":\"hello\",\"role\":\"visitor\",\"site\":\"shop2\"}");
            JsonNode welcome = elsewhere.await("welcome");
            assertThat(welcome.path("visitorToken").asText()).isNotBlank().isNotEqualTo(demoToken);
        }

        HttpResponse<String> changed = call("PUT", "/api/admin/sites/shop2",
                "{\"allowedOrigins\":[\"https://www.shop2.example\"]}", admin);
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        assertThat(TestServer.json(changed.body()).path("name").asText()).isEqualTo("가게 2");
        assertThatThrownBy(() -> connect("shop2", "https://shop2.example")).hasRootCauseMessage(
                "Unexpected HTTP response status code 403");
        assertThat(call("PUT", "/api/admin/sites/shop2", "{\"id\":\"shop3\"}", admin).statusCode()).isEqualTo(400);
        assertThat(call("PUT", "/api/admin/sites/nowhere", "{\"name\":\"x\"}", admin).statusCode()).isEqualTo(404);

        JsonNode audit = TestServer.json(call("GET", "/api/admin/audit?type=site", null, admin).body());
        assertThat(audit.path("entries").findValuesAsText("action")).contains("site.create", "site.update");
    }

    @Test
    void aSiteAdminSeesAndChangesOnlyTheirOwnSite() throws Exception {
        if (!siteIds(admin).contains("north")) {
            assertThat(call("POST", "/api/admin/sites", "{\"id\":\"north\",\"name\":\"북쪽 가게\"}", admin).statusCode())
                    .isEqualTo(201);
        }
        HttpResponse<String> user = call("POST", "/api/admin/users", "{\"email\":\"admin@north.test\",\"name\":\"북쪽 관리자\","
                + "\"role\":\"admin\",\"siteId\":\"north\",\"password\":\"north-password-1\"}", admin);
        assertThat(user.statusCode()).as(user.body()).isEqualTo(201);
        String north = app.server().login("admin@north.test", "north-password-1");

        assertThat(siteIds(north)).containsExactly("north");
        assertThat(call("POST", "/api/admin/sites", "{\"id\":\"south\"}", north).statusCode()).isEqualTo(403);
        assertThat(call("PUT", "/api/admin/sites/demo", "{\"name\":\"탈취\"}", north).statusCode()).isEqualTo(404);
        assertThat(call("GET", "/api/admin/sites/demo/settings", null, north).statusCode()).isEqualTo(404);
        assertThat(call("PUT", "/api/admin/sites/demo/settings", "{\"accentColor\":\"#000000\"}", north).statusCode())
                .isEqualTo(404);
        assertThat(TestServer.json(call("GET", "/api/sites/demo/settings", null, null).body()).path("accentColor").asText())
                .as("the demo site's look is untouched").isNotEqualTo("#000000");

        assertThat(call("PUT", "/api/admin/sites/north", "{\"name\":\"북쪽 가게 본점\"}", north).statusCode()).isEqualTo(200);
        HttpResponse<String> settings = call("PUT", "/api/admin/sites/north/settings",
                "{\"greeting\":{\"ko\":\"북쪽 가게입니다\"}}", north);
        assertThat(settings.statusCode()).as(settings.body()).isEqualTo(200);
        assertThat(TestServer.json(call("GET", "/api/sites/north/settings", null, null).body()).at("/greeting/ko").asText())
                .isEqualTo("북쪽 가게입니다");
        JsonNode audit = TestServer.json(call("GET", "/api/admin/audit?type=site", null, north).body());
        assertThat(audit.path("entries").findValuesAsText("action")).contains("site.update", "site.settings");
        assertThat(audit.path("entries").findValuesAsText("siteId")).containsOnly("north");

        for (String token : new String[] {agent, null}) {
            int expected = token == null ? 401 : 403;
            assertThat(call("GET", "/api/admin/sites", null, token).statusCode()).isEqualTo(expected);
            assertThat(call("POST", "/api/admin/sites", "{\"id\":\"x1\"}", token).statusCode()).isEqualTo(expected);
            assertThat(call("PUT", "/api/admin/sites/north", "{\"name\":\"x\"}", token).statusCode()).isEqualTo(expected);
        }
    }
}
