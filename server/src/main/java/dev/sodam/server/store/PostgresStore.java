package dev.sodam.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sodam.server.config.StoreSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store for installations that outgrow one file, and for several nodes sharing one database:
 * PostgreSQL through a HikariCP pool. {@link #writeBatch} is one transaction on one pooled connection
 * with one savepoint per unit, exactly like {@link SqliteStore}; a commit returns only once PostgreSQL
 * has made it durable ({@code synchronous_commit} as the server is configured, on by default).
 *
 * <p>Unlike SQLite's single writer, other processes write the same rows at the same time. The writer's
 * {@link JdbcTx} therefore reads the conversations it changes {@code FOR UPDATE} (see
 * {@link SqlDialect#lockConversation}): a second node appending to the same conversation waits for the
 * first one's commit and then sees its {@code last_seq} and its {@code client_msg_id}s, so seqs stay
 * gapless and a retried message is answered with its original ack. A unit that still loses a race
 * (a deadlock between two batches, or a unique key another node took first) is rolled back to its
 * savepoint and run again, up to {@link #ATTEMPTS} times; the others in the batch are not touched.
 */
public final class PostgresStore implements Store {
    private static final Logger log = LoggerFactory.getLogger(PostgresStore.class);
    /** Runs of one unit that lost a race before its failure is reported. */
    static final int ATTEMPTS = 3;
    /** deadlock_detected, serialization_failure, unique_violation. */
    private static final Set<String> RACES = Set.of("40P01", "40001", "23505");
    private static final String LOCATION = "classpath:db/postgresql";

    private final HikariDataSource pool;

    private PostgresStore(HikariDataSource pool) {
        this.pool = pool;
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
            Flyway.configure().dataSource(pool).locations(LOCATION).load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw new StoreException("migrating PostgreSQL at " + settings.url() + " failed: " + rootMessage(e), e);
        }
        log.info("store: PostgreSQL {} (pool of {})", settings.url(), settings.poolSize());
        return new PostgresStore(pool);
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
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            JdbcTx tx = new JdbcTx(connection, SqlDialect.POSTGRESQL, true);
            try {
                List<Outcome<T>> outcomes = new ArrayList<>(units.size());
                for (Function<StoreTx, T> unit : units) {
                    outcomes.add(runUnit(connection, tx, unit));
                }
                connection.commit();
                return outcomes;
            } catch (SQLException | RuntimeException e) {
                rollback(connection, e);
                return failed(units.size(), e);
            } finally {
                tx.closeStatements();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            return failed(units.size(), e);
        }
    }

    /** One unit in its own savepoint; a unit that lost a race with another node runs again. */
    private static <T> Outcome<T> runUnit(Connection connection, JdbcTx tx, Function<StoreTx, T> unit)
            throws SQLException {
        for (int attempt = 1; ; attempt++) {
            Savepoint savepoint = connection.setSavepoint();
            try {
                T value = unit.apply(tx);
                connection.releaseSavepoint(savepoint);
                return new Outcome<>(value, null);
            } catch (RuntimeException e) {
                // Rolling back to the savepoint also ends PostgreSQL's "transaction is aborted" state.
                connection.rollback(savepoint);
                connection.releaseSavepoint(savepoint);
                if (attempt >= ATTEMPTS || !lostRace(e)) {
                    return new Outcome<>(null, e);
                }
                log.debug("unit lost a race with another writer (attempt {}), running it again", attempt, e);
            }
        }
    }

    /** Whether a unit failed because another transaction got there first (worth running again). */
    static boolean lostRace(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null && RACES.contains(sql.getSQLState())) {
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

    private static <T> List<Outcome<T>> failed(int count, Exception cause) {
        StoreException failure = new StoreException("commit failed; nothing of this batch is stored", cause);
        List<Outcome<T>> failed = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            failed.add(new Outcome<>(null, failure));
        }
        return failed;
    }

    @Override
    public <T> T read(Function<StoreTx, T> unit) {
        try (Connection connection = pool.getConnection()) {
            return unit.apply(new JdbcTx(connection, SqlDialect.POSTGRESQL, false));
        } catch (SQLException e) {
            throw new StoreException("read failed", e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
