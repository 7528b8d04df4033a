package dev.sodam.server.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Runs Flyway only when the schema is behind this build. Flyway's own start (scanning the jar for
 * migrations, validating every applied one) was two fifths of a restart's CPU on the main thread
 * (docs/benchmarks.md, scenario e) even when it had nothing to do. A database whose history ends,
 * with no failed row, at {@link #NEWEST} is current and is left alone; anything else (new, behind,
 * a failed migration, a newer build's schema) goes through Flyway exactly as before.
 */
final class Migrations {
    /**
     * The newest migration version this build carries, in db/migration and db/postgresql alike.
     * {@code MigrationsTest} fails when a migration is added without raising it.
     */
    static final int NEWEST = 58;

    private Migrations() {
    }

    /** Migrates {@code source} from {@code location} unless it is already current; true when Flyway ran. */
    static boolean migrate(DataSource source, String location) {
        if (current(source)) {
            return false;
        }
        Flyway.configure().dataSource(source).locations(location).load().migrate();
        return true;
    }

    /** True when the history's newest successful version is {@link #NEWEST} and no row failed. */
    static boolean current(DataSource source) {
        try (Connection connection = source.getConnection();
             Statement statement = connection.createStatement()) {
            if (!hasHistory(connection)) {
                return false;
            }
            try (ResultSet rows = statement.executeQuery(
                    "SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL")) {
                int newest = -1;
                while (rows.next()) {
                    if (!rows.getBoolean(2)) {
                        return false;
                    }
                    newest = Math.max(newest, version(rows.getString(1)));
                }
                return newest == NEWEST;
            }
        } catch (SQLException e) {
            return false; // Flyway will say what is wrong, in its own words
        }
    }

    private static boolean hasHistory(Connection connection) throws SQLException {
        try (ResultSet tables = connection.getMetaData().getTables(null, null, "flyway_schema_history", null)) {
            return tables.next();
        }
    }

    /** "55" → 55; a version Flyway allows but this project never uses ("1.2") counts as unknown. */
    private static int version(String version) {
        try {
            return Integer.parseInt(version);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }
}
