package dev.sodam.server.faq;

/**
 * The other nodes of a cluster, told after a commit that changed what their bots are built from: the
 * FAQ (they retrain) or the thresholds saved in the test console (they use them). One node has none
 * ({@link #NONE}); with {@code cluster.redis.url} it is the Redis fan-out (docs/deployment.md). A
 * notice only says what to read again: the store stays the truth, so a lost notice is made good by
 * the catch-up ({@link BotEngine#rebuildIfChanged}, {@link ThresholdTuning#load}).
 */
@FunctionalInterface
public interface BotPeers {
    /** What changed in the store. */
    enum Change { FAQ, THRESHOLDS }

    /** No other nodes. */
    BotPeers NONE = change -> { };

    /** Tells the other nodes; returns at once and never throws for an unreachable peer. */
    void changed(Change change);
}
