package dev.sodam.server.delivery;

import dev.sodam.server.auth.Principal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live sessions by visitor and by agent. Registration happens on the domain thread in commit order
 * (see {@code Reply}); removal on the connection's event loop when it closes.
 */
public final class SessionRegistry {
    private final Map<String, Set<Session>> visitors = new ConcurrentHashMap<>();
    private final Map<String, Set<Session>> agents = new ConcurrentHashMap<>();

    public void register(Session session) {
        map(session.principal()).compute(key(session.principal()), (k, sessions) -> with(sessions, session));
    }

    public void unregister(Session session) {
        map(session.principal()).computeIfPresent(key(session.principal()), (k, sessions) -> without(sessions, session));
    }

    /*
     * Each person's sessions are an immutable set replaced on every change: almost everyone has one
     * connection, and Set.of(one) costs a few bytes where a concurrent set costs about 200 per idle
     * visitor (docs/benchmarks.md, scenario a). Readers get a snapshot that cannot change under them.
     */
    private static Set<Session> with(Set<Session> sessions, Session added) {
        if (sessions == null) {
            return Set.of(added);
        }
        Set<Session> more = new HashSet<>(sessions);
        more.add(added);
        return Set.copyOf(more);
    }

    private static Set<Session> without(Set<Session> sessions, Session removed) {
        if (!sessions.contains(removed)) {
            return sessions;
        }
        Set<Session> fewer = new HashSet<>(sessions);
        fewer.remove(removed);
        return fewer.isEmpty() ? null : Set.copyOf(fewer);
    }

    public Set<Session> visitor(String visitorId) {
        return visitors.getOrDefault(visitorId, Set.of());
    }

    public Set<Session> agent(String agentId) {
        return agents.getOrDefault(agentId, Set.of());
    }

    /** Every connected visitor session. */
    public Iterable<Session> allVisitors() {
        return () -> visitors.values().stream().flatMap(Set::stream).iterator();
    }

    /** Every connected agent session. */
    public Iterable<Session> allAgents() {
        return () -> agents.values().stream().flatMap(Set::stream).iterator();
    }

    /** The tokens connected agents logged in with: agent id → token hashes (a snapshot). */
    public Map<String, Set<String>> agentTokens() {
        Map<String, Set<String>> tokens = new HashMap<>();
        agents.forEach((agentId, sessions) -> sessions.forEach(session -> {
            if (session.tokenHash() != null) {
                tokens.computeIfAbsent(agentId, id -> new HashSet<>()).add(session.tokenHash());
            }
        }));
        return tokens;
    }

    /** Closes the agent's connections: all of them, or those opened with one of the given tokens. */
    public void closeAgent(String agentId, Set<String> tokenHashes, String reason) {
        for (Session session : agent(agentId)) {
            if (tokenHashes == null || tokenHashes.contains(session.tokenHash())) {
                session.close(reason);
            }
        }
    }

    /** Tells every connected client the server is restarting (see {@link Session#closeForRestart}). */
    public CompletableFuture<Void> closeAllForRestart() {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (Map<String, Set<Session>> map : List.of(visitors, agents)) {
            map.values().forEach(sessions -> sessions.forEach(s -> closing.add(s.closeForRestart())));
        }
        return CompletableFuture.allOf(closing.toArray(new CompletableFuture<?>[0]));
    }

    public int agentCount() {
        return agents.size();
    }

    private Map<String, Set<Session>> map(Principal principal) {
        return principal instanceof Principal.VisitorPrincipal ? visitors : agents;
    }

    private static String key(Principal principal) {
        return principal instanceof Principal.VisitorPrincipal v ? v.visitor().id()
                : ((Principal.AgentPrincipal) principal).agent().id();
    }
}
