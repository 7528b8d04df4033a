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
 * Store faults: the database locked by another writer (a backup tool, an operator's sqlite3 shell)
 * for longer than the busy timeout, and a full disk. The message is refused with a retryable
 * {@code internal} error and no ack, nothing half-written; once the fault is gone the same
 * {@code clientMsgId} is stored exactly once.
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

    /**
     * The disk fills up under the data directory (a small tmpfs, so the test cannot fill the real
     * disk): the message that does not fit is refused with a retryable {@code internal} error and no
     * ack, every acked message is stored, the database stays intact, and once space is back the
     * retry with the same {@code clientMsgId} is stored exactly once.
     */
    @Test
    void aFullDiskRefusesWithARetryableErrorAndServiceResumesWhenSpaceIsBack(@TempDir Path mountPoint) throws Exception {
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", mountPoint.toString())
                .redirectErrorStream(true).start();
        String mountOutput = new String(mount.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(mount.waitFor()).as("this test mounts a 12 MiB tmpfs as the data directory to fill it; it needs "
                + "root and mount(8) (./sodam test runs as root in CI): " + mountOutput).isZero();
        Path data = mountPoint.resolve("data");
        java.util.Map<String, Long> acked = new java.util.LinkedHashMap<>();
        try {
            String refusedId;
            String conversationId;
            try (TestServer server = TestServer.start(data);
                 WsTestClient visitor = WsTestClient.connect(server.visitorUri())) {
                visitor.helloVisitor(null, null, 0);
                conversationId = visitor.say("d0", null, "안녕하세요").path("conversationId").asText();
                visitor.send("{\"type\":\"handoff\",\"conversationId\":\"" + conversationId + "\"}");

                Path filler = mountPoint.resolve("filler");
                fill(filler);
                String text = "디스크가 가득 찼을 때 보낸 메시지 ".repeat(100);
                refusedId = null;
                for (int i = 1; i <= 400 && refusedId == null; i++) {
                    String id = "d" + i;
                    visitor.send("{\"type\":\"send\",\"clientMsgId\":\"" + id + "\",\"ref\":\"" + id
                            + "\",\"conversationId\":\"" + conversationId + "\",\"text\":\"" + text + "\"}");
                    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                            visitor.frames("ack").stream().anyMatch(a -> id.equals(a.path("clientMsgId").asText()))
                                    || visitor.frames("error").stream().anyMatch(e -> id.equals(e.path("ref").asText())));
                    java.util.Optional<JsonNode> error = visitor.frames("error").stream()
                            .filter(e -> id.equals(e.path("ref").asText())).findFirst();
                    if (error.isPresent()) {
                        assertThat(error.get().path("code").asText()).isEqualTo("internal");
                        assertThat(visitor.frames("ack")).noneMatch(a -> id.equals(a.path("clientMsgId").asText()));
                        refusedId = id;
                    } else {
                        acked.put(id, visitor.ack(id).path("seq").asLong());
                    }
                }
                assertThat(refusedId).as("a message is refused once the disk is full").isNotNull();
                System.out.println("disk full: " + acked.size() + " messages acked after the disk filled, then "
                        + refusedId + " refused with 'internal'");

                // Space is back: the client's retry of the refused message is stored, once.
                java.nio.file.Files.delete(filler);
                String retry = "{\"type\":\"send\",\"clientMsgId\":\"" + refusedId + "\",\"ref\":\"" + refusedId
                        + "\",\"conversationId\":\"" + conversationId + "\",\"text\":\"" + text + "\"}";
                String refused = refusedId;
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
                    visitor.send(retry);
                    return visitor.frames("ack").stream().anyMatch(a -> refused.equals(a.path("clientMsgId").asText()));
                });
                visitor.say("after", conversationId, "공간이 돌아온 뒤의 메시지");
            }
            try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("sodam.db"));
                 Statement s = db.createStatement()) {
                try (ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
                    assertThat(r.next()).isTrue();
                    assertThat(r.getString(1)).isEqualTo("ok");
                }
                for (java.util.Map.Entry<String, Long> ack : acked.entrySet()) {
                    try (ResultSet r = s.executeQuery("SELECT seq FROM messages WHERE client_msg_id = '" + ack.getKey() + "'")) {
                        assertThat(r.next()).as(ack.getKey() + " was acked, so it is stored").isTrue();
                        assertThat(r.getLong(1)).isEqualTo(ack.getValue());
                    }
                }
                try (ResultSet r = s.executeQuery("SELECT count(*) FROM messages WHERE client_msg_id = '" + refusedId + "'")) {
                    assertThat(r.next()).isTrue();
                    assertThat(r.getInt(1)).as("the retried message is stored exactly once").isEqualTo(1);
                }
            }
        } finally {
            new ProcessBuilder("umount", mountPoint.toString()).inheritIO().start().waitFor();
        }
    }

    /** Writes zeros until the file system is full. */
    private static void fill(Path filler) throws java.io.IOException {
        byte[] block = new byte[64 * 1024];
        try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (java.io.IOException full) {
            if (!String.valueOf(full.getMessage()).contains("space")) {
                throw full;
            }
        }
    }
}
