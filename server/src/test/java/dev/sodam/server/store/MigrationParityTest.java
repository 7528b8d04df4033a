package dev.sodam.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.server.testing.PostgresTestSupport;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two sets of migrations (db/migration for SQLite, db/postgresql for PostgreSQL) are kept in step:
 * a fresh SQLite file and a fresh PostgreSQL database, each migrated by its store, end at the same
 * Flyway versions with the same tables, columns (types mapped), keys, indexes and foreign keys. A
 * migration added to one side only fails here.
 */
class MigrationParityTest {
    /** SQLite's declared type → the PostgreSQL type its twin must use. */
    private static final Map<String, String> TYPES = Map.of(
            "INTEGER", "bigint", "TEXT", "text", "REAL", "double precision", "BLOB", "bytea");

    @TempDir
    Path dir;

    @Test
    void sqliteAndPostgresqlMigrationsBuildTheSameSchema() throws Exception {
        SqliteStore.open(dir).close();
        String url = PostgresTestSupport.createDatabase();
        PostgresStore.open(PostgresTestSupport.settings(url, 2)).close();
        try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("sodam.db"));
             Connection pg = PostgresTestSupport.connect(url)) {
            Schema lite = sqlite(sqlite);
            Schema post = postgresql(pg);
            assertThat(post.versions).as("flyway versions").isEqualTo(lite.versions).isNotEmpty();
            assertThat(post.columns.keySet()).as("tables").isEqualTo(lite.columns.keySet());
            lite.columns.forEach((table, columns) ->
                    assertThat(post.columns.get(table)).as("columns of " + table).isEqualTo(columns));
            assertThat(post.keys).as("primary keys and unique constraints").isEqualTo(lite.keys);
            assertThat(post.indexes).as("created indexes (name, uniqueness)").isEqualTo(lite.indexes);
            assertThat(post.foreignKeys).as("foreign keys").isEqualTo(lite.foreignKeys);
        } finally {
            PostgresTestSupport.dropDatabase(url);
        }
    }

    /** A schema in comparable form: everything as sorted strings. */
    private record Schema(List<String> versions, Map<String, List<String>> columns, TreeSet<String> keys,
                          TreeSet<String> indexes, TreeSet<String> foreignKeys) {
        Schema() {
            this(new ArrayList<>(), new TreeMap<>(), new TreeSet<>(), new TreeSet<>(), new TreeSet<>());
        }
    }

    private static List<String[]> rows(Connection db, String sql) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        try (Statement statement = db.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                String[] row = new String[n];
                for (int i = 0; i < n; i++) {
                    row[i] = rs.getString(i + 1);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static Schema sqlite(Connection db) throws SQLException {
        Schema schema = new Schema();
        for (String[] v : rows(db, "SELECT version FROM flyway_schema_history WHERE success = 1 ORDER BY installed_rank")) {
            schema.versions.add(v[0]);
        }
        for (String[] t : rows(db, "SELECT name FROM sqlite_schema WHERE type = 'table' "
                + "AND name NOT LIKE 'sqlite_%' AND name <> 'flyway_schema_history' ORDER BY name")) {
            String table = t[0];
            List<String> columns = new ArrayList<>();
            List<String> pk = new ArrayList<>();
            for (String[] c : rows(db, "SELECT name, type, \"notnull\", pk FROM pragma_table_info('" + table + "') ORDER BY cid")) {
                String type = TYPES.getOrDefault(c[1].toUpperCase(Locale.ROOT), "unmapped " + c[1]);
                boolean primary = !"0".equals(c[3]);
                // SQLite lets a primary key column be NULL unless it says NOT NULL; PostgreSQL never does.
                columns.add(c[0] + " " + type + ("1".equals(c[2]) || primary ? " not null" : ""));
                if (primary) {
                    pk.add(c[3] + ":" + c[0]);
                }
            }
            schema.columns.put(table, columns);
            if (!pk.isEmpty()) {
                schema.keys.add(table + " primary " + pk.stream().sorted().map(p -> p.substring(p.indexOf(':') + 1)).toList());
            }
            for (String[] index : rows(db, "SELECT name, \"unique\", origin FROM pragma_index_list('" + table + "')")) {
                if ("u".equals(index[2])) {
                    List<String> cols = new ArrayList<>();
                    for (String[] c : rows(db, "SELECT name FROM pragma_index_info('" + index[0] + "') ORDER BY seqno")) {
                        cols.add(c[0]);
                    }
                    schema.keys.add(table + " unique " + cols);
                } else if ("c".equals(index[2])) {
                    schema.indexes.add(table + " " + index[0] + ("1".equals(index[1]) ? " unique" : ""));
                }
            }
            for (String[] fk : rows(db, "SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list('" + table + "')")) {
                schema.foreignKeys.add(table + "." + fk[0] + " -> " + fk[1] + "." + (fk[2] == null ? "id" : fk[2]));
            }
        }
        return schema;
    }

    private static Schema postgresql(Connection db) throws SQLException {
        Schema schema = new Schema();
        for (String[] v : rows(db, "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank")) {
            schema.versions.add(v[0]);
        }
        for (String[] t : rows(db, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                + "AND table_name <> 'flyway_schema_history' ORDER BY table_name")) {
            String table = t[0];
            List<String> columns = new ArrayList<>();
            for (String[] c : rows(db, "SELECT column_name, data_type, is_nullable FROM information_schema.columns "
                    + "WHERE table_schema = current_schema() AND table_name = '" + table + "' ORDER BY ordinal_position")) {
                columns.add(c[0] + " " + c[1] + ("NO".equals(c[2]) ? " not null" : ""));
            }
            schema.columns.put(table, columns);
            for (String[] k : rows(db, "SELECT k.contype, (SELECT string_agg(a.attname, ', ' ORDER BY x.n) "
                    + "FROM unnest(k.conkey) WITH ORDINALITY x(attnum, n) "
                    + "JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = x.attnum) "
                    + "FROM pg_constraint k WHERE k.conrelid = '" + table + "'::regclass AND k.contype IN ('p', 'u')")) {
                schema.keys.add(table + ("p".equals(k[0]) ? " primary [" : " unique [") + k[1] + "]");
            }
            for (String[] i : rows(db, "SELECT c.relname, x.indisunique FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid "
                    + "WHERE x.indrelid = '" + table + "'::regclass "
                    + "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)")) {
                schema.indexes.add(table + " " + i[0] + ("t".equals(i[1]) ? " unique" : ""));
            }
            for (String[] fk : rows(db, "SELECT a.attname, p.relname, pa.attname FROM pg_constraint k "
                    + "JOIN pg_class p ON p.oid = k.confrelid "
                    + "JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1] "
                    + "JOIN pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = k.confkey[1] "
                    + "WHERE k.contype = 'f' AND k.conrelid = '" + table + "'::regclass")) {
                schema.foreignKeys.add(table + "." + fk[0] + " -> " + fk[1] + "." + fk[2]);
            }
        }
        return schema;
    }
}
