package dev.sodam.server.webhook;

import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.Replies;
import dev.sodam.server.store.IntegrationTx.Pruned;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the outbox small: delivered entries older than the retention go with their attempts, and so
 * do attempts older than it of entries that stay (pending and failed entries are kept, they can still
 * be redelivered). Runs on the domain thread in batches, so chat commands go in between; the age
 * comes from the injected clock. Scheduled hourly with the other maintenance jobs.
 */
public final class WebhookRetention {
    private static final Logger log = LoggerFactory.getLogger(WebhookRetention.class);
    /** Rows per unit of work: small enough that a chat message never waits long behind a batch. */
    static final int BATCH = 500;

    private final ConversationService service;
    private final Clock clock;
    private final Duration retention;

    public WebhookRetention(ConversationService service, Clock clock, Duration retention) {
        this.service = service;
        this.clock = clock;
        this.retention = retention;
    }

    /** One full pass; returns how many deliveries and attempts it deleted in all. */
    public Pruned prune() {
        Instant cutoff = clock.instant().minus(retention);
        int deliveries = 0;
        int attempts = 0;
        while (true) {
            Pruned batch = Replies.<Pruned>future(reply -> service.execute(
                    tx -> tx.integrations().pruneOutbox(cutoff, BATCH), reply)).join();
            deliveries += batch.deliveries();
            attempts += batch.attempts();
            if (batch.deliveries() < BATCH && batch.attempts() < BATCH) {
                return new Pruned(deliveries, attempts);
            }
        }
    }

    /** The scheduled run: logs what went, and a failure without stopping the schedule. */
    public void pruneOnSchedule() {
        try {
            Pruned pruned = prune();
            if (pruned.deliveries() + pruned.attempts() > 0) {
                log.info("webhooks: deleted {} delivered entries and {} attempts older than {} days",
                        pruned.deliveries(), pruned.attempts(), retention.toDays());
            }
        } catch (RuntimeException e) {
            log.warn("webhooks: pruning the outbox failed: {}", e.getMessage());
        }
    }
}
