package dev.sodam.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** What the bench's tests need to start a real Sodam: the repository's files and a loopback environment. */
final class TestSodam {
    private TestSodam() {
    }

    /** What follows {@code java} to start a Sodam process from this module's test class path. */
    static java.util.List<String> launch() {
        return java.util.List.of("-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                "dev.sodam.server.SodamMain");
    }

    static Path repoRoot() {
        String root = System.getProperty("sodam.repo.root");
        return (root == null ? Path.of("..") : Path.of(root)).toAbsolutePath().normalize();
    }

    /** An in-process Sodam for the bench's tests: loopback, the repository's FAQ and bot files, no rate limit. */
    static Map<String, String> environment(Path dataDir) {
        Map<String, String> env = new HashMap<>();
        env.put("SODAM_PORT", "0");
        env.put("SODAM_HOST", "127.0.0.1");
        env.put("SODAM_DATA_DIR", dataDir.toString());
        env.put("SODAM_FAQ_SEED_DIR", repoRoot().resolve("config/faq").toString());
        env.put("SODAM_BOT_INTENTS_FILE", repoRoot().resolve("config/bot/intents.json").toString());
        env.put("SODAM_BOT_OUT_OF_SCOPE_FILE", repoRoot().resolve("config/bot/out-of-scope.json").toString());
        env.put("SODAM_BOOTSTRAP_ADMIN", "bench@sodam.test:bench-password-1");
        env.put("SODAM_RATE_PER_SECOND", "100000");
        env.put("SODAM_RATE_BURST", "100000");
        return env;
    }
}
