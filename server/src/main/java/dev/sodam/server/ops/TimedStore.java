package dev.sodam.server.ops;

import dev.sodam.server.store.Store;
import dev.sodam.server.store.StoreTx;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/** A {@link Store} that times every group commit; reads pass straight through. */
public final class TimedStore implements Store {
    private final Store store;
    private final SodamMetrics metrics;

    public TimedStore(Store store, SodamMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    @Override
    public <T> List<Outcome<T>> writeBatch(List<Function<StoreTx, T>> units) {
        return writeBatch(units, List.of());
    }

    @Override
    public <T> List<Outcome<T>> writeBatch(List<Function<StoreTx, T>> units, Collection<String> conversations) {
        long started = System.nanoTime();
        try {
            return store.writeBatch(units, conversations);
        } finally {
            metrics.storeCommit(System.nanoTime() - started);
        }
    }

    @Override
    public void afterBatch(int units) {
        store.afterBatch(units);
    }

    @Override
    public <T> T read(Function<StoreTx, T> unit) {
        return store.read(unit);
    }

    @Override
    public <T> T claim(Function<StoreTx, T> unit) {
        return store.claim(unit);
    }

    @Override
    public dev.sodam.server.store.ClusterLock clusterLock(String name) {
        return store.clusterLock(name);
    }

    @Override
    public void close() {
        store.close();
    }
}
