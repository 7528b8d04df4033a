package dev.sodam.server.store;

import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * Durable storage. All writes go through {@link #writeBatch}: the units of one batch share one
 * transaction and one commit (group commit), each isolated so that one failing unit does not undo the
 * others. Implementations: SQLite (embedded default) and PostgreSQL (also several nodes on one database).
 */
public interface Store extends AutoCloseable {

    /**
     * Runs the units, in order, inside one transaction and commits once; a failing unit's own changes
     * are undone and the others' kept (SQLite: a savepoint per unit; PostgreSQL: savepoints only when a
     * unit fails after writing, by running the batch again). Returns one outcome per unit, in order. If
     * the commit itself fails, every outcome is a failure: nothing of the batch is durable, and callers
     * must not acknowledge anything. A unit must be free of effects outside {@code tx}: PostgreSQL may
     * run it more than once (a race with another node, a deadlock, a second pass with savepoints).
     */
    <T> List<Outcome<T>> writeBatch(List<Function<StoreTx, T>> units);

    /**
     * {@link #writeBatch}, told which conversations (by id) the units will read: where each read is a
     * round trip (PostgreSQL) the store reads them all at once before the first unit, locked in id
     * order, and the units find them in the transaction. A store whose reads are calls into a library
     * (SQLite) ignores them.
     */
    default <T> List<Outcome<T>> writeBatch(List<Function<StoreTx, T>> units, Collection<String> conversations) {
        return writeBatch(units);
    }

    /**
     * Upkeep that must not delay a batch: the caller of {@link #writeBatch} calls this on the same
     * thread once a batch's acks and deliveries are on their way (SQLite copies its WAL into the
     * database file here, not inside the commit). {@code units}: how many commands the batch held; a writer
     * whose batches are large is saturated, and upkeep that can be gathered costs less in fewer rounds.
     */
    default void afterBatch(int units) {
    }

    /** Runs a read-only unit on a reader connection (sees only committed data). */
    <T> T read(Function<StoreTx, T> unit);

    /**
     * Runs one short unit in a transaction of its own, beside the batched writer, for the coordination
     * of several nodes on one database (a node claiming webhook outbox rows so no other node sends them).
     * A store that one process alone uses has nothing to coordinate and runs it as a read.
     */
    default <T> T claim(Function<StoreTx, T> unit) {
        return read(unit);
    }

    /** The cluster-wide lock {@code name} (see {@link ClusterLock}); always held where one process uses the store. */
    default ClusterLock clusterLock(String name) {
        return ClusterLock.ALWAYS;
    }

    @Override
    void close();

    /**
     * The result of one unit of a batch: its value, or the exception that rolled it back; {@code changedRows}
     * whether it inserted, updated or deleted a row, so that its commit wrote to the disk (a unit that only
     * read commits even on a read-only disk, and so says nothing about whether writes work).
     */
    record Outcome<T>(T value, RuntimeException failure, boolean changedRows) {
        public static <T> Outcome<T> of(T value, boolean changedRows) {
            return new Outcome<>(value, null, changedRows);
        }

        public static <T> Outcome<T> failed(RuntimeException failure) {
            return new Outcome<>(null, failure, false);
        }

        public boolean ok() {
            return failure == null;
        }
    }
}
