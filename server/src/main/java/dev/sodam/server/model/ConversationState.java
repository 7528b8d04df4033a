package dev.sodam.server.model;

import java.util.EnumSet;
import java.util.Set;

/**
 * The conversation lifecycle: BOT → QUEUED → ASSIGNED → RESOLVED (and ASSIGNED → QUEUED when the
 * agent leaves). The allowed moves are listed
 * here once; {@code ConversationService} is the only caller of {@link #canMoveTo}.
 */
public enum ConversationState {
    BOT, QUEUED, ASSIGNED, RESOLVED;

    private Set<ConversationState> next() {
        return switch (this) {
            case BOT -> EnumSet.of(QUEUED, RESOLVED);
            case QUEUED -> EnumSet.of(ASSIGNED, RESOLVED);
            // ASSIGNED → QUEUED: the agent went away or offline; the chat must not wait on them.
            case ASSIGNED -> EnumSet.of(QUEUED, RESOLVED);
            case RESOLVED -> EnumSet.noneOf(ConversationState.class);
        };
    }

    public boolean canMoveTo(ConversationState target) {
        return next().contains(target);
    }

    public boolean isOpen() {
        return this != RESOLVED;
    }

    /** The wire name ({@code bot}, {@code queued}, …). */
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
