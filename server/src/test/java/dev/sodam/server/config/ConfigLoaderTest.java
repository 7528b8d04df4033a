package dev.sodam.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        Path file = dir.resolve("sodam.yaml");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private static void assertDefaults(SodamConfig config) {
        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.publicUrl()).isEmpty();
        assertThat(config.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(config.faqSeedDir()).isEqualTo(Path.of("config/faq"));
        assertThat(config.botIntentsFile()).isEqualTo(Path.of("config/bot/intents.json"));
        assertThat(config.botAnswerThreshold()).isEqualTo(0.55);
        assertThat(config.botClarifyThreshold()).isEqualTo(0.30);
        assertThat(config.maxFrameBytes()).isEqualTo(65536);
        assertThat(config.maxTextChars()).isEqualTo(4000);
        assertThat(config.ratePerSecond()).isEqualTo(20);
        assertThat(config.rateBurst()).isEqualTo(40);
        assertThat(config.pingSeconds()).isEqualTo(20);
        assertThat(config.idleSeconds()).isEqualTo(60);
        assertThat(config.tokenTtlHours()).isEqualTo(12);
        assertThat(config.bootstrapAdmin()).isEmpty();
        assertThat(config.demoOrigins()).isEmpty();
        assertThat(config.botCalibrate()).isTrue();
        assertThat(config.botOutOfScopeFile()).isEqualTo(Path.of("config/bot/out-of-scope.json"));
        assertThat(config.botLocaleThresholds()).isEmpty();
        assertThat(config.maxOutboundBytes()).isEqualTo(8 * 1024 * 1024);
        assertThat(config.store()).isEqualTo(StoreSettings.sqlite());
        assertThat(config.loginLimits()).isEqualTo(new LoginLimits(5, 30, 15, 15));
        assertThat(config.declineCooldownSeconds()).isEqualTo(60);
        assertThat(config.awayAfterMissedOffers()).isEqualTo(2);
    }

    @Test
    void loginLockoutComesFromTheFileAndTheEnvironmentWins() throws IOException {
        SodamConfig config = ConfigLoader.load(yaml("""
                auth:
                  lockout:
                    accountFailures: 3
                    minutes: 60
                    addressFailures: 50
                    windowMinutes: 30
                """), Map.of("SODAM_LOGIN_LOCKOUT_MINUTES", "5"));
        assertThat(config.loginLimits()).isEqualTo(new LoginLimits(3, 50, 5, 30));
        assertThat(ConfigLoader.documentedKeys()).containsKeys("auth.lockout.accountFailures", "auth.lockout.minutes",
                "auth.lockout.addressFailures", "auth.lockout.windowMinutes");
    }

    @Test
    void badLoginLockoutValuesNameTheKeyAndTheVariable() throws IOException {
        Map<Map<String, String>, String> bad = Map.of(
                Map.of("SODAM_LOGIN_ACCOUNT_FAILURES", "0"), "auth.lockout.accountFailures",
                Map.of("SODAM_LOGIN_ACCOUNT_FAILURES", "many"), "SODAM_LOGIN_ACCOUNT_FAILURES",
                Map.of("SODAM_LOGIN_LOCKOUT_MINUTES", "1441"), "auth.lockout.minutes",
                Map.of("SODAM_LOGIN_WINDOW_MINUTES", "-1"), "auth.lockout.windowMinutes",
                Map.of("SODAM_LOGIN_ADDRESS_FAILURES", "0"), "auth.lockout.addressFailures",
                Map.of("SODAM_LOGIN_ACCOUNT_FAILURES", "10", "SODAM_LOGIN_ADDRESS_FAILURES", "9"),
                "must not be below auth.lockout.accountFailures");
        bad.forEach((env, message) -> assertThatThrownBy(() -> ConfigLoader.load(null, env))
                .as(env.toString()).isInstanceOf(ConfigException.class).hasMessageContaining(message));
        assertThatThrownBy(() -> ConfigLoader.load(yaml("""
                auth:
                  lockout:
                    minutes: 2.5
                """), Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'auth.lockout.minutes' in");
    }

    @Test
    void postgresqlStoreFromFileWithThePasswordFromTheEnvironment() throws IOException {
        SodamConfig config = ConfigLoader.load(yaml("""
                store:
                  type: postgresql
                  postgres:
                    url: jdbc:postgresql://db.internal:5432/sodam
                    user: sodam
                    poolSize: 20
                """), Map.of("SODAM_STORE_POSTGRES_PASSWORD", "s3cret"));
        assertThat(config.store()).isEqualTo(
                StoreSettings.postgresql("jdbc:postgresql://db.internal:5432/sodam", "sodam", "s3cret", 20));
        assertThat(config.store().toString()).doesNotContain("s3cret");
    }

    @Test
    void severalNodesNeedARedisUrlAndAPostgresqlStore() {
        assertThat(ConfigLoader.load(null, Map.of()).cluster().enabled()).as("one node by default").isFalse();
        SodamConfig config = ConfigLoader.load(null, Map.of("SODAM_STORE_TYPE", "postgresql",
                "SODAM_STORE_POSTGRES_URL", "jdbc:postgresql://h/db", "SODAM_CLUSTER_REDIS_URL", "redis://:s3cret@redis:6379"));
        assertThat(config.cluster().enabled()).isTrue();
        assertThat(config.cluster().redisUrl()).isEqualTo("redis://:s3cret@redis:6379");
        assertThat(config.cluster().toString()).doesNotContain("s3cret");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SODAM_CLUSTER_REDIS_URL", "redis://redis:6379")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("SODAM_CLUSTER_REDIS_URL")
                .hasMessageContaining("PostgreSQL");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SODAM_STORE_TYPE", "postgresql",
                "SODAM_STORE_POSTGRES_URL", "jdbc:postgresql://h/db", "SODAM_CLUSTER_REDIS_URL", "http://:pw@redis")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("SODAM_CLUSTER_REDIS_URL")
                .hasMessageContaining("not a Redis URL").message().doesNotContain("pw");
    }

    @Test
    void storeSettingsAreValidatedWithTheKeyNamed() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SODAM_STORE_TYPE", "mysql")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("SODAM_STORE_TYPE")
                .hasMessageContaining("sqlite or postgresql");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SODAM_STORE_TYPE", "postgresql")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("SODAM_STORE_POSTGRES_URL")
                .hasMessageContaining("is not set");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SODAM_STORE_TYPE", "postgresql",
                "SODAM_STORE_POSTGRES_URL", "postgres://localhost/sodam")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not a PostgreSQL JDBC URL");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SODAM_STORE_POSTGRES_URL", "jdbc:postgresql://h/db")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("store.type is sqlite");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SODAM_STORE_TYPE", "PostgreSQL",
                "SODAM_STORE_POSTGRES_URL", "jdbc:postgresql://h/db", "SODAM_STORE_POSTGRES_POOL_SIZE", "1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("SODAM_STORE_POSTGRES_POOL_SIZE");
    }

    @Test
    void theDeclineCoolOffComesFromTheFileOrTheEnvironmentAndIsBounded() throws IOException {
        assertThat(ConfigLoader.load(yaml("""
                routing:
                  declineCooldownSeconds: 120
                """), Map.of()).declineCooldownSeconds()).isEqualTo(120);
        assertThat(ConfigLoader.load(null, Map.of("SODAM_DECLINE_COOLDOWN_SECONDS", "0")).declineCooldownSeconds())
                .as("0: offered again at once").isZero();
        for (String bad : List.of("-1", "3601", "1m")) {
            assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SODAM_DECLINE_COOLDOWN_SECONDS", bad)))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("routing.declineCooldownSeconds");
        }
    }

    @Test
    void awayAfterMissedOffersComesFromTheFileOrTheEnvironmentAndIsBounded() throws IOException {
        assertThat(ConfigLoader.load(yaml("""
                routing:
                  awayAfterMissedOffers: 3
                """), Map.of()).awayAfterMissedOffers()).isEqualTo(3);
        assertThat(ConfigLoader.load(yaml("""
                routing:
                  awayAfterMissedOffers: 3
                """), Map.of("SODAM_AWAY_AFTER_MISSED_OFFERS", "5")).awayAfterMissedOffers())
                .as("the environment wins").isEqualTo(5);
        assertThat(ConfigLoader.load(null, Map.of("SODAM_AWAY_AFTER_MISSED_OFFERS", "0")).awayAfterMissedOffers())
                .as("0: never set away").isZero();
        assertThat(ConfigLoader.load(null, Map.of("SODAM_AWAY_AFTER_MISSED_OFFERS", "20")).awayAfterMissedOffers())
                .isEqualTo(20);
        for (String bad : List.of("-1", "21", "two")) {
            assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SODAM_AWAY_AFTER_MISSED_OFFERS", bad)))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("routing.awayAfterMissedOffers");
        }
    }

    @Test
    void theDrainTimeIsOffByDefaultAndBounded() {
        assertThat(ConfigLoader.load(null, Map.of()).integrations().drainSeconds()).isZero();
        assertThat(ConfigLoader.load(null, Map.of("SODAM_SHUTDOWN_DRAIN_SECONDS", "5")).integrations().drainSeconds())
                .isEqualTo(5);
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SODAM_SHUTDOWN_DRAIN_SECONDS", "301")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("SODAM_SHUTDOWN_DRAIN_SECONDS");
    }

    @Test
    void noFileAndEmptyEnvironmentGivesTheDefaults() {
        assertDefaults(ConfigLoader.load(null, Map.of()));
    }

    @Test
    void emptyFileGivesTheDefaults() throws IOException {
        assertDefaults(ConfigLoader.load(yaml(""), Map.of()));
    }

    @Test
    void fileValuesAreApplied() throws IOException {
        Path file = yaml("""
                server:
                  port: 9090
                  publicUrl: https://chat.example.com/
                data:
                  dir: /var/lib/sodam
                bot:
                  answerThreshold: 0.7
                  clarifyThreshold: 0.4
                limits:
                  rateBurst: 10
                sites:
                  demo:
                    allowedOrigins: ["https://Shop.Example.com", "http://localhost:3000"]
                """);
        SodamConfig config = ConfigLoader.load(file, Map.of());
        assertThat(config.port()).isEqualTo(9090);
        assertThat(config.publicUrl()).isEqualTo("https://chat.example.com");
        assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/sodam"));
        assertThat(config.botAnswerThreshold()).isEqualTo(0.7);
        assertThat(config.botClarifyThreshold()).isEqualTo(0.4);
        assertThat(config.rateBurst()).isEqualTo(10);
        assertThat(config.demoOrigins()).containsExactly("https://shop.example.com", "http://localhost:3000");
        assertThat(config.ratePerSecond()).as("unset keys keep their default").isEqualTo(20);
    }

    @Test
    void environmentOverridesFile() throws IOException {
        Path file = yaml("server:\n  port: 9090\n");
        SodamConfig config = ConfigLoader.load(file, Map.of("SODAM_PORT", "7070", "UNRELATED", "x"));
        assertThat(config.port()).isEqualTo(7070);
    }

    @Test
    void unknownKeyIsRefusedNamingTheKey() throws IOException {
        Path file = yaml("server:\n  prot: 9090\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.prot");
    }

    @Test
    void badEnvironmentValueNamesTheVariableAndTheKey() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SODAM_PORT", "abc")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("SODAM_PORT")
                .hasMessageContaining("server.port")
                .hasMessageContaining("abc");
    }

    @Test
    void badFileValueNamesTheKey() throws IOException {
        Path file = yaml("limits:\n  ratePerSecond: 0\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("limits.ratePerSecond");
    }

    @Test
    void portOutOfRangeIsRefused() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SODAM_PORT", "70000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.port");
    }

    @Test
    void clarifyThresholdAboveAnswerThresholdIsRefused() {
        assertThatThrownBy(() -> ConfigLoader.load(null,
                Map.of("SODAM_BOT_ANSWER_THRESHOLD", "0.4", "SODAM_BOT_CLARIFY_THRESHOLD", "0.6")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bot.clarifyThreshold")
                .hasMessageContaining("bot.answerThreshold");
    }

    @Test
    void perLocaleThresholdsComeFromTheFileOrTheEnvironmentAndMayBePartial() throws IOException {
        Path file = yaml("""
                bot:
                  calibrate: false
                  ko:
                    answerThreshold: 0.7
                    clarifyThreshold: 0.35
                """);
        SodamConfig config = ConfigLoader.load(file, Map.of("SODAM_BOT_EN_ANSWER_THRESHOLD", "0.6"));
        assertThat(config.botCalibrate()).isFalse();
        assertThat(config.botLocaleThresholds()).containsOnly(
                Map.entry("ko", new SodamConfig.LocaleThresholds(0.7, 0.35)),
                Map.entry("en", new SodamConfig.LocaleThresholds(0.6, null)));
    }

    @Test
    void perLocaleClarifyAboveAnswerOrANonBooleanCalibrateIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> ConfigLoader.load(null,
                Map.of("SODAM_BOT_KO_ANSWER_THRESHOLD", "0.3", "SODAM_BOT_KO_CLARIFY_THRESHOLD", "0.5")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bot.ko.clarifyThreshold");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SODAM_BOT_EN_CLARIFY_THRESHOLD", "1.5")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bot.en.clarifyThreshold")
                .hasMessageContaining("SODAM_BOT_EN_CLARIFY_THRESHOLD");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SODAM_BOT_CALIBRATE", "yes")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bot.calibrate");
    }

    @Test
    void thresholdOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SODAM_BOT_ANSWER_THRESHOLD", "NaN")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bot.answerThreshold");
    }

    @Test
    void demoOriginsThatAreNotUrlsAreRefused() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SODAM_DEMO_ORIGINS", "https://ok.example, shop")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("SODAM_DEMO_ORIGINS")
                .hasMessageContaining("shop");
    }

    @Test
    void demoOriginsFromTheEnvironmentAreNormalisedOrigins() {
        SodamConfig config = ConfigLoader.load(null,
                Map.of("SODAM_DEMO_ORIGINS", " https://Shop.Example.com/path , http://localhost:3000 "));
        assertThat(config.demoOrigins()).isEqualTo(List.of("https://shop.example.com", "http://localhost:3000"));
    }

    @Test
    void bootstrapAdminNeedsAnEmailAndALongPassword() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SODAM_BOOTSTRAP_ADMIN", "admin:short")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("SODAM_BOOTSTRAP_ADMIN");
        assertThat(ConfigLoader.load(null, Map.of("SODAM_BOOTSTRAP_ADMIN", "admin@example.com:long-enough"))
                .bootstrapAdmin()).isEqualTo("admin@example.com:long-enough");
    }

    @Test
    void fileThatIsNotAMappingIsRefused() throws IOException {
        Path file = yaml("- just\n- a list\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of())).isInstanceOf(ConfigException.class);
    }

    @Test
    void missingFileIsRefusedNamingIt() {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> ConfigLoader.load(missing, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("nope.yaml");
    }

    @Test
    void theRepositorysConfigFileLoadsAndGivesTheDefaults() {
        String root = System.getProperty("sodam.repo.root");
        Path repo = root == null || root.isBlank() ? Path.of("..") : Path.of(root);
        assertDefaults(ConfigLoader.load(repo.resolve("config/sodam.yaml"), Map.of()));
    }

    @Test
    void everyDocumentedKeyHasAnEnvironmentVariable() {
        assertThat(ConfigLoader.documentedKeys()).containsKey("server.port");
        assertThat(ConfigLoader.documentedKeys().get("server.port")).startsWith("SODAM_PORT");
    }
}
