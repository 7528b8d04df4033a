package dev.sodam.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.server.testing.TestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first start seeds an empty database; a restart (which no longer reads the seed files or hashes
 * the bootstrap password) creates nothing again and keeps the first start's admin and password hash.
 */
class BootstrapTest {
    @TempDir
    Path dir;

    @Test
    void aRestartSeedsNothingTwiceAndKeepsTheFirstAdmin() throws Exception {
        try (TestServer first = TestServer.start(dir)) {
            assertThat(first.port()).isPositive();
        }
        Map<String, Object> seeded = counts();
        assertThat((long) seeded.get("faq")).isPositive();
        assertThat(seeded.get("agents")).isEqualTo(1L);
        assertThat((long) seeded.get("teams")).isPositive();

        // Another bootstrap admin on the restart: the table is not empty, so nobody is created or changed.
        try (TestServer again = TestServer.start(dir, Map.of("SODAM_BOOTSTRAP_ADMIN", "other@sodam.test:another-password-2"))) {
            assertThat(again.port()).isPositive();
        }
        assertThat(counts()).isEqualTo(seeded);
    }

    private Map<String, Object> counts() throws Exception {
        try (Connection db = TestServer.db(dir); Statement sql = db.createStatement()) {
            return Map.of("faq", count(sql, "SELECT COUNT(*) FROM faq_entries"),
                    "agents", count(sql, "SELECT COUNT(*) FROM agents"),
                    "teams", count(sql, "SELECT COUNT(*) FROM teams"),
                    "sites", count(sql, "SELECT COUNT(*) FROM sites"),
                    "admin", text(sql, "SELECT email || ' ' || password_hash FROM agents"));
        }
    }

    private static long count(Statement sql, String query) throws Exception {
        try (ResultSet rows = sql.executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static String text(Statement sql, String query) throws Exception {
        try (ResultSet rows = sql.executeQuery(query)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
