package dev.sodam.server.store;

import java.time.Instant;

/**
 * One admin action in {@code audit_log}: who did what to which object and when, with the object
 * as JSON before and after (null when it did not exist). {@code id} is 0 before the row is stored.
 */
public record AuditEntry(long id, Instant at, String actorId, String actorName, String siteId, String action,
                         String targetType, String targetId, String beforeJson, String afterJson) {

    /**
     * Which rows to read; null fields match anything. {@code siteId} given: only rows about that
     * site (a site's admin never sees another site's actions); {@code installationWide} also admits
     * rows not tied to a site.
     */
    public record Filter(String actorId, String action, String targetType, String targetId, String siteId,
                         Instant from, Instant to, int limit) {
    }
}
