package dev.sodam.server.store;

/**
 * An account as a list of names needs it (an agent's {@code welcome.colleagues}): its id and name, read
 * without the rest of the row (email, password hash, dates).
 */
public record AgentName(String id, String name) {
}
