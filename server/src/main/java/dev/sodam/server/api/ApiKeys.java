package dev.sodam.server.api;

import dev.sodam.server.audit.Audit;
import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.ErrorCode;
import dev.sodam.server.conversation.Replies;
import dev.sodam.server.http.JsonApi;
import dev.sodam.server.model.Agent;
import dev.sodam.server.model.Author;
import dev.sodam.server.store.IntegrationTx.ApiKey;
import dev.sodam.server.store.Store;
import dev.sodam.server.util.Hashing;
import dev.sodam.server.util.Ids;
import io.netty.handler.codec.http.FullHttpRequest;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * API keys: {@code <id>.<secret>}, e.g. {@code ak_01J….Xy9…}. Only the SHA-256 of the whole key is
 * stored (a key has 256 random bits, so a fast hash is enough); the key is shown once, at creation.
 * A key belongs to one site and has scopes {@code read} and/or {@code write}; a channel key may
 * only post through its channel.
 */
public final class ApiKeys {
    public static final String READ = "read";
    public static final String WRITE = "write";
    /** Edits the installation-wide FAQ (the bot retrains); only an installation-wide admin grants it. */
    public static final String FAQ = "faq";

    private final Store store;
    private final ConversationService service;
    private final Clock clock;
    private final Ids ids;

    public ApiKeys(Store store, ConversationService service, Clock clock, Ids ids) {
        this.store = store;
        this.service = service;
        this.clock = clock;
        this.ids = ids;
    }

    /** A created key and the key itself, which is never shown again. */
    public record Created(ApiKey key, String secret) {
    }

    /** Creates a key on the domain thread. */
    /** Creates a key on the domain thread, audited as {@code apikey.create} (without the secret). */
    public CompletableFuture<Created> create(String siteId, String name, List<String> scopes, String channel,
                                             Agent by) {
        String id = ids.next("ak_");
        String secret = id + "." + ids.secret("");
        ApiKey key = new ApiKey(id, siteId, name, List.copyOf(scopes), channel, Hashing.sha256Hex(secret),
                clock.instant(), by.id(), null);
        return Replies.<Created>future(reply -> service.execute(tx -> {
            if (tx.site(siteId).isEmpty()) {
                throw ChatException.refused(ErrorCode.NOT_FOUND, "unknown site '" + siteId + "'",
                        ChatException.Reason.UNKNOWN, "site", "value", siteId);
            }
            tx.integrations().insertApiKey(key);
            Audit.write(tx, key.createdAt(), by, siteId, "apikey.create", "apikey", id, null, ApiJson.apiKey(key));
            return new Created(key, secret);
        }, reply));
    }

    /** Revokes an active key, audited as {@code apikey.revoke}; false when there is no such active key. */
    public CompletableFuture<Boolean> revoke(String id, Agent by) {
        return Replies.future(reply -> service.execute(tx -> {
            java.util.Optional<ApiKey> key = tx.integrations().apiKey(id);
            Instant now = clock.instant();
            boolean revoked = tx.integrations().revokeApiKey(id, now);
            if (revoked) {
                Audit.write(tx, now, by, key.map(ApiKey::siteId).orElse(null), "apikey.revoke", "apikey", id,
                        key.map(ApiJson::apiKey).orElse(null), null);
            }
            return revoked;
        }, reply));
    }

    /**
     * The key presented as {@code Authorization: Bearer <key>} or {@code X-Api-Key: <key>}; 401 when it
     * is missing, unknown or revoked. Runs a store read: call on the blocking executor.
     */
    public ApiKey authenticate(FullHttpRequest request) {
        String presented = JsonApi.bearer(request);
        if (presented == null) {
            presented = request.headers().get("X-Api-Key");
        }
        if (presented == null || presented.isBlank()) {
            throw new ChatException(ErrorCode.UNAUTHORIZED, "an API key is required: 'Authorization: Bearer <key>'");
        }
        String given = presented.trim();
        int dot = given.indexOf('.');
        String id = dot > 0 ? given.substring(0, dot) : given;
        ApiKey key = store.read(tx -> tx.integrations().apiKey(id)).orElse(null);
        if (key == null || key.revokedAt() != null || !MessageDigest.isEqual(
                key.secretHash().getBytes(StandardCharsets.US_ASCII),
                Hashing.sha256Hex(given).getBytes(StandardCharsets.US_ASCII))) {
            throw new ChatException(ErrorCode.UNAUTHORIZED, "unknown or revoked API key");
        }
        return key;
    }

    /** The key as the author of what it writes (messages, state changes, audit rows). */
    public static Author author(ApiKey key, Author.Kind kind, String name) {
        return new Author(kind, key.id(), name == null || name.isBlank() ? key.name() : name.strip());
    }

    /** The key as the editor of FAQ entries: the FAQ service records it in the history and audit log. */
    public static Agent editor(ApiKey key) {
        return new Agent(key.id(), null, "API key " + key.name(), Agent.Role.ADMIN, null, key.createdAt(), null);
    }

    /** 403 unless the key has {@code scope}. */
    public static ApiKey require(ApiKey key, String scope) {
        if (!key.scopes().contains(scope)) {
            throw new ChatException(ErrorCode.FORBIDDEN, "this API key lacks the '" + scope + "' scope");
        }
        return key;
    }
}
