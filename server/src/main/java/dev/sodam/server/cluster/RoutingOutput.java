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

    /** The queue with each position's estimate (null entries: unknown). */
    record QueueStatus(List<Conversation> queue, List<Integer> etaSeconds) implements RoutingOutput {
        public QueueStatus {
            queue = List.copyOf(queue);
            // List.copyOf refuses nulls, and an unknown estimate is null.
            etaSeconds = java.util.Collections.unmodifiableList(new ArrayList<>(etaSeconds));
        }

        @Override
        public void applyTo(RoutingActions actions) {
            actions.queueStatus(queue, etaSeconds);
        }
    }

    record Unplaced(Conversation conversation, int attempts) implements RoutingOutput {
        @Override
        public void applyTo(RoutingActions actions) {
            actions.unplaced(conversation, attempts);
        }
    }
}
