package dev.sodam.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WsTestClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/openapi.yaml against the running server. The routes come from the router's own route table
 * ({@link TestServer#apiRoutes()}), never from a list kept here: every served route is documented and
 * every documented one is served; every operation names its auth and errors; every documented JSON
 * GET answers 200 with a body valid against its schema; every protected route refuses a missing
 * token (401), admin routes an agent and a supervisor (403), installation-wide routes one site's admin
 * (403); every JSON body endpoint answers bad input with a documented 4xx JSON error.
 */
class OpenApiContractTest {
    @TempDir
    static Path dataDir;
    static TestServer server;
    static JsonNode spec;
    static String admin;
    static String agent;
    static String supervisor;
    static String siteAdmin;
    static String writer;
    static String channelKey;
    static String visitorToken;
    static Map<String, String> ids;

    /** One documented operation. */
    record Operation(String method, String template, JsonNode doc) {
        @Override
        public String toString() {
            return method + " " + template;
        }

        /** The security schemes it accepts; empty when anyone may call it. */
        Set<String> schemes() {
            Set<String> schemes = new TreeSet<>();
            JsonNode security = doc.has("security") ? doc.get("security") : spec.get("security");
            for (JsonNode requirement : security) {
                if (requirement.isEmpty()) {
                    return Set.of();
                }
                requirement.fieldNames().forEachRemaining(schemes::add);
            }
            return schemes;
        }

        boolean adminOnly() {
            String role = doc.path("x-role").asText();
            return role.equals("admin") || role.equals("installation-admin");
        }

        boolean jsonBody() {
            return doc.at("/requestBody/content").has("application/json");
        }

        JsonNode response(int status) {
            JsonNode response = doc.path("responses").get(String.valueOf(status));
            return response == null ? null : resolve(response);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        spec = new ObjectMapper(new YAMLFactory()).readTree(TestServer.repoRoot().resolve("docs/openapi.yaml").toFile());
        // A loopback webhook (nothing listens on port 9) so the delivery log route has a real id.
        server = TestServer.start(dataDir, Map.of("SODAM_WEBHOOKS_ALLOW_PRIVATE", "true"));
        server.awaitBot();
        admin = server.loginAdmin();
        server.createAgent("kim@sodam.local", "김상담", "agent-password-1");
        agent = server.login("kim@sodam.local", "agent-password-1");
        body("POST", "/api/admin/users", "{\"email\":\"lee@sodam.local\",\"name\":\"이감독\",\"role\":\"supervisor\","
                + "\"password\":\"supervisor-password-1\"}", admin);
        supervisor = server.login("lee@sodam.local", "supervisor-password-1");
        body("POST", "/api/admin/users", "{\"email\":\"park@sodam.local\",\"name\":\"박관리\",\"role\":\"admin\","
                + "\"siteId\":\"demo\",\"password\":\"site-admin-password-1\"}", admin);
        siteAdmin = server.login("park@sodam.local", "site-admin-password-1");
        writer = server.createApiKey(admin, "demo", "[\"read\",\"write\",\"faq\"]", null);
        channelKey = server.createApiKey(admin, "demo", "[\"write\"]", "test");
        String conversationId;
        try (WsTestClient visitor = WsTestClient.connect(server.visitorUri())) {
            visitorToken = visitor.helloVisitor(null, null, 0).get("visitorToken").asText();
            conversationId = visitor.say("c1", null, "배송은 얼마나 걸리나요?").get("conversationId").asText();
        }
        String webhookId = body("POST", "/api/admin/webhooks",
                "{\"url\":\"http://127.0.0.1:9/hook\",\"events\":[\"csat.created\"]}", admin).get("id").asText();
        String visitorId = body("GET", "/api/v1/conversations/" + conversationId, null, writer).at("/visitor/id").asText();
        String teamId = body("POST", "/api/admin/teams",
                "{\"id\":\"sales\",\"name\":{\"ko\":\"영업\",\"en\":\"Sales\"},\"tags\":[\"order\"]}", admin).get("id").asText();
        String faqId = body("GET", "/api/admin/faq", null, admin).at("/entries/0/id").asText();
        String adminId = body("GET", "/api/account/me", null, admin).get("id").asText();
        ids = Map.of("/api/v1/conversations/", conversationId, "/api/workspace/conversations/", conversationId,
                "/api/v1/visitors/", visitorId, "/api/admin/visitors/", visitorId, "/api/admin/webhooks/", webhookId,
                "/api/admin/faq/", faqId, "/api/admin/users/", adminId, "/api/admin/teams/", teamId,
                "/api/admin/sites/", "demo", "/api/sites/", "demo");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static JsonNode body(String method, String path, String body, String token) throws Exception {
        HttpResponse<String> response = server.send(method, path, body, token);
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isBetween(200, 299);
        return TestServer.json(response.body());
    }

    static List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        spec.get("paths").properties().forEach(path -> path.getValue().properties().forEach(method -> {
            if (!method.getKey().equals("parameters")) {
                operations.add(new Operation(method.getKey().toUpperCase(Locale.ROOT), path.getKey(), method.getValue()));
            }
        }));
        return operations;
    }

    /** A real path for a template: the ids made in {@link #start()}, or one that names nothing. */
    static String fill(String template) {
        String path = template.replace("{channel}", "test").replace("{seq}", "1").replace("{locale}", "ko");
        for (Map.Entry<String, String> id : ids.entrySet()) {
            if (path.startsWith(id.getKey())) {
                return path.replace("{id}", id.getValue());
            }
        }
        return path.replace("{id}", "no-such-id");
    }

    /** The caller an operation is meant for: an admin for login tokens, the right API key, or nobody. */
    static String token(Operation op) {
        Set<String> schemes = op.schemes();
        if (schemes.contains("apiKey")) {
            return op.template().contains("/channels/") ? channelKey : writer;
        }
        if (schemes.contains("adminToken") || schemes.contains("loginToken")) {
            return admin;
        }
        return schemes.contains("visitorToken") ? visitorToken : null;
    }

    static JsonNode resolve(JsonNode node) {
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

    /** Checks {@code value} against an OpenAPI 3.0 schema (type, required, properties, items, enum, nullable, allOf). */
    static void validate(JsonNode schema, JsonNode value, String where, List<String> problems) {
        if (value.isNull()) {
            JsonNode resolved = resolve(schema);
            if (!schema.path("nullable").asBoolean() && !resolved.path("nullable").asBoolean()
                    && (resolved.has("type") || resolved.has("allOf"))) {
                problems.add(where + " is null");
            }
            return;
        }
        schema = resolve(schema);
        for (JsonNode part : schema.path("allOf")) {
            validate(part, value, where, problems);
        }
        String type = schema.path("type").asText("");
        boolean ok = switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> true;
        };
        if (!ok) {
            problems.add(where + " is not " + type + ": " + value);
            return;
        }
        if (schema.has("enum")) {
            boolean listed = false;
            for (JsonNode allowed : schema.get("enum")) {
                listed |= allowed.equals(value);
            }
            if (!listed) {
                problems.add(where + " = " + value + " is not one of " + schema.get("enum"));
            }
        }
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asText())) {
                problems.add(where + " lacks '" + required.asText() + "'");
            }
        }
        if (value.isObject()) {
            JsonNode properties = schema.path("properties");
            JsonNode additional = schema.path("additionalProperties");
            value.properties().forEach(field -> {
                JsonNode property = properties.get(field.getKey());
                if (property != null) {
                    validate(property, field.getValue(), where + "." + field.getKey(), problems);
                } else if (additional.isObject()) {
                    validate(additional, field.getValue(), where + "." + field.getKey(), problems);
                }
            });
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                validate(schema.get("items"), value.get(i), where + "[" + i + "]", problems);
            }
        }
    }

    /** The answer's status is documented for the operation and, when JSON, its body fits the documented schema. */
    static void assertAnswersAsDocumented(Operation op, HttpResponse<String> response) throws Exception {
        JsonNode documented = op.response(response.statusCode());
        assertThat(documented).as(op + " answered an undocumented " + response.statusCode() + ": " + response.body())
                .isNotNull();
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("application/json")) {
            return;
        }
        JsonNode schema = documented.at("/content/application~1json/schema");
        assertThat(schema.isMissingNode()).as(op + " answered JSON where none is documented").isFalse();
        List<String> problems = new ArrayList<>();
        validate(schema, TestServer.json(response.body()), op.toString(), problems);
        assertThat(problems).as(response.body()).isEmpty();
    }

    @Test
    void everyServedRouteIsDocumentedAndEveryDocumentedRouteIsServed() {
        assertThat(spec.get("openapi").asText()).startsWith("3.");
        Set<String> documented = new TreeSet<>();
        operations().forEach(op -> documented.add(op.toString()));
        assertThat(new TreeSet<>(server.apiRoutes())).isEqualTo(documented);
    }

    @Test
    void everyOperationNamesItsAuthAndItsErrors() {
        for (Operation op : operations()) {
            boolean anonymous = op.schemes().isEmpty();
            assertThat(op.doc().has("security") || op.template().startsWith("/api/v1/"))
                    .as(op + " names its security scheme").isTrue();
            assertThat(op.doc().has("x-role") || op.template().startsWith("/api/v1/") || op.template().equals("/metrics")
                    || op.template().startsWith("/api/health/")).as(op + " names its role (x-role)").isTrue();
            if (!anonymous) {
                assertThat(op.response(401)).as(op + " documents 401").isNotNull();
            }
            if (op.adminOnly()) {
                assertThat(op.response(403)).as(op + " documents 403").isNotNull();
            }
            if (op.jsonBody()) {
                assertThat(op.response(400)).as(op + " documents 400").isNotNull();
            }
        }
    }

    @Test
    void everyDocumentedJsonGetAnswersItsSchema() throws Exception {
        int checked = 0;
        for (Operation op : operations()) {
            JsonNode ok = op.response(200);
            if (!op.method().equals("GET") || ok == null || !ok.path("content").has("application/json")) {
                continue;
            }
            HttpResponse<String> response = server.send("GET", fill(op.template()), null, token(op));
            assertThat(response.statusCode()).as(op + ": " + response.body()).isEqualTo(200);
            assertAnswersAsDocumented(op, response);
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(35);
    }

    @Test
    void aProtectedRouteRefusesNoTokenWith401AndEveryRoleBelowTheDocumentedOneWith403() throws Exception {
        for (Operation op : operations()) {
            if (op.schemes().isEmpty()) {
                continue;
            }
            HttpResponse<String> anonymous = server.send(op.method(), fill(op.template()), "{}", null);
            assertThat(anonymous.statusCode()).as(op + " without a token: " + anonymous.body()).isEqualTo(401);
            assertAnswersAsDocumented(op, anonymous);
            if (op.adminOnly()) {
                for (String notAdmin : List.of(agent, supervisor)) {
                    HttpResponse<String> refused = server.send(op.method(), fill(op.template()), "{}", notAdmin);
                    assertThat(refused.statusCode()).as(op + " as an agent or supervisor: " + refused.body()).isEqualTo(403);
                    assertAnswersAsDocumented(op, refused);
                }
            }
            if (op.doc().path("x-role").asText().equals("installation-admin")) {
                HttpResponse<String> refused = server.send(op.method(), fill(op.template()), "{}", siteAdmin);
                assertThat(refused.statusCode()).as(op + " as one site's admin: " + refused.body()).isEqualTo(403);
                assertAnswersAsDocumented(op, refused);
            }
        }
    }

    @Test
    void aBodyThatIsNoJsonObjectIsA400InTheDocumentedShape() throws Exception {
        int checked = 0;
        for (Operation op : operations()) {
            if (!op.jsonBody()) {
                continue;
            }
            for (String bad : List.of("[1]", "not json")) {
                HttpResponse<String> response = server.send(op.method(), fill(op.template()), bad, token(op));
                assertThat(response.statusCode()).as(op + " with " + bad + ": " + response.body()).isEqualTo(400);
                assertAnswersAsDocumented(op, response);
            }
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(20);
    }
}
