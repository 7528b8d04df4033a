package dev.sodam.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.auth.AuthService;
import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.conversation.ChatException.Reason;
import dev.sodam.server.conversation.ErrorCode;
import dev.sodam.server.http.JsonApi;
import dev.sodam.server.http.JsonApi.Answer;
import dev.sodam.server.http.JsonApi.Call;
import dev.sodam.server.model.Agent;
import dev.sodam.server.store.Store;
import dev.sodam.server.util.Text;
import io.netty.handler.codec.http.HttpMethod;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

/**
 * Admin endpoints of the integrations: API keys under {@code /api/admin/api-keys} (created, listed,
 * revoked; the key is shown once) and, added by the webhook package, webhooks and their delivery log.
 * Admin role only: no or a bad token gets 401, an agent 403.
 */
public final class IntegrationAdminApi {
    public static final String KEYS = "/api/admin/api-keys";
    public static final String WEBHOOKS = "/api/admin/webhooks";
    /** Channel names: lower-case letters, digits and dashes, e.g. {@code kakao}, {@code naver-talktalk}. */
    private static final Pattern CHANNEL = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    static final int NAME_MAX = 100;

    private final ApiKeys keys;
    private final Store store;
    private final JsonApi<Agent> api;

    public IntegrationAdminApi(AuthService auth, ApiKeys keys, Store store, Executor blocking) {
        this.keys = keys;
        this.store = store;
        this.api = new JsonApi<Agent>(List.of(KEYS, WEBHOOKS), request -> admin(auth, request), blocking)
                .route(HttpMethod.GET, KEYS, this::list)
                .route(HttpMethod.POST, KEYS, this::create)
                .route(HttpMethod.DELETE, KEYS + "/{id}", this::revoke);
    }

    public JsonApi<Agent> api() {
        return api;
    }

    private static Agent admin(AuthService auth, io.netty.handler.codec.http.FullHttpRequest request) {
        Agent agent = auth.authenticate(JsonApi.bearer(request));
        if (agent.role() != Agent.Role.ADMIN) {
            throw new ChatException(ErrorCode.FORBIDDEN, "this needs the admin role");
        }
        return agent;
    }

    /** The optional {@code channel} field of a body: a channel name or null; 400 when malformed. */
    public static String channel(JsonNode body) {
        String channel = JsonApi.text(body, "channel");
        if (channel != null && !CHANNEL.matcher(channel).matches()) {
            throw ChatException.invalid("field 'channel' must be lower-case letters, digits and dashes (at most 32)",
                    Reason.INVALID, "channel", "value", Text.truncate(channel, 40), "max", 32);
        }
        return channel;
    }

    /**
     * The site a request acts on: the one it names (query or body), default {@code demo}; an admin of
     * one site acts only on that site (403 when another is named).
     */
    public static String site(Agent admin, String given) {
        String named = given == null || given.isBlank() ? null : given;
        if (admin.siteId() != null) {
            if (named != null && !named.equals(admin.siteId())) {
                throw ChatException.otherSite("you manage only site '" + admin.siteId() + "'", admin.siteId(), named);
            }
            return admin.siteId();
        }
        return named == null ? "demo" : named;
    }

    /** 404 for a thing of another site than the admin's (never a hint that it exists). */
    public static void requireSite(Agent admin, String siteId, String what) {
        if (admin.siteId() != null && !admin.siteId().equals(siteId)) {
            throw new ChatException(ErrorCode.NOT_FOUND, "no such " + what);
        }
    }

    private CompletableFuture<Answer> list(Call<Agent> call) {
        String site = site(call.caller(), call.param("site"));
        return JsonApi.now(() -> Answer.ok(ApiJson.page(store.read(tx -> tx.integrations().apiKeys(site)).stream()
                .map(ApiJson::apiKey).toList(), null)));
    }

    private CompletableFuture<Answer> create(Call<Agent> call) {
        JsonNode body = call.body();
        String name = JsonApi.text(body, "name");
        List<String> scopes = JsonApi.strings(body, "scopes");
        String channel = channel(body);
        if (name == null || name.isBlank()) {
            throw ChatException.invalid("field 'name' is required (1 to 100 characters)", Reason.REQUIRED, "name");
        }
        if (Text.chars(name) > NAME_MAX) {
            throw ChatException.invalid("field 'name' is required (1 to 100 characters)", Reason.TOO_LONG, "name",
                    "count", Text.chars(name), "max", NAME_MAX);
        }
        String scopesMessage = "field 'scopes' is required: an array of \"read\", \"write\" and/or \"faq\"";
        if (scopes == null || scopes.isEmpty()) {
            throw ChatException.invalid(scopesMessage, Reason.REQUIRED, "scopes");
        }
        for (String scope : scopes) {
            if (!scope.equals(ApiKeys.READ) && !scope.equals(ApiKeys.WRITE) && !scope.equals(ApiKeys.FAQ)) {
                throw ChatException.invalid(scopesMessage, Reason.INVALID, "scopes", "value", Text.truncate(scope, 40));
            }
        }
        if (scopes.contains(ApiKeys.FAQ) && call.caller().siteId() != null) {
            throw ChatException.installationOnly("the FAQ is installation-wide: only an installation admin"
                    + " grants the 'faq' scope", call.caller().siteId());
        }
        return keys.create(site(call.caller(), JsonApi.text(body, "site")), name.strip(), scopes.stream().distinct().sorted().toList(),
                channel, call.caller()).thenApply(created -> {
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("key", ApiJson.apiKey(created.key()));
                    json.put("secret", created.secret());
                    return Answer.created(json);
                });
    }

    private CompletableFuture<Answer> revoke(Call<Agent> call) {
        String id = call.path("id");
        store.read(tx -> tx.integrations().apiKey(id))
                .ifPresent(key -> requireSite(call.caller(), key.siteId(), "active API key"));
        return keys.revoke(id, call.caller()).thenApply(done -> {
            if (!done) {
                throw new ChatException(ErrorCode.NOT_FOUND, "no such active API key");
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", id);
            json.put("revoked", true);
            return Answer.ok(json);
        });
    }
}
