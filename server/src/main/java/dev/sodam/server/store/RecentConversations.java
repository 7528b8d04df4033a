package dev.sodam.server.store;

import dev.sodam.server.model.Conversation;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The SQLite writer's copy of the conversation rows it read or wrote last, so that a message does not
 * read its conversation back from SQLite: that read (a join of three tables and eighteen columns) was a
 * sixth of the domain thread's time per relayed message (docs/benchmarks.md, "Where a durable message's
 * CPU goes").
 *
 * <p>Exact by construction, not by expiry: the writer connection is the only one that writes the file
 * (the data directory is locked, {@link DataDirLock}), so what it last read or wrote is what a read
 * would return. Every write that could change a cached row either applies the same change here or drops
 * the row; a write this class knows nothing about drops everything ({@link JdbcTx}); a unit rolled back
 * to its savepoint or a failed commit drops everything ({@link SqliteStore}). Used by one thread (the
 * caller of {@code writeBatch}), hence a plain map. The same hooks keep the SQLite writer's copy of
 * the queue ({@link QueuedRows}) exact.
 */
final class RecentConversations {
    private final Map<String, Conversation> rows;
    /** The writer's copy of the queue, kept exact by the same hooks; null where none is kept. */
    private final QueuedRows queue;

    RecentConversations(int capacity) {
        this(capacity, null);
    }

    RecentConversations(int capacity, QueuedRows queue) {
        this.queue = queue;
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.rows = new LinkedHashMap<>(Math.min(capacity, 1024) * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Conversation> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The writer's copy of the queue, or null. */
    QueuedRows queue() {
        return queue;
    }

    /** The row as the writer last saw it, or null. */
    Conversation get(String id) {
        return rows.get(id);
    }

    /** A row just read from the database. */
    void put(Conversation row) {
        rows.put(row.id(), row);
    }

    /**
     * Applies what {@code UPDATE conversations SET last_seq, preview, updated_at, topic} wrote to the
     * cached row, if there is one. The instant is cut to milliseconds, as the column stores it.
     */
    void activity(String id, long lastSeq, String preview, Instant updatedAt, String topic) {
        change(id, c -> c.withMessage(lastSeq, preview, Instant.ofEpochMilli(updatedAt.toEpochMilli()))
                .aboutTopic(topic));
    }

    /** Applies a change to the cached row, if there is one. */
    void change(String id, UnaryOperator<Conversation> change) {
        rows.computeIfPresent(id, (key, row) -> change.apply(row));
        if (queue != null) {
            queue.touchedIfQueued(id);
        }
    }

    /** Drops one row, which was inserted or rewritten: the next read of it goes to the database. */
    void forget(String id) {
        rows.remove(id);
        if (queue != null) {
            queue.touched(id);
        }
    }

    /** Drops the rows of one visitor's conversations. */
    void forgetVisitor(String visitorId) {
        rows.values().removeIf(c -> c.visitorId().equals(visitorId));
        if (queue != null) {
            queue.touchedVisitor(visitorId);
        }
    }

    /** Drops every row. */
    void clear() {
        rows.clear();
        if (queue != null) {
            queue.invalidate();
        }
    }

    int size() {
        return rows.size();
    }
}
