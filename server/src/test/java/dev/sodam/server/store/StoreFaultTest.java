package dev.sodam.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WsTestClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database is locked by another writer (a backup tool, an operator's sqlite3 shell) for longer
 * than the busy timeout: the message is refused with a retryable {@code internal} error and no ack,
 * nothing half-written; once the lock is gone the same {@code clientMsgId} is stored exactly once.
 */
class StoreFaultTest {

    @TempDir
    Path dataDir;

    @Test
    void aLockedDatabaseRefusesWithARetryableErrorAndTheRetryIsStoredOnceWhenTheLockIsGone() throws Exception {
        try (TestServer server = TestServer.start(dataDir);
             WsTestClient visitor = WsTestClient.connect(server.visitorUri())) {
            visitor.helloVisitor(null, null, 0);
            String conversationId = visitor.say("m0", null, "안녕하세요").path("conversationId").asText();
            visitor.send("{\"type\":\"handoff\",\"conversationId\":\"" + conversationId + "\"}");
            visitor.say("m1", conversationId, "잠금 전 마지막 메시지");

            String url = "jdbc:sqlite:" + dataDir.resolve("sodam.db");
            try (Connection other = DriverManager.getConnection(url); Statement s = other.createStatement()) {
                s.execute("BEGIN IMMEDIATE"); // holds SQLite's single write lock
                visitor.send("{\"type\":\"send\",\"clientMsgId\":\"m2\",\"ref\":\"m2\",\"conversationId\":\""
                        + conversationId + "\",\"text\":\"잠긴 동안 보낸 메시지\"}");
                JsonNode error = visitor.await("error", e -> "m2".equals(e.path("ref").asText()));
                assertThat(error.path("code").asText()).isEqualTo("internal");
                assertThat(error.path("message").asText()).contains("nothing was stored");
                assertThat(visitor.frames("ack")).noneMatch(a -> "m2".equals(a.path("clientMsgId").asText()));
                s.execute("ROLLBACK");
            }

            // The client's retry: the same clientMsgId (the JS client does this for `internal`).
            String resend = "{\"type\":\"send\",\"clientMsgId\":\"m2\",\"ref\":\"m2\",\"conversationId\":\""
                    + conversationId + "\",\"text\":\"잠긴 동안 보낸 메시지\"}";
            visitor.send(resend);
            JsonNode ack = visitor.await("ack", a -> "m2".equals(a.path("clientMsgId").asText()));
            assertThat(ack.path("seq").asLong()).isPositive();
            visitor.send(resend);
            org.awaitility.Awaitility.await().until(() -> visitor.frames("ack").stream()
                    .filter(a -> "m2".equals(a.path("clientMsgId").asText())).count() == 2);
            assertThat(visitor.frames("ack").stream().filter(a -> "m2".equals(a.path("clientMsgId").asText()))
                    .map(a -> a.path("seq").asLong())).as("the original ack, twice").containsOnly(ack.path("seq").asLong());
        }
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("sodam.db"));
             Statement s = db.createStatement()) {
            try (ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).isEqualTo("ok");
            }
            try (ResultSet r = s.executeQuery("SELECT count(*) FROM messages WHERE client_msg_id = 'm2'")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getInt(1)).as("stored exactly once").isEqualTo(1);
            }
        }
    }
}
