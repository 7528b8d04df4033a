package dev.sodam.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.ServerExtension;
import dev.sodam.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The browser-facing defences over real HTTP: the security headers of every page, pages that need
 * no inline script (so the policy can forbid it), JSON that is never a document, no cookies (so no
 * CSRF: every state-changing call needs an {@code Authorization} header a cross-site form cannot
 * send), and no CORS grant to a foreign origin on the authenticated APIs.
 */
class SecurityHeadersTest {
    /** The pages under their friendly paths; every HTML file of widget/src is added by its own path. */
    private static final List<String> FRIENDLY_PATHS = List.of("/demo", "/console", "/admin", "/admin/users",
            "/admin/teams", "/admin/audit", "/admin/privacy", "/admin/integrations", "/admin/password");
    private static final Pattern SCRIPT_TAG = Pattern.compile("<script\\b([^>]*)>", Pattern.CASE_INSENSITIVE);
    private static final String EVIL = "https://evil.example";

    @RegisterExtension
    static final ServerExtension app = ServerExtension.started();
    static final HttpClient http = HttpClient.newHttpClient();

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder at(String path) {
        return HttpRequest.newBuilder(URI.create(app.server().http(path)));
    }

    /** Every HTML page the server serves. */
    private static List<String> pages() throws java.io.IOException {
        Path sources = TestServer.repoRoot().resolve("widget/src");
        List<String> pages = new java.util.ArrayList<>(FRIENDLY_PATHS);
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(sources)) {
            files.filter(f -> f.toString().endsWith(".html"))
                    .forEach(f -> pages.add("/" + sources.relativize(f).toString().replace('\\', '/')));
        }
        return pages;
    }

    @Test
    void everyPageForbidsInlineScriptsPluginsBaseAndFraming() throws Exception {
        List<String> pages = pages();
        assertThat(pages).contains("/demo/hostile.html", "/admin/access.html");
        for (String page : pages) {
            HttpResponse<String> response = send(at(page).GET());
            assertThat(response.statusCode()).as(page).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).as(page).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/html"));
            String csp = response.headers().firstValue("Content-Security-Policy").orElse("");
            assertThat(directive(csp, "script-src")).as(page + " script-src").isEqualTo("'self'");
            assertThat(directive(csp, "object-src")).as(page).isEqualTo("'none'");
            assertThat(directive(csp, "base-uri")).as(page).isEqualTo("'none'");
            assertThat(directive(csp, "frame-ancestors")).as(page).isEqualTo("'none'");
            assertThat(response.headers().firstValue("X-Frame-Options")).as(page).hasValue("DENY");
            assertThat(response.headers().firstValue("X-Content-Type-Options")).as(page).hasValue("nosniff");
            assertThat(response.headers().firstValue("Referrer-Policy")).as(page)
                    .hasValue("strict-origin-when-cross-origin");
            assertThat(response.headers().firstValue("Permissions-Policy")).as(page).isPresent();
            assertThat(response.headers().firstValue("Set-Cookie")).as(page).isEmpty();

            // The policy forbids inline scripts, so the page must not need any.
            Matcher tags = SCRIPT_TAG.matcher(response.body());
            int scripts = 0;
            while (tags.find()) {
                scripts++;
                assertThat(tags.group(1)).as(page + ": every script is a file").contains("src=");
            }
            assertThat(scripts).as(page + " loads its scripts").isPositive();
        }
    }

    @Test
    void jsonIsNeverADocumentAndNeverSniffed() throws Exception {
        for (String path : List.of("/api/health", "/api/admin/faq", "/api/nowhere")) {
            HttpResponse<String> response = send(at(path).GET());
            assertThat(response.headers().firstValue("Content-Type")).as(path)
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
            assertThat(response.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
            assertThat(directive(response.headers().firstValue("Content-Security-Policy").orElse(""), "default-src"))
                    .as(path).isEqualTo("'none'");
        }
    }

    @Test
    void loginSetsNoCookieSoACrossSiteFormCarriesNoCredentials() throws Exception {
        HttpResponse<String> login = app.server().post("/api/auth/login", "{\"email\":\"" + TestServer.ADMIN_EMAIL
                + "\",\"password\":\"" + TestServer.ADMIN_PASSWORD + "\"}", null);
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.headers().allValues("Set-Cookie")).isEmpty();

        // What a hostile page's auto-submitted form can send: a simple POST, no Authorization header.
        long entriesBefore = TestServer.json(app.server().get("/api/admin/faq", app.server().loginAdmin()).body())
                .path("entries").size();
        for (String path : List.of("/api/admin/faq", "/api/admin/faq/bulk", "/api/admin/bot/rebuild",
                "/api/workspace/canned", "/api/auth/login")) {
            HttpResponse<String> forged = send(at(path).header("Origin", EVIL)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("question=pwned&answer=pwned&locale=ko")));
            assertThat(forged.statusCode()).as(path).isIn(400, 401);
            assertThat(forged.headers().firstValue("Access-Control-Allow-Origin")).as(path).isEmpty();
        }
        assertThat(TestServer.json(app.server().get("/api/admin/faq", app.server().loginAdmin()).body()).path("entries").size())
                .isEqualTo(entriesBefore);
    }

    @Test
    void aForeignOriginGetsNoCorsGrantOnTheAuthenticatedApis() throws Exception {
        for (String path : List.of("/api/admin/faq", "/api/workspace/canned", "/api/auth/login", "/api/v1/conversations")) {
            HttpResponse<String> preflight = send(at(path).header("Origin", EVIL)
                    .header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "authorization, content-type")
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).as(path).isEmpty();
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers")).as(path).isEmpty();
        }
    }

    @Test
    void anOversizedBodyIsA413WithTheErrorJsonNotAnEmptyPage() throws Exception {
        HttpResponse<String> response = send(at("/api/admin/faq").header("Content-Type", "application/json")
                .header("X-Request-Id", "req-oversized-1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"answer\":\"" + "가".repeat(40_000) + "\"}")));
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode error = TestServer.json(response.body());
        assertThat(error.path("code").asText()).isEqualTo("too_large");
        assertThat(error.path("message").asText()).contains("bytes");
        assertThat(error.path("requestId").asText()).isEqualTo("req-oversized-1");
        // The server is fine afterwards.
        assertThat(send(at("/api/health").GET()).statusCode()).isEqualTo(200);
    }

    /** The value of one directive of a policy, or "" when absent. */
    private static String directive(String policy, String name) {
        for (String part : policy.split(";")) {
            String trimmed = part.trim();
            if (trimmed.startsWith(name + " ")) {
                return trimmed.substring(name.length() + 1).trim();
            }
        }
        return "";
    }
}
