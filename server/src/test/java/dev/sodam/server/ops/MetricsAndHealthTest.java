package dev.sodam.server.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WsTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /metrics} scraped around real protocol traffic, and the health endpoints, on a real server. */
class MetricsAndHealthTest {
    private static final String TOKEN = "metrics-secret-1";
    @TempDir
    static Path dataDir;
    static TestServer server;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dataDir, Map.of("SODAM_METRICS_TOKEN", TOKEN));
        server.awaitBot();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static HttpResponse<String> get(String path, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.http(path))).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of one sample line, e.g. {@code sodam_messages_total{from="visitor"}}; 0 when absent. */
    static double sample(String scrape, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " ([0-9.eE+-]+)$", Pattern.MULTILINE).matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    static String scrape() throws Exception {
        HttpResponse<String> response = get("/metrics", TOKEN);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
        return response.body();
    }

    @Test
    void countersMoveWithProtocolTraffic() throws Exception {
        String before = scrape();
        double visitorMessages = sample(before, "sodam_messages_total{from=\"visitor\"}");
        double acks = sample(before, "sodam_ack_latency_seconds_count");
        double commits = sample(before, "sodam_store_commit_seconds_count");
        double answers = sample(before, "sodam_bot_decisions_total{band=\"answer\"}");
        double stored = sample(before, "sodam_bot_answers_total{commit=\"question\"}")
                + sample(before, "sodam_bot_answers_total{commit=\"own\"}");
        try (WsTestClient visitor = WsTestClient.connect(server.visitorUri())) {
            visitor.helloVisitor(null, null, 0);
            assertThat(sample(scrape(), "sodam_connections")).isGreaterThanOrEqualTo(1);
            visitor.say("c1", null, "배송은 얼마나 걸리나요?");
            visitor.ack("c1");
            visitor.say("c2", null, "교환은 어떻게 하나요?");
            visitor.ack("c2");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                String after = scrape();
                assertThat(sample(after, "sodam_messages_total{from=\"visitor\"}")).isEqualTo(visitorMessages + 2);
                assertThat(sample(after, "sodam_ack_latency_seconds_count")).isEqualTo(acks + 2);
                assertThat(sample(after, "sodam_store_commit_seconds_count")).isGreaterThan(commits);
                assertThat(sample(after, "sodam_messages_total{from=\"bot\"}")).isGreaterThanOrEqualTo(1);
                double decisions = sample(after, "sodam_bot_decisions_total{band=\"answer\"}")
                        + sample(after, "sodam_bot_decisions_total{band=\"clarify\"}")
                        + sample(after, "sodam_bot_decisions_total{band=\"handoff\"}");
                assertThat(decisions).isGreaterThanOrEqualTo(answers + 2);
                assertThat(sample(after, "sodam_bot_answers_total{commit=\"question\"}")
                        + sample(after, "sodam_bot_answers_total{commit=\"own\"}")).isEqualTo(stored + 2);
            });
        }
        String last = scrape();
        assertThat(last).contains("sodam_queue_length ").contains("jvm_memory_used_bytes").contains("jvm_threads_live_threads");
    }

    @Test
    void metricsNeedTheTokenWhenOneIsSet() throws Exception {
        HttpResponse<String> none = get("/metrics", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(TestServer.json(none.body()).get("code").asText()).isEqualTo("unauthorized");
        assertThat(get("/metrics", "wrong").statusCode()).isEqualTo(401);
    }

    @Test
    void livenessAndReadinessAnswerJson() throws Exception {
        HttpResponse<String> live = get("/api/health/live", null);
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(TestServer.json(live.body()).get("status").asText()).isEqualTo("UP");
        HttpResponse<String> ready = get("/api/health/ready", null);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(TestServer.json(ready.body()).at("/checks/store").asText()).isEqualTo("UP");
        assertThat(TestServer.json(ready.body()).at("/checks/bot").asText()).isEqualTo("UP");
        HttpResponse<String> posted = server.post("/api/health/ready", "{}", null);
        assertThat(posted.statusCode()).isEqualTo(405);
    }
}
