package dev.sodam.server.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.api.IntegrationAdminApi;
import dev.sodam.server.audit.Audit;
import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.conversation.ChatException.Reason;
import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.ErrorCode;
import dev.sodam.server.conversation.Replies;
import dev.sodam.server.http.JsonApi;
import dev.sodam.server.http.JsonApi.Answer;
import dev.sodam.server.http.JsonApi.Call;
import dev.sodam.server.model.Agent;
import dev.sodam.server.store.IntegrationTx.DeliveryAttempt;
import dev.sodam.server.store.IntegrationTx.OutboxEntry;
import dev.sodam.server.store.IntegrationTx.Webhook;
import dev.sodam.server.store.Store;
import dev.sodam.server.util.Ids;
import dev.sodam.server.util.Text;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Admin endpoints of webhooks under {@code /api/admin/webhooks}: create (the signing secret is shown
 * once), list, delete, the delivery log of one webhook, and redelivery of one entry.
 */
public final class WebhookAdmin {
    private final Store store;
    private final ConversationService service;
    private final WebhookOutbox outbox;
    private final WebhookWorker worker;
    private final WebhookTargets targets;
    private final Clock clock;
    private final Ids ids;

    public WebhookAdmin(Store store, ConversationService service, WebhookOutbox outbox, WebhookWorker worker,
                        WebhookTargets targets, Clock clock, Ids ids) {
        this.store = store;
        this.service = service;
        this.outbox = outbox;
        this.worker = worker;
        this.targets = targets;
        this.clock = clock;
        this.ids = ids;
    }

    /** Adds the webhook routes to the integration admin API. */
    public void register(JsonApi<Agent> api) {
        String base = IntegrationAdminApi.WEBHOOKS;
        api.route(HttpMethod.GET, base, this::list)
                .route(HttpMethod.POST, base, this::create)
                .route(HttpMethod.PUT, base + "/{id}", this::update)
                .route(HttpMethod.DELETE, base + "/{id}", this::delete)
                .route(HttpMethod.GET, base + "/{id}/deliveries", this::deliveries)
                .route(HttpMethod.POST, base + "/{id}/deliveries/{seq}/redeliver", this::redeliver);
    }

    /** Creates a webhook on the domain thread (used by the channel adapters' setup too). */
    public CompletableFuture<Webhook> create(String siteId, String url, List<String> events, String channel, Agent by) {
        String refusal = targets.refusal(url);
        if (refusal != null) {
            throw badUrl(refusal, url);
        }
        Webhook webhook = new Webhook(ids.next("wh_"), siteId, url, ids.secret("whsec_"), List.copyOf(events), channel,
                true, clock.instant());
        return Replies.<Webhook>future(reply -> service.execute(tx -> {
            if (tx.site(siteId).isEmpty()) {
                throw ChatException.refused(ErrorCode.NOT_FOUND, "unknown site '" + siteId + "'", Reason.UNKNOWN, "site",
                        "value", siteId);
            }
            tx.integrations().insertWebhook(webhook);
            Audit.write(tx, webhook.createdAt(), by, siteId, "webhook.create", "webhook", webhook.id(), null, json(webhook));
            outbox.siteHasWebhooks(siteId);
            return webhook;
        }, reply));
    }

    /** The {@code url} field: required, at most 2000 characters, and a target Sodam may call. */
    private String url(JsonNode body) {
        String url = JsonApi.text(body, "url");
        if (url == null || url.isBlank()) {
            throw ChatException.invalid("field 'url' is required (an http or https URL)", Reason.REQUIRED, "url");
        }
        if (Text.chars(url) > URL_MAX) {
            throw ChatException.invalid("field 'url' is required (an http or https URL)", Reason.TOO_LONG, "url",
                    "count", Text.chars(url), "max", URL_MAX);
        }
        String refusal = targets.refusal(url.strip());
        if (refusal != null) {
            throw badUrl(refusal, url.strip());
        }
        return url.strip();
    }

    static final int URL_MAX = 2000;

    /** A target Sodam may not call; {@code why} is the English detail, the page has one sentence for all of them. */
    private static ChatException badUrl(String why, String url) {
        return ChatException.invalid("field 'url': " + why, Reason.INVALID, "url", "value", Text.truncate(url, 40));
    }

    /** The {@code events} field: known event types, all of them when absent or empty. */
    private static List<String> events(JsonNode body) {
        List<String> events = JsonApi.strings(body, "events");
        if (events == null || events.isEmpty()) {
            return WebhookEvents.ALL;
        }
        for (String event : events) {
            if (!WebhookEvents.ALL.contains(event)) {
                throw ChatException.invalid("unknown event '" + event + "'; known: " + WebhookEvents.ALL, Reason.UNKNOWN,
                        "events", "value", Text.truncate(event, 40));
            }
        }
        return events.stream().distinct().toList();
    }

    private CompletableFuture<Answer> create(Call<Agent> call) {
        JsonNode body = call.body();
        String url = url(body);
        List<String> events = events(body);
        String channel = IntegrationAdminApi.channel(body);
        return create(IntegrationAdminApi.site(call.caller(), JsonApi.text(body, "site")), url, events, channel,
                call.caller())
                .thenApply(w -> {
                    Map<String, Object> json = json(w);
                    json.put("secret", w.secret());
                    return Answer.created(json);
                });
    }

    private static Map<String, Object> json(Webhook w) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", w.id());
        json.put("siteId", w.siteId());
        json.put("url", w.url());
        json.put("events", w.events());
        json.put("channel", w.channel());
        json.put("enabled", w.enabled());
        json.put("createdAt", w.createdAt());
        return json;
    }

    private CompletableFuture<Answer> list(Call<Agent> call) {
        String site = IntegrationAdminApi.site(call.caller(), call.param("site"));
        List<Map<String, Object>> items = store.read(tx -> tx.integrations().webhooks(site)).stream()
                .map(WebhookAdmin::json).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        body.put("nextCursor", null);
        return JsonApi.now(() -> Answer.ok(body));
    }

    private Webhook existing(Agent admin, String id) {
        Webhook webhook = store.read(tx -> tx.integrations().webhook(id))
                .orElseThrow(() -> new ChatException(ErrorCode.NOT_FOUND, "no such webhook"));
        IntegrationAdminApi.requireSite(admin, webhook.siteId(), "webhook");
        return webhook;
    }

    /**
     * Edits a webhook: {@code url}, {@code events} and {@code enabled} as given, the rest as stored. A
     * disabled webhook gets no new outbox entries; what is queued stays and can be redelivered.
     */
    private CompletableFuture<Answer> update(Call<Agent> call) {
        Webhook current = existing(call.caller(), call.path("id"));
        JsonNode body = call.body();
        String url = body.has("url") ? url(body) : current.url();
        List<String> events = body.has("events") ? events(body) : current.events();
        JsonNode enabled = body.get("enabled");
        if (enabled != null && !enabled.isBoolean()) {
            throw ChatException.invalid("field 'enabled' must be true or false", Reason.INVALID, "enabled");
        }
        boolean on = enabled == null ? current.enabled() : enabled.booleanValue();
        Webhook changed = new Webhook(current.id(), current.siteId(), url, current.secret(), events, current.channel(), on,
                current.createdAt());
        return Replies.<Boolean>future(reply -> service.execute(tx -> {
            boolean done = tx.integrations().updateWebhook(current.id(), url, events, on);
            if (done) {
                Audit.write(tx, clock.instant(), call.caller(), current.siteId(), "webhook.update", "webhook", current.id(),
                        json(current), json(changed));
            }
            return done;
        }, reply)).thenApply(done -> {
            if (!done) {
                throw new ChatException(ErrorCode.NOT_FOUND, "no such webhook");
            }
            return Answer.ok(json(changed));
        });
    }

    private CompletableFuture<Answer> delete(Call<Agent> call) {
        String id = call.path("id");
        store.read(tx -> tx.integrations().webhook(id))
                .ifPresent(w -> IntegrationAdminApi.requireSite(call.caller(), w.siteId(), "webhook"));
        return Replies.<Boolean>future(reply -> service.execute(tx -> {
            java.util.Optional<Webhook> before = tx.integrations().webhook(id);
            boolean deleted = tx.integrations().deleteWebhook(id);
            if (deleted) {
                Audit.write(tx, clock.instant(), call.caller(), before.map(Webhook::siteId).orElse(null), "webhook.delete",
                        "webhook", id, before.map(WebhookAdmin::json).orElse(null), null);
            }
            return deleted;
        }, reply))
                .thenApply(deleted -> {
                    if (!deleted) {
                        throw new ChatException(ErrorCode.NOT_FOUND, "no such webhook");
                    }
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("id", id);
                    json.put("deleted", true);
                    return Answer.ok(json);
                });
    }

    private CompletableFuture<Answer> deliveries(Call<Agent> call) {
        Webhook webhook = existing(call.caller(), call.path("id"));
        int limit = dev.sodam.server.api.ApiJson.limit(call.param("limit"));
        List<Map<String, Object>> items = store.read(tx -> tx.integrations().outboxOf(webhook.id(), limit).stream()
                .map(e -> delivery(e, tx.integrations().attempts(e.seq()))).toList());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        body.put("nextCursor", null);
        return JsonApi.now(() -> Answer.ok(body));
    }

    static Map<String, Object> delivery(OutboxEntry e, List<DeliveryAttempt> attempts) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("seq", e.seq());
        json.put("eventId", e.eventId());
        json.put("type", e.eventType());
        json.put("conversationId", e.conversationId());
        json.put("status", e.status());
        json.put("attempts", e.attempts());
        json.put("nextAttemptAt", "pending".equals(e.status()) ? e.nextAttemptAt() : null);
        json.put("deliveredAt", e.deliveredAt());
        json.put("lastStatus", e.lastStatus());
        json.put("lastError", e.lastError());
        json.put("createdAt", e.createdAt());
        json.put("log", attempts.stream().map(a -> {
            Map<String, Object> attempt = new LinkedHashMap<>();
            attempt.put("at", a.at());
            attempt.put("statusCode", a.statusCode());
            attempt.put("error", a.error());
            attempt.put("durationMs", a.durationMs());
            return attempt;
        }).toList());
        return json;
    }

    private CompletableFuture<Answer> redeliver(Call<Agent> call) {
        Webhook webhook = existing(call.caller(), call.path("id"));
        long seq;
        try {
            seq = Long.parseLong(call.path("seq"));
        } catch (NumberFormatException e) {
            throw ChatException.invalid("'" + call.path("seq") + "' is not a delivery number",
                    ChatException.Reason.INVALID, "seq", "value", Text.truncate(call.path("seq"), 40));
        }
        return Replies.<Boolean>future(reply -> service.execute(tx -> {
            boolean ours = tx.integrations().outboxEntry(seq).filter(e -> e.webhookId().equals(webhook.id())).isPresent();
            boolean done = ours && tx.integrations().redeliver(seq, clock.instant());
            if (done) {
                // Sending an event again reaches another system: who did it belongs in the audit log.
                Audit.write(tx, clock.instant(), call.caller(), webhook.siteId(), "webhook.redeliver", "webhook",
                        webhook.id(), null, Map.of("seq", seq));
            }
            return done;
        }, reply)).thenApply(done -> {
            if (!done) {
                throw new ChatException(ErrorCode.NOT_FOUND, "no such delivery of this webhook");
            }
            worker.wake();
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("seq", seq);
            json.put("status", "pending");
            return new Answer(HttpResponseStatus.ACCEPTED, json);
        });
    }
}
