package dev.sodam.server.model;

import java.time.Instant;
import java.util.List;

/** One stored message. {@code seq} is gapless per conversation and assigned by the server only. */
public record Message(String id, String conversationId, long seq, String clientMsgId, Author from, String text,
                      Instant ts, List<Suggestion> suggestions, List<Action> actions) {
    public Message {
        suggestions = suggestions == null ? List.of() : List.copyOf(suggestions);
        actions = actions == null ? List.of() : List.copyOf(actions);
    }
}
