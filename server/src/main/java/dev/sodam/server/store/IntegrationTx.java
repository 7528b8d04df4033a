package dev.sodam.server.store;

import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.Visitor;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The data operations of the integration surface (API keys, webhooks and their outbox, channel
 * threads, and the paged reads of the public API), reached through {@link StoreTx#integrations()}
 * so that they share the unit's transaction: an outbox row commits with the message it reports.
 */
public interface IntegrationTx {

    /** An API key as stored: never the key itself, only its hash. */
    record ApiKey(String id, String siteId, String name, List<String> scopes, String channel, String secretHash,
                  Instant createdAt, String createdBy, Instant revokedAt) {
    }

    /** An outbound webhook of a site; {@code channel} is set when it carries a channel's replies. */
    record Webhook(String id, String siteId, String url, String secret, List<String> events, String channel,
                   boolean enabled, Instant createdAt) {
    }

    /** One event for one webhook, from commit to delivery. */
    record OutboxEntry(long seq, String eventId, String webhookId, String eventType, String conversationId,
                       String payload, Instant createdAt, String status, int attempts, Instant nextAttemptAt,
                       Instant deliveredAt, Integer lastStatus, String lastError) {
    }

    /** One delivery attempt of an outbox entry (the delivery log). */
    record DeliveryAttempt(long outboxSeq, Instant at, Integer statusCode, String error, long durationMs) {
    }

    /** Where a page of results ends: the last row's creation time and id (results are newest first). */
    record Cursor(Instant createdAt, String id) {
    }

    // ---- API keys

    void insertApiKey(ApiKey key);

    Optional<ApiKey> apiKey(String id);

    List<ApiKey> apiKeys(String siteId);

    /** Marks the key revoked; false when it does not exist or was revoked already. */
    boolean revokeApiKey(String id, Instant at);

    // ---- webhooks and the outbox

    void insertWebhook(Webhook webhook);

    Optional<Webhook> webhook(String id);

    List<Webhook> webhooks(String siteId);

    boolean setWebhookEnabled(String id, boolean enabled);

    /** Replaces a webhook's URL, events and enabled flag (its secret, site and channel stay). */
    boolean updateWebhook(String id, String url, List<String> events, boolean enabled);

    boolean deleteWebhook(String id);

    void insertOutbox(OutboxEntry entry);

    /**
     * Pending entries due at {@code now}, oldest first, each the oldest pending entry of its
     * webhook and conversation (so a conversation's events are delivered in order).
     */
    List<OutboxEntry> dueOutbox(Instant now, int limit);

    /**
     * The entries {@link #dueOutbox} would return, claimed until {@code until} for this node where several
     * nodes share the store: claimed rows are skipped by the others' claims until then (locked with
     * {@code FOR UPDATE SKIP LOCKED}, so two nodes claiming at once never take the same row; a claim of a
     * node that died expires), at most {@code limit} of them. Where one process uses the store (in a read)
     * nothing is claimed: it is {@link #dueOutbox} of {@code limit + sending}, since the {@code sending}
     * entries this node is sending now are still due there.
     */
    List<OutboxEntry> claimOutbox(Instant now, Instant until, int limit, int sending);

    Optional<OutboxEntry> outboxEntry(long seq);

    /** The newest entries of a webhook, newest first. */
    List<OutboxEntry> outboxOf(String webhookId, int limit);

    /** Records an attempt and the entry's new state. */
    void recordAttempt(DeliveryAttempt attempt, String status, int attempts, Instant nextAttemptAt, Instant deliveredAt);

    List<DeliveryAttempt> attempts(long outboxSeq);

    /** Puts an entry back to pending, due at {@code now}, with its attempt count reset. */
    boolean redeliver(long seq, Instant now);

    long pendingOutbox();

    /**
     * Deletes at most {@code batch} delivered outbox entries delivered before {@code cutoff} (with their
     * attempts), then at most {@code batch} attempts made before it (of entries still kept); returns
     * how many of each went. Pending and failed entries stay: they can still be (re)delivered.
     */
    Pruned pruneOutbox(Instant cutoff, int batch);

    /** What one pruning pass deleted. */
    record Pruned(int deliveries, int attempts) {
    }

    // ---- channels

    Optional<String> channelVisitor(String siteId, String channel, String externalId);

    void insertChannelThread(String siteId, String channel, String externalId, String visitorId);

    /** The channel and external id of a visitor that stands for an external chat: [channel, externalId]. */
    Optional<String[]> channelOf(String visitorId);

    // ---- paged reads of the public API

    /** Conversations of a site, newest first; {@code state} and {@code channel} ("web" = no channel) may be null. */
    List<Conversation> conversationsPage(String siteId, String state, String channel, Cursor after, int limit);

    Optional<Visitor> visitor(String id);

    List<Visitor> visitorsPage(String siteId, Cursor after, int limit);

    /** Counts of a site's activity in [from, to): conversations started, handed off, resolved, messages by kind. */
    Map<String, Long> report(String siteId, Instant from, Instant to);
}
