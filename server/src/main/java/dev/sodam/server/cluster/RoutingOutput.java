package dev.sodam.server.cluster;

import dev.sodam.server.event.ChatEvent.Presence;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.routing.RoutingActions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One decision of the routing owner's router, as it travels to every node: each node carries it out for
 * its own connections through its {@link RoutingActions} (the frames of {@code RoutingDelivery}).
 */
sealed interface RoutingOutput {

    void applyTo(RoutingActions actions);

    record Offer(String agentId, Conversation conversation, int queuePosition, Instant expiresAt) implements RoutingOutput {
        @Override
        public void applyTo(RoutingActions actions) {
            actions.offer(agentId, conversation, queuePosition, expiresAt);
        }
    }

    record OfferWithdrawn(String agentId, String conversationId, String reason) implements RoutingOutput {
        @Override
        public void applyTo(RoutingActions actions) {
            actions.offerWithdrawn(agentId, conversationId, reason);
        }
    }

    /** {@code reason}: null, or why routing changed the presence ({@code missed_offers}). */
    record PresenceTold(String agentId, String agentName, Presence presence, int load, int cap, String reason)
            implements RoutingOutput {
        @Override
        public void applyTo(RoutingActions actions) {
            actions.presence(agentId, agentName, presence, load, cap, reason);
        }
    }

    /**
     * The queue with each position's estimate (null entries: unknown), as it travels between nodes: per place,
     * in queue order, only what a node needs to tell its visitors their place — the conversation's id and its
     * visitor's — never the conversations themselves. The whole queue went out at every change, previews,
     * names and timestamps included: with 5,000 waiting that was 2.6 MB per change through Redis and as many
     * records to decode on every node (docs/benchmarks.md, "The queue across nodes").
     */
    record QueueStatus(List<String> conversationIds, List<String> visitorIds, List<Integer> etaSeconds)
            implements RoutingOutput {
        public QueueStatus {
            conversationIds = List.copyOf(conversationIds);
            visitorIds = List.copyOf(visitorIds);
            // List.copyOf refuses nulls, and an unknown estimate is null.
            etaSeconds = java.util.Collections.unmodifiableList(new ArrayList<>(etaSeconds));
            if (visitorIds.size() != conversationIds.size() || etaSeconds.size() != conversationIds.size()) {
                throw new IllegalArgumentException("a queue status of " + conversationIds.size() + " places with "
                        + visitorIds.size() + " visitors and " + etaSeconds.size() + " estimates");
            }
        }

        /** What the router decided, reduced to what travels. */
        static QueueStatus of(List<Conversation> queue, List<Integer> etaSeconds) {
            List<String> ids = new ArrayList<>(queue.size());
            List<String> visitors = new ArrayList<>(queue.size());
            for (Conversation c : queue) {
                ids.add(c.id());
                visitors.add(c.visitorId());
            }
            return new QueueStatus(ids, visitors, etaSeconds);
        }

        /**
         * The queue as {@link RoutingActions#queueStatus} takes it: each place a queued conversation with its
         * id and visitor, the rest empty — a status frame and finding the visitor's connections need no more.
         */
        List<Conversation> queue() {
            List<Conversation> queue = new ArrayList<>(conversationIds.size());
            for (int i = 0; i < conversationIds.size(); i++) {
                queue.add(QueueRelay.place(conversationIds.get(i), visitorIds.get(i)));
            }
            return queue;
        }

        @Override
        public void applyTo(RoutingActions actions) {
            actions.queueStatus(queue(), etaSeconds);
        }
    }

    record Unplaced(Conversation conversation, int attempts) implements RoutingOutput {
        @Override
        public void applyTo(RoutingActions actions) {
            actions.unplaced(conversation, attempts);
        }
    }
}
