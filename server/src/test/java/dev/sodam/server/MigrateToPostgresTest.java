package dev.sodam.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.config.ConfigLoader;
import dev.sodam.server.testing.PostgresTestSupport;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WsTestClient;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code migrate-to-postgres}: an installation a real server wrote on SQLite is copied into PostgreSQL,
 * and a server on the copy lets the visitor resume by seq, takes new messages after the copied ones,
 * and keeps numbering audit rows after the copied ids. A second copy into the same database is refused.
 */
class MigrateToPostgresTest {
    @TempDir
    Path dir;

    @Test
    void aCopiedInstallationResumesBySeqOnPostgresql() throws Exception {
        Path sqliteDir = dir.resolve("sqlite");
        Map<String, String> sqlite = new HashMap<>(Map.of("SODAM_RATE_PER_SECOND", "1000", "SODAM_RATE_BURST", "1000"));
        // This test makes its SQLite installation itself, whatever store the other tests run over.
        sqlite.put("SODAM_STORE_TYPE", "sqlite");
        sqlite.put("SODAM_STORE_POSTGRES_URL", "");
        String token;
        String conversationId;
        long seqOfM3;
        try (TestServer server = TestServer.start(sqliteDir, sqlite);
             WsTestClient visitor = WsTestClient.connect(server.visitorUri())) {
            token = visitor.helloVisitor(null, null, 0).path("visitorToken").asText();
            conversationId = visitor.say("m0", null, "배송 문의드려요").path("conversationId").asText();
            long seq3 = 0;
            for (int i = 1; i < 10; i++) {
                long seq = visitor.say("m" + i, conversationId, "메시지 " + i).path("seq").asLong();
                seq3 = i == 3 ? seq : seq3;
            }
            seqOfM3 = seq3;
            server.createApiKey(server.loginAdmin(), "demo", "[\"read\"]", null);
        }

        String url = PostgresTestSupport.createDatabase();
        try {
            Map<String, String> env = new HashMap<>(TestServer.environment(sqliteDir));
            env.put("SODAM_STORE_POSTGRES_USER", PostgresTestSupport.user());
            env.remove("SODAM_STORE_TYPE");
            env.remove("SODAM_STORE_POSTGRES_URL");
            var config = ConfigLoader.load(null, env);
            List<String> command = List.of("migrate-to-postgres", "--data-dir", sqliteDir.toString(), "--url", url);
            assertThat(SodamMain.runCommand(command, config)).isZero();
            assertThat(SodamMain.runCommand(command, config)).as("a non-empty target is refused").isEqualTo(1);

            Map<String, String> postgres = Map.of("SODAM_STORE_TYPE", "postgresql", "SODAM_STORE_POSTGRES_URL", url,
                    "SODAM_STORE_POSTGRES_USER", PostgresTestSupport.user());
            try (TestServer server = TestServer.start(dir.resolve("pg"), postgres);
                 WsTestClient visitor = WsTestClient.connect(server.visitorUri())) {
                visitor.helloVisitor(token, conversationId, seqOfM3);
                await().until(() -> visitor.messages(conversationId).stream()
                        .anyMatch(m -> "m9".equals(m.path("clientMsgId").asText())));
                List<JsonNode> replay = visitor.messages(conversationId);
                for (int k = 0; k < replay.size(); k++) {
                    assertThat(replay.get(k).path("seq").asLong()).as("gapless after the resume point")
                            .isEqualTo(seqOfM3 + 1 + k);
                }
                for (int i = 4; i < 10; i++) {
                    String id = "m" + i;
                    assertThat(replay.stream().filter(m -> id.equals(m.path("clientMsgId").asText())).count())
                            .as(id + " exactly once").isEqualTo(1);
                }
                long last = replay.get(replay.size() - 1).path("seq").asLong();
                JsonNode ack = visitor.say("m10", conversationId, "이어서 물어볼게요");
                assertThat(ack.path("seq").asLong()).as("numbering goes on after the copy").isEqualTo(last + 1);
                assertThat(visitor.say("m3", conversationId, "다시 보냄").path("seq").asLong())
                        .as("a copied clientMsgId is answered with its original seq").isEqualTo(seqOfM3);
                // Audit rows are numbered by an identity: it continues after the copied ids.
                server.createApiKey(server.loginAdmin(), "demo", "[\"read\"]", null);
            }
        } finally {
            PostgresTestSupport.dropDatabase(url);
        }
    }
}
