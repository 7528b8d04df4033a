package dev.sodam.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.RoleTokens;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.util.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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

    /** A refusal of a request the pages send as they are (a query, a file, a body that is not JSON). */
    static JsonNode refusedRaw(String method, String path, byte[] body, String token, int status) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.http(path)))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("application/json");
        return TestServer.json(response.body());
    }

    static JsonNode get(String path, int status) throws Exception {
        return refusedRaw("GET", path, null, admin, status);
    }

    /** The first problem of a CSV import's dry run. */
    static JsonNode importProblem(String csv) throws Exception {
        JsonNode report = refusedRaw("POST", "/api/admin/faq/import?dryRun=true&format=csv",
                csv.getBytes(StandardCharsets.UTF_8), admin, 200);
        assertThat(report.path("errors").size()).as(report.toString()).isPositive();
        return report.path("errors").get(0);
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
    void aReportPeriodThatCannotBeSaysWhy() throws Exception {
        JsonNode order = get("/api/admin/analytics?from=2026-11-10&to=2026-11-01", 400);
        assertThat(order.path("message").asText()).isEqualTo("'from' must be before 'to'");
        assertThat(order.path("reason").asText()).isEqualTo("bad_range");
        assertThat(order.path("field").asText()).isEqualTo("from");

        JsonNode span = get("/api/admin/gaps?from=2025-01-01&to=2026-11-01", 400);
        assertThat(span.path("message").asText()).isEqualTo("a report covers at most 400 days");
        assertThat(span.path("reason").asText()).isEqualTo("bad_range");
        assertThat(span.has("field")).as("the period as a whole").isFalse();
        assertThat(span.path("params").path("max").asInt()).isEqualTo(400);
        assertThat(span.path("params").path("count").asInt()).as("to is inclusive: through 1 Nov").isEqualTo(670);

        JsonNode low = get("/api/admin/gaps?lowConfidence=2", 400);
        assertThat(low.path("reason").asText()).isEqualTo("out_of_range");
        assertThat(low.path("field").asText()).isEqualTo("lowConfidence");
        assertThat(low.path("params").path("max").asInt()).isEqualTo(1);
        JsonNode threshold = get("/api/admin/gaps?threshold=0", 400);
        assertThat(threshold.path("reason").asText()).isEqualTo("out_of_range");
        assertThat(threshold.path("field").asText()).isEqualTo("threshold");
        JsonNode notANumber = get("/api/admin/gaps?threshold=half", 400);
        assertThat(notANumber.path("reason").asText()).isEqualTo("invalid");
        assertThat(notANumber.path("params").path("value").asText()).isEqualTo("half");
        JsonNode locale = get("/api/admin/gaps?locale=ja", 400);
        assertThat(locale.path("reason").asText()).isEqualTo("invalid");
        assertThat(locale.path("field").asText()).isEqualTo("locale");
    }

    @Test
    void theQueryParametersThePagesBuildNameTheirReason() throws Exception {
        JsonNode format = get("/api/admin/faq/export?format=xml", 400);
        assertThat(format.path("reason").asText()).isEqualTo("invalid");
        assertThat(format.path("field").asText()).isEqualTo("format");
        assertThat(format.path("params").path("value").asText()).isEqualTo("xml");

        JsonNode enabled = get("/api/admin/faq?enabled=maybe", 400);
        assertThat(enabled.path("field").asText()).isEqualTo("enabled");
        assertThat(enabled.path("params").path("value").asText()).isEqualTo("maybe");

        JsonNode limit = get("/api/admin/feedback?limit=0", 400);
        assertThat(limit.path("reason").asText()).isEqualTo("out_of_range");
        assertThat(limit.path("field").asText()).isEqualTo("limit");
        assertThat(limit.path("params").path("min").asInt()).isEqualTo(1);
        assertThat(limit.path("params").path("max").asInt()).isEqualTo(5_000);
        JsonNode kind = get("/api/admin/feedback?kind=stars", 400);
        assertThat(kind.path("reason").asText()).isEqualTo("invalid");
        assertThat(kind.path("field").asText()).isEqualTo("kind");
        JsonNode from = get("/api/admin/feedback?from=yesterday", 400);
        assertThat(from.path("field").asText()).isEqualTo("from");
        assertThat(from.path("params").path("value").asText()).isEqualTo("yesterday");

        JsonNode auditLimit = get("/api/admin/audit?limit=0", 400);
        assertThat(auditLimit.path("reason").asText()).isEqualTo("out_of_range");
        assertThat(auditLimit.path("params").path("max").asInt()).isEqualTo(AccessApi.AUDIT_LIMIT_MAX);
        JsonNode auditWords = get("/api/admin/audit?limit=ten", 400);
        assertThat(auditWords.path("reason").asText()).isEqualTo("invalid");
        assertThat(auditWords.path("field").asText()).isEqualTo("limit");
        JsonNode auditDay = get("/api/admin/audit?to=2026-13-40", 400);
        assertThat(auditDay.path("field").asText()).isEqualTo("to");
        assertThat(auditDay.path("params").path("value").asText()).isEqualTo("2026-13-40");

        JsonNode version = refusedRaw("DELETE", "/api/admin/faq/some-entry?version=one", null, admin, 400);
        assertThat(version.path("reason").asText()).isEqualTo("invalid");
        assertThat(version.path("field").asText()).isEqualTo("version");
        JsonNode dryRun = refusedRaw("POST", "/api/admin/faq/import?dryRun=maybe", "locale,question,answer\n"
                .getBytes(StandardCharsets.UTF_8), admin, 400);
        assertThat(dryRun.path("field").asText()).isEqualTo("dryRun");
        JsonNode importFormat = refusedRaw("POST", "/api/admin/faq/import?dryRun=true&format=xlsx",
                "x".getBytes(StandardCharsets.UTF_8), admin, 400);
        assertThat(importFormat.path("reason").asText()).isEqualTo("invalid");
        assertThat(importFormat.path("field").asText()).isEqualTo("format");
        assertThat(importFormat.path("params").path("value").asText()).isEqualTo("xlsx");
    }

    @Test
    void aBodyThatIsNoObjectAndValuesThatCannotChangeAreNamed() throws Exception {
        JsonNode array = refusedRaw("POST", "/api/admin/faq", "[1]".getBytes(StandardCharsets.UTF_8), admin, 400);
        assertThat(array.path("message").asText()).isEqualTo("body must be a JSON object");
        assertThat(array.path("reason").asText()).isEqualTo("invalid");
        assertThat(array.path("field").asText()).isEqualTo("body");
        JsonNode notJson = refusedRaw("PUT", "/api/admin/sites/demo/settings", "{nope".getBytes(StandardCharsets.UTF_8),
                admin, 400);
        assertThat(notJson.path("field").asText()).isEqualTo("body");

        JsonNode faqId = refused("PUT", "/api/admin/faq/ko-shipping",
                Map.of("id", "ko-other", "locale", "ko", "question", "질문", "answer", "답", "version", 1), 400);
        assertThat(faqId.path("reason").asText()).isEqualTo("cannot_change");
        assertThat(faqId.path("field").asText()).isEqualTo("id");
        assertThat(faqId.path("params").path("value").asText()).isEqualTo("ko-other");

        JsonNode teamId = refused("PUT", "/api/admin/teams/some-team",
                Map.of("id", "another-team", "version", 1), 400);
        assertThat(teamId.path("reason").asText()).isEqualTo("cannot_change");
        assertThat(teamId.path("field").asText()).isEqualTo("id");

        JsonNode siteKey = refused("PUT", "/api/admin/sites/demo", Map.of("id", "renamed"), 400);
        assertThat(siteKey.path("reason").asText()).isEqualTo("cannot_change");
        assertThat(siteKey.path("field").asText()).isEqualTo("id");

        HttpResponse<String> invited = server.post("/api/admin/users",
                "{\"email\":\"fixed@sodam.test\",\"name\":\"고정\"}", admin);
        assertThat(invited.statusCode()).as(invited.body()).isEqualTo(201);
        JsonNode user = TestServer.json(invited.body()).path("user");
        String path = "/api/admin/users/" + user.path("id").asText();
        JsonNode email = refused("PUT", path, Map.of("email", "moved@sodam.test", "version", user.path("version").asLong()),
                400);
        assertThat(email.path("message").asText()).isEqualTo("field 'email' cannot be changed; create a new account");
        assertThat(email.path("reason").asText()).isEqualTo("cannot_change");
        assertThat(email.path("field").asText()).isEqualTo("email");
        JsonNode password = refused("PUT", path, Map.of("password", "a-new-password-1", "version",
                user.path("version").asLong()), 400);
        assertThat(password.path("reason").asText()).isEqualTo("cannot_change");
        assertThat(password.path("field").asText()).isEqualTo("password");
    }

    static Map<String, Object> team(String id, Object hours) {
        return Map.of("id", id, "name", Map.of("ko", "영업팀", "en", "Sales"), "hours", hours);
    }

    @Test
    void businessHoursSayWhichPartDayAndTimeIsWrong() throws Exception {
        JsonNode time = refused("POST", "/api/admin/teams", team("hours-time",
                Map.of("timeZone", "Asia/Seoul", "weekly", Map.of("mon", List.of("09:00-25:00")))), 400);
        assertThat(time.path("message").asText()).startsWith("field 'hours': bad time \"25:00\"");
        assertThat(time.path("reason").asText()).isEqualTo("invalid");
        assertThat(time.path("field").asText()).isEqualTo("hours.weekly");
        assertThat(time.path("params").path("day").asText()).isEqualTo("mon");
        assertThat(time.path("params").path("value").asText()).isEqualTo("09:00-25:00");

        JsonNode overlap = refused("POST", "/api/admin/teams", team("hours-overlap", Map.of("timeZone", "Asia/Seoul",
                "weekly", Map.of("fri", List.of("22:00-02:00"), "sat", List.of("01:00-05:00")))), 400);
        assertThat(overlap.path("reason").asText()).isEqualTo("overlap");
        assertThat(overlap.path("field").asText()).isEqualTo("hours.weekly");
        assertThat(overlap.path("params").path("day").asText()).isEqualTo("fri");
        assertThat(overlap.path("params").path("value").asText()).isEqualTo("22:00-02:00");
        assertThat(overlap.path("params").path("otherDay").asText()).isEqualTo("sat");
        assertThat(overlap.path("params").path("other").asText()).isEqualTo("01:00-05:00");

        JsonNode day = refused("POST", "/api/admin/teams", team("hours-day",
                Map.of("timeZone", "Asia/Seoul", "weekly", Map.of("monday", List.of("09:00-18:00")))), 400);
        assertThat(day.path("reason").asText()).isEqualTo("unknown");
        assertThat(day.path("field").asText()).isEqualTo("hours.weekly");
        assertThat(day.path("params").path("value").asText()).isEqualTo("monday");

        JsonNode zone = refused("POST", "/api/admin/teams", team("hours-zone",
                Map.of("timeZone", "Seoul", "weekly", Map.of())), 400);
        assertThat(zone.path("reason").asText()).isEqualTo("invalid");
        assertThat(zone.path("field").asText()).isEqualTo("hours.timeZone");
        assertThat(zone.path("params").path("value").asText()).isEqualTo("Seoul");
        JsonNode noZone = refused("POST", "/api/admin/teams", team("hours-nozone", Map.of("weekly", Map.of())), 400);
        assertThat(noZone.path("reason").asText()).isEqualTo("required");
        assertThat(noZone.path("field").asText()).isEqualTo("hours.timeZone");

        JsonNode holiday = refused("POST", "/api/admin/teams", team("hours-holiday", Map.of("timeZone", "Asia/Seoul",
                "weekly", Map.of(), "holidays", List.of("2026-02-30"))), 400);
        assertThat(holiday.path("field").asText()).isEqualTo("hours.holidays");
        assertThat(holiday.path("params").path("value").asText()).isEqualTo("2026-02-30");

        JsonNode typo = refused("POST", "/api/admin/teams", team("hours-typo",
                Map.of("timeZone", "Asia/Seoul", "weeky", Map.of())), 400);
        assertThat(typo.path("reason").asText()).isEqualTo("unknown");
        assertThat(typo.path("field").asText()).isEqualTo("hours");
        assertThat(typo.path("params").path("value").asText()).isEqualTo("weeky");
    }

    @Test
    void anAdminOfOneSiteIsToldWhichSiteIsTheirs() throws Exception {
        RoleTokens roles = RoleTokens.create(server);
        JsonNode faq = refusedRaw("GET", "/api/admin/faq", null, roles.siteAdmin(), 403);
        assertThat(faq.path("code").asText()).isEqualTo("forbidden");
        assertThat(faq.path("reason").asText()).isEqualTo("installation_only");
        assertThat(faq.path("params").path("site").asText()).isEqualTo(RoleTokens.SITE);

        JsonNode report = refusedRaw("GET", "/api/admin/analytics?site=demo", null, roles.siteAdmin(), 403);
        assertThat(report.path("reason").asText()).isEqualTo("forbidden_site");
        assertThat(report.path("field").asText()).isEqualTo("site");
        assertThat(report.path("params").path("site").asText()).isEqualTo(RoleTokens.SITE);
        assertThat(report.path("params").path("value").asText()).isEqualTo("demo");

        JsonNode audit = refusedRaw("GET", "/api/admin/audit?site=demo", null, roles.siteAdmin(), 403);
        assertThat(audit.path("reason").asText()).isEqualTo("forbidden_site");

        JsonNode keys = refusedRaw("GET", "/api/admin/api-keys?site=demo", null, roles.siteAdmin(), 403);
        assertThat(keys.path("reason").asText()).isEqualTo("forbidden_site");

        JsonNode newSite = refusedRaw("POST", "/api/admin/sites", Json.MAPPER.writeValueAsBytes(Map.of("id", "shop3")),
                roles.siteAdmin(), 403);
        assertThat(newSite.path("reason").asText()).isEqualTo("installation_only");

        JsonNode account = refusedRaw("POST", "/api/admin/users", Json.MAPPER.writeValueAsBytes(
                Map.of("email", "elsewhere@sodam.test", "name", "다른 곳", "siteId", "demo")), roles.siteAdmin(), 403);
        assertThat(account.path("reason").asText()).isEqualTo("forbidden_site");
        assertThat(account.path("params").path("value").asText()).isEqualTo("demo");
    }

    @Test
    void importFileProblemsAndUnknownSettingsCarryReasons() throws Exception {
        JsonNode empty = importProblem("");
        assertThat(empty.path("reason").asText()).isEqualTo("required");
        assertThat(empty.path("field").asText()).isEqualTo("entries");

        JsonNode noHeader = importProblem("ko,배송은 얼마나 걸려요?,이틀이요\n");
        assertThat(noHeader.path("reason").asText()).isEqualTo("unknown");
        assertThat(noHeader.path("field").asText()).isEqualTo("header");
        assertThat(noHeader.path("params").path("known").asText()).startsWith("id, locale, question");

        JsonNode missing = importProblem("locale,question\nko,질문\n");
        assertThat(missing.path("reason").asText()).isEqualTo("required");
        assertThat(missing.path("field").asText()).isEqualTo("header");
        assertThat(missing.path("params").path("value").asText()).isEqualTo("answer");

        JsonNode twice = importProblem("locale,question,answer,언어\nko,질문,답,ko\n");
        assertThat(twice.path("reason").asText()).isEqualTo("repeated");
        assertThat(twice.path("params").path("value").asText()).isEqualTo("locale");

        JsonNode cells = importProblem("locale,question,answer\nko,질문,답,, 하나 더\n");
        assertThat(cells.path("line").asInt()).isEqualTo(2);
        assertThat(cells.path("reason").asText()).isEqualTo("too_many");
        assertThat(cells.path("field").asText()).isEqualTo("cells");
        assertThat(cells.path("params").path("count").asInt()).isEqualTo(5);
        assertThat(cells.path("params").path("max").asInt()).isEqualTo(3);

        JsonNode quote = importProblem("locale,question,answer\nko,\"닫히지 않은 따옴표,답\nko,다음,답\n");
        assertThat(quote.path("reason").asText()).isEqualTo("invalid");
        assertThat(quote.path("field").asText()).isEqualTo("quotes");

        JsonNode flag = importProblem("locale,question,answer,enabled\nko,질문,답,아마도\n");
        assertThat(flag.path("reason").asText()).isEqualTo("invalid");
        assertThat(flag.path("field").asText()).isEqualTo("enabled");
        assertThat(flag.path("params").path("value").asText()).isEqualTo("아마도");

        byte[] garbage = {'l', 'o', 'c', 'a', 'l', 'e', '\n', 'k', 'o', ',', (byte) 0xFF, (byte) 0xFE, (byte) 0x80, 0x41};
        JsonNode encoding = refusedRaw("POST", "/api/admin/faq/import?dryRun=true&format=csv", garbage, admin, 400);
        assertThat(encoding.path("message").asText()).contains("neither UTF-8 nor CP949", "line 2");
        assertThat(encoding.path("reason").asText()).isEqualTo("invalid");
        assertThat(encoding.path("field").asText()).isEqualTo("encoding");
        assertThat(encoding.path("params").path("line").asInt()).isEqualTo(2);

        JsonNode setting = refused("PUT", "/api/admin/sites/demo/settings", Map.of("colour", "#0f766e"), 400);
        assertThat(setting.path("reason").asText()).isEqualTo("unknown");
        assertThat(setting.path("field").asText()).isEqualTo("settings");
        assertThat(setting.path("params").path("value").asText()).isEqualTo("colour");
        assertThat(setting.path("params").path("known").asText()).contains("accentColor", "greeting");
        JsonNode inner = refused("PUT", "/api/admin/sites/demo/settings", Map.of("greeting", Map.of("ja", "こんにちは")), 400);
        assertThat(inner.path("reason").asText()).isEqualTo("unknown");
        assertThat(inner.path("field").asText()).isEqualTo("greeting");
        assertThat(inner.path("params").path("value").asText()).isEqualTo("ja");
        JsonNode position = refused("PUT", "/api/admin/sites/demo/settings", Map.of("position", "top"), 400);
        assertThat(position.path("reason").asText()).isEqualTo("invalid");
        assertThat(position.path("params").path("value").asText()).isEqualTo("top");
        JsonNode noSite = refused("PUT", "/api/admin/sites/no-such-site/settings", Map.of("position", "left"), 404);
        assertThat(noSite.path("reason").asText()).isEqualTo("unknown");
        assertThat(noSite.path("field").asText()).isEqualTo("site");
    }

    @Test
    void conflictsAnAdminMeetsNameTheirReason() throws Exception {
        JsonNode blank = refused("PUT", "/api/admin/privacy", Map.of("maskPatterns", List.of(" "), "version", 0), 400);
        assertThat(blank.path("reason").asText()).isEqualTo("required");
        assertThat(blank.path("field").asText()).isEqualTo("maskPatterns");
        JsonNode empty = refused("PUT", "/api/admin/privacy", Map.of("maskPatterns", List.of("x?"), "version", 0), 400);
        assertThat(empty.path("message").asText()).isEqualTo("mask pattern 'x?' matches empty text");
        assertThat(empty.path("reason").asText()).isEqualTo("invalid");
        assertThat(empty.path("params").path("value").asText()).isEqualTo("x?");
        JsonNode privacy = refused("PUT", "/api/admin/privacy", Map.of("retentionDays", 30, "version", 9), 409);
        assertThat(privacy.path("reason").asText()).isEqualTo("stale");
        assertThat(privacy.path("params").path("version").asLong()).isEqualTo(9);
        assertThat(privacy.path("params").path("current").asLong()).isZero();

        JsonNode topic = refused("POST", "/api/admin/teams", Map.of("id", "second-delivery",
                "name", Map.of("ko", "배송2", "en", "Delivery 2"), "tags", List.of("returns")), 409);
        assertThat(topic.path("reason").asText()).isEqualTo("duplicate");
        assertThat(topic.path("field").asText()).isEqualTo("tags");
        assertThat(topic.path("params").path("value").asText()).isEqualTo("returns");
        assertThat(topic.path("params").path("team").asText()).isEqualTo("delivery");

        HttpResponse<String> team = server.post("/api/admin/teams",
                "{\"id\":\"busy-team\",\"name\":{\"ko\":\"바쁜 팀\",\"en\":\"Busy\"}}", admin);
        assertThat(team.statusCode()).as(team.body()).isEqualTo(201);
        JsonNode stale = refusedRaw("DELETE", "/api/admin/teams/busy-team?version=9", null, admin, 409);
        assertThat(stale.path("reason").asText()).isEqualTo("stale");
        assertThat(stale.path("params").path("current").asLong()).isEqualTo(1);
        HttpResponse<String> entry = server.post("/api/admin/faq", Json.MAPPER.writeValueAsString(Map.of("locale", "ko",
                "question", "바쁜 팀이 맡은 질문", "answer", "답이에요.", "team", "busy-team")), admin);
        assertThat(entry.statusCode()).as(entry.body()).isEqualTo(201);
        JsonNode inUse = refusedRaw("DELETE", "/api/admin/teams/busy-team", null, admin, 409);
        assertThat(inUse.path("reason").asText()).isEqualTo("in_use");
        assertThat(inUse.path("field").asText()).isEqualTo("entries");
        assertThat(inUse.path("params").path("count").asInt()).isEqualTo(1);

        JsonNode sameLanguage = refused("PUT", "/api/admin/faq/" + TestServer.json(entry.body()).path("id").asText(),
                Map.of("locale", "ko", "question", "바쁜 팀이 맡은 질문", "answer", "답이에요.", "translation", "ko-delivery-time",
                        "version", 1), 400);
        assertThat(sameLanguage.path("reason").asText()).as("a Korean entry as the translation of a Korean one")
                .isEqualTo("invalid");
        assertThat(sameLanguage.path("field").asText()).isEqualTo("translation");
        assertThat(sameLanguage.path("params").path("value").asText()).isEqualTo("ko-delivery-time");

        JsonNode me = TestServer.json(server.get("/api/account/me", admin).body());
        JsonNode self = TestServer.json(server.get("/api/admin/users/" + me.path("id").asText(), admin).body());
        JsonNode own = refused("PUT", "/api/admin/users/" + me.path("id").asText(),
                Map.of("disabled", true, "version", self.path("version").asLong()), 409);
        assertThat(own.path("reason").asText()).as(own.toString()).isEqualTo("own_account");

        JsonNode token = refused("POST", "/api/account/password", Map.of("password", "a-long-enough-password-1"), 400);
        assertThat(token.path("reason").asText()).isEqualTo("required");
        assertThat(token.path("field").asText()).isEqualTo("token");
    }

    @Test
    void everyReasonIsDocumentedInTheProtocolAndTheOpenApiFile() throws Exception {
        // The wire contract: a reason the server sends and the docs do not list is one no client can word.
        String protocol = java.nio.file.Files.readString(TestServer.repoRoot().resolve("docs/protocol.md"));
        String openapi = java.nio.file.Files.readString(TestServer.repoRoot().resolve("docs/openapi.yaml"));
        String table = protocol.substring(protocol.indexOf("| `reason` | `params` | when |"));
        table = table.substring(0, table.indexOf("\n\n"));
        String enumLine = openapi.substring(openapi.indexOf("    RefusalReason:"));
        enumLine = enumLine.substring(enumLine.indexOf("enum: ["), enumLine.indexOf("]") + 1);
        for (dev.sodam.server.conversation.ChatException.Reason reason
                : dev.sodam.server.conversation.ChatException.Reason.values()) {
            assertThat(table).as("protocol.md's table of reasons").contains("`" + reason.wire() + "`");
            assertThat(enumLine).as("openapi.yaml's RefusalReason").containsPattern("[\\[ ]" + reason.wire() + "[,\\]]");
        }
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
