package dev.sodam.server.store;

import java.time.Instant;

/**
 * A login session (one bearer token). {@code id} is a prefix of the token's SHA-256, enough to name
 * the session and never enough to use it.
 */
public record SessionInfo(String id, String agentId, Instant createdAt, Instant expiresAt, String ip,
                          String userAgent) {
    /** Characters of the token hash that name a session. */
    public static final int ID_LENGTH = 16;
}
