package dev.sodam.server.auth;

import java.util.Set;

/**
 * The other nodes of a cluster, told after a commit that took access away (a session revoked or logged
 * out, an account disabled, its role, site or password changed), so that they forget the tokens they
 * cached and close the connections opened with them at once, not when their cache entries run out. One
 * node has none ({@link #NONE}); with {@code cluster.redis.url} it is the Redis fan-out. The store stays
 * the truth: a notice lost on the way is made good by the receiving node's catch-up
 * ({@link AuthService#recheck}).
 */
@FunctionalInterface
public interface AccessPeers {
    /** No other nodes. */
    AccessPeers NONE = (agentId, tokenHashes, reason) -> { };

    /**
     * Tells the other nodes; returns at once and never throws for an unreachable peer.
     *
     * @param tokenHashes the revoked tokens' SHA-256 hashes, or null for every token of the account
     * @param reason      said to the client in the close frame
     */
    void revoked(String agentId, Set<String> tokenHashes, String reason);
}
