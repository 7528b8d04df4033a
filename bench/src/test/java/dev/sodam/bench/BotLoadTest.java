package dev.sodam.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sodam.server.SodamServer;
import dev.sodam.server.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario (d)'s client in small against a real Sodam (in-process, real SQLite, the real seed FAQ and
 * bot): every question it sends gets the bot's reply or is counted as handed off, and the replies it
 * measures are real ones. Not a benchmark: nothing here is timed.
 */
class BotLoadTest {
    @Test
    @Timeout(120)
    void everyQuestionIsAnsweredByTheBotOrCountedAsHandedOff(@TempDir Path dataDir) throws Exception {
        Map<String, String> env = TestSodam.environment(dataDir);
        List<String> questions = new ArrayList<>();
        for (JsonNode entry : new ObjectMapper().readTree(TestSodam.repoRoot().resolve("config/faq/seed-ko.json").toFile()).path("entries")) {
            questions.add(entry.path("question").asText());
        }
        try (SodamServer server = SodamServer.start(ConfigLoader.load(null, env))) {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/health/ready")).build();
            while (http.send(ready, HttpResponse.BodyHandlers.ofString()).statusCode() != 200) {
                Thread.sleep(100); // the bot trains in the background after start
            }
            ObjectNode line = BotLoad.run(server.port(), 8, 40, 0.5, 2, questions, ProcessHandle.current().pid());
            assertThat(line.get("sent").asLong()).as("%s", line).isGreaterThanOrEqualTo(60);
            assertThat(line.get("unanswered").asLong()).as("%s", line).isZero();
            assertThat(line.get("answered").asLong()).as("%s", line).isPositive().isLessThanOrEqualTo(line.get("sent").asLong());
            assertThat(line.get("p50_ms").asDouble()).isPositive();
            // The server is this JVM: its CPU over the measured questions, and the JIT's share of it.
            assertThat(line.get("server_cpu_us_per_question").asDouble()).as("%s", line).isPositive();
            assertThat(line.get("server_jit_pct").asDouble()).as("%s", line).isBetween(0.0, 100.0);
        }
    }
}
