package dev.sodam.server.faq;

import dev.sodam.bot.BotDecision;
import dev.sodam.bot.FaqBot;
import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.Replies;
import dev.sodam.server.conversation.Reply;
import dev.sodam.server.event.ChatEvent;
import dev.sodam.server.event.ChatEvent.HandoffReason;
import dev.sodam.server.event.ChatEventListener;
import dev.sodam.server.model.Action;
import dev.sodam.server.model.Author;
import dev.sodam.server.model.BotTurn;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.ConversationState;
import dev.sodam.server.model.Message;
import dev.sodam.server.model.Suggestion;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bot's turn: when a visitor writes in a conversation that is still with the bot, ask the bot
 * (on the bot executor, never the domain thread) and store its answer, its suggestions, or a
 * handoff. Every bot message carries the handoff action.
 */
public final class BotReplyListener implements ChatEventListener {
    private static final Logger log = LoggerFactory.getLogger(BotReplyListener.class);
    private final BotEngine engine;
    private final ConversationService service;
    private final Executor botExecutor;
    /** Told each decision's band (answer, clarify, handoff) for the metrics. */
    private final Consumer<String> decisions;

    public BotReplyListener(BotEngine engine, ConversationService service, Executor botExecutor) {
        this(engine, service, botExecutor, band -> { });
    }

    public BotReplyListener(BotEngine engine, ConversationService service, Executor botExecutor,
                            Consumer<String> decisions) {
        this.engine = engine;
        this.service = service;
        this.botExecutor = botExecutor;
        this.decisions = decisions;
    }

    @Override
    public void on(ChatEvent event) {
        if (!(event instanceof ChatEvent.MessagePosted posted)) {
            return;
        }
        Conversation conversation = posted.conversation();
        if (posted.message().from().kind() != Author.Kind.VISITOR || conversation.state() != ConversationState.BOT) {
            return;
        }
        String text = posted.message().text();
        String faqId = posted.pickedFaqId();
        // The current bot: a rebuild in progress never delays the answer.
        engine.current().whenCompleteAsync((bot, failure) -> {
            if (failure != null) {
                handoff(conversation, HandoffReason.BOT_UNSURE);
                return;
            }
            BotDecision decision = decide(bot, text, faqId, conversation.locale());
            // Queued before the reply or handoff, so the decision is stored by the time an agent sees the chat.
            service.recordBotTurn(turnOf(conversation.id(), posted.message(), decision), logFailure(conversation));
            decisions.accept(decision.decision());
            respond(bot, conversation, decision);
        }, botExecutor);
    }

    private static BotDecision decide(FaqBot bot, String text, String faqId, String locale) {
        if (faqId != null && bot.entry(faqId).isPresent()) {
            return bot.answerFaq(faqId);
        }
        return bot.ask(text, locale);
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

    private void respond(FaqBot bot, Conversation conversation, BotDecision decision) {
        String locale = conversation.locale();
        List<Action> actions = List.of(Action.handoff(locale));
        if (decision instanceof BotDecision.Answer answer) {
            service.postBotReply(conversation.id(), answer.answer(), List.of(), actions, topicOf(bot, answer.faqId()),
                    logFailure(conversation));
        } else if (decision instanceof BotDecision.Clarify clarify) {
            service.postBotReply(conversation.id(),
                    "ko".equals(locale) ? "이런 질문을 찾으셨나요?" : "Did you mean one of these?",
                    dev.sodam.server.model.Notice.of("bot.clarify"), clarify.candidates().stream().map(c -> new Suggestion(c.faqId(), c.question())).toList(),
                    actions, clarify.candidates().isEmpty() ? null : topicOf(bot, clarify.candidates().get(0).faqId()),
                    logFailure(conversation));
        } else if (decision instanceof BotDecision.Handoff handoff) {
            handoff(conversation, handoff.reason() == BotDecision.Reason.REQUESTED
                    ? HandoffReason.BOT_DETECTED_REQUEST : HandoffReason.BOT_UNSURE);
        }
    }

    private void handoff(Conversation conversation, HandoffReason reason) {
        service.requestHandoff(null, conversation.id(), reason, logFailure(conversation));
    }

    private static <T> Reply<T> logFailure(Conversation conversation) {
        return Replies.of(stored -> { }, error ->
                log.warn("bot reply for {} not stored: {}", conversation.id(), error.getMessage()));
    }
}
