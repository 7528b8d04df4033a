package dev.sodam.server.store;

import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.ConversationState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The SQLite writer's copy of the queue, so that the queue as a batch commits it is not read back row by
 * row: every batch that changes the queue publishes it, and reading it took 2.7 µs per queued chat on the
 * domain thread (13 ms a batch with 5,000 visitors waiting, every message of the node waiting behind it;
 * docs/benchmarks.md, "A flash crowd").
 *
 * <p>Exact by the construction of {@link RecentConversations}, whose hooks drive it: a write of a
 * conversation's row ({@code insertConversation}, {@code updateConversation}) marks the row touched, as
 * does a change to a queued row's activity, labels or read mark, or to its visitor's name; a write the
 * writer knows nothing about, a unit rolled back to its savepoint and a failed commit make the copy
 * invalid, and the next {@link JdbcTx#queue()} reads the whole queue again. Touched rows are read (from
 * the writer's recent rows where it has them) when the queue is next asked for, so the copy never
 * trusts what a caller meant to write, only what the transaction holds.
 *
 * <p>The order is the query's: {@code priority DESC, waiting_since, id}, with priority 0 or 1 (what
 * {@link JdbcTx} writes) and ids compared as SQLite's BINARY collation does for ASCII. A queued row
 * without an entry time, which the state machine never writes, makes the copy give up until the
 * next full read. Used by one thread (the caller of {@code writeBatch}), hence plain collections.
 */
final class QueuedRows {
    /** Tests set this: every answer from the copy is checked against a full read, and a difference fails the unit. */
    static final boolean VERIFY = Boolean.getBoolean("sodam.store.verifyQueueCopy");

    private static final Comparator<Conversation> ORDER = Comparator
            .comparingInt((Conversation c) -> c.urgent() ? 0 : 1)
            .thenComparingLong(c -> c.waitingSince().toEpochMilli())
            .thenComparing(Conversation::id);

    /** Sorts before every chat that is not urgent and after every urgent one: where the second group starts. */
    private static final Conversation FIRST_NOT_URGENT = new Conversation("", null, "", null, null, ConversationState.QUEUED,
            null, null, 0, null, Instant.ofEpochMilli(Long.MIN_VALUE), null, null, null, null, false, List.of(), 0);

    private final TreeSet<Conversation> ordered = new TreeSet<>(ORDER);
    private final Map<String, Conversation> byId = new HashMap<>();
    private final Set<String> touched = new LinkedHashSet<>();
    private boolean valid;
    /** The list last handed out while nothing changed since: a batch and the next agent's hello share it. */
    private List<Conversation> answered;

    boolean valid() {
        return valid;
    }

    /** A full read of the queue, in its order: the copy starts again from it. */
    void reset(List<Conversation> queue) {
        ordered.clear();
        byId.clear();
        touched.clear();
        answered = null;
        valid = true;
        for (Conversation c : queue) {
            if (!put(c)) {
                invalidate();
                return;
            }
        }
    }

    /** Forgets everything: the next ask reads the whole queue. */
    void invalidate() {
        valid = false;
        ordered.clear();
        byId.clear();
        touched.clear();
        answered = null;
    }

    /** The row was inserted or rewritten (its state, agent, team or entry time may have changed). */
    void touched(String id) {
        if (valid) {
            touched.add(id);
        }
    }

    /** A column that does not move a row in or out of the queue changed: only a queued row needs re-reading. */
    void touchedIfQueued(String id) {
        if (valid && byId.containsKey(id)) {
            touched.add(id);
        }
    }

    /** The visitor's name, which comes with each of their conversations, changed. */
    void touchedVisitor(String visitorId) {
        if (valid) {
            for (Conversation c : byId.values()) {
                if (c.visitorId().equals(visitorId)) {
                    touched.add(c.id());
                }
            }
        }
    }

    /** The rows to read again before the copy is right; taking them empties the set. */
    List<String> takeTouched() {
        List<String> ids = new ArrayList<>(touched);
        touched.clear();
        return ids;
    }

    /**
     * A touched row as the transaction now holds it (null: gone). Returns false when the copy cannot
     * hold it in the query's order; the copy is then invalid.
     */
    boolean update(String id, Conversation row) {
        Conversation old = byId.remove(id);
        if (old != null) {
            ordered.remove(old);
            answered = null;
        }
        if (row != null && row.state() == ConversationState.QUEUED && !put(row)) {
            invalidate();
            return false;
        }
        return true;
    }

    private boolean put(Conversation row) {
        if (row.waitingSince() == null) {
            return false;
        }
        byId.put(row.id(), row);
        ordered.add(row);
        answered = null;
        return true;
    }

    /** The queue in its order; call after the touched rows were updated. */
    List<Conversation> list() {
        if (answered == null) {
            answered = List.copyOf(ordered);
        }
        return answered;
    }

    int size() {
        return byId.size();
    }

    /**
     * The place of a conversation in the queue, from 1; 0 when it is not queued. Call after the touched rows were updated.
     * A view's size is counted by walking it, so the shorter side is counted: a chat that is not urgent joins at the
     * end, and every handoff asks for its place (counting the places before it walked the whole queue, 5,000 rows
     * with 5,000 waiting); an urgent one joins the urgent chats at the front.
     */
    int position(String id) {
        Conversation row = byId.get(id);
        if (row == null) {
            return 0;
        }
        return row.urgent() ? ordered.headSet(row).size() + 1 : byId.size() - ordered.tailSet(row, false).size();
    }

    /**
     * The latest entry time of a queued chat, or null when none waits. Each group of the order (urgent, then
     * the rest) ends with its latest entry. Call after the touched rows were updated.
     */
    Instant latestEntry() {
        if (ordered.isEmpty()) {
            return null;
        }
        Instant latest = ordered.last().waitingSince();
        Conversation lastUrgent = ordered.lower(FIRST_NOT_URGENT);
        return lastUrgent != null && lastUrgent.waitingSince().isAfter(latest) ? lastUrgent.waitingSince() : latest;
    }
}
