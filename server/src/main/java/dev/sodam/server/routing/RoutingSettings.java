package dev.sodam.server.routing;

import java.time.Duration;

/**
 * How routing behaves: the default per-agent chat limit, how long an agent has to accept an
 * offer, how many offers fail before supervisors are alerted, and how long a disconnected agent
 * keeps their chats (a page reload must not cost them).
 */
public record RoutingSettings(int defaultCap, Duration offerTimeout, int maxOfferAttempts, Duration presenceGrace) {
    public RoutingSettings {
        if (defaultCap < 1 || maxOfferAttempts < 1 || offerTimeout.isNegative() || offerTimeout.isZero()
                || presenceGrace.isNegative()) {
            throw new IllegalArgumentException("invalid routing settings");
        }
    }
}
