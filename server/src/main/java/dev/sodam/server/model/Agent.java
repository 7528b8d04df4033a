package dev.sodam.server.model;

import java.time.Instant;

/** A person who answers chats ({@code agent}) or also administers Sodam ({@code admin}). */
public record Agent(String id, String email, String name, Role role, String passwordHash, Instant createdAt) {

    /** Roles, with their wire names. */
    public enum Role {
        AGENT, ADMIN;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
