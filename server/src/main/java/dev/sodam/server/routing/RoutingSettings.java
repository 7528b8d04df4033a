package dev.sodam.server.routing;

import java.time.Duration;

/**
 * How routing behaves: the default per-agent chat limit, how long an agent has to accept an
 * offer, how many offers fail before supervisors are alerted, how long a disconnected agent
 * keeps their chats (a page reload must not cost them), how long an agent who declined a chat
 * is not offered that chat again (so a lone agent's "decline" is not answered by the same offer at once),
 * and after how many offers in a row an agent lets time out they are set away (0: never), so an agent
 * who walked away from an open console is not offered chat after chat that visitors wait out in vain.
 */
public record RoutingSettings(int defaultCap, Duration offerTimeout, int maxOfferAttempts, Duration presenceGrace,
                              Duration declineCooldown, int awayAfterMissedOffers) {
    /** {@code routing.declineCooldownSeconds}' default. */
    public static final Duration DEFAULT_DECLINE_COOLDOWN = Duration.ofSeconds(60);
    /** {@code routing.awayAfterMissedOffers}' default. */
    public static final int DEFAULT_AWAY_AFTER_MISSED_OFFERS = 2;

    public RoutingSettings {
        if (defaultCap < 1 || maxOfferAttempts < 1 || offerTimeout.isNegative() || offerTimeout.isZero()
                || presenceGrace.isNegative() || declineCooldown.isNegative() || awayAfterMissedOffers < 0) {
            throw new IllegalArgumentException("invalid routing settings");
        }
    }

    /** With the default for setting an agent away after missed offers. */
    public RoutingSettings(int defaultCap, Duration offerTimeout, int maxOfferAttempts, Duration presenceGrace,
                           Duration declineCooldown) {
        this(defaultCap, offerTimeout, maxOfferAttempts, presenceGrace, declineCooldown, DEFAULT_AWAY_AFTER_MISSED_OFFERS);
    }

    /** With the default decline cool-down and the default for setting an agent away after missed offers. */
    public RoutingSettings(int defaultCap, Duration offerTimeout, int maxOfferAttempts, Duration presenceGrace) {
        this(defaultCap, offerTimeout, maxOfferAttempts, presenceGrace, DEFAULT_DECLINE_COOLDOWN);
    }

    /** These settings with {@code awayAfterMissedOffers} changed. */
    public RoutingSettings withAwayAfterMissedOffers(int missed) {
        return new RoutingSettings(defaultCap, offerTimeout, maxOfferAttempts, presenceGrace, declineCooldown, missed);
    }
}
