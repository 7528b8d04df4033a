-- The conversations still with the bot, for the start-up sweep of questions the bot never answered
-- (ConversationService.answerUnanswered): without it, every start would scan every conversation.
CREATE INDEX conversations_bot ON conversations(id, last_seq) WHERE state = 'BOT';
