package dev.sodam.server.store;

import dev.sodam.server.config.StoreSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Copies an existing SQLite installation into an empty PostgreSQL database
 * ({@code java -jar sodam.jar migrate-to-postgres}). Both sides are first migrated to the same schema
 * version; then every table is copied in foreign-key order inside one PostgreSQL transaction, identity
 * sequences are moved past the copied ids, and the row counts are compared before the commit. The data
 * directory is held with its lock meanwhile, so no server writes to the file during the copy; a target
 * that already holds data is refused, so a copy never mixes two installations.
 */
public final class SqliteToPostgres {
    private static final int BATCH = 500;
    /** The rows V11 seeds into every new database: the source brings its own (maybe edited) copy. */
    private static final String SEEDED_TABLE = "canned_responses";

    private SqliteToPostgres() {
    }

    /** What was copied: table → rows, in the order they were copied. */
    public record Result(Map<String, Long> rows) {
        public long total() {
            return rows.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Copies {@code dataDir}'s {@code sodam.db} into the (empty) PostgreSQL database of {@code target}. */
    public static Result copy(Path dataDir, StoreSettings target) {
        if (!Files.isRegularFile(dataDir.resolve("sodam.db"))) {
            throw new StoreException("no Sodam database in " + dataDir.toAbsolutePath() + " (expected sodam.db)", null);
        }
        DataDirLock lock = DataDirLock.acquire(dataDir);
        try {
            // Both schemas at the newest version first, so the tables and columns match one to one.
            SqliteStore.open(dataDir).close();
            PostgresStore.open(target).close();
            Properties credentials = new Properties();
            if (!target.user().isEmpty()) {
                credentials.setProperty("user", target.user());
            }
            if (!target.password().isEmpty()) {
                credentials.setProperty("password", target.password());
            }
            try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("sodam.db").toAbsolutePath());
                 Connection pg = DriverManager.getConnection(target.url(), credentials)) {
                pg.setAutoCommit(false);
                try {
                    Result result = copy(sqlite, pg);
                    pg.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    pg.rollback();
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw new StoreException("copy to PostgreSQL failed, nothing was written: " + e.getMessage(), e);
        } finally {
            lock.close();
        }
    }

    private static Result copy(Connection sqlite, Connection pg) throws SQLException {
        List<String> tables = tablesInForeignKeyOrder(sqlite);
        refuseNonEmpty(pg, tables);
        try (Statement clear = pg.createStatement()) {
            clear.executeUpdate("DELETE FROM " + SEEDED_TABLE);
        }
        Map<String, Long> copied = new LinkedHashMap<>();
        for (String table : tables) {
            copied.put(table, copyTable(sqlite, pg, table));
        }
        resetIdentities(pg);
        for (String table : tables) {
            long there = count(pg, table);
            if (there != copied.get(table)) {
                throw new StoreException("table " + table + ": copied " + copied.get(table) + " rows but PostgreSQL holds "
                        + there, null);
            }
        }
        return new Result(copied);
    }

    private static List<String> strings(Connection db, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = db.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    /** Every Sodam table, parents before the tables that refer to them. */
    private static List<String> tablesInForeignKeyOrder(Connection sqlite) throws SQLException {
        List<String> all = strings(sqlite, "SELECT name FROM sqlite_schema WHERE type = 'table' "
                + "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> 'flyway_schema_history' ORDER BY name");
        Map<String, List<String>> parents = new LinkedHashMap<>();
        for (String table : all) {
            parents.put(table, strings(sqlite, "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list('" + table + "')"));
        }
        Set<String> ordered = new LinkedHashSet<>();
        while (ordered.size() < all.size()) {
            int before = ordered.size();
            for (String table : all) {
                if (!ordered.contains(table) && parents.get(table).stream()
                        .allMatch(p -> p.equals(table) || ordered.contains(p) || !all.contains(p))) {
                    ordered.add(table);
                }
            }
            if (ordered.size() == before) {
                throw new StoreException("foreign keys form a cycle among " + all, null);
            }
        }
        return List.copyOf(ordered);
    }

    private static void refuseNonEmpty(Connection pg, List<String> tables) throws SQLException {
        for (String table : tables) {
            String extra = table.equals(SEEDED_TABLE) ? " WHERE id NOT LIKE 'cr\\_seed\\_%'" : "";
            try (Statement statement = pg.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + table + extra)) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    throw new StoreException("the PostgreSQL database is not empty (table " + table + " has "
                            + rs.getLong(1) + " rows); copy into a new, empty database", null);
                }
            }
        }
    }

    /** PostgreSQL's type of each column of {@code table}, in the order of the table's definition. */
    private static Map<String, String> columns(Connection pg, String table) throws SQLException {
        Map<String, String> columns = new LinkedHashMap<>();
        try (PreparedStatement q = pg.prepareStatement("SELECT column_name, data_type FROM information_schema.columns "
                + "WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position")) {
            q.setString(1, table);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    columns.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return columns;
    }

    private static long copyTable(Connection sqlite, Connection pg, String table) throws SQLException {
        Map<String, String> columns = columns(pg, table);
        List<String> names = List.copyOf(columns.keySet());
        List<String> types = List.copyOf(columns.values());
        String list = String.join(", ", names);
        String marks = String.join(", ", names.stream().map(n -> "?").toList());
        long rows = 0;
        try (Statement read = sqlite.createStatement();
             ResultSet rs = read.executeQuery("SELECT " + list + " FROM " + table);
             PreparedStatement insert = pg.prepareStatement("INSERT INTO " + table + "(" + list + ") VALUES (" + marks + ")")) {
            while (rs.next()) {
                for (int i = 0; i < names.size(); i++) {
                    bind(insert, i + 1, types.get(i), rs);
                }
                insert.addBatch();
                if (++rows % BATCH == 0) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
        }
        return rows;
    }

    private static void bind(PreparedStatement insert, int index, String type, ResultSet rs) throws SQLException {
        switch (type) {
            case "bigint", "integer", "smallint" -> {
                long value = rs.getLong(index);
                if (rs.wasNull()) {
                    insert.setNull(index, Types.BIGINT);
                } else {
                    insert.setLong(index, value);
                }
            }
            case "double precision", "real" -> {
                double value = rs.getDouble(index);
                if (rs.wasNull()) {
                    insert.setNull(index, Types.DOUBLE);
                } else {
                    insert.setDouble(index, value);
                }
            }
            case "bytea" -> insert.setBytes(index, rs.getBytes(index));
            default -> insert.setString(index, rs.getString(index));
        }
    }

    /** Identity columns continue after the largest copied id (they were copied with their values). */
    private static void resetIdentities(Connection pg) throws SQLException {
        List<String[]> identities = new ArrayList<>();
        try (Statement statement = pg.createStatement();
             ResultSet rs = statement.executeQuery("SELECT table_name, column_name FROM information_schema.columns "
                     + "WHERE table_schema = current_schema() AND is_identity = 'YES'")) {
            while (rs.next()) {
                identities.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        for (String[] identity : identities) {
            try (Statement statement = pg.createStatement()) {
                statement.execute("SELECT setval(pg_get_serial_sequence('" + identity[0] + "', '" + identity[1] + "'), "
                        + "coalesce(max(" + identity[1] + "), 0) + 1, false) FROM " + identity[0]);
            }
        }
    }

    private static long count(Connection pg, String table) throws SQLException {
        try (Statement statement = pg.createStatement(); ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
