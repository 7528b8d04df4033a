package dev.sodam.server.faq;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.util.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's bot chooses each locale's thresholds on the FAQ's held-out paraphrases and the
 * out-of-scope file, reports them with the validation figures, and lets {@code sodam.yaml} pin a
 * locale's thresholds instead.
 */
class BotCalibrationTest {

    @TempDir
    Path dataDir;

    private static JsonNode get(TestServer server, String path, String token) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.http(path)))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void eachLocaleIsCalibratedOnHeldOutParaphrasesAndTheStatusSaysHowItWent() throws Exception {
        try (TestServer server = TestServer.start(dataDir)) {
            server.awaitBot();
            JsonNode locales = get(server, "/api/admin/bot/status", server.loginAdmin()).path("locales");
            for (String locale : new String[] {"ko", "en"}) {
                JsonNode l = locales.path(locale);
                assertThat(l.path("source").asText()).as(locale).isEqualTo("CALIBRATED");
                assertThat(l.path("inScope").asInt()).as(locale + " held-out paraphrases").isGreaterThan(20);
                assertThat(l.path("oos").asInt()).as(locale + " out-of-scope questions").isGreaterThan(20);
                assertThat(l.path("oosRecall").asDouble()).isBetween(0.0, 100.0);
                assertThat(l.path("clarifyThreshold").asDouble()).isLessThanOrEqualTo(l.path("answerThreshold").asDouble());
                // The confidence is calibrated on the same questions: how far it is from the share right.
                assertThat(l.path("calibrationError").isNumber()).as(locale + " calibrationError").isTrue();
                assertThat(l.path("calibrationError").asDouble()).isBetween(0.0, 15.0);
            }
        }
    }

    @Test
    void aLocaleThresholdSetInTheConfigurationWinsAndTheBotAnswersByIt() throws Exception {
        try (TestServer server = TestServer.start(dataDir, Map.of(
                "SODAM_BOT_KO_ANSWER_THRESHOLD", "1", "SODAM_BOT_KO_CLARIFY_THRESHOLD", "0.01"))) {
            server.awaitBot();
            String admin = server.loginAdmin();
            JsonNode locales = get(server, "/api/admin/bot/status", admin).path("locales");
            assertThat(locales.path("ko").path("source").asText()).isEqualTo("CONFIGURED");
            assertThat(locales.path("ko").path("answerThreshold").asDouble()).isEqualTo(1.0);
            assertThat(locales.path("en").path("source").asText()).isEqualTo("CALIBRATED");
            // A delivery question the calibrated bot answers; at 1.0 it is only suggested.
            JsonNode asked = TestServer.json(server.post("/api/bot/ask",
                    Json.MAPPER.writeValueAsString(Map.of("text", "택배 며칠 걸려요?", "locale", "ko")), admin).body());
            assertThat(asked.path("confidence").asDouble()).isLessThan(1.0);
            assertThat(asked.path("decision").asText()).isEqualTo("clarify");
        }
    }
}
