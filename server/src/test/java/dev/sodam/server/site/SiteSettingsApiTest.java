package dev.sodam.server.site;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.ServerExtension;
import dev.sodam.server.testing.WsTestClient;
import dev.sodam.server.util.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Site settings: the public GET the widget uses, and the admin GET/PUT for every role, with validation. */
class SiteSettingsApiTest {
    @RegisterExtension
    static final ServerExtension app = ServerExtension.started();
    static String admin;
    static String agent;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        app.server().createAgent("site@sodam.test", "상담원 사이트", "agent-password-1");
        admin = app.server().loginAdmin();
        agent = app.server().login("site@sodam.test", "agent-password-1");
    }

    static HttpResponse<String> call(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.server().http(path)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Origin", "https://shop.example");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.MAPPER.readTree(response.body());
    }

    @Test
    void thePublicViewHasTheDefaultsTheHoursAndWhetherAnAgentIsOnline() throws Exception {
        HttpResponse<String> response = call("GET", "/api/sites/demo/settings", null, null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("access-control-allow-origin")).hasValue("*");
        JsonNode view = json(response);
        assertThat(view.path("site").asText()).isEqualTo("demo");
        assertThat(view.path("accentColor").asText()).isEqualTo("#0f766e");
        assertThat(view.path("prechat").path("enabled").asBoolean()).isFalse();
        assertThat(view.path("offline").path("mode").asText()).isEqualTo("chat");
        assertThat(view.path("hours").path("open").asBoolean()).isTrue(); // the seed teams have no hours
        assertThat(view.path("hours").path("teams")).hasSize(3);
        assertThat(call("GET", "/api/sites/nowhere/settings", null, null).statusCode()).isEqualTo(404);
        assertThat(call("POST", "/api/sites/demo/settings", "{}", null).statusCode()).isEqualTo(405);

        try (WsTestClient console = WsTestClient.connect(app.server().agentUri())) {
            console.helloAgent(agent);
            Awaitility.await().until(() -> json(call("GET", "/api/sites/demo/settings", null, null))
                    .path("agentsOnline").asBoolean());
        }
    }

    @Test
    void onlyAdminsChangeSettingsAndBadInputChangesNothing() throws Exception {
        String change = "{\"accentColor\":\"#AA3300\",\"position\":\"left\",\"greeting\":{\"ko\":\"어서 오세요\"},"
                + "\"logoUrl\":\"https://shop.example/logo.png\",\"agentNames\":\"generic\","
                + "\"prechat\":{\"enabled\":true,\"fields\":[{\"id\":\"name\",\"required\":true},{\"id\":\"phone\"}]},"
                + "\"privacy\":{\"ko\":\"개인정보는 상담에만 씁니다.\",\"url\":\"https://shop.example/privacy\"},"
                + "\"offline\":{\"mode\":\"form\"},\"nps\":{\"enabled\":true}}";
        assertThat(call("PUT", "/api/admin/sites/demo/settings", change, null).statusCode()).isEqualTo(401);
        assertThat(call("PUT", "/api/admin/sites/demo/settings", change, agent).statusCode()).isEqualTo(403);
        assertThat(call("GET", "/api/admin/sites/demo/settings", null, agent).statusCode()).isEqualTo(403);
        for (String bad : new String[] {"{\"logoUrl\":\"javascript:alert(1)\"}", "{\"accentColor\":\"red\"}",
            "{\"colour\":\"#000000\"}", "{\"prechat\":{\"fields\":[{\"id\":\"password\"}]}}", "[1]",
            "{\"privacy\":{\"url\":\"data:text/html,x\"}}", "{\"greeting\":{\"ko\":\"   \"}}",
            "{\"quickReplies\":{\"ko\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\"]}}",
            "{\"quickReplies\":{\"ko\":[\" \"]}}", "{\"quickReplies\":{\"ko\":[\"배송\",\"배송\"]}}",
            "{\"quickReplies\":{\"jp\":[\"x\"]}}", "{\"quickReplies\":{\"ko\":[\"두\\n줄\"]}}",
            "{\"quickReplies\":{\"en\":[\"" + "x".repeat(61) + "\"]}}"}) {
            HttpResponse<String> refused = call("PUT", "/api/admin/sites/demo/settings", bad, admin);
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(json(refused).path("code").asText()).isEqualTo("bad_request");
        }
        assertThat(json(call("GET", "/api/sites/demo/settings", null, null)).path("accentColor").asText())
                .isEqualTo("#0f766e");
        assertThat(call("PUT", "/api/admin/sites/nowhere/settings", change, admin).statusCode()).isEqualTo(404);

        HttpResponse<String> stored = call("PUT", "/api/admin/sites/demo/settings", change, admin);
        assertThat(stored.statusCode()).isEqualTo(200);
        JsonNode view = json(call("GET", "/api/sites/demo/settings", null, null));
        assertThat(view.path("accentColor").asText()).isEqualTo("#aa3300");
        assertThat(view.path("position").asText()).isEqualTo("left");
        assertThat(view.path("greeting").path("ko").asText()).isEqualTo("어서 오세요");
        assertThat(view.path("greeting").path("en").asText()).isEqualTo("Hi! How can we help?");
        assertThat(view.path("prechat").path("fields").get(1).path("required").asBoolean()).isFalse();
        assertThat(view.path("privacy").path("url").asText()).isEqualTo("https://shop.example/privacy");
        assertThat(view.path("nps").path("enabled").asBoolean()).isTrue();
        assertThat(json(call("GET", "/api/admin/sites/demo/settings", null, admin)).path("agentNames").asText())
                .isEqualTo("generic");
        assertThat(view.path("quickReplies").path("ko").size()).as("none unless the site names them").isZero();
        call("PUT", "/api/admin/sites/demo/settings", "{\"quickReplies\":{\"ko\":[\" 배송 조회 \",\"상담원 연결\"]}}", admin);
        view = json(call("GET", "/api/sites/demo/settings", null, null));
        assertThat(view.path("quickReplies").path("ko").toString()).isEqualTo("[\"배송 조회\",\"상담원 연결\"]");
        assertThat(view.path("quickReplies").path("en").size()).isZero();
        // A later change keeps what it does not name.
        call("PUT", "/api/admin/sites/demo/settings", "{\"nps\":{\"enabled\":false}}", admin);
        view = json(call("GET", "/api/sites/demo/settings", null, null));
        assertThat(view.path("nps").path("enabled").asBoolean()).isFalse();
        assertThat(view.path("accentColor").asText()).isEqualTo("#aa3300");
    }
}
