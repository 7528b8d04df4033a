package dev.sodam.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sodam.server.audit.Audit;
import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.conversation.ChatException.Reason;
import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.ErrorCode;
import dev.sodam.server.conversation.Replies;
import dev.sodam.server.model.Agent;
import dev.sodam.server.store.SessionInfo;
import dev.sodam.server.store.Store;
import dev.sodam.server.store.TokenOwner;
import dev.sodam.server.util.Hashing;
import dev.sodam.server.util.Ids;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Login, bearer tokens (sessions) and one-time password links. Tokens are random, stored only as
 * SHA-256 hashes, expire, and can be revoked; a disabled account's tokens stop working at once.
 * Logins are throttled per account and per address ({@link LoginThrottle}).
 * The methods block (argon2, SQLite): call them from a blocking executor, never an event loop.
 */
public final class AuthService {
    public static final int PASSWORD_MIN = 10;
    public static final int PASSWORD_MAX = 200;

    private final Store store;
    private final ConversationService service;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final Ids ids;
    private final Duration tokenTtl;
    private final LoginThrottle throttle;
    private volatile SessionCloser closer = SessionCloser.NONE;
    private volatile AccessPeers peers = AccessPeers.NONE;
    /**
     * Token hash → its owner, so a busy console does not read the store per request; invalidated on
     * revocation, and checked against the token's own expiry on the injected clock at every use.
     */
    private final Cache<String, TokenOwner> tokenCache = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofSeconds(60))
            .maximumSize(10_000)
            .build();
    /**
     * Counts revocations, so a store read that began before one does not put what it read into the cache
     * after the revocation emptied it (the token would live on here for the cache's minute).
     */
    private final AtomicLong revocations = new AtomicLong();

    public AuthService(Store store, ConversationService service, PasswordHasher hasher, Clock clock, Ids ids,
                       Duration tokenTtl) {
        this(store, service, hasher, clock, ids, tokenTtl, LoginThrottle.defaults(clock));
    }

    public AuthService(Store store, ConversationService service, PasswordHasher hasher, Clock clock, Ids ids,
                       Duration tokenTtl, LoginThrottle throttle) {
        this.store = store;
        this.service = service;
        this.hasher = hasher;
        this.clock = clock;
        this.ids = ids;
        this.tokenTtl = tokenTtl;
        this.throttle = throttle;
    }

    /** Who closes live connections when access is taken away (wired once the session registry exists). */
    public void closeSessionsWith(SessionCloser sessionCloser) {
        this.closer = sessionCloser;
    }

    /** Who else must hear of a revocation: the other nodes of a cluster (wired only when there are some). */
    public void tellPeers(AccessPeers accessPeers) {
        this.peers = accessPeers;
    }

    /** A successful login: the bearer token and the agent. */
    public record Login(String token, Agent agent) {
    }

    /** {@link #login(String, String, String, String)} without a known address or browser. */
    public CompletableFuture<Login> login(String email, String password) {
        return login(email, password, null, null);
    }

    /**
     * Checks the password and issues a token; {@code unauthorized} for any mismatch, without saying
     * which; {@code rate_limited} while the account or the address is locked out (even with the
     * right password); {@code forbidden} for a disabled account with the right password.
     */
    public CompletableFuture<Login> login(String email, String password, String address, String userAgent) {
        String account = email.trim().toLowerCase(Locale.ROOT);
        Optional<Instant> blocked = throttle.blockedUntil(account, address);
        if (blocked.isPresent()) {
            long seconds = Math.max(1, Duration.between(clock.instant(), blocked.get()).toSeconds());
            return CompletableFuture.failedFuture(new ChatException(ErrorCode.RATE_LIMITED,
                    "too many failed logins; try again in " + seconds + " s"));
        }
        Optional<Agent> agent = store.read(tx -> tx.agentByEmail(account));
        // An invited account has no password yet: it is checked against the decoy, and always fails.
        boolean hasPassword = agent.isPresent() && agent.get().passwordHash().startsWith("$argon2");
        boolean matches = hasher.verify(hasPassword ? agent.get().passwordHash() : PasswordHasher.DECOY, password) && hasPassword;
        if (!matches) {
            throttle.failed(account, address);
            return CompletableFuture.failedFuture(
                    new ChatException(ErrorCode.UNAUTHORIZED, "wrong email or password"));
        }
        throttle.succeeded(account);
        boolean disabled = store.read(tx -> tx.user(agent.get().id())).map(u -> u.disabled()).orElse(true);
        if (disabled) {
            return CompletableFuture.failedFuture(new ChatException(ErrorCode.FORBIDDEN, "this account is disabled"));
        }
        return issue(agent.get(), address, userAgent);
    }

    private CompletableFuture<Login> issue(Agent agent, String address, String userAgent) {
        String token = ids.secret("at_");
        Instant now = clock.instant();
        Login login = new Login(token, agent);
        String browser = userAgent == null ? null : userAgent.substring(0, Math.min(200, userAgent.length()));
        return Replies.<Void>future(reply -> service.execute(tx -> {
            tx.insertSession(Hashing.sha256Hex(token), agent.id(), now, now.plus(tokenTtl), address, browser);
            return null;
        }, reply)).thenApply(ignored -> login);
    }

    /** The agent of a valid token, or {@code unauthorized}. */
    public Agent authenticate(String token) {
        if (token == null || token.isBlank()) {
            throw new ChatException(ErrorCode.UNAUTHORIZED, "missing bearer token");
        }
        String hash = Hashing.sha256Hex(token);
        Instant now = clock.instant();
        TokenOwner cached = tokenCache.getIfPresent(hash);
        if (cached != null && now.isBefore(cached.expiresAt())) {
            return cached.agent();
        }
        long revocationsBefore = revocations.get();
        TokenOwner owner = store.read(tx -> tx.tokenOwner(hash, now))
                .orElseThrow(() -> new ChatException(ErrorCode.UNAUTHORIZED, "unknown or expired token"));
        if (revocations.get() == revocationsBefore) {
            tokenCache.put(hash, owner);
        }
        return owner.agent();
    }

    // ------------------------------------------------------------------ sessions

    /** The caller's own unexpired sessions; {@code current} marks the one making the request. */
    public List<SessionInfo> sessions(String agentId) {
        return store.read(tx -> tx.sessions(agentId, clock.instant()));
    }

    /** Ends one of the account's sessions; {@code not_found} when it has no such session. */
    public CompletableFuture<Void> revokeSession(String agentId, String sessionId) {
        return Replies.<Optional<String>>future(reply -> service.execute(tx -> tx.deleteSession(agentId, sessionId), reply))
                .thenApply(hash -> {
                    if (hash.isEmpty()) {
                        throw new ChatException(ErrorCode.NOT_FOUND, "no such session");
                    }
                    revoked(agentId, Set.of(hash.get()), "session revoked");
                    return null;
                });
    }

    /** Logs out the token itself. */
    public CompletableFuture<Void> logout(String token) {
        Agent agent = authenticate(token);
        return revokeSession(agent.id(), Hashing.sha256Hex(token).substring(0, SessionInfo.ID_LENGTH));
    }

    /**
     * After a commit that took access away: forgets cached tokens and closes live connections, here and
     * on the other nodes. {@code tokenHashes} null: every token of the account (disabled, role changed,
     * all sessions revoked).
     */
    public void revoked(String agentId, Collection<String> tokenHashes, String reason) {
        Set<String> hashes = tokenHashes == null ? null : Set.copyOf(tokenHashes);
        revokedElsewhere(agentId, hashes, reason);
        peers.revoked(agentId, hashes, reason);
    }

    /**
     * Another node committed a revocation ({@link AccessPeers}): forgets the cached tokens and closes this
     * node's connections, without telling the other nodes again.
     */
    public void revokedElsewhere(String agentId, Set<String> tokenHashes, String reason) {
        revocations.incrementAndGet();
        if (tokenHashes == null) {
            tokenCache.asMap().entrySet().removeIf(e -> e.getValue().agent().id().equals(agentId));
        } else {
            tokenCache.invalidateAll(tokenHashes);
        }
        closer.close(agentId, tokenHashes == null ? null : new HashSet<>(tokenHashes), reason);
    }

    /**
     * After this node may have missed revocations (its Redis subscription was lost, another node went
     * silent): forgets every cached token, so the next request reads the store, and closes the live
     * connections in {@code liveTokens} (agent id → token hashes) whose token the store no longer honours.
     * Blocks on store reads, one per live token: call it from a blocking executor.
     *
     * @return how many connections' tokens were found revoked
     */
    public int recheck(Map<String, Set<String>> liveTokens) {
        revocations.incrementAndGet();
        tokenCache.invalidateAll();
        Instant now = clock.instant();
        int revoked = 0;
        for (Map.Entry<String, Set<String>> agent : liveTokens.entrySet()) {
            Set<String> gone = new HashSet<>();
            for (String hash : agent.getValue()) {
                if (store.read(tx -> tx.tokenOwner(hash, now)).filter(o -> o.agent().id().equals(agent.getKey())).isEmpty()) {
                    gone.add(hash);
                }
            }
            if (!gone.isEmpty()) {
                revoked += gone.size();
                closer.close(agent.getKey(), gone, "session ended; log in again");
            }
        }
        return revoked;
    }

    /** Forgets failed logins of the account, e.g. after an admin reset its password. */
    public void unlock(String email) {
        throttle.unlock(email.toLowerCase(Locale.ROOT));
    }

    // ------------------------------------------------------------------ passwords

    /** Checks a new password against the rules; {@code bad_request} naming the rule otherwise. */
    public static void checkPassword(String password) {
        if (password == null || password.codePointCount(0, password.length()) < PASSWORD_MIN) {
            throw ChatException.invalid("password must have at least " + PASSWORD_MIN + " characters",
                    password == null ? Reason.REQUIRED : Reason.TOO_SHORT, "password", "count",
                    password == null ? null : password.codePointCount(0, password.length()), "min", PASSWORD_MIN);
        }
        if (password.length() > PASSWORD_MAX) {
            throw ChatException.invalid("password is too long (at most " + PASSWORD_MAX + " characters)", Reason.TOO_LONG,
                    "password", "count", password.codePointCount(0, password.length()), "max", PASSWORD_MAX);
        }
    }

    public String hash(String password) {
        return hasher.hash(password);
    }

    /**
     * Sets a password with a one-time invite or reset token and logs in. The token is used up in the
     * same transaction; an unknown, used or expired one gets {@code unauthorized} and changes nothing.
     */
    public CompletableFuture<Login> setPassword(String oneTimeToken, String password, String address, String userAgent) {
        checkPassword(password);
        if (oneTimeToken == null || oneTimeToken.isBlank()) {
            throw ChatException.invalid("field 'token' is required", Reason.REQUIRED, "token");
        }
        String passwordHash = hasher.hash(password);
        Instant now = clock.instant();
        String tokenHash = Hashing.sha256Hex(oneTimeToken);
        return Replies.<Agent>future(reply -> service.execute(tx -> {
            String[] found = tx.takeOneTimeToken(tokenHash, now)
                    .orElseThrow(() -> new ChatException(ErrorCode.UNAUTHORIZED,
                            "this link is unknown, already used or expired; ask an admin for a new one"));
            Agent agent = tx.agent(found[0]).orElseThrow(() -> new ChatException(ErrorCode.UNAUTHORIZED, "no such account"));
            if (tx.user(agent.id()).map(u -> u.disabled()).orElse(true)) {
                throw new ChatException(ErrorCode.FORBIDDEN, "this account is disabled");
            }
            tx.setPasswordHash(agent.id(), passwordHash, now);
            Audit.write(tx, now, agent, agent.siteId(), "user.password_set", "user", agent.id(), null,
                    java.util.Map.of("via", found[1]));
            return agent;
        }, reply)).thenCompose(agent -> {
            throttle.unlock(agent.email());
            return issue(agent, address, userAgent);
        });
    }
}
