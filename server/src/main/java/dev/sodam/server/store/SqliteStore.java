package dev.sodam.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The embedded default store: one SQLite file in WAL mode with {@code synchronous=FULL}, so a
 * committed transaction is on disk before {@link #writeBatch} returns and survives {@code kill -9}
 * (and power loss). One writer connection (SQLite allows one writer anyway) used only by the
 * caller of {@link #writeBatch}, which must be a single thread; a small pool of read-only
 * connections for {@link #read}, which WAL lets run beside the writer.
 */
public final class SqliteStore implements Store {
    private static final Logger log = LoggerFactory.getLogger(SqliteStore.class);
    /** The writer's page cache, at most (SQLite's {@code cache_size}). */
    static final int WRITER_CACHE_KIB = 64 * 1024;
    /** Each reader's page cache, at most: they serve history pages and replays. */
    static final int READER_CACHE_KIB = 8 * 1024;
    /**
     * WAL pages after which the WAL is copied into the database file (a checkpoint). SQLite's own
     * (automatic) checkpoint runs inside the commit that crosses the line, so the messages of that
     * batch waited for the copy and its fsync before their acks and deliveries: at 1,000 bot
     * questions/s that stall was the p99 (29–32 ms at 10,000 pages, 11 ms at 1,000 on a slower disk;
     * on another 5.6–6.1 ms at 1,000, 3.2–3.3 at 500 and 1.9–2.2 at 250, with the same CPU per
     * question: docs/benchmarks.md). So the writer checkpoints itself, in {@link #afterBatch}, once a
     * batch's results are on their way. A checkpoint copies each page once however often it changed
     * since the last, so smaller ones copy less each and not much more in all. A checkpoint on a
     * thread of its own was worse on one core (the same document).
     */
    static final int WAL_CHECKPOINT_PAGES = 250;
    /**
     * The same after a batch of at least {@link #SATURATED_BATCH} units: a writer that is never idle
     * copies its hot pages less often. At 250 pages after every batch, scenario c's CPU per message was
     * 1.05–1.10× what SQLite's own checkpoint cost; waiting for 750 whenever the next batch was queued
     * gave 0.92–0.96× there but took (d)'s gain away, where one command is often queued behind a batch.
     */
    static final int WAL_CHECKPOINT_PAGES_SATURATED = 3 * WAL_CHECKPOINT_PAGES;
    /** Units in a batch from which the writer counts as saturated (scenario c: ~60 commands; (d) and (b) at 1,000 a second: 1–3). */
    static final int SATURATED_BATCH = 16;
    /**
     * SQLite's automatic checkpoint, kept as a backstop for writers that never call {@link #afterBatch}
     * (tools, tests) and for a batch larger than this alone; {@link #WAL_CHECKPOINT_PAGES} when the
     * wal-index cannot be read and {@link #afterBatch} therefore does nothing.
     */
    static final int WAL_AUTOCHECKPOINT_PAGES = 8 * WAL_CHECKPOINT_PAGES;
    /** Conversation rows the writer keeps between batches ({@link RecentConversations}): more than a busy node's open chats. */
    static final int RECENT_CONVERSATIONS = 16_384;

    private final Connection writer;
    private final JdbcTx writerTx;
    /** The writer's copy of the queue ({@link QueuedRows}), driven by {@link #writerTx}'s kept rows. */
    private final QueuedRows queuedRows = new QueuedRows();
    /**
     * Each unit of a batch runs inside this savepoint. Prepared once: the driver's {@code setSavepoint}
     * formats and parses a new statement per call, a twentieth of the domain thread per message.
     */
    private final PreparedStatement savepoint;
    private final PreparedStatement release;
    private final PreparedStatement rollbackToSavepoint;
    /** The WAL's uncheckpointed frames, read after each batch; null: SQLite checkpoints by itself. */
    private final WalIndex walIndex;
    /**
     * Frames the last checkpoint could not copy because a reader still needed them: the next one waits
     * for as many new frames as usual instead of retrying after every batch while that reader lasts.
     */
    private long leftByLastCheckpoint;
    private final HikariDataSource readers;
    /** Held by a server's store (see {@link #openExclusive}); null for tools and tests. */
    private volatile DataDirLock lock;

    private SqliteStore(Connection writer, WalIndex walIndex, HikariDataSource readers) throws SQLException {
        this.writer = writer;
        this.walIndex = walIndex;
        this.writerTx = new JdbcTx(writer, SqlDialect.SQLITE, true,
                new RecentConversations(RECENT_CONVERSATIONS, queuedRows));
        this.readers = readers;
        this.savepoint = writer.prepareStatement("SAVEPOINT unit");
        this.release = writer.prepareStatement("RELEASE unit");
        this.rollbackToSavepoint = writer.prepareStatement("ROLLBACK TO unit");
    }

    /** The writer's copy of the queue, for this package's tests (read it on the writer's thread only). */
    QueuedRows queuedRows() {
        return queuedRows;
    }

    /**
     * Like {@link #open}, holding the data directory's {@link DataDirLock} until {@link #close}: what
     * a server uses, so a second server or a restore on the same directory is refused.
     */
    public static SqliteStore openExclusive(Path dataDir) {
        DataDirLock lock = DataDirLock.acquire(dataDir);
        try {
            SqliteStore store = open(dataDir);
            store.lock = lock;
            return store;
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** Opens (creating if needed) {@code sodam.db} in {@code dataDir} and applies migrations. */
    public static SqliteStore open(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new StoreException("cannot create data directory " + dataDir.toAbsolutePath(), e);
        }
        SqliteNativeLibrary.useFrom(dataDir);
        Path file = dataDir.resolve("sodam.db").toAbsolutePath();
        String url = "jdbc:sqlite:" + file;

        SQLiteDataSource writerSource = dataSource(url, false);
        Migrations.migrate(writerSource, "classpath:db/migration");

        try {
            Connection writer = writerSource.getConnection();
            WalIndex walIndex = WalIndex.of(file);
            try (Statement pragma = writer.createStatement()) {
                pragma.execute("PRAGMA wal_autocheckpoint = "
                        + (walIndex != null ? WAL_AUTOCHECKPOINT_PAGES : WAL_CHECKPOINT_PAGES));
            }
            if (walIndex == null) {
                log.warn("store: cannot read the WAL index of {}; checkpoints run inside commits", file);
            }
            writer.setAutoCommit(false);
            HikariConfig pool = new HikariConfig();
            pool.setDataSource(dataSource(url, true));
            pool.setPoolName("sodam-sqlite-readers");
            pool.setMaximumPoolSize(4);
            pool.setMinimumIdle(1);
            pool.setReadOnly(true);
            pool.setAutoCommit(true);
            log.info("store: SQLite {} (WAL, synchronous=FULL)", file);
            return new SqliteStore(writer, walIndex, new HikariDataSource(pool));
        } catch (SQLException e) {
            throw new StoreException("cannot open " + file, e);
        }
    }

    private static SQLiteDataSource dataSource(String url, boolean readOnly) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // FULL: the WAL is fsynced at every commit, so an ack is never ahead of the disk.
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(10_000);
        config.enforceForeignKeys(true);
        // Every id is ours (ULIDs); asking SQLite for generated keys after each insert is wasted work.
        config.setGetGeneratedKeys(false);
        config.setReadOnly(readOnly);
        // SQLite's default page cache is 2 MB per connection, less than the index pages a busy writer
        // inserts into (each conversation's end of the (conversation, seq) and (conversation, clientMsgId)
        // indexes): the writer re-read them from the OS, 13 % of the domain thread in scenario c's
        // profile, 4 % with 64 MB (docs/benchmarks.md). Negative: KiB. Filled only as the file grows.
        config.setCacheSize(readOnly ? -READER_CACHE_KIB : -WRITER_CACHE_KIB);
        SQLiteDataSource source = new SQLiteDataSource(config);
        source.setUrl(url);
        return source;
    }

    @Override
    public <T> List<Outcome<T>> writeBatch(List<Function<StoreTx, T>> units) {
        List<Outcome<T>> outcomes = new ArrayList<>(units.size());
        try {
            for (Function<StoreTx, T> unit : units) {
                savepoint.executeUpdate();
                long changedBefore = writerTx.rowsChanged();
                try {
                    T value = unit.apply(writerTx);
                    release.executeUpdate();
                    outcomes.add(Outcome.of(value, writerTx.rowsChanged() != changedBefore));
                } catch (RuntimeException e) {
                    rollbackToSavepoint.executeUpdate();
                    release.executeUpdate();
                    writerTx.forgetRecentRows();
                    outcomes.add(Outcome.failed(e));
                }
            }
            writer.commit();
            return outcomes;
        } catch (SQLException e) {
            restartTransaction(e);
            StoreException failure = new StoreException("commit failed; nothing of this batch is stored", e);
            List<Outcome<T>> failed = new ArrayList<>(units.size());
            units.forEach(u -> failed.add(Outcome.failed(failure)));
            return failed;
        }
    }

    /**
     * Rolls back and makes sure the writer is inside a new transaction. SQLite ends a transaction
     * by itself on some failures (SQLITE_FULL or an I/O error at commit); the driver then has no
     * transaction open although auto-commit is off, so every later statement would commit on its
     * own and every later commit would fail: after a full disk, partial batches would be stored
     * while their senders were told "nothing was stored", and the store would never recover.
     */
    private void restartTransaction(SQLException failure) {
        writerTx.forgetRecentRows();
        try {
            writer.rollback();
        } catch (SQLException rollbackFailure) {
            failure.addSuppressed(rollbackFailure);
        }
        try {
            writer.setAutoCommit(true); // ends whatever is left, if anything
        } catch (SQLException nothingToEnd) {
            // SQLite had already ended the transaction: the usual case after SQLITE_FULL
        }
        try {
            writer.setAutoCommit(false); // BEGIN
        } catch (SQLException beginFailure) {
            failure.addSuppressed(beginFailure);
        }
    }

    /**
     * Checkpoints the WAL once {@link #WAL_CHECKPOINT_PAGES} frames wait for it
     * ({@link #WAL_CHECKPOINT_PAGES_SATURATED} after a large batch). PASSIVE: it copies what no reader
     * still needs and never waits for one; what it leaves is copied next time. It runs outside the
     * driver's transaction, which the commit left open and empty.
     */
    @Override
    public void afterBatch(int units) {
        if (walIndex == null) {
            return;
        }
        long waiting = walIndex.uncheckpointedFrames();
        if (waiting < leftByLastCheckpoint) {
            leftByLastCheckpoint = 0; // copied since (or unknown): count from the start again
        }
        int due = units >= SATURATED_BATCH ? WAL_CHECKPOINT_PAGES_SATURATED : WAL_CHECKPOINT_PAGES;
        if (waiting - leftByLastCheckpoint < due) {
            return;
        }
        try {
            writer.setAutoCommit(true);
            try (Statement checkpoint = writer.createStatement()) {
                checkpoint.execute("PRAGMA wal_checkpoint(PASSIVE)");
            }
        } catch (SQLException e) {
            // the next commit's automatic checkpoint is the backstop
            log.warn("WAL checkpoint failed", e);
        } finally {
            beginAgain();
        }
        leftByLastCheckpoint = Math.max(0, walIndex.uncheckpointedFrames());
    }

    private void beginAgain() {
        try {
            writer.setAutoCommit(false);
        } catch (SQLException e) {
            throw new StoreException("cannot begin a transaction on the writer", e);
        }
    }

    @Override
    public <T> T read(Function<StoreTx, T> unit) {
        try (Connection connection = readers.getConnection()) {
            return unit.apply(new JdbcTx(connection, SqlDialect.SQLITE, false));
        } catch (SQLException e) {
            throw new StoreException("read failed", e);
        }
    }

    @Override
    public void close() {
        writerTx.closeStatements();
        for (PreparedStatement statement : new PreparedStatement[] {savepoint, release, rollbackToSavepoint}) {
            try {
                statement.close();
            } catch (SQLException ignored) {
                // closing on shutdown; nothing to recover
            }
        }
        try {
            writer.close();
        } catch (SQLException e) {
            log.warn("closing the writer connection failed", e);
        }
        readers.close();
        if (walIndex != null) {
            walIndex.close();
        }
        if (lock != null) {
            lock.close();
        }
    }
}
