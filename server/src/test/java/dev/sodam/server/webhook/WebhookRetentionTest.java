package dev.sodam.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sodam.server.store.IntegrationTx.Pruned;
import dev.sodam.server.testing.AdminHttp;
import dev.sodam.server.testing.MutableClock;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WebhookReceiver;
import dev.sodam.server.testing.WsTestClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outbox retention on the injected clock: delivered entries and attempts younger than
 * {@code webhooks.retentionDays} stay; older delivered entries go with their attempts, older attempts
 * of failed entries go while the entries stay (they can still be redelivered); new deliveries after a
 * pruning are kept.
 */
class WebhookRetentionTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    @TempDir
    Path dataDir;

    @Test
    void deliveredEntriesAndOldAttemptsGoAfterTheRetentionFailedEntriesStay() throws Exception {
        MutableClock clock = MutableClock.atGoldenInstant();
        try (WebhookReceiver receiver = new WebhookReceiver();
             TestServer server = TestServer.start(dataDir, Map.of("SODAM_WEBHOOKS_ALLOW_PRIVATE", "true",
                     "SODAM_WEBHOOK_MAX_ATTEMPTS", "1", "SODAM_WEBHOOK_TIMEOUT_SECONDS", "2",
                     "SODAM_WEBHOOK_RETENTION_DAYS", "7"), clock)) {
            AdminHttp http = new AdminHttp(server);
            String admin = server.loginAdmin();
            http.call("POST", "/api/admin/webhooks", Map.of("url", receiver.url(), "events", java.util.List.of(
                    "conversation.created")), admin);
            // Nothing listens on port 9: each delivery fails at its one attempt and stays as "failed".
            String dead = http.call("POST", "/api/admin/webhooks", Map.of("url", "http://127.0.0.1:9/hook", "events",
                    java.util.List.of("conversation.created")), admin).json().get("id").asText();
            try (WsTestClient visitor = WsTestClient.connect(server.visitorUri())) {
                visitor.helloVisitor(null, null, 0);
                visitor.say("r1", null, "안녕하세요");
            }
            await().atMost(WAIT).until(() -> http.count("SELECT count(*) FROM webhook_outbox WHERE status = 'delivered'") == 1
                    && http.count("SELECT count(*) FROM webhook_outbox WHERE status = 'failed'") == 1);
            assertThat(http.count("SELECT count(*) FROM webhook_attempts")).isEqualTo(2);

            clock.advance(Duration.ofDays(6));
            assertThat(server.pruneWebhooks()).as("younger than 7 days: all kept").isEqualTo(new Pruned(0, 0));
            assertThat(http.count("SELECT count(*) FROM webhook_outbox")).isEqualTo(2);

            clock.advance(Duration.ofDays(2));
            assertThat(server.pruneWebhooks()).as("the delivered entry with its attempt, then the failed one's attempt")
                    .isEqualTo(new Pruned(1, 1));
            assertThat(http.count("SELECT count(*) FROM webhook_outbox WHERE status = 'delivered'")).isZero();
            assertThat(http.count("SELECT count(*) FROM webhook_outbox WHERE status = 'failed'")).isEqualTo(1);
            assertThat(http.count("SELECT count(*) FROM webhook_attempts")).isZero();
            String fresh = server.loginAdmin();
            long failedSeq = http.call("GET", "/api/admin/webhooks/" + dead + "/deliveries", null, fresh).json()
                    .at("/items/0/seq").asLong();
            assertThat(http.call("POST", "/api/admin/webhooks/" + dead + "/deliveries/" + failedSeq + "/redeliver", null,
                    fresh).status()).as("a failed entry can still be sent again").isEqualTo(202);

            try (WsTestClient visitor = WsTestClient.connect(server.visitorUri())) {
                visitor.helloVisitor(null, null, 0);
                visitor.say("r2", null, "또 왔어요");
            }
            await().atMost(WAIT).until(() -> http.count("SELECT count(*) FROM webhook_outbox WHERE status = 'delivered'") == 1);
            assertThat(server.pruneWebhooks().deliveries()).as("a new delivery is kept").isZero();
            assertThat(http.count("SELECT count(*) FROM webhook_outbox WHERE status = 'delivered'")).isEqualTo(1);
        }
    }
}
