package dev.sodam.server.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing, per account and per client address. An account is locked for
 * {@code lockout} after {@code accountFailures} failures in a row (a success resets the count); an
 * address is refused for the rest of a {@code window} after {@code addressFailures} failures in it.
 * While locked, even the right password is refused, so a guesser learns nothing; the cost is that
 * someone who knows an email can lock its owner out for a while (an admin's password reset unlocks).
 *
 * <p>Kept in memory: a restart forgets it, which is acceptable for a lock of minutes. Time comes from
 * the injected clock, so tests move it instead of waiting.
 */
public final class LoginThrottle {
    private final Clock clock;
    private final int accountFailures;
    private final int addressFailures;
    private final Duration lockout;
    private final Duration window;
    private final Map<String, Counter> accounts = new ConcurrentHashMap<>();
    private final Map<String, Counter> addresses = new ConcurrentHashMap<>();

    /** Failures so far and when counting started; {@code lockedUntil} once the limit is hit. */
    private static final class Counter {
        int failures;
        Instant since;
        Instant lockedUntil;
    }

    public LoginThrottle(Clock clock, int accountFailures, int addressFailures, Duration lockout, Duration window) {
        this.clock = clock;
        this.accountFailures = accountFailures;
        this.addressFailures = addressFailures;
        this.lockout = lockout;
        this.window = window;
    }

    /** The defaults: 5 failures lock an account for 15 minutes; 30 failures in 15 minutes block an address. */
    public static LoginThrottle defaults(Clock clock) {
        return configured(clock, dev.sodam.server.config.LoginLimits.DEFAULTS);
    }

    /** As {@code auth.lockout.*} in the configuration says. */
    public static LoginThrottle configured(Clock clock, dev.sodam.server.config.LoginLimits limits) {
        return new LoginThrottle(clock, limits.accountFailures(), limits.addressFailures(),
                Duration.ofMinutes(limits.lockoutMinutes()), Duration.ofMinutes(limits.windowMinutes()));
    }

    /** When the account or the address may try again, or empty when it may try now. */
    public Optional<Instant> blockedUntil(String account, String address) {
        Instant now = clock.instant();
        Instant until = null;
        for (Counter counter : new Counter[] {accounts.get(account), address == null ? null : addresses.get(address)}) {
            if (counter == null) {
                continue;
            }
            synchronized (counter) {
                if (counter.lockedUntil != null && counter.lockedUntil.isAfter(now)
                        && (until == null || counter.lockedUntil.isAfter(until))) {
                    until = counter.lockedUntil;
                }
            }
        }
        return Optional.ofNullable(until);
    }

    public void failed(String account, String address) {
        Instant now = clock.instant();
        count(accounts, account, now, accountFailures, lockout, false);
        if (address != null) {
            count(addresses, address, now, addressFailures, window, true);
        }
    }

    public void succeeded(String account) {
        accounts.remove(account);
    }

    /** Forgets an account's failures and lock (an admin reset its password). */
    public void unlock(String account) {
        accounts.remove(account);
    }

    private void count(Map<String, Counter> map, String key, Instant now, int limit, Duration lock, boolean windowed) {
        Counter counter = map.computeIfAbsent(key, k -> new Counter());
        synchronized (counter) {
            boolean lockOver = counter.lockedUntil != null && !counter.lockedUntil.isAfter(now);
            boolean windowOver = windowed && counter.since != null && !counter.since.plus(window).isAfter(now);
            if (counter.since == null || lockOver || windowOver) {
                counter.failures = 0;
                counter.since = now;
                counter.lockedUntil = null;
            }
            counter.failures++;
            if (counter.failures >= limit) {
                counter.lockedUntil = windowed ? counter.since.plus(lock) : now.plus(lock);
            }
        }
        if (map.size() > 100_000) {
            // A flood of distinct keys must not grow memory without bound; expired entries go first.
            map.entrySet().removeIf(e -> e.getValue().since.plus(window).plus(lockout).isBefore(now));
        }
    }
}
