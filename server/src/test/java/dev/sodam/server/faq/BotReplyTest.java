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
import dev.sodam.server.event.ChatEvent.HandoffReason;
import dev.sodam.server.event.EventBus;
import dev.sodam.server.model.Author;
import dev.sodam.server.model.BotTurn;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.ConversationState;
import dev.sodam.server.model.Message;
import dev.sodam.server.model.Site;
import dev.sodam.server.store.SqliteStore;
import dev.sodam.server.testing.DomainThread;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.util.Ids;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
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
 * ready waits for it instead of being lost. Where a test needs the domain thread to make the
 * decisions itself (the answer stored in its question's commit), the bot executor is one that
 * never runs what it is given.
 */
class BotReplyTest {
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
        service.answerWith(new FaqBotAnswerer(engine, botExecutor));
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
        // It could not be stored with its question: it came in a commit of its own, after it.
        assertThat(service.botAnswersLater()).isEqualTo(1);
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

    private List<BotTurn> turns(String conversationId) {
        return store.read(tx -> tx.botTurns(conversationId));
    }

    /** Bot decisions handed to an executor that never runs them: the domain thread has to. */
    final ConcurrentLinkedQueue<Runnable> neverRun = new ConcurrentLinkedQueue<>();

    private void decideOnTheDomainThread() {
        service.answerWith(new FaqBotAnswerer(engine, neverRun::add));
    }


    /** A visitor whose first question (delivery time) the bot has answered, deciding on the domain thread. */
    private VisitorPrincipal visitorAnsweredOnce() {
        releaseTraining();
        decideOnTheDomainThread();
        VisitorPrincipal visitor = visitor("ko");
        askIn(visitor, null, "c-0").join();
        return visitor;
    }

    private String openConversationOf(VisitorPrincipal visitor) {
        return store.read(tx -> tx.openConversationOf(visitor.visitor().id())).orElseThrow().id();
    }

    /** Asks when the order arrives (an FAQ the bot answers); the future completes with the ack. */
    private CompletableFuture<Results.Posted> askIn(VisitorPrincipal visitor, String conversationId, String clientMsgId) {
        return Replies.future(r -> service.post(visitor, conversationId, clientMsgId, "배송 언제 와요?", null, r));
    }

    @Test
    void theAnswerIsStoredInTheCommitOfItsQuestion() {
        releaseTraining();
        decideOnTheDomainThread();
        VisitorPrincipal visitor = visitor("ko");
        Results.Posted question = Replies.<Results.Posted>future(r ->
                service.post(visitor, null, "c-1", "배송 언제 와요?", null, r)).join();
        // The ack comes after the commit: the answer is already there, right behind the question.
        List<Message> messages = history(question.conversation().id());
        assertThat(messages).extracting(Message::seq).containsExactly(1L, 2L);
        assertThat(messages.get(1).from().kind()).isEqualTo(Author.Kind.BOT);
        assertThat(messages.get(1).text()).isEqualTo(answerOf("ko-delivery-time"));
        assertThat(turns(question.conversation().id()))
                .singleElement().satisfies(turn -> assertThat(turn.seq()).isEqualTo(1));
        // The executor's copy of the decision finds it made and does nothing: one answer, one turn.
        neverRun.forEach(Runnable::run);
        Replies.<Void>future(r -> service.execute(tx -> null, r)).join();
        assertThat(history(question.conversation().id())).hasSize(2);
        assertThat(turns(question.conversation().id())).hasSize(1);
        assertThat(service.botAnswersWithQuestion()).isEqualTo(1);
        assertThat(service.botAnswersLater()).isZero();
    }

    @Test
    void questionsOfOneBatchAreAnsweredAfterAllOfThemInOrderWithoutGaps() {
        VisitorPrincipal visitor = visitorAnsweredOnce();
        String conversationId = openConversationOf(visitor);
        CountDownLatch release = DomainThread.hold(service);
        CompletableFuture<Results.Posted> first = askIn(visitor, conversationId, "c-1");
        CompletableFuture<Results.Posted> second = askIn(visitor, conversationId, "c-2");
        release.countDown();
        assertThat(first.join().message().seq()).isEqualTo(3);
        assertThat(second.join().message().seq()).isEqualTo(4);
        List<Message> messages = history(conversationId);
        assertThat(messages).extracting(Message::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(messages).extracting(m -> m.from().kind()).containsExactly(Author.Kind.VISITOR, Author.Kind.BOT,
                Author.Kind.VISITOR, Author.Kind.VISITOR, Author.Kind.BOT, Author.Kind.BOT);
        assertThat(turns(conversationId)).extracting(BotTurn::seq).containsExactly(1L, 3L, 4L);
    }

    @Test
    void aHandoffLaterInTheSameBatchSilencesTheBot() {
        VisitorPrincipal visitor = visitorAnsweredOnce();
        String conversationId = openConversationOf(visitor);
        CountDownLatch release = DomainThread.hold(service);
        CompletableFuture<Results.Posted> question = askIn(visitor, conversationId, "c-1");
        CompletableFuture<Conversation> handoff = Replies.future(r ->
                service.requestHandoff(visitor, conversationId, HandoffReason.VISITOR_ASKED, r));
        release.countDown();
        assertThat(question.join().message().seq()).isEqualTo(3);
        assertThat(handoff.join().state()).isEqualTo(ConversationState.QUEUED);
        // The decision is remembered for the agent, but the visitor, now waiting for a person, gets no bot answer.
        assertThat(turns(conversationId)).extracting(BotTurn::seq).containsExactly(1L, 3L);
        assertThat(history(conversationId)).filteredOn(m -> m.seq() > 2)
                .noneMatch(m -> m.from().kind() == Author.Kind.BOT);
    }
}
