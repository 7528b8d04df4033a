package dev.sodam.server.model;

import java.time.Instant;

/**
 * A canned response an agent inserts with {@code /shortcut}: shared by everyone ({@code ownerId}
 * null, managed by admins) or an agent's own.
 */
public record CannedResponse(String id, String ownerId, String shortcut, String locale, String text,
                             Instant updatedAt) {
    public boolean shared() {
        return ownerId == null;
    }
}
