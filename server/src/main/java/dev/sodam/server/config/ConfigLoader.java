package dev.sodam.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads {@code sodam.yaml} and overlays {@code SODAM_*} environment variables. Precedence:
 * environment, then file, then default. Unknown keys and bad values stop start-up with a
 * {@link ConfigException} that names the key, because a silently ignored typo ({@code prot: 9090})
 * is worse than a refusal to start.
 */
public final class ConfigLoader {

    /** One setting: its dotted path in the YAML file, its environment variable, its default. */
    private record Key(String path, String env, String defaultValue, Function<String, Object> parser) {
    }

    private static final List<Key> KEYS = List.of(
            new Key("server.host", "SODAM_HOST", "0.0.0.0", ConfigLoader::nonBlank),
            new Key("server.port", "SODAM_PORT", "8080", v -> intIn(v, 0, 65535)),
            new Key("server.publicUrl", "SODAM_PUBLIC_URL", "", ConfigLoader::urlOrEmpty),
            new Key("data.dir", "SODAM_DATA_DIR", "./data", ConfigLoader::path),
            new Key("faq.seedDir", "SODAM_FAQ_SEED_DIR", "config/faq", ConfigLoader::path),
            new Key("bot.intentsFile", "SODAM_BOT_INTENTS_FILE", "config/bot/intents.json", ConfigLoader::path),
            new Key("bot.answerThreshold", "SODAM_BOT_ANSWER_THRESHOLD", "0.55", v -> doubleIn(v, 0, 1)),
            new Key("bot.clarifyThreshold", "SODAM_BOT_CLARIFY_THRESHOLD", "0.30", v -> doubleIn(v, 0, 1)),
            new Key("bot.calibrate", "SODAM_BOT_CALIBRATE", "true", ConfigLoader::bool),
            new Key("bot.outOfScopeFile", "SODAM_BOT_OUT_OF_SCOPE_FILE", "config/bot/out-of-scope.json",
                    ConfigLoader::path),
            new Key("bot.ko.answerThreshold", "SODAM_BOT_KO_ANSWER_THRESHOLD", "", v -> optionalDoubleIn(v, 0, 1)),
            new Key("bot.ko.clarifyThreshold", "SODAM_BOT_KO_CLARIFY_THRESHOLD", "", v -> optionalDoubleIn(v, 0, 1)),
            new Key("bot.en.answerThreshold", "SODAM_BOT_EN_ANSWER_THRESHOLD", "", v -> optionalDoubleIn(v, 0, 1)),
            new Key("bot.en.clarifyThreshold", "SODAM_BOT_EN_CLARIFY_THRESHOLD", "", v -> optionalDoubleIn(v, 0, 1)),
            new Key("limits.maxFrameBytes", "SODAM_MAX_FRAME_BYTES", "65536", v -> intIn(v, 1024, 1 << 20)),
            new Key("limits.maxTextChars", "SODAM_MAX_TEXT_CHARS", "4000", v -> intIn(v, 1, 100_000)),
            new Key("limits.ratePerSecond", "SODAM_RATE_PER_SECOND", "20", v -> intIn(v, 1, 100_000)),
            new Key("limits.rateBurst", "SODAM_RATE_BURST", "40", v -> intIn(v, 1, 100_000)),
            new Key("limits.maxOutboundBytes", "SODAM_MAX_OUTBOUND_BYTES", "8388608",
                    v -> intIn(v, 64 * 1024, 1 << 30)),
            new Key("heartbeat.pingSeconds", "SODAM_PING_SECONDS", "20", v -> intIn(v, 1, 3600)),
            new Key("heartbeat.idleSeconds", "SODAM_IDLE_SECONDS", "60", v -> intIn(v, 2, 86_400)),
            new Key("auth.tokenTtlHours", "SODAM_TOKEN_TTL_HOURS", "12", v -> intIn(v, 1, 24 * 365)),
            new Key("auth.bootstrapAdmin", "SODAM_BOOTSTRAP_ADMIN", "", ConfigLoader::bootstrapAdmin),
            new Key("auth.lockout.accountFailures", "SODAM_LOGIN_ACCOUNT_FAILURES", "5", v -> intIn(v, 1, 100)),
            new Key("auth.lockout.addressFailures", "SODAM_LOGIN_ADDRESS_FAILURES", "30", v -> intIn(v, 1, 100_000)),
            new Key("auth.lockout.minutes", "SODAM_LOGIN_LOCKOUT_MINUTES", "15", v -> intIn(v, 1, 1440)),
            new Key("auth.lockout.windowMinutes", "SODAM_LOGIN_WINDOW_MINUTES", "15", v -> intIn(v, 1, 1440)),
            new Key("sites.demo.allowedOrigins", "SODAM_DEMO_ORIGINS", "", ConfigLoader::originList),
            new Key("routing.maxChatsPerAgent", "SODAM_MAX_CHATS_PER_AGENT", "3", v -> intIn(v, 1, 100)),
            new Key("routing.offerSeconds", "SODAM_OFFER_SECONDS", "30", v -> intIn(v, 1, 3600)),
            new Key("routing.maxOfferAttempts", "SODAM_MAX_OFFER_ATTEMPTS", "3", v -> intIn(v, 1, 100)),
            new Key("routing.presenceGraceSeconds", "SODAM_PRESENCE_GRACE_SECONDS", "30", v -> intIn(v, 0, 3600)),
            new Key("routing.declineCooldownSeconds", "SODAM_DECLINE_COOLDOWN_SECONDS", "60", v -> intIn(v, 0, 3600)),
            new Key("routing.awayAfterMissedOffers", "SODAM_AWAY_AFTER_MISSED_OFFERS", "2", v -> intIn(v, 0, 20)),
            new Key("teams.seedFile", "SODAM_TEAMS_SEED_FILE", "config/teams.json", ConfigLoader::path),
            new Key("routing.staleNudgeMinutes", "SODAM_STALE_NUDGE_MINUTES", "10", v -> intIn(v, 1, 1440)),
            new Key("routing.staleResolveMinutes", "SODAM_STALE_RESOLVE_MINUTES", "5", v -> intIn(v, 1, 1440)),
            new Key("metrics.enabled", "SODAM_METRICS_ENABLED", "true", ConfigLoader::bool),
            new Key("metrics.token", "SODAM_METRICS_TOKEN", "", v -> v),
            new Key("webhooks.allowPrivateTargets", "SODAM_WEBHOOKS_ALLOW_PRIVATE", "false", ConfigLoader::bool),
            new Key("webhooks.timeoutSeconds", "SODAM_WEBHOOK_TIMEOUT_SECONDS", "10", v -> intIn(v, 1, 300)),
            new Key("webhooks.maxAttempts", "SODAM_WEBHOOK_MAX_ATTEMPTS", "8", v -> intIn(v, 1, 50)),
            new Key("webhooks.retryBaseSeconds", "SODAM_WEBHOOK_RETRY_BASE_SECONDS", "10", v -> intIn(v, 1, 3600)),
            new Key("webhooks.retentionDays", "SODAM_WEBHOOK_RETENTION_DAYS", "14", v -> intIn(v, 1, 3650)),
            new Key("shutdown.drainSeconds", "SODAM_SHUTDOWN_DRAIN_SECONDS", "0", v -> intIn(v, 0, 300)),
            new Key("store.type", "SODAM_STORE_TYPE", "sqlite", ConfigLoader::storeType),
            new Key("store.postgres.url", "SODAM_STORE_POSTGRES_URL", "", ConfigLoader::postgresUrl),
            new Key("store.postgres.user", "SODAM_STORE_POSTGRES_USER", "", v -> v),
            new Key("store.postgres.password", "SODAM_STORE_POSTGRES_PASSWORD", "", v -> v),
            new Key("store.postgres.poolSize", "SODAM_STORE_POSTGRES_POOL_SIZE", "10", v -> intIn(v, 2, 500)),
            new Key("cluster.redis.url", "SODAM_CLUSTER_REDIS_URL", "", ConfigLoader::redisUrl));

    private ConfigLoader() {
    }

    /** The documented keys and their environment variables, in order (for help and the README). */
    public static Map<String, String> documentedKeys() {
        Map<String, String> keys = new LinkedHashMap<>();
        KEYS.forEach(k -> keys.put(k.path(), k.env() + " (default: " + (k.defaultValue().isEmpty() ? "none" : k.defaultValue()) + ")"));
        return keys;
    }

    /**
     * Loads a configuration.
     *
     * @param file the YAML file, or null for defaults and environment only
     * @param env  the environment (injected so tests need not touch the real one)
     */
    public static SodamConfig load(Path file, Map<String, String> env) {
        Map<String, String> fromFile = file == null ? Map.of() : readYaml(file);
        Map<String, Object> values = new LinkedHashMap<>();
        for (Key key : KEYS) {
            String raw;
            String source;
            if (env.containsKey(key.env())) {
                raw = env.get(key.env());
                source = "environment variable " + key.env();
            } else if (fromFile.containsKey(key.path())) {
                raw = fromFile.get(key.path());
                source = "'" + key.path() + "' in " + file;
            } else {
                raw = key.defaultValue();
                source = "default of " + key.path();
            }
            try {
                values.put(key.path(), key.parser().apply(raw.trim()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("bad value for " + source + ": " + e.getMessage()
                        + " (key " + key.path() + ", environment variable " + key.env() + ")");
            }
        }
        double answer = (Double) values.get("bot.answerThreshold");
        double clarify = (Double) values.get("bot.clarifyThreshold");
        if (clarify > answer) {
            throw new ConfigException("bot.clarifyThreshold (" + clarify + ") must not exceed bot.answerThreshold ("
                    + answer + ")");
        }
        Map<String, SodamConfig.LocaleThresholds> localeThresholds = new LinkedHashMap<>();
        for (String locale : List.of("ko", "en")) {
            Double a = (Double) values.get("bot." + locale + ".answerThreshold");
            Double c = (Double) values.get("bot." + locale + ".clarifyThreshold");
            if (a != null && c != null && c > a) {
                throw new ConfigException("bot." + locale + ".clarifyThreshold (" + c
                        + ") must not exceed bot." + locale + ".answerThreshold (" + a + ")");
            }
            if (a != null || c != null) {
                localeThresholds.put(locale, new SodamConfig.LocaleThresholds(a, c));
            }
        }
        LoginLimits loginLimits = new LoginLimits((Integer) values.get("auth.lockout.accountFailures"),
                (Integer) values.get("auth.lockout.addressFailures"), (Integer) values.get("auth.lockout.minutes"),
                (Integer) values.get("auth.lockout.windowMinutes"));
        if (loginLimits.addressFailures() < loginLimits.accountFailures()) {
            throw new ConfigException("auth.lockout.addressFailures (" + loginLimits.addressFailures()
                    + ", SODAM_LOGIN_ADDRESS_FAILURES) must not be below auth.lockout.accountFailures ("
                    + loginLimits.accountFailures() + ", SODAM_LOGIN_ACCOUNT_FAILURES): an address would be blocked"
                    + " before any account it tries could lock");
        }
        StoreSettings store = storeSettings(values);
        @SuppressWarnings("unchecked")
        List<String> demoOrigins = (List<String>) values.get("sites.demo.allowedOrigins");
        return new SodamConfig(
                (String) values.get("server.host"),
                (Integer) values.get("server.port"),
                (String) values.get("server.publicUrl"),
                Path.of((String) values.get("data.dir")),
                Path.of((String) values.get("faq.seedDir")),
                Path.of((String) values.get("bot.intentsFile")),
                answer,
                clarify,
                (Integer) values.get("limits.maxFrameBytes"),
                (Integer) values.get("limits.maxTextChars"),
                (Integer) values.get("limits.ratePerSecond"),
                (Integer) values.get("limits.rateBurst"),
                (Integer) values.get("heartbeat.pingSeconds"),
                (Integer) values.get("heartbeat.idleSeconds"),
                (Integer) values.get("auth.tokenTtlHours"),
                (String) values.get("auth.bootstrapAdmin"),
                demoOrigins,
                (Integer) values.get("routing.maxChatsPerAgent"),
                (Integer) values.get("routing.offerSeconds"),
                (Integer) values.get("routing.maxOfferAttempts"),
                (Integer) values.get("routing.presenceGraceSeconds"),
                (Integer) values.get("routing.declineCooldownSeconds"),
                (Integer) values.get("routing.awayAfterMissedOffers"),
                Path.of((String) values.get("teams.seedFile")),
                (Integer) values.get("routing.staleNudgeMinutes"),
                (Integer) values.get("routing.staleResolveMinutes"),
                (Boolean) values.get("bot.calibrate"),
                Path.of((String) values.get("bot.outOfScopeFile")),
                Map.copyOf(localeThresholds),
                (Integer) values.get("limits.maxOutboundBytes"),
                new IntegrationSettings(
                        (Boolean) values.get("metrics.enabled"),
                        (String) values.get("metrics.token"),
                        (Boolean) values.get("webhooks.allowPrivateTargets"),
                        (Integer) values.get("webhooks.timeoutSeconds"),
                        (Integer) values.get("webhooks.maxAttempts"),
                        (Integer) values.get("webhooks.retryBaseSeconds"),
                        (Integer) values.get("webhooks.retentionDays"),
                        (Integer) values.get("shutdown.drainSeconds")),
                store,
                clusterSettings(values, store),
                loginLimits);
    }

    /** Several nodes share one PostgreSQL database; a SQLite file belongs to one process. */
    private static ClusterSettings clusterSettings(Map<String, Object> values, StoreSettings store) {
        String url = (String) values.get("cluster.redis.url");
        if (!url.isEmpty() && store.type() != StoreSettings.Type.POSTGRESQL) {
            throw new ConfigException("cluster.redis.url (SODAM_CLUSTER_REDIS_URL) is set but store.type is sqlite; "
                    + "several nodes share one PostgreSQL database: set store.type (SODAM_STORE_TYPE) to postgresql, "
                    + "or remove the Redis URL to run one node");
        }
        return new ClusterSettings(url);
    }

    private static Object redisUrl(String value) {
        if (!value.isEmpty() && !value.startsWith("redis://") && !value.startsWith("rediss://")) {
            throw new IllegalArgumentException("'" + value.replaceAll("//[^@/]*@", "//***@")
                    + "' is not a Redis URL such as redis://127.0.0.1:6379");
        }
        return value;
    }

    private static StoreSettings storeSettings(Map<String, Object> values) {
        String url = (String) values.get("store.postgres.url");
        if (values.get("store.type") == StoreSettings.Type.SQLITE) {
            if (!url.isEmpty()) {
                throw new ConfigException("store.postgres.url (SODAM_STORE_POSTGRES_URL) is set but store.type is sqlite; "
                        + "set store.type (SODAM_STORE_TYPE) to postgresql to use it, or remove the URL");
            }
            // User and password are kept: migrate-to-postgres takes them from here.
            return new StoreSettings(StoreSettings.Type.SQLITE, "", (String) values.get("store.postgres.user"),
                    (String) values.get("store.postgres.password"), (Integer) values.get("store.postgres.poolSize"));
        }
        if (url.isEmpty()) {
            throw new ConfigException("store.type is postgresql but store.postgres.url (SODAM_STORE_POSTGRES_URL) is not set; "
                    + "expected e.g. jdbc:postgresql://127.0.0.1:5432/sodam");
        }
        return StoreSettings.postgresql(url, (String) values.get("store.postgres.user"),
                (String) values.get("store.postgres.password"), (Integer) values.get("store.postgres.poolSize"));
    }

    private static Object storeType(String value) {
        for (StoreSettings.Type type : StoreSettings.Type.values()) {
            if (type.name().equalsIgnoreCase(value)) {
                return type;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not sqlite or postgresql");
    }

    private static Object postgresUrl(String value) {
        if (!value.isEmpty() && !value.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("'" + value + "' is not a PostgreSQL JDBC URL such as "
                    + "jdbc:postgresql://127.0.0.1:5432/sodam");
        }
        return value;
    }

    private static Map<String, String> readYaml(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage());
        }
        Map<String, String> flat = new LinkedHashMap<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return flat;
        }
        if (!root.isObject()) {
            throw new ConfigException(file + " must be a YAML mapping");
        }
        flatten("", root, flat, file);
        List<String> known = KEYS.stream().map(Key::path).toList();
        for (String path : flat.keySet()) {
            if (!known.contains(path)) {
                throw new ConfigException("unknown key '" + path + "' in " + file + "; known keys: " + known);
            }
        }
        return flat;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out, Path file) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject()) {
                flatten(path, value, out, file);
            } else if (value.isArray()) {
                List<String> items = new ArrayList<>();
                value.forEach(item -> items.add(item.asText()));
                out.put(path, String.join(",", items));
            } else if (value.isNull()) {
                out.put(path, "");
            } else {
                out.put(path, value.asText());
            }
        }
    }

    /** A file system path: not empty, and one the platform can name (no NUL character, say). */
    private static Object path(String value) {
        nonBlank(value);
        Path.of(value); // InvalidPathException is an IllegalArgumentException: reported with its key
        return value;
    }

    private static Object nonBlank(String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException("must not be empty");
        }
        return value;
    }

    private static Object intIn(String value, int min, int max) {
        int parsed;
        try {
            parsed = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is not a whole number");
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(parsed + " is outside " + min + ".." + max);
        }
        return parsed;
    }

    private static Object doubleIn(String value, double min, double max) {
        double parsed;
        try {
            parsed = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is not a number");
        }
        if (!(parsed >= min && parsed <= max)) {
            throw new IllegalArgumentException(parsed + " is outside " + min + ".." + max);
        }
        return parsed;
    }

    /** Empty → null (the setting is absent); otherwise a number in [min, max]. */
    private static Object optionalDoubleIn(String value, double min, double max) {
        return value.isEmpty() ? null : doubleIn(value, min, max);
    }

    private static Object bool(String value) {
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException("'" + value + "' is not true or false");
    }

    private static Object urlOrEmpty(String value) {
        if (value.isEmpty()) {
            return value;
        }
        return origin(value).isEmpty() ? failUrl(value) : value.replaceAll("/+$", "");
    }

    private static Object failUrl(String value) {
        throw new IllegalArgumentException("'" + value + "' is not an http(s) URL such as https://chat.example.com");
    }

    private static Object originList(String value) {
        if (value.isEmpty()) {
            return List.of();
        }
        List<String> origins = new ArrayList<>();
        for (String part : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()) {
            String origin = origin(part);
            if (origin.isEmpty()) {
                throw new IllegalArgumentException("'" + part + "' is not an origin such as https://shop.example.com");
            }
            origins.add(origin);
        }
        return List.copyOf(origins);
    }

    private static Object bootstrapAdmin(String value) {
        if (value.isEmpty()) {
            return value;
        }
        int colon = value.indexOf(':');
        if (colon <= 0 || !value.substring(0, colon).contains("@") || value.length() - colon - 1 < 8) {
            throw new IllegalArgumentException("expected email:password with a password of at least 8 characters");
        }
        return value;
    }

    /** The {@code scheme://host[:port]} of an http(s) URL, lower-cased, or "" if it is not one. */
    public static String origin(String url) {
        try {
            URI uri = URI.create(url.trim());
            String scheme = uri.getScheme();
            if (scheme == null || uri.getHost() == null
                    || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
                return "";
            }
            int port = uri.getPort();
            return scheme.toLowerCase() + "://" + uri.getHost().toLowerCase() + (port == -1 ? "" : ":" + port);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
