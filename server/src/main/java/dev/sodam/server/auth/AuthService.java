package dev.sodam.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.ErrorCode;
import dev.sodam.server.conversation.Replies;
import dev.sodam.server.model.Agent;
import dev.sodam.server.store.Store;
import dev.sodam.server.util.Hashing;
import dev.sodam.server.util.Ids;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Agent login and bearer tokens. Tokens are random, stored only as SHA-256 hashes, and expire.
 * The methods block (argon2, SQLite): call them from a blocking executor, never an event loop.
 */
public final class AuthService {
    /** Hash checked against when the email is unknown, so both failures take the same time. */
    private final String decoyHash;
    private final Store store;
    private final ConversationService service;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final Ids ids;
    private final Duration tokenTtl;
    private final Cache<String, Agent> tokenCache = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofSeconds(60))
            .maximumSize(10_000)
            .build();

    public AuthService(Store store, ConversationService service, PasswordHasher hasher, Clock clock, Ids ids,
                       Duration tokenTtl) {
        this.store = store;
        this.service = service;
        this.hasher = hasher;
        this.clock = clock;
        this.ids = ids;
        this.tokenTtl = tokenTtl;
        this.decoyHash = hasher.hash("decoy-password-for-timing");
    }

    /** A successful login: the bearer token and the agent. */
    public record Login(String token, Agent agent) {
    }

    /** Checks the password and issues a token; {@code unauthorized} for any mismatch, without saying which. */
    public CompletableFuture<Login> login(String email, String password) {
        Optional<Agent> agent = store.read(tx -> tx.agentByEmail(email));
        boolean matches = hasher.verify(agent.map(Agent::passwordHash).orElse(decoyHash), password);
        if (agent.isEmpty() || !matches) {
            return CompletableFuture.failedFuture(
                    new ChatException(ErrorCode.UNAUTHORIZED, "wrong email or password"));
        }
        String token = ids.secret("at_");
        Instant expires = clock.instant().plus(tokenTtl);
        Login login = new Login(token, agent.get());
        return Replies.<Void>future(reply -> service.execute(tx -> {
            tx.insertToken(Hashing.sha256Hex(token), login.agent().id(), expires);
            return null;
        }, reply)).thenApply(ignored -> login);
    }

    /** The agent of a valid token, or {@code unauthorized}. */
    public Agent authenticate(String token) {
        if (token == null || token.isBlank()) {
            throw new ChatException(ErrorCode.UNAUTHORIZED, "missing bearer token");
        }
        String hash = Hashing.sha256Hex(token);
        Agent cached = tokenCache.getIfPresent(hash);
        if (cached != null) {
            return cached;
        }
        Agent agent = store.read(tx -> tx.agentByToken(hash, clock.instant()))
                .orElseThrow(() -> new ChatException(ErrorCode.UNAUTHORIZED, "unknown or expired token"));
        tokenCache.put(hash, agent);
        return agent;
    }
}
