package dev.sodam.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.admin.AdminApi;
import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.ErrorCode;
import dev.sodam.server.conversation.Replies;
import dev.sodam.server.faq.FaqService;
import dev.sodam.server.http.JsonApi;
import dev.sodam.server.http.JsonApi.Answer;
import dev.sodam.server.http.JsonApi.Call;
import dev.sodam.server.model.Author;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.ConversationState;
import dev.sodam.server.model.Message;
import dev.sodam.server.model.Visitor;
import dev.sodam.server.store.IntegrationTx;
import dev.sodam.server.store.IntegrationTx.ApiKey;
import dev.sodam.server.store.Store;
import dev.sodam.server.util.Text;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The versioned public REST API under {@code /api/v1/} (docs/openapi.yaml), authenticated by a
 * site's API key. Everything is scoped to the key's site: another site's conversation is "not
 * found". Reads need the {@code read} scope, writes {@code write}; a message posted here goes
 * through {@link ConversationService} like any other, so seq, acks and events stay exact.
 */
public final class PublicApi {
    public static final String PREFIX = "/api/v1/";

    private final Store store;
    private final ConversationService service;
    private final FaqService faq;
    private final Clock clock;
    private final int maxTextChars;
    private final JsonApi<ApiKey> api;

    public PublicApi(ApiKeys keys, Store store, ConversationService service, FaqService faq, Clock clock,
                     int maxTextChars, Executor blocking) {
        this.store = store;
        this.service = service;
        this.faq = faq;
        this.clock = clock;
        this.maxTextChars = maxTextChars;
        this.api = new JsonApi<>(List.of(PREFIX), keys::authenticate, blocking)
                .route(HttpMethod.GET, "/api/v1/conversations", this::conversations)
                .route(HttpMethod.GET, "/api/v1/conversations/{id}", this::conversation)
                .route(HttpMethod.GET, "/api/v1/conversations/{id}/messages", this::messages)
                .route(HttpMethod.POST, "/api/v1/conversations/{id}/messages", this::post)
                .route(HttpMethod.POST, "/api/v1/conversations/{id}/handoff", this::handoff)
                .route(HttpMethod.POST, "/api/v1/conversations/{id}/resolve", this::resolve)
                .route(HttpMethod.GET, "/api/v1/visitors", this::visitors)
                .route(HttpMethod.GET, "/api/v1/visitors/{id}", this::visitor)
                .route(HttpMethod.GET, "/api/v1/faq", this::faq)
                .route(HttpMethod.POST, "/api/v1/faq", this::createFaq)
                .route(HttpMethod.PUT, "/api/v1/faq/{id}", this::updateFaq)
                .route(HttpMethod.POST, "/api/v1/faq/{id}/disable", this::disableFaq)
                .route(HttpMethod.GET, "/api/v1/teams", this::teams)
                .route(HttpMethod.GET, "/api/v1/agents", this::agents)
                .route(HttpMethod.GET, "/api/v1/reports/summary", this::summary);
    }

    /** The HTTP module; more routes (channels) are added to it by their owners. */
    public JsonApi<ApiKey> api() {
        return api;
    }

    private static ApiKey reader(Call<ApiKey> call) {
        ApiKey key = ApiKeys.require(call.caller(), ApiKeys.READ);
        if (key.channel() != null) {
            throw new ChatException(ErrorCode.FORBIDDEN, "a channel key only posts through its channel");
        }
        return key;
    }

    private static ApiKey writer(Call<ApiKey> call) {
        ApiKey key = ApiKeys.require(call.caller(), ApiKeys.WRITE);
        if (key.channel() != null) {
            throw new ChatException(ErrorCode.FORBIDDEN, "a channel key only posts through its channel");
        }
        return key;
    }

    private static String channelOf(IntegrationTx tx, String visitorId) {
        return tx.channelOf(visitorId).map(c -> c[0]).orElse(null);
    }

    private CompletableFuture<Answer> conversations(Call<ApiKey> call) {
        ApiKey key = reader(call);
        String state = call.param("state");
        if (state != null) {
            try {
                state = ConversationState.valueOf(state.toUpperCase(Locale.ROOT)).name();
            } catch (IllegalArgumentException e) {
                throw JsonApi.bad("query parameter 'state' must be one of bot, queued, assigned, resolved");
            }
        }
        String channel = call.param("channel");
        IntegrationTx.Cursor after = ApiJson.parseCursor(call.param("cursor"));
        int limit = ApiJson.limit(call.param("limit"));
        String wanted = state;
        return JsonApi.now(() -> store.read(tx -> {
            List<Conversation> rows = tx.integrations().conversationsPage(key.siteId(), wanted, channel, after, limit + 1);
            List<Map<String, Object>> items = new ArrayList<>();
            for (Conversation c : rows.subList(0, Math.min(limit, rows.size()))) {
                items.add(ApiJson.conversation(c, channelOf(tx.integrations(), c.visitorId())));
            }
            Conversation last = rows.size() > limit ? rows.get(limit - 1) : null;
            return Answer.ok(ApiJson.page(items, last == null ? null : ApiJson.cursor(last.createdAt(), last.id())));
        }));
    }

    /** The conversation if it belongs to the key's site; otherwise 404, never a hint that it exists. */
    private static Conversation ofSite(dev.sodam.server.store.StoreTx tx, ApiKey key, String id) {
        return tx.conversation(id).filter(c -> c.siteId().equals(key.siteId()))
                .orElseThrow(() -> new ChatException(ErrorCode.NOT_FOUND, "no such conversation"));
    }

    private CompletableFuture<Answer> conversation(Call<ApiKey> call) {
        ApiKey key = reader(call);
        return JsonApi.now(() -> store.read(tx -> {
            Conversation c = ofSite(tx, key, call.path("id"));
            return Answer.ok(ApiJson.conversation(c, channelOf(tx.integrations(), c.visitorId())));
        }));
    }

    private CompletableFuture<Answer> messages(Call<ApiKey> call) {
        ApiKey key = reader(call);
        long after = longParam(call.param("after"), "after", 0);
        int limit = ApiJson.limit(call.param("limit"));
        return JsonApi.now(() -> store.read(tx -> {
            Conversation c = ofSite(tx, key, call.path("id"));
            List<Message> rows = tx.messagesAfter(c.id(), after, limit + 1);
            List<Map<String, Object>> items = rows.subList(0, Math.min(limit, rows.size())).stream()
                    .map(ApiJson::message).toList();
            String next = rows.size() > limit ? String.valueOf(rows.get(limit - 1).seq()) : null;
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("items", items);
            body.put("nextAfter", next);
            return Answer.ok(body);
        }));
    }

    /** The longest {@code clientMsgId} / {@code Idempotency-Key}. */
    static final int MAX_IDEMPOTENCY_KEY = 64;

    /**
     * A message from the integration, as an agent (default) or the bot. A retried call is stored once:
     * the {@code Idempotency-Key} header or {@code clientMsgId} names the message, and a repeat answers
     * 200 with the original.
     */
    private CompletableFuture<Answer> post(Call<ApiKey> call) {
        ApiKey key = writer(call);
        JsonNode body = call.body();
        String text = JsonApi.text(body, "text");
        String clientMsgId = JsonApi.text(body, "clientMsgId");
        String idempotencyKey = call.request().headers().get("Idempotency-Key");
        String kind = JsonApi.text(body, "authorKind");
        if (text == null || text.isBlank()) {
            throw JsonApi.bad("field 'text' is required");
        }
        if (Text.chars(text) > maxTextChars) {
            throw new ChatException(ErrorCode.TOO_LARGE, "field 'text' is longer than " + maxTextChars + " characters");
        }
        if (idempotencyKey != null) {
            if (clientMsgId != null && !clientMsgId.equals(idempotencyKey)) {
                throw JsonApi.bad("the Idempotency-Key header and field 'clientMsgId' differ; send one of them");
            }
            clientMsgId = idempotencyKey;
        }
        if (clientMsgId != null && (clientMsgId.isBlank() || clientMsgId.length() > MAX_IDEMPOTENCY_KEY)) {
            throw JsonApi.bad("'clientMsgId' / Idempotency-Key must be 1 to " + MAX_IDEMPOTENCY_KEY + " characters");
        }
        if (kind != null && !kind.equals("agent") && !kind.equals("bot")) {
            throw JsonApi.bad("field 'authorKind' must be agent or bot");
        }
        Author author = ApiKeys.author(key, "bot".equals(kind) ? Author.Kind.BOT : Author.Kind.AGENT,
                JsonApi.text(body, "authorName"));
        String id = clientMsgId;
        return Replies.<dev.sodam.server.conversation.Results.Posted>future(reply -> service.postFromIntegration(
                key.siteId(), call.path("id"), author, id, text, reply))
                .thenApply(posted -> new Answer(posted.duplicate() ? HttpResponseStatus.OK : HttpResponseStatus.CREATED,
                        ApiJson.message(posted.message())));
    }

    /** BOT → QUEUED: people take over; already queued or assigned changes nothing. Optional body {@code {"topic"}}. */
    private CompletableFuture<Answer> handoff(Call<ApiKey> call) {
        ApiKey key = writer(call);
        String topic = call.request().content().isReadable() ? JsonApi.text(call.body(), "topic") : null;
        return Replies.<Conversation>future(reply -> service.handoffFromIntegration(key.siteId(), call.path("id"),
                ApiKeys.author(key, Author.Kind.AGENT, null), topic, reply)).thenApply(this::conversationAnswer);
    }

    /** → RESOLVED from any open state; an already resolved conversation is 409. */
    private CompletableFuture<Answer> resolve(Call<ApiKey> call) {
        ApiKey key = writer(call);
        return Replies.<Conversation>future(reply -> service.resolveFromIntegration(key.siteId(), call.path("id"),
                ApiKeys.author(key, Author.Kind.AGENT, null), reply)).thenApply(this::conversationAnswer);
    }

    private Answer conversationAnswer(Conversation c) {
        return Answer.ok(store.read(tx -> ApiJson.conversation(c, channelOf(tx.integrations(), c.visitorId()))));
    }

    private static ApiKey faqEditor(Call<ApiKey> call) {
        ApiKey key = ApiKeys.require(call.caller(), ApiKeys.FAQ);
        if (key.channel() != null) {
            throw new ChatException(ErrorCode.FORBIDDEN, "a channel key only posts through its channel");
        }
        return key;
    }

    /** Through the admin API's FAQ service: validated, versioned, audited as the key, and the bot retrains. */
    private CompletableFuture<Answer> createFaq(Call<ApiKey> call) {
        ApiKey key = faqEditor(call);
        JsonNode body = call.body();
        return faq.create(ApiKeys.editor(key), AdminApi.draft(body, JsonApi.text(body, "id")))
                .thenApply(created -> Answer.created(ApiJson.faq(created)));
    }

    private CompletableFuture<Answer> updateFaq(Call<ApiKey> call) {
        ApiKey key = faqEditor(call);
        JsonNode body = call.body();
        String bodyId = JsonApi.text(body, "id");
        if (bodyId != null && !bodyId.equals(call.path("id"))) {
            throw JsonApi.bad("field 'id' differs from the path");
        }
        return faq.update(ApiKeys.editor(key), call.path("id"), AdminApi.draft(body, call.path("id")),
                AdminApi.version(body.get("version"), "version")).thenApply(changed -> Answer.ok(ApiJson.faq(changed)));
    }

    private CompletableFuture<Answer> disableFaq(Call<ApiKey> call) {
        ApiKey key = faqEditor(call);
        return faq.setEnabled(ApiKeys.editor(key), List.of(call.path("id")), false)
                .thenApply(changed -> Answer.ok(ApiJson.faq(changed.get(0))));
    }

    private CompletableFuture<Answer> visitors(Call<ApiKey> call) {
        ApiKey key = reader(call);
        IntegrationTx.Cursor after = ApiJson.parseCursor(call.param("cursor"));
        int limit = ApiJson.limit(call.param("limit"));
        return JsonApi.now(() -> store.read(tx -> {
            List<Visitor> rows = tx.integrations().visitorsPage(key.siteId(), after, limit + 1);
            List<Map<String, Object>> items = new ArrayList<>();
            for (Visitor v : rows.subList(0, Math.min(limit, rows.size()))) {
                items.add(ApiJson.visitor(v, channelOf(tx.integrations(), v.id())));
            }
            Visitor last = rows.size() > limit ? rows.get(limit - 1) : null;
            return Answer.ok(ApiJson.page(items, last == null ? null : ApiJson.cursor(last.createdAt(), last.id())));
        }));
    }

    private CompletableFuture<Answer> visitor(Call<ApiKey> call) {
        ApiKey key = reader(call);
        return JsonApi.now(() -> store.read(tx -> {
            Visitor v = tx.integrations().visitor(call.path("id")).filter(x -> x.siteId().equals(key.siteId()))
                    .orElseThrow(() -> new ChatException(ErrorCode.NOT_FOUND, "no such visitor"));
            return Answer.ok(ApiJson.visitor(v, channelOf(tx.integrations(), v.id())));
        }));
    }

    private CompletableFuture<Answer> faq(Call<ApiKey> call) {
        reader(call);
        List<Map<String, Object>> items = faq.search(call.param("locale"), call.param("tag"), call.param("q"), Boolean.TRUE,
                call.param("team")).stream().map(ApiJson::faq).toList();
        return JsonApi.now(() -> Answer.ok(ApiJson.page(items, null)));
    }

    private CompletableFuture<Answer> teams(Call<ApiKey> call) {
        reader(call);
        return JsonApi.now(() -> Answer.ok(ApiJson.page(store.read(tx -> tx.teams()).stream().map(ApiJson::team).toList(),
                null)));
    }

    private CompletableFuture<Answer> agents(Call<ApiKey> call) {
        ApiKey key = reader(call);
        // The installation's people and the key's site's own; never another site's staff.
        return JsonApi.now(() -> Answer.ok(ApiJson.page(store.read(tx -> tx.agents()).stream()
                .filter(a -> a.siteId() == null || a.siteId().equals(key.siteId())).map(ApiJson::agent).toList(), null)));
    }

    private CompletableFuture<Answer> summary(Call<ApiKey> call) {
        ApiKey key = reader(call);
        Instant to = instantParam(call.param("to"), "to", clock.instant());
        Instant from = instantParam(call.param("from"), "from", to.minus(Duration.ofDays(7)));
        if (!from.isBefore(to)) {
            throw JsonApi.bad("'from' must be before 'to'");
        }
        return JsonApi.now(() -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("siteId", key.siteId());
            body.put("from", from);
            body.put("to", to);
            body.put("counts", store.read(tx -> tx.integrations().report(key.siteId(), from, to)));
            return Answer.ok(body);
        });
    }

    private static long longParam(String value, String name, long fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw JsonApi.bad("query parameter '" + name + "' must be a whole number, 0 or more");
    }

    private static Instant instantParam(String value, String name, Instant fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw JsonApi.bad("query parameter '" + name + "' must be an instant such as 2026-11-22T10:00:00Z");
        }
    }
}
