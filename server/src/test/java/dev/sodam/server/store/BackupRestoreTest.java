package dev.sodam.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.MutableClock;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WsTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An online backup of a serving store, and a restore a new server resumes from. */
class BackupRestoreTest {

    @TempDir
    Path dir;

    @Test
    void anOnlineBackupHoldsEveryMessageAckedBeforeItAndARestoredServerResumesThem() throws Exception {
        Path live = dir.resolve("live");
        Path restored = dir.resolve("restored");
        Path file = dir.resolve("backups/sodam-1.db");
        String token;
        String conversationId;
        SqliteBackup.Result backup;
        // The visitor writes faster than a person: the default rate limit would refuse some sends.
        Map<String, String> fastClient = Map.of("SODAM_RATE_PER_SECOND", "1000", "SODAM_RATE_BURST", "1000");
        try (TestServer server = TestServer.start(live, fastClient);
             WsTestClient visitor = WsTestClient.connect(server.visitorUri())) {
            token = visitor.helloVisitor(null, null, 0).path("visitorToken").asText();
            conversationId = visitor.say("m0", null, "배송 문의드려요").path("conversationId").asText();
            visitor.send("{\"type\":\"handoff\",\"conversationId\":\"" + conversationId + "\"}");
            for (int i = 1; i < 30; i++) {
                visitor.say("m" + i, conversationId, "메시지 " + i);
            }
            // Writes go on while the backup runs: it must be one consistent snapshot.
            Thread writer = new Thread(() -> {
                for (int i = 30; i < 60; i++) {
                    visitor.send(Map.of("type", "send", "clientMsgId", "m" + i, "conversationId", conversationId,
                            "text", "백업 중 " + i));
                }
            });
            writer.start();
            backup = SqliteBackup.backup(live, file);
            writer.join();
            visitor.ack("m59");

            assertThat(backup.file()).isRegularFile();
            assertThat(backup.messages()).isGreaterThanOrEqualTo(30);
            assertThatThrownBy(() -> SqliteBackup.restore(file, live, new MutableClock(Instant.EPOCH)))
                    .as("no restore under a running server").hasMessageContaining("in use");
            assertThatThrownBy(() -> TestServer.start(live))
                    .as("no second server on the same data directory").hasMessageContaining("in use");
            assertThatThrownBy(() -> SqliteBackup.backup(live, file)).hasMessageContaining("exists already");
        }

        SqliteBackup.Result result = SqliteBackup.restore(file, restored, new MutableClock(Instant.EPOCH));
        assertThat(result.messages()).isEqualTo(backup.messages());
        try (TestServer server = TestServer.start(restored, fastClient);
             WsTestClient visitor = WsTestClient.connect(server.visitorUri())) {
            visitor.helloVisitor(token, conversationId, 0);
            await().until(() -> visitor.messages(conversationId).stream()
                    .anyMatch(m -> "m29".equals(m.path("clientMsgId").asText())));
            List<JsonNode> replay = visitor.messages(conversationId);
            for (int k = 0; k < replay.size(); k++) {
                assertThat(replay.get(k).path("seq").asLong()).as("gapless").isEqualTo(k + 1);
            }
            for (int i = 0; i < 30; i++) {
                String id = "m" + i;
                assertThat(replay.stream().filter(m -> id.equals(m.path("clientMsgId").asText())).count())
                        .as(id + ", acked before the backup, exactly once").isEqualTo(1);
            }
        }
    }

    @Test
    void aDamagedOrForeignFileIsNeverRestoredAndTheDatabaseStaysAsItWas() throws Exception {
        Path data = dir.resolve("data");
        try (TestServer server = TestServer.start(data)) {
            server.awaitBot();
        }
        byte[] before = Files.readAllBytes(data.resolve("sodam.db"));
        Path junk = dir.resolve("junk.db");
        Files.writeString(junk, "this is not a database, 이것은 데이터베이스가 아닙니다");
        assertThatThrownBy(() -> SqliteBackup.restore(junk, data, new MutableClock(Instant.EPOCH)))
                .isInstanceOf(StoreException.class).hasMessageContaining("not a Sodam database");
        assertThatThrownBy(() -> SqliteBackup.restore(dir.resolve("missing.db"), data,
                new MutableClock(Instant.EPOCH))).hasMessageContaining("no backup file");
        assertThat(Files.readAllBytes(data.resolve("sodam.db"))).isEqualTo(before);
        try (Stream<Path> files = Files.list(data)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("restoring"));
        }
    }

    @Test
    void restoringOverAnExistingDatabaseKeepsTheOldOneAside() throws Exception {
        Path data = dir.resolve("data");
        Path file = dir.resolve("copy.db");
        try (TestServer server = TestServer.start(data)) {
            server.awaitBot();
            SqliteBackup.backup(data, file);
        }
        SqliteBackup.restore(file, data, new MutableClock(Instant.parse("2026-11-23T03:00:00Z")));
        assertThat(data.resolve("sodam.db.before-restore-20261123T030000Z")).isRegularFile();
        assertThat(data.resolve("sodam.db")).isRegularFile();
        try (TestServer server = TestServer.start(data)) {
            assertThat(server.loginAdmin()).isNotBlank();
        }
    }
}
