package dev.sodam.server.config;

/**
 * How logins are throttled ({@code auth.lockout.*} in {@code sodam.yaml}; docs/admin.md, "Login
 * throttling"): an account is locked for {@code lockoutMinutes} after {@code accountFailures} failed
 * logins in a row, and an address is refused for the rest of a {@code windowMinutes} window after
 * {@code addressFailures} failures in it.
 */
public record LoginLimits(int accountFailures, int addressFailures, int lockoutMinutes, int windowMinutes) {
    /** The defaults: 5 failures lock an account for 15 minutes; 30 failures in 15 minutes block an address. */
    public static final LoginLimits DEFAULTS = new LoginLimits(5, 30, 15, 15);
}
