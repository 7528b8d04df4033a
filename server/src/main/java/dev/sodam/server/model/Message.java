package dev.sodam.server.model;

import java.time.Instant;
import java.util.List;

/** One stored message ({@code notice}: the code behind a system or fixed bot text, else null). {@code seq} is gapless per conversation and assigned by the server only. */
public record Message(String id, String conversationId, long seq, String clientMsgId, Author from, String text,
                      Instant ts, List<Suggestion> suggestions, List<Action> actions, Notice notice,
                      Attachment attachment) {
    public Message {
        suggestions = suggestions == null ? List.of() : List.copyOf(suggestions);
        actions = actions == null ? List.of() : List.copyOf(actions);
    }

    /** A message without a notice code (visitor, agent and FAQ texts). */
    public Message(String id, String conversationId, long seq, String clientMsgId, Author from, String text,
                   Instant ts, List<Suggestion> suggestions, List<Action> actions) {
        this(id, conversationId, seq, clientMsgId, from, text, ts, suggestions, actions, null, null);
    }

    /** A message with a notice code and no image. */
    public Message(String id, String conversationId, long seq, String clientMsgId, Author from, String text,
                   Instant ts, List<Suggestion> suggestions, List<Action> actions, Notice notice) {
        this(id, conversationId, seq, clientMsgId, from, text, ts, suggestions, actions, notice, null);
    }
}
