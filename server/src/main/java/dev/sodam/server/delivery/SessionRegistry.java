package dev.sodam.server.delivery;

import dev.sodam.server.auth.Principal;
import java.util.ArrayList;
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
        map(session.principal()).computeIfAbsent(key(session.principal()), k -> ConcurrentHashMap.newKeySet())
                .add(session);
    }

    public void unregister(Session session) {
        Map<String, Set<Session>> map = map(session.principal());
        map.computeIfPresent(key(session.principal()), (k, sessions) -> {
            sessions.remove(session);
            return sessions.isEmpty() ? null : sessions;
        });
    }

    public Set<Session> visitor(String visitorId) {
        return visitors.getOrDefault(visitorId, Set.of());
    }

    public Set<Session> agent(String agentId) {
        return agents.getOrDefault(agentId, Set.of());
    }

    /** Every connected agent session. */
    public Iterable<Session> allAgents() {
        return () -> agents.values().stream().flatMap(Set::stream).iterator();
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
