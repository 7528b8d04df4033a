package dev.sodam.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/**
 * The environment of one node of a test cluster: the shared PostgreSQL database and Redis, no FAQ to train
 * the bot on (routing and delivery are what cluster tests are about; several bots training at once would
 * only slow a two-core machine down), and no rate limit on test traffic.
 */
public final class ClusterEnv {
    private ClusterEnv() {
    }

    public static Map<String, String> node(String databaseUrl, String redisUrl) {
        Map<String, String> env = new HashMap<>();
        env.put("SODAM_STORE_TYPE", "postgresql");
        env.put("SODAM_STORE_POSTGRES_URL", databaseUrl);
        env.put("SODAM_STORE_POSTGRES_USER", PostgresTestSupport.user());
        env.put("SODAM_STORE_POSTGRES_POOL_SIZE", "4");
        env.put("SODAM_CLUSTER_REDIS_URL", redisUrl);
        try {
            env.put("SODAM_FAQ_SEED_DIR", Files.createTempDirectory("sodam-no-faq").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        env.put("SODAM_BOT_CALIBRATE", "false");
        env.put("SODAM_RATE_PER_SECOND", "1000");
        env.put("SODAM_RATE_BURST", "1000");
        return env;
    }
}
