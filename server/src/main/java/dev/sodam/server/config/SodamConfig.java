package dev.sodam.server.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Sodam's runtime settings, read by {@link ConfigLoader} from {@code sodam.yaml} and {@code SODAM_*}
 * environment variables. Every field has a default, so an empty file is a valid configuration.
 */
public record SodamConfig(
        String host,
        int port,
        String publicUrl,
        Path dataDir,
        Path faqSeedDir,
        Path botIntentsFile,
        double botAnswerThreshold,
        double botClarifyThreshold,
        int maxFrameBytes,
        int maxTextChars,
        int ratePerSecond,
        int rateBurst,
        int pingSeconds,
        int idleSeconds,
        int tokenTtlHours,
        String bootstrapAdmin,
        List<String> demoOrigins,
        int maxChatsPerAgent,
        int offerSeconds,
        int maxOfferAttempts,
        int presenceGraceSeconds,
        int declineCooldownSeconds,
        int awayAfterMissedOffers,
        Path teamsSeedFile,
        int staleNudgeMinutes,
        int staleResolveMinutes,
        boolean botCalibrate,
        Path botOutOfScopeFile,
        Map<String, LocaleThresholds> botLocaleThresholds,
        int maxOutboundBytes,
        IntegrationSettings integrations,
        StoreSettings store,
        ClusterSettings cluster,
        LoginLimits loginLimits) {

    /**
     * A locale's thresholds set in {@code sodam.yaml} ({@code bot.ko.answerThreshold} …); each may be
     * absent (null), and a set one always wins over the calibrated or default value.
     */
    public record LocaleThresholds(Double answer, Double clarify) {
    }

    /** Copy with another port; tests bind to port 0 and read the real one back. */
    public SodamConfig withPort(int newPort) {
        return new SodamConfig(host, newPort, publicUrl, dataDir, faqSeedDir, botIntentsFile, botAnswerThreshold,
                botClarifyThreshold, maxFrameBytes, maxTextChars, ratePerSecond, rateBurst, pingSeconds, idleSeconds,
                tokenTtlHours, bootstrapAdmin, demoOrigins, maxChatsPerAgent, offerSeconds, maxOfferAttempts,
                presenceGraceSeconds, declineCooldownSeconds, awayAfterMissedOffers, teamsSeedFile, staleNudgeMinutes, staleResolveMinutes, botCalibrate,
                botOutOfScopeFile, botLocaleThresholds, maxOutboundBytes, integrations, store, cluster, loginLimits);
    }

    /** Copy with another store. */
    public SodamConfig withStore(StoreSettings newStore) {
        return new SodamConfig(host, port, publicUrl, dataDir, faqSeedDir, botIntentsFile, botAnswerThreshold,
                botClarifyThreshold, maxFrameBytes, maxTextChars, ratePerSecond, rateBurst, pingSeconds, idleSeconds,
                tokenTtlHours, bootstrapAdmin, demoOrigins, maxChatsPerAgent, offerSeconds, maxOfferAttempts,
                presenceGraceSeconds, declineCooldownSeconds, awayAfterMissedOffers, teamsSeedFile, staleNudgeMinutes, staleResolveMinutes, botCalibrate,
                botOutOfScopeFile, botLocaleThresholds, maxOutboundBytes, integrations, newStore, cluster, loginLimits);
    }

    /** Copy with another data directory. */
    public SodamConfig withDataDir(Path dir) {
        return new SodamConfig(host, port, publicUrl, dir, faqSeedDir, botIntentsFile, botAnswerThreshold,
                botClarifyThreshold, maxFrameBytes, maxTextChars, ratePerSecond, rateBurst, pingSeconds, idleSeconds,
                tokenTtlHours, bootstrapAdmin, demoOrigins, maxChatsPerAgent, offerSeconds, maxOfferAttempts,
                presenceGraceSeconds, declineCooldownSeconds, awayAfterMissedOffers, teamsSeedFile, staleNudgeMinutes, staleResolveMinutes, botCalibrate,
                botOutOfScopeFile, botLocaleThresholds, maxOutboundBytes, integrations, store, cluster, loginLimits);
    }
}
