package dev.sodam.server.routing;

import dev.sodam.server.event.ChatEvent.Presence;
import dev.sodam.server.model.Conversation;
import java.time.Instant;
import java.util.List;

/** What the {@link Router} decides, carried out elsewhere (pushing frames, changing conversations). */
public interface RoutingActions {

    /** Offer a queued conversation to an agent until {@code expiresAt}. */
    void offer(String agentId, Conversation conversation, int queuePosition, Instant expiresAt);

    /** An offer ended without being accepted by that agent ({@code timeout}, {@code declined}, {@code taken}, {@code presence}). */
    void offerWithdrawn(String agentId, String conversationId, String reason);

    /**
     * Tell an agent (and supervisors) their presence and load; {@code reason} says why routing set that
     * presence ({@code missed_offers}) on every frame until the presence changes again, null otherwise.
     */
    void presence(String agentId, String agentName, Presence presence, int load, int cap, String reason);

    /** Every queued conversation with its 1-based position and estimated wait (null when unknown). */
    void queueStatus(List<Conversation> queue, List<Integer> etaSeconds);

    /** Alert supervisors that a conversation could not be placed. */
    void unplaced(Conversation conversation, int attempts);

    /** Put every conversation assigned to the agent back in the queue (a committed state change). */
    void requeue(String agentId);

    /**
     * Set the agent away because they let {@code missed} offers in a row time out: the same committed
     * presence change as the agent's own ({@code PresenceSet}, with reason {@code missed_offers}), which
     * the router then acts on as on any other.
     */
    void awayForMissedOffers(String agentId, int missed);
}
