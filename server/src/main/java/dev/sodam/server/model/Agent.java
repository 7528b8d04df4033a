package dev.sodam.server.model;

import java.time.Instant;

/**
 * A person who answers chats ({@code agent}), oversees the queue and every agent's chats
 * ({@code supervisor}), or also administers Sodam ({@code admin}). {@code siteId} null: the
 * account belongs to the whole installation; otherwise it sees only that site's data.
 */
public record Agent(String id, String email, String name, Role role, String passwordHash, Instant createdAt,
                    String siteId) {

    public Agent(String id, String email, String name, Role role, String passwordHash, Instant createdAt) {
        this(id, email, name, role, passwordHash, createdAt, null);
    }

    /** Roles, with their wire names, from least to most trusted. */
    public enum Role {
        AGENT, SUPERVISOR, ADMIN;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The role named on the wire, or null when there is no such role. */
        public static Role fromWire(String wire) {
            for (Role role : values()) {
                if (role.wire().equals(wire)) {
                    return role;
                }
            }
            return null;
        }
    }

    /** Sees the queue and every agent's chats and may transfer them: supervisors and admins. */
    public boolean supervises() {
        return role == Role.SUPERVISOR || role == Role.ADMIN;
    }

    /** May see data of the site: installation-wide accounts see every site. */
    public boolean seesSite(String site) {
        return siteId == null || siteId.equals(site);
    }
}
