package dev.sodam.server.conversation;

import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.Message;

/**
 * The bot's side of a conversation. {@link ConversationService} asks it about every visitor message
 * stored in a conversation that is still with the bot, while that message's batch is being written,
 * so that the answer can be stored in the same commit (docs/adr/0005-bot-answer-in-the-question-s-commit.md).
 */
@FunctionalInterface
public interface BotAnswerer {
    /**
     * The decision about {@code question}, to be made (returns at once, deciding nothing yet): the
     * domain thread makes it when it stores the batch's answers, or hands it to the bot's executor
     * first when the batch has more commands to run meanwhile.
     *
     * @param pickedFaqId the FAQ entry the visitor picked from suggestions, or null
     */
    PendingBotAnswer answer(Conversation conversation, Message question, String pickedFaqId);
}
