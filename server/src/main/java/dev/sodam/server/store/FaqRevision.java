package dev.sodam.server.store;

import java.time.Instant;

/**
 * One version of an FAQ entry in {@code faq_history}.
 *
 * @param action        seed, create, update, enable, disable, delete or restore
 * @param snapshot      the entry as it was at this version (for {@code delete}: as it was when deleted)
 * @param changedBy     agent id, or null for the seed
 * @param changedByName that agent's name when known
 */
public record FaqRevision(String entryId, long version, String action, StoredFaq snapshot, String changedBy,
                          String changedByName, Instant changedAt) {
}
