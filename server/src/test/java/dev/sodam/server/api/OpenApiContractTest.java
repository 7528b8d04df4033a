package dev.sodam.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WsTestClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/openapi.yaml against the running server: the documented routes are exactly the served ones,
 * and every documented GET answers with a documented status and the documented required fields.
 */
class OpenApiContractTest {
    @TempDir
    static Path dataDir;
    static TestServer server;
    static JsonNode spec;
    static String admin;
    static String reader;
    static String conversationId;
    static String visitorId;
    static String webhookId;

    @BeforeAll
    static void start() throws Exception {
        spec = new ObjectMapper(new YAMLFactory()).readTree(TestServer.repoRoot().resolve("docs/openapi.yaml").toFile());
        // A loopback webhook (nothing listens on port 9) so the delivery log route has a real id.
        server = TestServer.start(dataDir, Map.of("SODAM_WEBHOOKS_ALLOW_PRIVATE", "true"));
        server.awaitBot();
        admin = server.loginAdmin();
        reader = server.createApiKey(admin, "demo", "[\"read\"]", null);
        try (WsTestClient visitor = WsTestClient.connect(server.visitorUri())) {
            visitor.helloVisitor(null, null, 0);
            conversationId = visitor.say("c1", null, "배송은 얼마나 걸리나요?").get("conversationId").asText();
        }
        webhookId = TestServer.json(server.send("POST", "/api/admin/webhooks",
                "{\"url\":\"http://127.0.0.1:9/hook\",\"events\":[\"csat.created\"]}", admin).body()).get("id").asText();
        visitorId = TestServer.json(server.send("GET", "/api/v1/conversations/" + conversationId, null, reader).body())
                .at("/visitor/id").asText();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static Set<String> documented() {
        Set<String> routes = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = spec.get("paths").properties().iterator(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(method -> {
                if (!method.equals("parameters")) {
                    routes.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path.getKey());
                }
            });
        }
        return routes;
    }

    @Test
    void everyServedRouteIsDocumentedAndEveryDocumentedRouteIsServed() {
        assertThat(spec.get("openapi").asText()).startsWith("3.");
        assertThat(new TreeSet<>(server.apiRoutes())).isEqualTo(documented());
    }

    private static JsonNode resolve(JsonNode node) {
        JsonNode ref = node.get("$ref");
        if (ref == null) {
            return node;
        }
        JsonNode target = spec;
        for (String part : ref.asText().substring(2).split("/")) {
            target = target.get(part);
        }
        return resolve(target);
    }

    @Test
    void everyDocumentedGetAnswersAsDocumented() throws Exception {
        int checked = 0;
        for (String route : documented()) {
            if (!route.startsWith("GET ")) {
                continue;
            }
            String template = route.substring(4);
            String path = template.replace("/conversations/{id}", "/conversations/" + conversationId)
                    .replace("/visitors/{id}", "/visitors/" + visitorId)
                    .replace("/webhooks/{id}", "/webhooks/" + webhookId);
            String token = template.startsWith("/api/admin/") ? admin : reader;
            HttpResponse<String> response = server.send("GET", path, null, token);
            JsonNode responses = spec.at("/paths/" + template.replace("/", "~1") + "/get/responses");
            JsonNode documentedAnswer = responses.get(String.valueOf(response.statusCode()));
            assertThat(documentedAnswer).as(route + " answered an undocumented " + response.statusCode()).isNotNull();
            assertThat(response.statusCode()).as(route + ": " + response.body()).isEqualTo(200);
            JsonNode content = resolve(documentedAnswer).get("content");
            if (content.has("application/json")) {
                JsonNode schema = resolve(content.at("/application~1json/schema"));
                JsonNode body = TestServer.json(response.body());
                for (JsonNode required : schema.path("required")) {
                    assertThat(body.has(required.asText())).as(route + " lacks '" + required.asText() + "'").isTrue();
                }
                JsonNode items = schema.at("/properties/items/items");
                if (!items.isMissingNode() && body.get("items").size() > 0) {
                    for (JsonNode required : resolve(items).path("required")) {
                        assertThat(body.get("items").get(0).has(required.asText()))
                                .as(route + " item lacks '" + required.asText() + "'").isTrue();
                    }
                }
            }
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(10);
    }
}
