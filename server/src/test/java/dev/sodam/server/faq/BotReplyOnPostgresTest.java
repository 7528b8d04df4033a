package dev.sodam.server.faq;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.bot.BotThresholds;
import dev.sodam.bot.FaqEntry;
import dev.sodam.bot.FaqSeed;
import dev.sodam.bot.SmallTalkIntent;
import dev.sodam.server.auth.Principal.VisitorPrincipal;
import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.ErrorCode;
import dev.sodam.server.conversation.Replies;
import dev.sodam.server.conversation.Results;
import dev.sodam.server.event.EventBus;
import dev.sodam.server.model.Author;
import dev.sodam.server.model.BotTurn;
import dev.sodam.server.model.Message;
import dev.sodam.server.model.Site;
import dev.sodam.server.routing.RoutingSettings;
import dev.sodam.server.store.PostgresStore;
import dev.sodam.server.testing.PostgresTestSupport;
import dev.sodam.server.testing.DomainThread;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.util.Ids;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bot's answer in its question's commit when PostgreSQL runs the batch a second time (a unit that
 * failed after writing sends the whole batch round again, each unit in a savepoint): the real bot,
 * trained from the real seed FAQ, deciding on the domain thread, over a real PostgreSQL database.
 */
class BotReplyOnPostgresTest {
    private String url;
    private PostgresStore store;
    private ConversationService service;

    @BeforeEach
    void open() {
        Clock clock = Clock.systemUTC();
        url = PostgresTestSupport.createDatabase();
        store = PostgresStore.open(PostgresTestSupport.settings(url, 4));
        service = new ConversationService(store, new EventBus(), clock, new Ids(clock),
                new RoutingSettings(20, Duration.ofSeconds(30), 3, Duration.ofSeconds(30)));
        BotEngine engine = new BotEngine();
        Path config = TestServer.repoRoot().resolve("config");
        List<FaqEntry> faq = new ArrayList<>(FaqSeed.load(config.resolve("faq/seed-ko.json")));
        engine.train(faq, SmallTalkIntent.loadAll(config.resolve("bot/intents.json")), new BotThresholds(0.55, 0.30),
                Runnable::run);
        // An executor that never runs what it is given: the domain thread decides, inside the batch.
        service.answerWith(new FaqBotAnswerer(engine, task -> { }));
        store.<Void>claim(tx -> {
            tx.insertSite(new Site("demo", "demo", List.of(Site.SELF)));
            return null;
        });
    }

    @AfterEach
    void close() {
        service.close();
        store.close();
        PostgresTestSupport.dropDatabase(url);
    }

    /**
     * Regression: the batch's units told the bot about a question each time they ran, so a batch run a
     * second time (or a unit run again after a race) had its question answered twice, once for the
     * message of the rolled-back run, which was never stored.
     */
    @Test
    void aQuestionInABatchRunTwiceIsAnsweredOnce() {
        VisitorPrincipal visitor = new VisitorPrincipal(Replies.<Results.VisitorHello>future(r ->
                service.helloVisitor("demo", null, "ko", null, 0, r)).join().visitor());
        CountDownLatch release = DomainThread.hold(service);
        CompletableFuture<Results.Posted> question = Replies.future(r ->
                service.post(visitor, null, "c-1", "배송 언제 와요?", null, r));
        AtomicBoolean firstRun = new AtomicBoolean(true);
        CompletableFuture<Void> failsAfterWritingOnce = Replies.future(r -> service.execute(tx -> {
            tx.insertSite(new Site("other-" + System.nanoTime(), "other", List.of(Site.SELF)));
            if (firstRun.getAndSet(false)) {
                throw new ChatException(ErrorCode.CONFLICT, "fails after writing, the first time");
            }
            return null;
        }, r));
        release.countDown();
        String conversationId = question.join().conversation().id();
        failsAfterWritingOnce.join();
        assertThat(firstRun).isFalse();

        List<Message> messages = store.<List<Message>>read(tx -> tx.messagesAfter(conversationId, 0, 100));
        assertThat(messages).extracting(m -> m.from().kind()).containsExactly(Author.Kind.VISITOR, Author.Kind.BOT);
        assertThat(messages.get(0).id()).isEqualTo(question.join().message().id());
        List<BotTurn> turns = store.<List<BotTurn>>read(tx -> tx.botTurns(conversationId));
        assertThat(turns).extracting(BotTurn::seq).containsExactly(1L);
        assertThat(service.botAnswersWithQuestion()).isEqualTo(1);
    }
}
