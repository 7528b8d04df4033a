package dev.sodam.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** Flyway runs only for a schema that is not current; a current one is left alone. */
class MigrationsTest {
    private static final Pattern VERSION = Pattern.compile("V(\\d+)__.*\\.(sql|class)");

    @TempDir
    Path dir;

    @Test
    void newestIsTheHighestMigrationOfBothStores() throws Exception {
        assertThat(highest("/db/migration")).as("db/migration (SQL and Java)").isEqualTo(Migrations.NEWEST);
        assertThat(highest("/db/postgresql")).as("db/postgresql").isEqualTo(Migrations.NEWEST);
    }

    @Test
    void aNewDatabaseIsMigratedAndACurrentOneIsLeftAlone() throws Exception {
        SQLiteDataSource source = source();
        assertThat(Migrations.migrate(source, "classpath:db/migration")).as("new database").isTrue();
        assertThat(newestApplied(source)).isEqualTo(Migrations.NEWEST);
        assertThat(Migrations.migrate(source, "classpath:db/migration")).as("current database").isFalse();
    }

    @Test
    void aDatabaseBehindThisBuildIsMigratedToTheNewest() throws Exception {
        SQLiteDataSource source = source();
        Flyway.configure().dataSource(source).locations("classpath:db/migration")
                .target(String.valueOf(versions("/db/migration").filter(v -> v < Migrations.NEWEST).max().orElseThrow()))
                .load().migrate();
        assertThat(Migrations.current(source)).isFalse();
        assertThat(Migrations.migrate(source, "classpath:db/migration")).isTrue();
        assertThat(newestApplied(source)).isEqualTo(Migrations.NEWEST);
        SqliteStore.open(dir).close(); // and the store opens it as usual
    }

    @Test
    void aFailedMigrationInTheHistoryIsNotCurrent() throws Exception {
        SQLiteDataSource source = source();
        Migrations.migrate(source, "classpath:db/migration");
        try (Connection connection = source.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE flyway_schema_history SET success = 0 WHERE version = '3'");
        }
        assertThat(Migrations.current(source)).isFalse();
    }

    private SQLiteDataSource source() {
        SQLiteDataSource source = new SQLiteDataSource();
        source.setUrl("jdbc:sqlite:" + dir.resolve("sodam.db"));
        return source;
    }

    private static int newestApplied(SQLiteDataSource source) throws Exception {
        try (Connection connection = source.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT MAX(CAST(version AS INTEGER)) FROM flyway_schema_history WHERE success = 1")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static int highest(String location) throws IOException, URISyntaxException {
        return versions(location).max().orElseThrow();
    }

    /** The versions of the migrations under a classpath directory (versions need not be contiguous). */
    private static IntStream versions(String location) throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(Path.of(MigrationsTest.class.getResource(location).toURI()))) {
            int[] versions = files.map(file -> VERSION.matcher(file.getFileName().toString()))
                    .filter(Matcher::matches).mapToInt(m -> Integer.parseInt(m.group(1))).toArray();
            return IntStream.of(versions);
        }
    }
}
