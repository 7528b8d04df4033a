package dev.sodam.server.config;

/**
 * Settings of the operations and integration surface: the Prometheus endpoint and outbound webhooks.
 *
 * @param metricsEnabled      whether {@code GET /metrics} is served
 * @param metricsToken        when not empty, {@code /metrics} needs {@code Authorization: Bearer <token>}
 * @param allowPrivateTargets whether webhook URLs may point at loopback or private addresses (tests, intranets)
 * @param webhookTimeoutSeconds how long one delivery may take before it counts as failed
 * @param webhookMaxAttempts  attempts before a delivery is given up (it can still be redelivered by hand)
 * @param webhookRetryBaseSeconds the first retry's delay; each further retry doubles it, up to an hour
 * @param webhookRetentionDays how long delivered outbox entries and delivery attempts are kept
 * @param drainSeconds        on shutdown, how long the node answers readiness with 503 while it still serves,
 *                            before it stops accepting connections (so a load balancer takes it out first)
 */
public record IntegrationSettings(boolean metricsEnabled, String metricsToken, boolean allowPrivateTargets,
                                  int webhookTimeoutSeconds, int webhookMaxAttempts, int webhookRetryBaseSeconds,
                                  int webhookRetentionDays, int drainSeconds) {
}
