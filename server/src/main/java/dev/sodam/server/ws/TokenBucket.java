package dev.sodam.server.ws;

import java.time.Clock;

/**
 * A token bucket: {@code ratePerSecond} tokens refill continuously up to {@code burst}. Time comes
 * from an injected {@link Clock} so tests advance it instead of sleeping. Not thread-safe: one per
 * connection, used on its event loop.
 */
final class TokenBucket {
    private final Clock clock;
    private final double ratePerMilli;
    private final double burst;
    private double tokens;
    private long lastMillis;

    TokenBucket(Clock clock, int ratePerSecond, int burst) {
        this.clock = clock;
        this.ratePerMilli = ratePerSecond / 1000.0;
        this.burst = burst;
        this.tokens = burst;
        this.lastMillis = clock.millis();
    }

    boolean tryTake() {
        long now = clock.millis();
        if (now > lastMillis) {
            tokens = Math.min(burst, tokens + (now - lastMillis) * ratePerMilli);
            lastMillis = now;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
