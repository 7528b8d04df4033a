package dev.sodam.server.store;

import dev.sodam.server.model.Agent;
import java.time.Instant;

/**
 * An account as administered: what {@link Agent} carries for authentication plus what only the
 * admin pages need.
 *
 * @param siteId   null: the whole installation; otherwise the one site the account serves
 * @param maxChats the agent's own chat limit, or null for the configured default
 * @param pending  invited but no password set yet (cannot log in until the invite is used)
 */
public record StoredUser(String id, String email, String name, Agent.Role role, String siteId, boolean disabled,
                         Integer maxChats, long version, Instant createdAt, Instant updatedAt, boolean pending) {
}
