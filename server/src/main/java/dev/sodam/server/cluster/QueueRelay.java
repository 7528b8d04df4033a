package dev.sodam.server.cluster;

import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.ConversationState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The queue as it travels between nodes after a commit changed it: the conversations' ids in queue order, and
 * whole only the conversations this node did not send as they are now. The relayed {@code QueueChanged}
 * carried every waiting conversation whole: 2.6 MB per change at 5,000 waiting, encoded on the committing
 * node's domain thread and decoded on every other node (docs/benchmarks.md, "The queue across nodes").
 *
 * <p>A receiving node keeps the conversations it was sent and rebuilds the queue from them. Only the routing
 * owner's router needs them whole; every node's delivery needs the ids alone. Pub/sub may lose an order, so
 * each sender numbers its orders: after a gap (or a sender first heard mid-way) what this node kept may be
 * stale, and so may anything it never received, so the owner reads the queue from the store instead
 * ({@link #resynced}); a node that does not route makes do with the ids.
 *
 * <p>Not thread-safe: the domain thread sends and receives.
 */
final class QueueRelay {
    /**
     * One queue change as it travels: the sender's order number (1, 2, … from its start), every queued
     * conversation's id in queue order, and whole the conversations that differ from what the sender's
     * previous order carried or implied.
     */
    record Order(long seq, List<String> ids, List<Conversation> changed) {
        Order {
            ids = List.copyOf(ids);
            changed = List.copyOf(changed);
        }
    }

    // ------------------------------------------------------------------ sending

    /** The queue this node's last order described, by id. */
    private Map<String, Conversation> sent = Map.of();
    private long orders;

    /** The order that tells the other nodes this queue, counting on them having the previous ones. */
    Order next(List<Conversation> queue) {
        Map<String, Conversation> now = new HashMap<>(queue.size() * 4 / 3 + 1);
        List<String> ids = new ArrayList<>(queue.size());
        List<Conversation> changed = new ArrayList<>();
        for (Conversation c : queue) {
            ids.add(c.id());
            now.put(c.id(), c);
            if (!c.equals(sent.get(c.id()))) {
                changed.add(c);
            }
        }
        sent = now;
        return new Order(++orders, ids, changed);
    }

    // ------------------------------------------------------------------ receiving

    /** The last order number heard from each node. */
    private final Map<String, Long> heard = new HashMap<>();
    /** The conversations orders carried, at least those of the last queue rebuilt. */
    private final Map<String, Conversation> kept = new HashMap<>();
    /** False from a gap in some node's orders until the queue is read from the store: a kept one may be stale. */
    private boolean current = true;

    /**
     * The queue {@code order} from {@code node} describes, each conversation whole; null when this node cannot
     * tell it (an order missed since, or one it names was never received): read the store instead.
     */
    List<Conversation> received(String node, Order order) {
        Long last = heard.put(node, order.seq());
        if (last == null ? order.seq() != 1 : order.seq() != last + 1) {
            current = false;
        }
        if (!current) {
            // Nothing kept until the store is read: a node that does not route never reads it, and would
            // otherwise keep every conversation it was ever sent.
            kept.clear();
            return null;
        }
        for (Conversation c : order.changed()) {
            kept.put(c.id(), c);
        }
        List<Conversation> queue = new ArrayList<>(order.ids().size());
        for (String id : order.ids()) {
            Conversation c = kept.get(id);
            if (c == null) {
                current = false;
                kept.clear();
                return null;
            }
            queue.add(c);
        }
        if (kept.size() > 2 * queue.size() + 1_000) {
            // What left the queue long ago; another node's orders may still name the rest.
            kept.clear();
            queue.forEach(c -> kept.put(c.id(), c));
        }
        return queue;
    }

    /** The queue as the store has it now, read after {@link #received} could not tell it. */
    void resynced(List<Conversation> queue) {
        kept.clear();
        queue.forEach(c -> kept.put(c.id(), c));
        current = true;
    }

    /** How many conversations this node keeps from the orders it heard. */
    int kept() {
        return kept.size();
    }

        /** A node went silent: its next order, if it comes back, follows a gap. */
    void forget(String node) {
        heard.remove(node);
    }

    /**
     * The queue as a node that does not route needs it: a place per id (its delivery tells visitors their
     * place from the ids alone).
     */
    static List<Conversation> places(List<String> ids) {
        List<Conversation> queue = new ArrayList<>(ids.size());
        for (String id : ids) {
            queue.add(place(id, null));
        }
        return queue;
    }

    /** A queued conversation known by its id (and visitor) alone: a place in the queue. */
    static Conversation place(String id, String visitorId) {
        return new Conversation(id, null, visitorId, null, null, ConversationState.QUEUED, null, null, 0, null, null,
                null, null, null, null, false, List.of(), 0);
    }
}
