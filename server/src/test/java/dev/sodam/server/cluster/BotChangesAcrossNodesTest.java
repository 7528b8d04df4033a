package dev.sodam.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.ClusterEnv;
import dev.sodam.server.testing.PostgresTestSupport;
import dev.sodam.server.testing.RedisTestSupport;
import dev.sodam.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real nodes in this JVM on one fresh PostgreSQL database and a real Redis: an FAQ entry written
 * on node A is what node B's bot answers with, and thresholds an admin saves in node A's test console
 * decide node B's bands, without a restart (the notices of {@code BotPeers} over the Redis channel);
 * and a change no notice announced (its node died between commit and notice) reaches node B at its
 * next catch-up from the store.
 * The waits are ceilings for a loaded machine, not the promise; the figures are printed.
 */
class BotChangesAcrossNodesTest {
    static final String QUESTION = "우산을 빌려주시나요?";

    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    static JsonNode tryOn(TestServer node, String token) throws Exception {
        HttpResponse<String> tried = node.post("/api/admin/bot/try", "{\"text\":\"" + QUESTION + "\",\"locale\":\"ko\"}",
                token);
        assertThat(tried.statusCode()).as(tried.body()).isEqualTo(200);
        return TestServer.json(tried.body());
    }

    @Test
    void anFaqEntryAndSavedThresholdsOnOneNodeDecideTheOtherNodesBot() throws Exception {
        String db = PostgresTestSupport.createDatabase();
        String redis = RedisTestSupport.url();
        try (TestServer a = TestServer.start(dirA, ClusterEnv.node(db, redis));
             TestServer b = TestServer.start(dirB, ClusterEnv.node(db, redis))) {
            a.awaitBot();
            b.awaitBot();
            String onA = a.loginAdmin();
            String onB = b.loginAdmin();
            assertThat(tryOn(b, onB).path("faqId").isNull()).as("node B's bot knows no FAQ yet").isTrue();

            // An FAQ entry created on node A: node B's bot retrains and answers with it.
            HttpResponse<String> created = a.post("/api/admin/faq", "{\"id\":\"ko-umbrella\",\"locale\":\"ko\","
                    + "\"question\":\"" + QUESTION + "\",\"paraphrases\":[\"우산 대여 되나요?\",\"비 오는데 우산 있어요?\"],"
                    + "\"answer\":\"네, 1층 안내 데스크에서 우산을 빌려드려요.\"}", onA);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(a.post("/api/admin/faq", "{\"id\":\"ko-delivery\",\"locale\":\"ko\",\"question\":\"배송은 얼마나"
                    + " 걸리나요?\",\"paraphrases\":[\"언제 도착해요?\"],\"answer\":\"보통 2~3일 걸려요.\"}", onA).statusCode())
                    .isEqualTo(201);
            long faqSaved = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> "ko-umbrella".equals(tryOn(b, onB).path("faqId").asText(null)));
            long faqMillis = (System.nanoTime() - faqSaved) / 1_000_000;
            // Both entries trained, nothing queued: the confidence below stays what it is.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
                JsonNode status = TestServer.json(b.get("/api/admin/bot/status", onB).body());
                return status.path("entries").asInt() == 2 && status.path("state").asText().equals("ready")
                        && !status.path("queued").asBoolean();
            });
            JsonNode before = tryOn(b, onB);
            double confidence = before.path("confidence").asDouble();
            assertThat(confidence).isLessThan(1.0);
            assertThat(before.path("band").asText()).isEqualTo("answer");

            // Thresholds saved on node A's console: node B's next answer to the same question is in
            // the new band, with the saved thresholds, and its status says where they came from.
            HttpResponse<String> saved = a.send("PUT", "/api/admin/bot/thresholds/ko",
                    "{\"answerThreshold\":1.0,\"clarifyThreshold\":0.0,\"version\":0}", onA);
            assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
            long thresholdsSaved = System.nanoTime();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> tryOn(b, onB).path("band").asText().equals("clarify"));
            long thresholdsMillis = (System.nanoTime() - thresholdsSaved) / 1_000_000;
            JsonNode after = tryOn(b, onB);
            assertThat(after.path("confidence").asDouble()).isEqualTo(confidence);
            assertThat(after.path("thresholds").path("answerThreshold").asDouble()).isEqualTo(1.0);
            assertThat(after.path("thresholds").path("clarifyThreshold").asDouble()).isEqualTo(0.0);
            JsonNode status = TestServer.json(b.get("/api/admin/bot/status", onB).body());
            assertThat(status.path("locales").path("ko").path("source").asText()).isEqualToIgnoringCase("saved");

            // Removing them on node A gives node B back its own thresholds.
            assertThat(a.send("DELETE", "/api/admin/bot/thresholds/ko?version=1", null, onA).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> tryOn(b, onB).path("band").asText().equals("answer"));
            System.out.printf("bot changes across nodes: FAQ entry answered on node B %d ms after node A's 201"
                    + " (retraining included); thresholds in force on node B %d ms after node A's 200%n",
                    faqMillis, thresholdsMillis);
        }
    }

    @Test
    void aChangeWhoseNoticeNeverCameReachesTheOtherNodeAtItsNextCatchUp() throws Exception {
        String db = PostgresTestSupport.createDatabase();
        try (RedisTestSupport.PrivateRedis redis = RedisTestSupport.startPrivate();
             TestServer a = TestServer.start(dirA, ClusterEnv.node(db, redis.url()));
             TestServer b = TestServer.start(dirB, ClusterEnv.node(db, redis.url()))) {
            a.awaitBot();
            b.awaitBot();
            String onA = a.loginAdmin();
            String onB = b.loginAdmin();
            assertThat(a.post("/api/admin/faq", "{\"id\":\"ko-umbrella\",\"locale\":\"ko\",\"question\":\"" + QUESTION
                    + "\",\"answer\":\"네, 빌려드려요.\"}", onA).statusCode()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> "ko-umbrella".equals(tryOn(b, onB).path("faqId").asText(null)));

            // What a node killed between its commit and its notice leaves: changes in the database that
            // no notice announced (saved thresholds, an entry disabled).
            try (Connection sql = PostgresTestSupport.connect(db); Statement q = sql.createStatement()) {
                q.executeUpdate("INSERT INTO settings(key, value, version, updated_at) VALUES ('bot.thresholds',"
                        + " '{\"locales\":{\"ko\":{\"answerThreshold\":1.0,\"clarifyThreshold\":0.0}}}', 1, 0)");
                q.executeUpdate("UPDATE faq_entries SET enabled = 0 WHERE id = 'ko-umbrella'");
            }
            // Node B's subscription drops and comes back: its catch-up reads both from the store.
            RedisFanout fanoutB = b.cluster().orElseThrow();
            long catchUps = fanoutB.catchUps();
            redis.stop();
            redis.start();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> fanoutB.catchUps() > catchUps);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
                JsonNode status = TestServer.json(b.get("/api/admin/bot/status", onB).body());
                return status.path("entries").asInt() == 0
                        && status.path("locales").path("ko").path("answerThreshold").asDouble() == 1.0
                        && status.path("locales").path("ko").path("source").asText().equalsIgnoreCase("saved");
            });
        }
    }
}
