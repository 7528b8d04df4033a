package dev.sodam.server.store;

/**
 * A lock that at most one node of a cluster holds: the node holding it runs the scheduled jobs that
 * must run once (retention, privacy purge, expired-token cleanup). Obtained from
 * {@link Store#clusterLock}; a store that only one process uses ({@link SqliteStore}) is always the
 * holder. Never blocks: a node that does not hold it skips the job and asks again next time, so when the
 * holder dies another node takes over at its next scheduled run.
 */
public interface ClusterLock extends AutoCloseable {

    /** The lock of a single-node store: always held. */
    ClusterLock ALWAYS = new ClusterLock() {
        @Override
        public boolean tryHold() {
            return true;
        }

        @Override
        public void close() {
        }
    };

    /** Whether this node holds the lock now; takes it when it is free. */
    boolean tryHold();

    /** Releases the lock (when held) and whatever keeps it. */
    @Override
    void close();
}
