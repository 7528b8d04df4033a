package dev.sodam.server.auth;

import java.util.Set;

/**
 * Closes live connections whose right to be open was just taken away (account disabled, role
 * changed, session revoked). Implemented over the session registry; the auth package never sees
 * sockets.
 */
@FunctionalInterface
public interface SessionCloser {
    /**
     * @param tokenHashes the revoked tokens' hashes, or null for every connection of the account
     * @param reason      said to the client in the close frame
     */
    void close(String agentId, Set<String> tokenHashes, String reason);

    SessionCloser NONE = (agentId, tokenHashes, reason) -> { };
}
