package dev.sodam.server.store;

import java.util.List;
import java.util.function.Function;

/**
 * Durable storage. All writes go through {@link #writeBatch}: the units of one batch share one
 * transaction and one commit (group commit), each isolated by a savepoint so that one failing unit
 * does not undo the others. Implementations: SQLite (embedded default).
 */
public interface Store extends AutoCloseable {

    /**
     * Runs each unit in its own savepoint inside one transaction and commits once. Returns one
     * outcome per unit, in order. If the commit itself fails, every outcome is a failure: nothing of
     * the batch is durable, and callers must not acknowledge anything.
     */
    <T> List<Outcome<T>> writeBatch(List<Function<StoreTx, T>> units);

    /** Runs a read-only unit on a reader connection (sees only committed data). */
    <T> T read(Function<StoreTx, T> unit);

    @Override
    void close();

    /** The result of one unit of a batch: its value, or the exception that rolled it back. */
    record Outcome<T>(T value, RuntimeException failure) {
        public boolean ok() {
            return failure == null;
        }
    }
}
