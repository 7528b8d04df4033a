package dev.sodam.server.config;

/**
 * How this node reaches the other nodes of one installation ({@code cluster.*} in {@code sodam.yaml}).
 *
 * @param redisUrl the Redis server the nodes fan events out through ({@code redis://host:6379}); "" for a
 *                 single node, which needs no Redis at all
 */
public record ClusterSettings(String redisUrl) {

    /** One node on its own: nothing to fan out to. */
    public static ClusterSettings single() {
        return new ClusterSettings("");
    }

    /** Whether other nodes share this node's store and hear its events. */
    public boolean enabled() {
        return !redisUrl.isEmpty();
    }

    /** Never prints a password in the URL ({@code redis://:secret@host}). */
    @Override
    public String toString() {
        return "ClusterSettings[redisUrl=" + redisUrl.replaceAll("//[^@/]*@", "//***@") + "]";
    }
}
