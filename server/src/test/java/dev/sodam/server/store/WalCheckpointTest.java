package dev.sodam.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.server.model.Author;
import dev.sodam.server.model.Message;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite store copies its WAL into the database file after a batch ({@link SqliteStore#afterBatch}),
 * not inside the commit that crosses {@link SqliteStore#WAL_CHECKPOINT_PAGES}: that copy and its fsync
 * held back the acks and deliveries of the batch that happened to cross the line (the p99 of
 * docs/benchmarks.md's scenarios b and d). {@link WalIndex} is what tells the store how far the WAL is;
 * it is checked here against SQLite's own count.
 */
class WalCheckpointTest {
    private static final Instant T = Instant.parse("2026-11-24T07:00:00Z");
    /** About one page of text per message, so that each message adds at least one WAL frame. */
    private static final String PAGE_OF_TEXT = "가".repeat(1_400);

    @TempDir
    Path dir;

    private SqliteStore store;
    private WalIndex wal;
    private long seq;

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir);
        Function<StoreTx, Object> conversation = tx -> {
            StoreFixtures.oneConversationWithTheBot(tx, T);
            return null;
        };
        assertThat(store.writeBatch(List.of(conversation))).allMatch(Store.Outcome::ok);
        wal = WalIndex.of(dir.resolve("sodam.db"));
        assertThat(wal).as("the wal-index of a store in WAL mode").isNotNull();
    }

    @AfterEach
    void close() {
        if (wal != null) {
            wal.close();
        }
        store.close();
    }

    private void postMessages(int count) {
        List<Function<StoreTx, Object>> units = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long next = ++seq;
            units.add(tx -> {
                tx.insertMessage(new Message("m_" + next, "cv_1", next, "c-" + next,
                        new Author(Author.Kind.VISITOR, "vi_1", "방문자"), PAGE_OF_TEXT + next, T, List.of(), List.of(), null));
                return null;
            });
        }
        assertThat(store.writeBatch(units)).allMatch(Store.Outcome::ok);
    }

    private List<Message> stored() {
        return store.read(tx -> tx.messagesAfter("cv_1", 0, 10_000));
    }

    private void checkpointEverything() throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("sodam.db"));
             Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
    }

    @Test
    void aCommitThatCrossesTheCheckpointLineLeavesTheCopyToAfterBatch() {
        for (int batch = 0; batch < 100 && wal.uncheckpointedFrames() < SqliteStore.WAL_CHECKPOINT_PAGES; batch++) {
            postMessages(10);
            assertThat(wal.uncheckpointedFrames()).as("SQLite's own checkpoint stays out of the way")
                    .isLessThan(SqliteStore.WAL_AUTOCHECKPOINT_PAGES);
        }
        long waiting = wal.uncheckpointedFrames();

        store.afterBatch(1);

        assertThat(waiting).isGreaterThanOrEqualTo(SqliteStore.WAL_CHECKPOINT_PAGES);
        assertThat(wal.uncheckpointedFrames()).as("copied after the batch").isZero();
        assertThat(stored()).hasSize((int) seq);
        postMessages(1);
        assertThat(stored()).as("the writer goes on after a checkpoint")
                .hasSize((int) seq);
    }

    @Test
    void afterBatchBelowTheLineCopiesNothing() throws SQLException {
        checkpointEverything();
        postMessages(5);
        long waiting = wal.uncheckpointedFrames();

        store.afterBatch(1);

        assertThat(waiting).isPositive().isLessThan(SqliteStore.WAL_CHECKPOINT_PAGES);
        assertThat(wal.uncheckpointedFrames()).isEqualTo(waiting);
    }

    @Test
    void aSaturatedWriterCopiesLessOften() {
        for (int batch = 0; batch < 100 && wal.uncheckpointedFrames() < SqliteStore.WAL_CHECKPOINT_PAGES; batch++) {
            postMessages(10);
        }
        store.afterBatch(SqliteStore.SATURATED_BATCH);
        assertThat(wal.uncheckpointedFrames()).as("after a large batch: not yet")
                .isGreaterThanOrEqualTo(SqliteStore.WAL_CHECKPOINT_PAGES);
        for (int batch = 0; batch < 100 && wal.uncheckpointedFrames() < SqliteStore.WAL_CHECKPOINT_PAGES_SATURATED; batch++) {
            postMessages(10);
        }

        store.afterBatch(SqliteStore.SATURATED_BATCH);

        assertThat(wal.uncheckpointedFrames()).isZero();
    }

    @Test
    void framesAReaderStillNeedsAreCopiedOnceItIsDone() throws SQLException {
        checkpointEverything();
        postMessages(5);
        try (Connection reader = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("sodam.db"))) {
            reader.setAutoCommit(false);
            try (Statement statement = reader.createStatement();
                 ResultSet result = statement.executeQuery("SELECT count(*) FROM messages")) {
                assertThat(result.next()).isTrue(); // the reader's snapshot: the WAL up to here
            }
            for (int batch = 0; batch < 100 && wal.uncheckpointedFrames() < SqliteStore.WAL_CHECKPOINT_PAGES; batch++) {
                postMessages(10);
            }
            store.afterBatch(1);
            assertThat(wal.uncheckpointedFrames()).as("kept for the reader").isPositive();
            reader.rollback();
        }
        long left = wal.uncheckpointedFrames();
        for (int batch = 0; batch < 100 && wal.uncheckpointedFrames() < left + SqliteStore.WAL_CHECKPOINT_PAGES; batch++) {
            postMessages(10);
        }

        store.afterBatch(1);

        assertThat(wal.uncheckpointedFrames()).isZero();
        assertThat(stored()).hasSize((int) seq);
    }

    @Test
    void theWalIndexCountsTheFramesSqliteCheckpoints() throws SQLException {
        checkpointEverything();
        assertThat(wal.uncheckpointedFrames()).isZero();
        postMessages(7);
        long counted = wal.uncheckpointedFrames();

        long[] logAndCopied;
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("sodam.db"));
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            assertThat(result.next()).isTrue();
            logAndCopied = new long[] {result.getLong(2), result.getLong(3)};
        }

        assertThat(counted).as("frames in the WAL, as SQLite reports them").isEqualTo(logAndCopied[0]).isPositive();
        assertThat(logAndCopied[1]).isEqualTo(logAndCopied[0]);
        assertThat(wal.uncheckpointedFrames()).isZero();
    }

    @Test
    void anythingButAWalIndexReadsAsNone() throws IOException {
        Path notInWalMode = dir.resolve("other.db");
        assertThat(WalIndex.of(notInWalMode)).as("no -shm file").isNull();
        Files.write(dir.resolve("other.db-shm"), new byte[200]);
        assertThat(WalIndex.of(notInWalMode)).as("zeros").isNull();
        Files.write(dir.resolve("other.db-shm"), new byte[20]);
        assertThat(WalIndex.of(notInWalMode)).as("too short").isNull();
    }
}
