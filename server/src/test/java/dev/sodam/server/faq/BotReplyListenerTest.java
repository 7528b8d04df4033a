package dev.sodam.server.faq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sodam.bot.BotThresholds;
import dev.sodam.bot.FaqEntry;
import dev.sodam.bot.FaqSeed;
import dev.sodam.bot.SmallTalkIntent;
import dev.sodam.server.auth.Principal.VisitorPrincipal;
import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.Replies;
import dev.sodam.server.conversation.Results;
import dev.sodam.server.conversation.SystemNoticeListener;
import dev.sodam.server.event.EventBus;
import dev.sodam.server.model.Author;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.ConversationState;
import dev.sodam.server.model.Message;
import dev.sodam.server.model.Site;
import dev.sodam.server.store.SqliteStore;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.util.Ids;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bot's turn in a conversation, with the real bot trained from the real seed FAQ. Training is
 * held back by an executor the test releases, to show that a question asked before the bot is
 * ready waits for it instead of being lost.
 */
class BotReplyListenerTest {
    @TempDir
    Path dir;
    SqliteStore store;
    ConversationService service;
    BotEngine engine;
    ExecutorService botExecutor;
    /** Training tasks wait here until the test runs them. */
    final ConcurrentLinkedQueue<Runnable> heldTraining = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void open() {
        Clock clock = Clock.systemUTC();
        store = SqliteStore.open(dir);
        EventBus bus = new EventBus();
        service = new ConversationService(store, bus, clock, new Ids(clock), new dev.sodam.server.routing.RoutingSettings(20, java.time.Duration.ofSeconds(30), 3, java.time.Duration.ofSeconds(30)));
        engine = new BotEngine();
        botExecutor = Executors.newSingleThreadExecutor();
        bus.subscribe(new SystemNoticeListener(service));
        bus.subscribe(new BotReplyListener(engine, service, botExecutor));
        Replies.<Void>future(r -> service.execute(tx -> {
            tx.insertSite(new Site("demo", "demo", List.of(Site.SELF)));
            return null;
        }, r)).join();

        Path config = TestServer.repoRoot().resolve("config");
        List<FaqEntry> faq = new ArrayList<>(FaqSeed.load(config.resolve("faq/seed-ko.json")));
        faq.addAll(FaqSeed.load(config.resolve("faq/seed-en.json")));
        engine.train(faq, SmallTalkIntent.loadAll(config.resolve("bot/intents.json")), new BotThresholds(0.55, 0.30),
                heldTraining::add);
    }

    @AfterEach
    void close() throws InterruptedException {
        botExecutor.shutdown();
        botExecutor.awaitTermination(10, TimeUnit.SECONDS);
        service.close();
        store.close();
    }

    private void releaseTraining() {
        Runnable task;
        while ((task = heldTraining.poll()) != null) {
            task.run();
        }
    }

    private VisitorPrincipal visitor(String locale) {
        return new VisitorPrincipal(Replies.<Results.VisitorHello>future(r ->
                service.helloVisitor("demo", null, locale, null, 0, r)).join().visitor());
    }

    private String ask(VisitorPrincipal visitor, String text, String faqId) {
        return Replies.<Results.Posted>future(r -> service.post(visitor, null, "c-" + text.hashCode(), text, faqId, r))
                .join().conversation().id();
    }

    private List<Message> history(String conversationId) {
        return store.read(tx -> tx.messagesAfter(conversationId, 0, 100));
    }

    private List<Message> awaitMessageFrom(String conversationId, Author.Kind kind) {
        await().atMost(Duration.ofSeconds(30)).until(() ->
                history(conversationId).stream().anyMatch(m -> m.from().kind() == kind));
        return history(conversationId);
    }

    private static String answerOf(String faqId) {
        Path seed = TestServer.repoRoot().resolve("config/faq/seed-ko.json");
        return FaqSeed.load(seed).stream().filter(e -> e.id().equals(faqId)).findFirst().orElseThrow().answer();
    }

    @Test
    void aQuestionAskedBeforeTheBotIsTrainedIsAnsweredOnceItIs() {
        VisitorPrincipal visitor = visitor("ko");
        String conversationId = ask(visitor, "배송 언제 와요?", null);
        // Nothing can answer yet: training has not even started.
        Replies.<Void>future(r -> service.execute(tx -> null, r)).join();
        assertThat(heldTraining).isNotEmpty();
        assertThat(history(conversationId)).hasSize(1);

        releaseTraining();
        List<Message> messages = awaitMessageFrom(conversationId, Author.Kind.BOT);
        Message answer = messages.get(1);
        assertThat(answer.seq()).isEqualTo(2);
        assertThat(answer.text()).isEqualTo(answerOf("ko-delivery-time"));
        assertThat(answer.actions()).extracting(a -> a.id()).containsExactly("handoff");
        assertThat(answer.actions().get(0).label()).isEqualTo("상담원 연결");
    }

    @Test
    void askingForAPersonInTextHandsOffWithANotice() {
        releaseTraining();
        VisitorPrincipal visitor = visitor("ko");
        String conversationId = ask(visitor, "상담원 연결", null);
        List<Message> messages = awaitMessageFrom(conversationId, Author.Kind.SYSTEM);
        assertThat(messages).extracting(Message::text).contains("상담원을 연결하고 있어요…");
        assertThat(messages).noneMatch(m -> m.from().kind() == Author.Kind.BOT);
        Conversation conversation = store.read(tx -> tx.conversation(conversationId)).orElseThrow();
        assertThat(conversation.state()).isEqualTo(ConversationState.QUEUED);
    }

    @Test
    void aPickedSuggestionIsAnsweredWithThatEntry() {
        releaseTraining();
        VisitorPrincipal visitor = visitor("ko");
        // The text alone would not pick this entry; the faqId does.
        String conversationId = ask(visitor, "이거요", "ko-delivery-time");
        List<Message> messages = awaitMessageFrom(conversationId, Author.Kind.BOT);
        assertThat(messages.get(1).text()).isEqualTo(answerOf("ko-delivery-time"));
    }

    @Test
    void anUnclearQuestionGetsSuggestionsOrAHandoffButNeverAWrongAnswer() {
        releaseTraining();
        VisitorPrincipal visitor = visitor("ko");
        String conversationId = ask(visitor, "그거 어떻게 돼요", null);
        await().atMost(Duration.ofSeconds(30)).until(() -> history(conversationId).size() >= 2);
        Message reply = history(conversationId).get(1);
        if (reply.from().kind() == Author.Kind.BOT) {
            assertThat(reply.text()).isEqualTo("이런 질문을 찾으셨나요?");
            assertThat(reply.suggestions()).isNotEmpty().hasSizeLessThanOrEqualTo(3);
        } else {
            assertThat(reply.from().kind()).isEqualTo(Author.Kind.SYSTEM);
            assertThat(store.read(tx -> tx.conversation(conversationId)).orElseThrow().state())
                    .isEqualTo(ConversationState.QUEUED);
        }
    }

    @Test
    void englishVisitorsAreAnsweredInEnglish() {
        releaseTraining();
        VisitorPrincipal visitor = visitor("en");
        String conversationId = ask(visitor, "When will my order arrive?", null);
        Message reply = awaitMessageFrom(conversationId, Author.Kind.BOT).get(1);
        String expected = FaqSeed.load(TestServer.repoRoot().resolve("config/faq/seed-en.json")).stream()
                .filter(e -> e.id().equals("en-delivery-time")).findFirst().orElseThrow().answer();
        assertThat(reply.text()).isEqualTo(expected);
        assertThat(reply.actions().get(0).label()).isEqualTo("Talk to a person");
        assertThat(reply.from().name()).isEqualTo("Sodam bot");
    }
}
