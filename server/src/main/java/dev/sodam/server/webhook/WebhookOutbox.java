package dev.sodam.server.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.event.ChatEvent;
import dev.sodam.server.store.IntegrationTx;
import dev.sodam.server.store.IntegrationTx.OutboxEntry;
import dev.sodam.server.store.IntegrationTx.Webhook;
import dev.sodam.server.store.Store;
import dev.sodam.server.store.StoreTx;
import dev.sodam.server.util.Ids;
import dev.sodam.server.util.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes one outbox row per webhook event and subscribed webhook, inside the transaction of the change
 * it reports (a {@link ConversationService.CommitRecorder}): the row commits with the message, or
 * neither does. Runs on the domain thread, so it only looks up subscriptions for sites known to have
 * webhooks; a chat without webhooks pays one set lookup.
 */
public final class WebhookOutbox implements ConversationService.CommitRecorder {
    private final Clock clock;
    private final Ids ids;
    /** Sites with at least one webhook; kept by {@link #siteHasWebhooks} from the admin endpoints. */
    private final Set<String> sites = ConcurrentHashMap.newKeySet();

    private final Store store;

    public WebhookOutbox(Store store, Clock clock, Ids ids) {
        this.clock = clock;
        this.ids = ids;
        this.store = store;
        refresh();
    }

    /**
     * Adds the sites that have a webhook now, as stored: at start, and every 30 s for webhooks another
     * node sharing the database created (this node's own are added at once by {@link #siteHasWebhooks}).
     */
    public void refresh() {
        store.read(tx -> {
            tx.sites().forEach(site -> {
                if (!tx.integrations().webhooks(site.id()).isEmpty()) {
                    sites.add(site.id());
                }
            });
            return null;
        });
    }

    /** Called (on the domain thread) when a site gains a webhook, so its events are recorded from then on. */
    public void siteHasWebhooks(String siteId) {
        sites.add(siteId);
    }

    /** Whether any site has a webhook (else there is nothing to deliver). */
    public boolean anyWebhooks() {
        return !sites.isEmpty();
    }

    @Override
    public void record(StoreTx tx, List<ChatEvent> events) {
        for (ChatEvent event : events) {
            // Checked first and cheaply: most sites have no webhooks, and this runs for every command.
            String site = WebhookEvents.siteOf(event);
            if (site == null || !sites.contains(site)) {
                continue;
            }
            List<WebhookEvents.Outgoing> outgoing = WebhookEvents.of(event,
                    c -> tx.integrations().channelOf(c.visitorId()).orElse(null));
            for (WebhookEvents.Outgoing o : outgoing) {
                String siteId = o.conversation().siteId();
                if (sites.contains(siteId)) {
                    write(tx.integrations(), siteId, o);
                }
            }
        }
    }

    private void write(IntegrationTx tx, String siteId, WebhookEvents.Outgoing o) {
        // A channel's reply webhook gets only its own conversations, and not the visitor's messages it sent itself.
        List<Webhook> subscribed = tx.webhooks(siteId).stream()
                .filter(w -> w.enabled() && w.events().contains(o.type()))
                .filter(w -> w.channel() == null || (w.channel().equals(o.channel()) && !o.fromVisitor()))
                .toList();
        if (subscribed.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        String eventId = ids.next("ev_");
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", eventId);
        payload.put("type", o.type());
        payload.put("createdAt", now);
        payload.put("siteId", siteId);
        payload.put("data", o.data());
        String body;
        try {
            body = Json.MAPPER.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        for (Webhook webhook : subscribed) {
            tx.insertOutbox(new OutboxEntry(0, eventId, webhook.id(), o.type(), o.conversation().id(), body, now,
                    "pending", 0, now, null, null, null));
        }
    }
}
