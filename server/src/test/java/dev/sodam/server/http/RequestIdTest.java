package dev.sodam.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.ServerExtension;
import dev.sodam.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * Request ids on a real server: a well-formed {@code X-Request-Id} is kept, anything else replaced by
 * a new id; the id comes back in the response header and in error bodies, and the log lines written
 * while the request is handled — on the event loop and on the blocking executor — carry it in the MDC.
 */
class RequestIdTest {
    @RegisterExtension
    static final ServerExtension app = ServerExtension.started();

    static HttpResponse<String> get(String path, String requestId, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.server().http(path))).GET();
        if (requestId != null) {
            request.header("X-Request-Id", requestId);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String idOf(HttpResponse<String> response) {
        return response.headers().firstValue("X-Request-Id").orElseThrow();
    }

    @Test
    void aWellFormedIdIsKeptAnythingElseIsReplaced() throws Exception {
        assertThat(idOf(get("/api/health", "shop-42.order:7_a", null))).isEqualTo("shop-42.order:7_a");
        assertThat(idOf(get("/demo", "page-1", null))).as("files too").isEqualTo("page-1");
        String first = idOf(get("/api/health", null, null));
        String second = idOf(get("/api/health", null, null));
        assertThat(first).matches("req_[0-9a-f]{16}");
        assertThat(second).matches("req_[0-9a-f]{16}").isNotEqualTo(first);
        for (String bad : List.of("has space", "<script>alert(1)</script>", "x".repeat(65), "-leading", "path/../x", "a,b")) {
            assertThat(idOf(get("/api/health", bad, null))).as(bad).matches("req_[0-9a-f]{16}");
        }
    }

    @Test
    void errorBodiesNameTheRequest() throws Exception {
        HttpResponse<String> unauthorized = get("/api/admin/users", "support-ticket-9", null);
        assertThat(unauthorized.statusCode()).isEqualTo(401);
        JsonNode body = TestServer.json(unauthorized.body());
        assertThat(body.get("requestId").asText()).isEqualTo("support-ticket-9").isEqualTo(idOf(unauthorized));
        HttpResponse<String> missing = get("/api/no-such-thing", null, null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(TestServer.json(missing.body()).get("requestId").asText()).isEqualTo(idOf(missing));
        HttpResponse<String> image = get("/api/attachments/at_none", "img-1", null);
        assertThat(TestServer.json(image.body()).get("requestId").asText()).isEqualTo("img-1");
    }

    @Test
    void logLinesOfTheRequestCarryItsIdOnEveryThread() throws Exception {
        Logger access = (Logger) LoggerFactory.getLogger("dev.sodam.server.http.access");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        Level before = access.getLevel();
        access.setLevel(Level.DEBUG);
        access.addAppender(lines);
        try {
            String admin = app.server().loginAdmin();
            get("/api/admin/users", "trace-users", admin);
            get("/api/no-such-thing", "trace-404", null);
            await().atMost(Duration.ofSeconds(10)).until(() -> lines.list.size() >= 2);
            ILoggingEvent users = line(lines, "/api/admin/users");
            assertThat(users.getMDCPropertyMap()).containsEntry("requestId", "trace-users");
            assertThat(users.getThreadName()).as("answered on the blocking executor").startsWith("sodam-blocking");
            assertThat(users.getFormattedMessage()).contains("GET /api/admin/users 200");
            assertThat(line(lines, "/api/no-such-thing").getMDCPropertyMap()).containsEntry("requestId", "trace-404");
        } finally {
            access.detachAppender(lines);
            access.setLevel(before);
        }
    }

    private static ILoggingEvent line(ListAppender<ILoggingEvent> lines, String path) {
        synchronized (lines.list) {
            return lines.list.stream().filter(e -> e.getFormattedMessage().contains(path)).findFirst().orElseThrow();
        }
    }
}
