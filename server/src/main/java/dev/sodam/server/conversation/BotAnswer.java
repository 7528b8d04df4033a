package dev.sodam.server.conversation;

import dev.sodam.server.event.ChatEvent.HandoffReason;
import dev.sodam.server.model.Action;
import dev.sodam.server.model.BotTurn;
import dev.sodam.server.model.Notice;
import dev.sodam.server.model.Suggestion;
import java.util.List;

/**
 * What the bot does about one visitor message: remember its decision for the agent's context packet
 * ({@code turn}; null for a fixed reply such as the one to an image), then either write a message or
 * hand the conversation to a person. Exactly one of {@code message} and {@code handoff} is set.
 */
public record BotAnswer(BotTurn turn, BotMessage message, HandoffReason handoff) {
    public BotAnswer {
        if ((message == null) == (handoff == null)) {
            throw new IllegalArgumentException("a bot answer is a message or a handoff");
        }
    }

    /** A bot message; {@code topic} is the FAQ tag it is about (null: the conversation keeps its topic). */
    public record BotMessage(String text, Notice notice, List<Suggestion> suggestions, List<Action> actions, String topic) {
        public BotMessage {
            suggestions = List.copyOf(suggestions);
            actions = List.copyOf(actions);
        }
    }

    public static BotAnswer reply(BotTurn turn, BotMessage message) {
        return new BotAnswer(turn, message, null);
    }

    public static BotAnswer handoff(BotTurn turn, HandoffReason reason) {
        return new BotAnswer(turn, null, reason);
    }
}
