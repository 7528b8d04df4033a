package dev.sodam.server.routing;

import java.time.Duration;

/**
 * How routing behaves: the default per-agent chat limit, how long an agent has to accept an
 * offer, how many offers fail before supervisors are alerted, how long a disconnected agent
 * keeps their chats (a page reload must not cost them), and how long an agent who declined a chat
 * is not offered that chat again (so a lone agent's "decline" is not answered by the same offer at once).
 */
public record RoutingSettings(int defaultCap, Duration offerTimeout, int maxOfferAttempts, Duration presenceGrace,
                              Duration declineCooldown) {
    /** {@code routing.declineCooldownSeconds}' default. */
    public static final Duration DEFAULT_DECLINE_COOLDOWN = Duration.ofSeconds(60);

    public RoutingSettings {
        if (defaultCap < 1 || maxOfferAttempts < 1 || offerTimeout.isNegative() || offerTimeout.isZero()
                || presenceGrace.isNegative() || declineCooldown.isNegative()) {
            throw new IllegalArgumentException("invalid routing settings");
        }
    }

    /** With the default decline cool-down. */
    public RoutingSettings(int defaultCap, Duration offerTimeout, int maxOfferAttempts, Duration presenceGrace) {
        this(defaultCap, offerTimeout, maxOfferAttempts, presenceGrace, DEFAULT_DECLINE_COOLDOWN);
    }
}
