package dev.sodam.server.faq;

import dev.sodam.bot.BotDecision;
import dev.sodam.bot.FaqBot;
import dev.sodam.server.conversation.BotAnswer;
import dev.sodam.server.conversation.BotAnswerer;
import dev.sodam.server.conversation.PendingBotAnswer;
import dev.sodam.server.event.ChatEvent.HandoffReason;
import dev.sodam.server.model.Action;
import dev.sodam.server.model.BotTurn;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.Message;
import dev.sodam.server.model.Notice;
import dev.sodam.server.model.Suggestion;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The bot's turn: what the FAQ bot answers a visitor who writes in a conversation still with the
 * bot — an FAQ answer, suggestions, or a handoff — decided by the domain thread or on the bot
 * executor, whichever gets there first (see {@link PendingBotAnswer}), and stored by
 * {@link dev.sodam.server.conversation.ConversationService} with the question when it can. Every bot
 * message carries the handoff action.
 */
public final class FaqBotAnswerer implements BotAnswerer {
    private final BotEngine engine;
    private final Executor botExecutor;
    /** Told each decision's band (answer, clarify, handoff) for the metrics. */
    private final Consumer<String> decisions;

    public FaqBotAnswerer(BotEngine engine, Executor botExecutor) {
        this(engine, botExecutor, band -> { });
    }

    public FaqBotAnswerer(BotEngine engine, Executor botExecutor, Consumer<String> decisions) {
        this.engine = engine;
        this.botExecutor = botExecutor;
        this.decisions = decisions;
    }

    @Override
    public PendingBotAnswer answer(Conversation conversation, Message question, String pickedFaqId) {
        String locale = conversation.locale();
        if (question.attachment() != null) {
            // The bot cannot see a picture, and its caption is no question: classifying "📷 이미지" would
            // answer at random. It says so and offers a person; the agent sees the image in the transcript.
            return PendingBotAnswer.decided(BotAnswer.reply(null, new BotAnswer.BotMessage("ko".equals(locale)
                    ? "이미지는 상담원이 확인해 드려요. 궁금한 점을 글로 적어 주시거나 상담원 연결을 눌러 주세요."
                    : "An agent will look at your image. Tell me your question in words, or ask for a person.",
                    null, List.of(), List.of(Action.handoff(locale)), null)));
        }
        // The current bot: a rebuild in progress never delays the answer (the previous bot answers).
        CompletableFuture<FaqBot> current = engine.current();
        if (!current.isDone() || current.isCompletedExceptionally()) {
            // The first bot is still training (or training failed): the answer comes when it can.
            return PendingBotAnswer.later(current.handleAsync((bot, failure) -> failure != null
                    ? BotAnswer.handoff(null, HandoffReason.BOT_UNSURE)
                    : decide(bot, conversation, question, pickedFaqId), botExecutor));
        }
        FaqBot bot = current.join();
        return PendingBotAnswer.of(() -> decide(bot, conversation, question, pickedFaqId), botExecutor);
    }

    private BotAnswer decide(FaqBot bot, Conversation conversation, Message question, String faqId) {
        String locale = conversation.locale();
        BotDecision decision = faqId != null && bot.entry(faqId).isPresent()
                ? bot.answerFaq(faqId) : bot.ask(question.text(), locale);
        decisions.accept(decision.decision());
        // Stored before the reply or handoff, so the decision is there by the time an agent sees the chat.
        BotTurn turn = turnOf(conversation.id(), question, decision);
        List<Action> actions = List.of(Action.handoff(locale));
        if (decision instanceof BotDecision.Answer answer) {
            return BotAnswer.reply(turn, new BotAnswer.BotMessage(answer.answer(), null, List.of(), actions,
                    topicOf(bot, answer.faqId())));
        }
        if (decision instanceof BotDecision.Clarify clarify) {
            return BotAnswer.reply(turn, new BotAnswer.BotMessage(
                    "ko".equals(locale) ? "이런 질문을 찾으셨나요?" : "Did you mean one of these?",
                    Notice.of("bot.clarify"),
                    clarify.candidates().stream().map(c -> new Suggestion(c.faqId(), c.question())).toList(),
                    actions, clarify.candidates().isEmpty() ? null : topicOf(bot, clarify.candidates().get(0).faqId())));
        }
        BotDecision.Handoff handoff = (BotDecision.Handoff) decision;
        return BotAnswer.handoff(turn, handoff.reason() == BotDecision.Reason.REQUESTED
                ? HandoffReason.BOT_DETECTED_REQUEST : HandoffReason.BOT_UNSURE);
    }

    /** What the bot decided, as stored for the agent's context packet. */
    private static BotTurn turnOf(String conversationId, Message asked, BotDecision decision) {
        String answered = decision instanceof BotDecision.Answer a ? a.faqId() : null;
        String reason = decision instanceof BotDecision.Handoff h
                ? (h.reason() == BotDecision.Reason.REQUESTED ? "requested" : "unsure") : null;
        return new BotTurn(conversationId, asked.seq(), asked.text(), decision.decision(), reason, decision.intent(),
                decision.confidence(), answered, decision.candidates().stream()
                        .map(c -> new BotTurn.Candidate(c.faqId(), c.question(), c.score())).toList(), asked.ts());
    }

    /** The first tag of an FAQ entry: the topic a handoff from here is about. */
    private static String topicOf(FaqBot bot, String faqId) {
        return faqId == null ? null : bot.entry(faqId).map(e -> e.tags().isEmpty() ? null : e.tags().get(0)).orElse(null);
    }
}
