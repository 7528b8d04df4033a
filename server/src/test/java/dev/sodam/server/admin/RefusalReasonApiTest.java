package dev.sodam.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.util.Json;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The refusals an admin meets on the admin pages carry {@code reason}, {@code field} and {@code params}
 * beside the English {@code message}, so a Korean page can say them in Korean (docs/protocol.md, "HTTP
 * errors"): a real server on a real socket and a real SQLite file, each refusal asked for as the pages ask.
 */
class RefusalReasonApiTest {
    @TempDir
    static Path dataDir;
    static TestServer server;
    static String admin;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dataDir);
        admin = server.loginAdmin();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static JsonNode refused(String method, String path, Object body, int status) throws Exception {
        HttpResponse<String> response = server.send(method, path, Json.MAPPER.writeValueAsString(body), admin);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return TestServer.json(response.body());
    }

    static Map<String, Object> faq(String question, Object tags) {
        return Map.of("locale", "ko", "question", question, "answer", "답변이에요.", "tags", tags);
    }

    @Test
    void faqRefusalsNameTheirReasonFieldAndLimit() throws Exception {
        JsonNode longQuestion = refused("POST", "/api/admin/faq", faq("가".repeat(231), List.of()), 400);
        assertThat(longQuestion.path("code").asText()).isEqualTo("bad_request");
        assertThat(longQuestion.path("message").asText()).isEqualTo(
                "field 'question' is too long (231 characters; at most 200)");
        assertThat(longQuestion.path("reason").asText()).isEqualTo("too_long");
        assertThat(longQuestion.path("field").asText()).isEqualTo("question");
        assertThat(longQuestion.path("params").path("count").asInt()).isEqualTo(231);
        assertThat(longQuestion.path("params").path("max").asInt()).isEqualTo(200);
        // The request id stays: it is what an admin quotes when asking what went wrong.
        assertThat(longQuestion.path("requestId").asText()).isNotBlank();

        JsonNode spaced = refused("POST", "/api/admin/faq", faq("배송 조회는 어디서 하나요?", List.of("배송 조회")), 400);
        assertThat(spaced.path("reason").asText()).isEqualTo("tag_has_space");
        assertThat(spaced.path("field").asText()).isEqualTo("tags");
        assertThat(spaced.path("params").path("value").asText()).isEqualTo("배송 조회");
        assertThat(spaced.path("params").path("suggestion").asText()).isEqualTo("배송-조회");

        JsonNode blank = refused("POST", "/api/admin/faq", faq("  ", List.of()), 400);
        assertThat(blank.path("reason").asText()).isEqualTo("required");
        assertThat(blank.path("field").asText()).isEqualTo("question");
        assertThat(blank.has("params")).as("no numbers, no params").isFalse();

        JsonNode tooManyTags = refused("POST", "/api/admin/faq", faq("태그가 많은 질문",
                List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k")), 400);
        assertThat(tooManyTags.path("reason").asText()).isEqualTo("too_many");
        assertThat(tooManyTags.path("params").path("count").asInt()).isEqualTo(11);
        assertThat(tooManyTags.path("params").path("max").asInt()).isEqualTo(10);

        Map<String, Object> scriptLink = Map.of("locale", "ko", "question", "링크 질문",
                "answer", "[여기](javascript:alert%281%29)");
        JsonNode unsafe = refused("POST", "/api/admin/faq", scriptLink, 400);
        assertThat(unsafe.path("reason").asText()).isEqualTo("unsafe_link");
        assertThat(unsafe.path("field").asText()).isEqualTo("answer");
    }

    @Test
    void siteSettingsAndInvitationsCarryReasonsToo() throws Exception {
        JsonNode colour = refused("PUT", "/api/admin/sites/demo/settings", Map.of("accentColor", "teal"), 400);
        assertThat(colour.path("reason").asText()).isEqualTo("invalid");
        assertThat(colour.path("field").asText()).isEqualTo("accentColor");

        JsonNode greeting = refused("PUT", "/api/admin/sites/demo/settings",
                Map.of("greeting", Map.of("ko", "안".repeat(1_001))), 400);
        assertThat(greeting.path("reason").asText()).isEqualTo("too_long");
        assertThat(greeting.path("field").asText()).isEqualTo("greeting.ko");
        assertThat(greeting.path("params").path("max").asInt()).isEqualTo(1_000);

        JsonNode email = refused("POST", "/api/admin/users", Map.of("email", "not-an-address", "name", "김상담"), 400);
        assertThat(email.path("reason").asText()).isEqualTo("invalid");
        assertThat(email.path("field").asText()).isEqualTo("email");

        JsonNode limit = refused("POST", "/api/admin/users",
                Map.of("email", "limit@sodam.test", "name", "김상담", "maxChats", 99), 400);
        assertThat(limit.path("reason").asText()).isEqualTo("out_of_range");
        assertThat(limit.path("params").path("min").asInt()).isEqualTo(1);
        assertThat(limit.path("params").path("max").asInt()).isEqualTo(50);

        HttpResponse<String> invited = server.post("/api/admin/users",
                "{\"email\":\"twice@sodam.test\",\"name\":\"이두번\"}", admin);
        assertThat(invited.statusCode()).as(invited.body()).isEqualTo(201);
        JsonNode twice = refused("POST", "/api/admin/users", Map.of("email", "twice@sodam.test", "name", "이두번"), 409);
        assertThat(twice.path("code").asText()).isEqualTo("conflict");
        assertThat(twice.path("reason").asText()).isEqualTo("duplicate");
        assertThat(twice.path("field").asText()).isEqualTo("email");
    }

    @Test
    void aFieldOfTheWrongTypeOrMissingIsNamedWithItsReason() throws Exception {
        JsonNode number = refused("POST", "/api/admin/faq", Map.of("locale", "ko", "question", 5, "answer", "답"), 400);
        assertThat(number.path("message").asText()).isEqualTo("field 'question' must be a string");
        assertThat(number.path("reason").asText()).isEqualTo("invalid");
        assertThat(number.path("field").asText()).isEqualTo("question");

        JsonNode tags = refused("POST", "/api/admin/faq", faq("태그가 글자가 아닌 질문", "배송"), 400);
        assertThat(tags.path("reason").asText()).isEqualTo("invalid");
        assertThat(tags.path("field").asText()).isEqualTo("tags");

        JsonNode noVersion = refused("PUT", "/api/admin/faq/no-such-entry",
                Map.of("locale", "ko", "question", "질문", "answer", "답"), 400);
        assertThat(noVersion.path("reason").asText()).isEqualTo("required");
        assertThat(noVersion.path("field").asText()).isEqualTo("version");

        JsonNode noIds = refused("POST", "/api/admin/faq/bulk", Map.of("enabled", true), 400);
        assertThat(noIds.path("reason").asText()).isEqualTo("required");
        assertThat(noIds.path("field").asText()).isEqualTo("ids");

        JsonNode teamName = refused("POST", "/api/admin/teams",
                Map.of("id", "typed", "name", Map.of("ko", 3, "en", "Typed")), 400);
        assertThat(teamName.path("reason").asText()).isEqualTo("invalid");
        assertThat(teamName.path("field").asText()).as("the language inside the name").isEqualTo("name.ko");

        JsonNode role = refused("POST", "/api/admin/users",
                Map.of("email", "role@sodam.test", "name", "역할", "role", "owner"), 400);
        assertThat(role.path("reason").asText()).isEqualTo("invalid");
        assertThat(role.path("field").asText()).isEqualTo("role");

        JsonNode days = refused("PUT", "/api/admin/privacy", Map.of("retentionDays", "30일", "version", 0), 400);
        assertThat(days.path("reason").asText()).isEqualTo("out_of_range");
        assertThat(days.path("field").asText()).isEqualTo("retentionDays");
        assertThat(days.path("params").path("min").asInt()).isEqualTo(1);
        assertThat(days.path("params").path("max").asInt()).isEqualTo(3_650);
    }

    @Test
    void theTestBoxThresholdsAndWhatIfCarryReasons() throws Exception {
        JsonNode blank = refused("POST", "/api/admin/bot/try", Map.of("text", " "), 400);
        assertThat(blank.path("reason").asText()).isEqualTo("required");
        assertThat(blank.path("field").asText()).isEqualTo("text");

        JsonNode longText = refused("POST", "/api/admin/bot/try", Map.of("text", "가".repeat(501)), 400);
        assertThat(longText.path("reason").asText()).isEqualTo("too_long");
        assertThat(longText.path("params").path("count").asInt()).isEqualTo(501);
        assertThat(longText.path("params").path("max").asInt()).isEqualTo(500);

        JsonNode order = refused("PUT", "/api/admin/bot/thresholds/ko",
                Map.of("answerThreshold", 0.5, "clarifyThreshold", 0.7, "version", 0), 400);
        assertThat(order.path("reason").asText()).isEqualTo("out_of_range");
        assertThat(order.path("field").asText()).isEqualTo("clarifyThreshold");
        assertThat(order.path("params").path("min").asDouble()).isZero();
        assertThat(order.path("params").path("max").asDouble()).as("clarify may go up to the answer threshold")
                .isEqualTo(0.5);

        JsonNode missing = refused("PUT", "/api/admin/bot/thresholds/ko", Map.of("clarifyThreshold", 0.3, "version", 0), 400);
        assertThat(missing.path("reason").asText()).isEqualTo("required");
        assertThat(missing.path("field").asText()).isEqualTo("answerThreshold");
        assertThat(missing.has("params")).isFalse();

        JsonNode stale = refused("PUT", "/api/admin/bot/thresholds/ko",
                Map.of("answerThreshold", 0.6, "clarifyThreshold", 0.3, "version", 7), 409);
        assertThat(stale.path("reason").asText()).isEqualTo("stale");
        assertThat(stale.path("params").path("version").asLong()).isEqualTo(7);
        assertThat(stale.path("params").path("current").asLong()).isZero();

        JsonNode zone = refused("POST", "/api/admin/bot/what-if",
                Map.of("locale", "ko", "answerThreshold", 0.6, "clarifyThreshold", 0.3, "tz", "Mars/Base"), 400);
        assertThat(zone.path("reason").asText()).isEqualTo("invalid");
        assertThat(zone.path("field").asText()).isEqualTo("tz");
        assertThat(zone.path("params").path("value").asText()).isEqualTo("Mars/Base");

        JsonNode locale = refused("POST", "/api/admin/bot/what-if",
                Map.of("locale", "ja", "answerThreshold", 0.6, "clarifyThreshold", 0.3), 400);
        assertThat(locale.path("reason").asText()).isEqualTo("invalid");
        assertThat(locale.path("field").asText()).isEqualTo("locale");
    }

    @Test
    void apiKeysAndWebhooksCarryReasons() throws Exception {
        JsonNode noName = refused("POST", "/api/admin/api-keys", Map.of("name", " ", "scopes", List.of("read")), 400);
        assertThat(noName.path("reason").asText()).isEqualTo("required");
        assertThat(noName.path("field").asText()).isEqualTo("name");

        JsonNode scope = refused("POST", "/api/admin/api-keys", Map.of("name", "CRM", "scopes", List.of("admin")), 400);
        assertThat(scope.path("reason").asText()).isEqualTo("invalid");
        assertThat(scope.path("field").asText()).isEqualTo("scopes");
        assertThat(scope.path("params").path("value").asText()).isEqualTo("admin");

        JsonNode site = refused("POST", "/api/admin/api-keys",
                Map.of("name", "CRM", "scopes", List.of("read"), "site", "no-such-site"), 404);
        assertThat(site.path("reason").asText()).isEqualTo("unknown");
        assertThat(site.path("field").asText()).isEqualTo("site");
        assertThat(site.path("params").path("value").asText()).isEqualTo("no-such-site");

        JsonNode ftp = refused("POST", "/api/admin/webhooks", Map.of("url", "ftp://hooks.example.com/in"), 400);
        assertThat(ftp.path("message").asText()).isEqualTo("field 'url': only http and https URLs are allowed");
        assertThat(ftp.path("reason").asText()).isEqualTo("invalid");
        assertThat(ftp.path("field").asText()).isEqualTo("url");
        assertThat(ftp.path("params").path("value").asText()).isEqualTo("ftp://hooks.example.com/in");

        JsonNode event = refused("POST", "/api/admin/webhooks",
                Map.of("url", "https://203.0.113.10/in", "events", List.of("message.created", "nope")), 400);
        assertThat(event.path("reason").asText()).isEqualTo("unknown");
        assertThat(event.path("field").asText()).isEqualTo("events");

        JsonNode noUrl = refused("POST", "/api/admin/webhooks", Map.of("events", List.of()), 400);
        assertThat(noUrl.path("reason").asText()).isEqualTo("required");
        assertThat(noUrl.path("field").asText()).isEqualTo("url");
    }

    @Test
    void aRefusalWithoutAReasonKeepsTheOldShape() throws Exception {
        HttpResponse<String> missing = server.get("/api/admin/faq/no-such-entry", admin);
        assertThat(missing.statusCode()).isEqualTo(404);
        JsonNode body = TestServer.json(missing.body());
        assertThat(body.path("code").asText()).isEqualTo("not_found");
        assertThat(body.has("reason")).isFalse();
        assertThat(body.has("field")).isFalse();
        assertThat(body.has("params")).isFalse();
    }
}
