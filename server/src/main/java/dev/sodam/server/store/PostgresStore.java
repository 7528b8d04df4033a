package dev.sodam.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sodam.server.config.StoreSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store for installations that outgrow one file, and for several nodes sharing one database:
 * PostgreSQL through a HikariCP pool. {@link #writeBatch} is one transaction on one pooled connection;
 * a commit returns only once PostgreSQL has made it durable ({@code synchronous_commit} as the server is
 * configured, on by default). Unlike {@link SqliteStore}, whose savepoints cost nothing but a few calls
 * into the library, a batch first runs without savepoints (each is two round trips and a
 * subtransaction here), and only when a unit fails in a way that needs its own changes undone does it
 * run again with one savepoint per unit ({@link #runWithoutSavepoints}).
 *
 * <p>Unlike SQLite's single writer, other processes write the same rows at the same time. The writer's
 * {@link JdbcTx} therefore reads the conversations it changes {@code FOR UPDATE} (see
 * {@link SqlDialect#lockConversation}): a second node appending to the same conversation waits for the
 * first one's commit and then sees its {@code last_seq} and its {@code client_msg_id}s, so seqs stay
 * gapless and a retried message is answered with its original ack. Locked, those rows stay as read until
 * the commit, so the writer keeps them for the transaction; a batch told its conversations
 * ({@link #writeBatch(List, Collection)}) reads them all in one statement first, in id order.
 * A unit that still loses a race fails the batch's first pass (an SQL error aborts the transaction); in the second it is rolled back
 * to its savepoint, leaving the others in the batch untouched, and run again (at most
 * {@link #ATTEMPTS} times in all): at once after a unique key another node took first or a
 * serialization failure. A deadlock victim is different: the other node's batch waits for a lock an
 * earlier unit of ours holds until we commit. In the first pass the whole transaction rolls back at
 * once; in the second the units before the victim are committed at once,
 * and the victim and the units after it go on, in their order, in the next transaction. Going on in
 * the same transaction (as this class once did) kept the other node waiting, and every later unit
 * that touched its rows deadlocked again after PostgreSQL's {@code deadlock_timeout} (1 s): both nodes
 * stalled for a second per unit, and a deferred victim was stored after units sent later.
 */
public final class PostgresStore implements Store {
    private static final Logger log = LoggerFactory.getLogger(PostgresStore.class);
    /** Runs of one unit that lost a race before its failure is reported. */
    static final int ATTEMPTS = 3;
    /** serialization_failure, unique_violation: running the unit again sees what the other node committed. */
    private static final Set<String> RACES = Set.of("40001", "23505");
    /** deadlock_detected: the units before the victim commit, then it runs again first in a new transaction. */
    private static final Set<String> DEADLOCK = Set.of("40P01");
    private static final String LOCATION = "classpath:db/postgresql";
    /** Conversation rows a transaction's writer keeps: more than a batch touches. */
    private static final int ROWS_PER_TRANSACTION = 4096;

    private final HikariDataSource pool;
    private final StoreSettings settings;

    private PostgresStore(HikariDataSource pool, StoreSettings settings) {
        this.pool = pool;
        this.settings = settings;
    }

    /** Connects, applies the PostgreSQL migrations (to the same versions as SQLite's) and opens the pool. */
    public static PostgresStore open(StoreSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.url());
        if (!settings.user().isEmpty()) {
            config.setUsername(settings.user());
        }
        if (!settings.password().isEmpty()) {
            config.setPassword(settings.password());
        }
        config.setPoolName("sodam-postgresql");
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(Math.min(2, settings.poolSize()));
        config.setAutoCommit(true);
        config.setConnectionTimeout(10_000);
        config.addDataSourceProperty("ApplicationName", "sodam");
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("cannot connect to PostgreSQL at " + settings.url() + ": " + rootMessage(e), e);
        }
        try {
            Migrations.migrate(pool, LOCATION);
        } catch (RuntimeException e) {
            pool.close();
            throw new StoreException("migrating PostgreSQL at " + settings.url() + " failed: " + rootMessage(e), e);
        }
        log.info("store: PostgreSQL {} (pool of {})", settings.url(), settings.poolSize());
        return new PostgresStore(pool, settings);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    @Override
    public <T> List<Outcome<T>> writeBatch(List<Function<StoreTx, T>> units) {
        return writeBatch(units, List.of());
    }

    @Override
    public <T> List<Outcome<T>> writeBatch(List<Function<StoreTx, T>> units, Collection<String> conversations) {
        List<Outcome<T>> outcomes = new ArrayList<>(units.size());
        for (int i = 0; i < units.size(); i++) {
            outcomes.add(null);
        }
        int[] deadlocks = new int[units.size()];
        for (int next = 0; next < units.size(); ) {
            next = runTransaction(units, next, outcomes, deadlocks, conversations);
        }
        return outcomes;
    }

    /**
     * The writer's view of one transaction. It keeps the conversation rows it reads: they are read
     * {@code FOR UPDATE}, so no other node changes them before this transaction ends, and its own
     * writes keep them exact ({@link RecentConversations}); a unit's second read of its conversation,
     * and the bot's answer after its question, then cost no round trip.
     */
    private static JdbcTx writer(Connection connection) {
        return new JdbcTx(connection, SqlDialect.POSTGRESQL, true, new RecentConversations(ROWS_PER_TRANSACTION));
    }

    /**
     * Runs the units from {@code from} on in one transaction and fills in their outcomes; returns where
     * the next transaction starts: after the last unit, or at a deadlock victim, which then runs again
     * first (until it was the victim {@link #ATTEMPTS} times; {@code deadlocks} counts them per unit).
     */
    private <T> int runTransaction(List<Function<StoreTx, T>> units, int from, List<Outcome<T>> outcomes,
                                   int[] deadlocks, Collection<String> conversations) {
        if (deadlocks[from] == 0 && runWithoutSavepoints(units, from, outcomes, conversations)) {
            return units.size();
        }
        // The rare second pass: each unit reads its own conversations, in its savepoint.
        int end = units.size();
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            JdbcTx tx = writer(connection);
            try {
                for (int i = from; i < units.size(); i++) {
                    Outcome<T> outcome = runUnit(connection, tx, units.get(i));
                    if (!outcome.ok() && hasState(outcome.failure(), DEADLOCK) && ++deadlocks[i] < ATTEMPTS) {
                        log.debug("unit chosen as deadlock victim; committing the {} unit(s) before it, then running it again",
                                i - from, outcome.failure());
                        end = i;
                        break;
                    }
                    outcomes.set(i, outcome);
                }
                connection.commit();
                return end;
            } catch (SQLException | RuntimeException e) {
                // The rest of the batch fails too: a later unit may depend on these (the bot's answers on
                // their questions), and a store that cannot commit would most likely fail them anyway.
                rollback(connection, e);
                fail(from, outcomes, e);
                return units.size();
            } finally {
                tx.closeStatements();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            fail(from, outcomes, e);
            return units.size();
        }
    }

    /**
     * The common case, first: the units from {@code from} on in one transaction without a savepoint each.
     * A savepoint is two round trips (SAVEPOINT, RELEASE) beside a unit's three or so statements, and
     * each one that writes is a PostgreSQL subtransaction: past 64 of them in one transaction every
     * snapshot taken by any backend looks them up in {@code pg_subtrans}, and a batch holds up to
     * hundreds of units. A unit that fails in Java (a {@code ChatException}: not assigned, resolved…)
     * without having changed a row leaves the transaction as it was, so it is answered with its failure
     * and the others go on. Any other failure — an SQL error (the transaction is aborted: a race, a
     * deadlock, a constraint) or a unit that fails after writing — rolls the whole transaction back and
     * answers false, nothing committed and no outcome set, and the caller runs the units again, each in
     * its savepoint. A failed COMMIT is not run again (it may have committed): it fails the units.
     */
    private <T> boolean runWithoutSavepoints(List<Function<StoreTx, T>> units, int from, List<Outcome<T>> outcomes,
                                             Collection<String> conversations) {
        List<Outcome<T>> done = new ArrayList<>(units.size() - from);
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            JdbcTx tx = writer(connection);
            try {
                if (!readAhead(tx, conversations) || !runUnitsWithoutSavepoints(tx, units, from, done)) {
                    connection.rollback();
                    return false;
                }
                try {
                    connection.commit();
                } catch (SQLException | RuntimeException e) {
                    rollback(connection, e);
                    fail(from, outcomes, e);
                    return true;
                }
            } finally {
                tx.closeStatements();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            fail(from, outcomes, e);
            return true;
        }
        for (int k = 0; k < done.size(); k++) {
            outcomes.set(from + k, done.get(k));
        }
        return true;
    }

    /** The units in order into {@code done}; false at the first failure that needs the transaction rolled back. */
    private static <T> boolean runUnitsWithoutSavepoints(JdbcTx tx, List<Function<StoreTx, T>> units, int from,
                                                         List<Outcome<T>> done) {
        for (int i = from; i < units.size(); i++) {
            long changedBefore = tx.rowsChanged();
            try {
                T value = units.get(i).apply(tx);
                done.add(Outcome.of(value, tx.rowsChanged() != changedBefore));
            } catch (RuntimeException e) {
                if (tx.rowsChanged() != changedBefore || causedBySql(e)) {
                    log.debug("a unit failed in a batch without savepoints; running the batch again with them", e);
                    return false;
                }
                done.add(Outcome.failed(e));
            }
        }
        return true;
    }

    /**
     * The batch's conversations in one read before its first unit, instead of one read per unit; false
     * when that read failed (the transaction is aborted). One conversation is left to its unit: reading
     * it ahead would save nothing.
     */
    private static boolean readAhead(JdbcTx tx, Collection<String> conversations) {
        if (conversations.size() < 2) {
            return true;
        }
        try {
            tx.readConversations(conversations);
            return true;
        } catch (RuntimeException e) {
            log.debug("reading a batch's conversations ahead failed; running the batch again with savepoints", e);
            return false;
        }
    }

    /** Whether an SQL error is among the causes: PostgreSQL has aborted the transaction. */
    private static boolean causedBySql(Throwable e) {
        return hasSqlCause(e, sql -> true);
    }

    /** One unit in its own savepoint; a unit that lost a race with another node runs again at once. */
    private static <T> Outcome<T> runUnit(Connection connection, JdbcTx tx, Function<StoreTx, T> unit)
            throws SQLException {
        for (int attempt = 1; ; attempt++) {
            Savepoint savepoint = connection.setSavepoint();
            long changedBefore = tx.rowsChanged();
            try {
                T value = unit.apply(tx);
                connection.releaseSavepoint(savepoint);
                return Outcome.of(value, tx.rowsChanged() != changedBefore);
            } catch (RuntimeException e) {
                // Rolling back to the savepoint also ends PostgreSQL's "transaction is aborted" state, and
                // releases the row locks the unit took: the rows it read may change now.
                connection.rollback(savepoint);
                connection.releaseSavepoint(savepoint);
                tx.forgetRecentRows();
                if (attempt >= ATTEMPTS || !hasState(e, RACES)) {
                    return Outcome.failed(e);
                }
                log.debug("unit lost a race with another writer (attempt {}), running it again", attempt, e);
            }
        }
    }

    /** Whether {@code e} was caused by an SQL error with one of these SQLSTATEs. */
    static boolean hasState(Throwable e, Set<String> states) {
        return hasSqlCause(e, sql -> sql.getSQLState() != null && states.contains(sql.getSQLState()));
    }

    /** Whether an SQL error among the causes of {@code e} passes {@code test}. */
    private static boolean hasSqlCause(Throwable e, java.util.function.Predicate<SQLException> test) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && test.test(sql)) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    private static void rollback(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }

    /** A transaction failed: no unit from {@code from} on is stored; what earlier transactions committed stands. */
    private static <T> void fail(int from, List<Outcome<T>> outcomes, Exception cause) {
        StoreException failure = new StoreException("commit failed; this change is not stored", cause);
        for (int i = from; i < outcomes.size(); i++) {
            outcomes.set(i, Outcome.failed(failure));
        }
    }

    @Override
    public <T> T read(Function<StoreTx, T> unit) {
        try (Connection connection = pool.getConnection()) {
            return unit.apply(new JdbcTx(connection, SqlDialect.POSTGRESQL, false));
        } catch (SQLException e) {
            throw new StoreException("read failed", e);
        }
    }

    /** One unit in a short transaction of its own on a pooled connection, with the writer's row locks. */
    @Override
    public <T> T claim(Function<StoreTx, T> unit) {
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            JdbcTx tx = new JdbcTx(connection, SqlDialect.POSTGRESQL, true);
            try {
                T value = unit.apply(tx);
                connection.commit();
                return value;
            } catch (SQLException | RuntimeException e) {
                rollback(connection, e);
                throw e instanceof StoreException se ? se : new StoreException("claim failed", e);
            } finally {
                tx.closeStatements();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("claim failed", e);
        }
    }

    /** A session-level advisory lock on a connection of its own ({@link PostgresAdvisoryLock}). */
    @Override
    public ClusterLock clusterLock(String name) {
        return new PostgresAdvisoryLock(settings, name);
    }

    @Override
    public void close() {
        pool.close();
    }
}
