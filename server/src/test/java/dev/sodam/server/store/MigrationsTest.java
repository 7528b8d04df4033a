package dev.sodam.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.server.testing.PostgresTestSupport;
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
    void aBotTurnOfVersion57MovesOntoTheMessageItIsAbout() throws Exception {
        SQLiteDataSource source = source();
        Flyway.configure().dataSource(source).locations("classpath:db/migration").target("57").load().migrate();
        try (Connection connection = source.getConnection()) {
            insertVersion57BotTurn(connection);
        }
        assertThat(Migrations.migrate(source, "classpath:db/migration")).isTrue();
        try (Connection connection = source.getConnection()) {
            assertTheTurnIsOnItsMessage(connection);
        }
    }

    @Test
    void aBotTurnOfVersion57MovesOntoTheMessageItIsAboutOnPostgresql() throws Exception {
        String url = PostgresTestSupport.createDatabase();
        try {
            Flyway.configure().dataSource(url, PostgresTestSupport.user(), "").locations("classpath:db/postgresql")
                    .target("57").load().migrate();
            try (Connection connection = PostgresTestSupport.connect(url)) {
                insertVersion57BotTurn(connection);
            }
            PostgresStore.open(PostgresTestSupport.settings(url, 2)).close(); // migrates to the newest
            try (Connection connection = PostgresTestSupport.connect(url)) {
                assertTheTurnIsOnItsMessage(connection);
            }
        } finally {
            PostgresTestSupport.dropDatabase(url);
        }
    }

    /** A conversation at version 57: the visitor's question, the bot's answer, and the bot's turn in its own table. */
    private static void insertVersion57BotTurn(Connection connection) throws Exception {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO sites(id, name, allowed_origins) VALUES ('demo', 'demo', '[]')");
            statement.executeUpdate("INSERT INTO visitors(id, site_id, token_hash, name, locale, created_at) "
                    + "VALUES ('vi_1', 'demo', 'h', '방문자', 'ko', 1)");
            statement.executeUpdate("INSERT INTO conversations(id, site_id, visitor_id, locale, state, last_seq, created_at, "
                    + "updated_at) VALUES ('cv_1', 'demo', 'vi_1', 'ko', 'BOT', 2, 1, 1)");
            statement.executeUpdate("INSERT INTO messages(id, conversation_id, seq, client_msg_id, from_kind, from_id, "
                    + "from_name, body, created_at) VALUES ('m_1', 'cv_1', 1, 'c-1', 'visitor', 'vi_1', '방문자', '배송 언제 와요', 5), "
                    + "('m_2', 'cv_1', 2, NULL, 'bot', 'bot', '소담', '1~3일 걸려요', 6)");
            statement.executeUpdate("INSERT INTO bot_turns(conversation_id, seq, question, decision, reason, intent, confidence, "
                    + "faq_id, candidates, created_at) VALUES ('cv_1', 1, '배송 언제 와요', 'answer', NULL, 'delivery', 0.8, "
                    + "'delivery-time', '[{\"faqId\":\"delivery-time\",\"question\":\"배송\",\"score\":0.8}]', 5)");
        }
    }

    private static void assertTheTurnIsOnItsMessage(Connection connection) throws Exception {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id, bot_decision, bot_intent, bot_confidence, bot_faq_id, "
                     + "bot_candidates FROM messages ORDER BY seq")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("m_1");
            assertThat(rows.getString(2)).isEqualTo("answer");
            assertThat(rows.getString(3)).isEqualTo("delivery");
            assertThat(rows.getDouble(4)).isEqualTo(0.8);
            assertThat(rows.getString(5)).isEqualTo("delivery-time");
            assertThat(rows.getString(6)).contains("\"faqId\":\"delivery-time\"");
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("m_2");
            assertThat(rows.getString(2)).as("the bot's own message has no turn").isNull();
            assertThat(rows.next()).isFalse();
        }
        try (ResultSet tables = connection.getMetaData().getTables(null, null, "bot_turns", null)) {
            assertThat(tables.next()).as("the old table is gone").isFalse();
        }
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
