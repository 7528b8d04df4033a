package dev.sodam.server.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sodam.server.auth.Principal.AgentPrincipal;
import dev.sodam.server.auth.Principal.VisitorPrincipal;
import dev.sodam.server.event.ChatEvent;
import dev.sodam.server.event.ChatEvent.HandoffReason;
import dev.sodam.server.event.EventBus;
import dev.sodam.server.model.Agent;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.ConversationState;
import dev.sodam.server.model.Message;
import dev.sodam.server.model.Site;
import dev.sodam.server.model.Visitor;
import dev.sodam.server.store.SqliteStore;
import dev.sodam.server.testing.AtOnce;
import dev.sodam.server.util.Ids;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one service that changes conversations, over a real SQLite file, hammered by racing threads. */
class ConversationServiceTest {
    @TempDir
    Path dir;
    SqliteStore store;
    ConversationService service;
    final List<ChatEvent> events = Collections.synchronizedList(new ArrayList<>());
    final Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
    final Ids ids = new Ids(clock);

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir);
        EventBus bus = new EventBus();
        bus.subscribe(events::add);
        service = new ConversationService(store, bus, clock, ids, new dev.sodam.server.routing.RoutingSettings(20, java.time.Duration.ofSeconds(30), 3, java.time.Duration.ofSeconds(30)));
        join(Replies.<Void>future(r -> service.execute(tx -> {
            tx.insertSite(new Site("demo", "demo", List.of(Site.SELF)));
            return null;
        }, r)));
    }

    @AfterEach
    void close() {
        service.close();
        store.close();
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof ChatException chat) {
                throw chat;
            }
            throw new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until every event of the calls answered so far has been published: a reply completes
     * before its batch's events go out, and a no-op submitted now runs in a later batch.
     */
    private void barrier() {
        join(Replies.<Void>future(r -> service.execute(tx -> null, r)));
    }

    private VisitorPrincipal visitor() {
        Results.VisitorHello hello = join(Replies.future(r -> service.helloVisitor("demo", null, "ko", null, 0, r)));
        return new VisitorPrincipal(hello.visitor());
    }

    private AgentPrincipal agent(String name, Agent.Role role) {
        Agent agent = new Agent(ids.next("ag_"), name + "@sodam.test", name, role, "unused-hash", clock.instant());
        join(Replies.<Void>future(r -> service.execute(tx -> {
            tx.insertAgent(agent);
            return null;
        }, r)));
        return new AgentPrincipal(agent);
    }

    private Results.Posted post(dev.sodam.server.auth.Principal who, String conversationId, String clientMsgId,
                                String text) {
        return join(Replies.future(r -> service.post(who, conversationId, clientMsgId, text, null, r)));
    }

    private Conversation queued(VisitorPrincipal visitor) {
        String id = post(visitor, null, "q-" + visitor.visitor().id(), "사람 불러주세요").conversation().id();
        return join(Replies.future(r -> service.requestHandoff(visitor, id, HandoffReason.VISITOR_ASKED, r)));
    }

    @Test
    void concurrentPostsToOneConversationGetGaplessUniqueSeqs() throws Exception {
        VisitorPrincipal visitor = visitor();
        String conversationId = post(visitor, null, "first", "처음").conversation().id();
        int threads = 8;
        int perThread = 40;
        List<CompletableFuture<Results.Posted>> all = AtOnce.fromThreads(threads, perThread, (thread, i) -> {
            String id = "t" + thread + "-" + i;
            return Replies.<Results.Posted>future(r -> service.post(visitor, conversationId, id, "메시지 " + id, null, r));
        });
        List<Long> seqs = all.stream().map(f -> join(f).message().seq()).sorted().toList();
        assertThat(seqs).containsExactlyElementsOf(
                LongStream.rangeClosed(2, threads * perThread + 1).boxed().toList());
        List<Message> stored = store.read(tx -> tx.messagesAfter(conversationId, 0, 10_000));
        assertThat(stored).extracting(Message::seq)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, threads * perThread + 1).boxed().toList());
    }

    @Test
    void racingAcceptsAssignEachConversationExactlyOnce() throws Exception {
        List<Conversation> queue = IntStream.range(0, 20).mapToObj(i -> queued(visitor())).toList();
        List<AgentPrincipal> agents = IntStream.range(0, 4).mapToObj(i -> agent("agent" + i, Agent.Role.AGENT)).toList();
        ExecutorService pool = Executors.newFixedThreadPool(agents.size());
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Conversation>> attempts = Collections.synchronizedList(new ArrayList<>());
        for (AgentPrincipal agent : agents) {
            pool.execute(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (Conversation c : queue) {
                    attempts.add(Replies.future(r -> service.accept(agent, c.id(), r)));
                }
            });
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        int won = 0;
        int conflicts = 0;
        for (CompletableFuture<Conversation> attempt : attempts) {
            try {
                attempt.join();
                won++;
            } catch (CompletionException e) {
                assertThat(((ChatException) e.getCause()).code()).isEqualTo(ErrorCode.CONFLICT);
                conflicts++;
            }
        }
        assertThat(won).isEqualTo(queue.size());
        assertThat(conflicts).isEqualTo(queue.size() * (agents.size() - 1));
        barrier();
        List<Conversation> remaining = store.read(tx -> tx.queue());
        assertThat(remaining).isEmpty();
        long assignedEvents = events.stream().filter(e -> e instanceof ChatEvent.ConversationAssigned).count();
        assertThat(assignedEvents).isEqualTo(queue.size());
    }

    @Test
    void handoffPutsTheConversationInTheQueueWithItsPosition() {
        Conversation first = queued(visitor());
        Conversation second = queued(visitor());
        barrier();
        assertThat(second.state()).isEqualTo(ConversationState.QUEUED);
        assertThat(second.waitingSince()).isNotNull();
        List<ChatEvent.HandoffRequested> handoffs = events.stream()
                .filter(e -> e instanceof ChatEvent.HandoffRequested).map(e -> (ChatEvent.HandoffRequested) e).toList();
        assertThat(handoffs).extracting(h -> h.conversation().id()).containsExactly(first.id(), second.id());
        assertThat(handoffs).extracting(ChatEvent.HandoffRequested::queuePosition).containsExactly(1, 2);
    }

    @Test
    void aFlashCrowdOfHandoffsInOneBatchPublishesOneQueueSnapshotNotOnePerHandoff() throws Exception {
        // Regression: every handoff carried its own copy of the whole queue until the batch was
        // published, so k handoffs in a batch held k × n conversations; 5,000 waiting visitors
        // (bench/crash-drill.sh, reconnect storm) exhausted a 512 MiB heap.
        List<VisitorPrincipal> crowd = IntStream.range(0, 200).mapToObj(i -> visitor()).toList();
        List<String> conversations = crowd.stream()
                .map(v -> post(v, null, "c-" + v.visitor().id(), "문의 있어요").conversation().id()).toList();
        barrier();
        events.clear();
        java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
        CompletableFuture<Void> held = Replies.future(r -> service.execute(tx -> {
            holding.countDown();
            try {
                hold.await(); // the domain thread waits here while the crowd's handoffs queue up behind it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }, r));
        // Only once the domain thread runs the held unit: its batch must not take any handoff with it.
        assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<Conversation>> handoffs = new ArrayList<>();
        for (int i = 0; i < crowd.size(); i++) {
            VisitorPrincipal v = crowd.get(i);
            String id = conversations.get(i);
            handoffs.add(Replies.future(r -> service.requestHandoff(v, id, HandoffReason.VISITOR_ASKED, r)));
        }
        hold.countDown();
        join(held);
        handoffs.forEach(ConversationServiceTest::join);
        barrier();
        List<ChatEvent.QueueChanged> snapshots = events.stream().filter(e -> e instanceof ChatEvent.QueueChanged)
                .map(e -> (ChatEvent.QueueChanged) e).toList();
        assertThat(snapshots).as("one snapshot for the batch, not %s", snapshots.stream().map(q -> q.queue().size()).toList())
                .hasSize(1);
        assertThat(snapshots.get(0).queue()).extracting(Conversation::id).containsExactlyElementsOf(conversations);
        // Published after the batch's own events, so listeners see each handoff before the new queue.
        assertThat(events.get(events.size() - 1)).isSameAs(snapshots.get(0));
        assertThat(events.stream().filter(e -> e instanceof ChatEvent.HandoffRequested)
                .map(e -> ((ChatEvent.HandoffRequested) e).queuePosition()).toList())
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 200).boxed().toList());
    }

    @Test
    void handoffsInTheSameMillisecondAreQueuedFirstComeFirstServed() {
        // Regression: equal entry times were tie-broken by random ids.
        List<String> order = IntStream.range(0, 12).mapToObj(i -> queued(visitor()).id()).toList();
        List<Conversation> queue = store.read(tx -> tx.queue());
        assertThat(queue).extracting(Conversation::id).containsExactlyElementsOf(order);
    }

    @Test
    void anAngryVisitorIsServedBeforeCalmerOnesWhoCameEarlier() {
        Conversation first = queued(visitor());
        Conversation second = queued(visitor());
        VisitorPrincipal angry = visitor();
        String id = post(angry, null, "x-1", "몇 번째 문의인지 모르겠네요 정말 화나요").conversation().id();
        Conversation flagged = join(Replies.<Conversation>future(r ->
                service.requestHandoff(angry, id, HandoffReason.VISITOR_ASKED, r)));
        assertThat(flagged.urgent()).isTrue();
        assertThat(first.urgent()).isFalse();
        List<Conversation> queue = store.read(tx -> tx.queue());
        assertThat(queue).extracting(Conversation::id).containsExactly(id, first.id(), second.id());
    }

    @Test
    void askingForAPersonTwiceChangesNothingTheSecondTime() {
        VisitorPrincipal visitor = visitor();
        Conversation queued = queued(visitor);
        barrier();
        int before = events.size();
        Conversation again = join(Replies.future(r ->
                service.requestHandoff(visitor, queued.id(), HandoffReason.VISITOR_ASKED, r)));
        barrier();
        assertThat(again.state()).isEqualTo(ConversationState.QUEUED);
        assertThat(events).hasSize(before);
    }

    @Test
    void theStateMachineRefusesMovesItDoesNotAllow() {
        VisitorPrincipal visitor = visitor();
        AgentPrincipal agent = agent("kim", Agent.Role.AGENT);
        AgentPrincipal admin = agent("boss", Agent.Role.ADMIN);
        String botConversation = post(visitor, null, "s-1", "안녕하세요").conversation().id();

        assertThatThrownBy(() -> join(Replies.<Conversation>future(r -> service.accept(agent, botConversation, r))))
                .isInstanceOf(ChatException.class).extracting("code").isEqualTo(ErrorCode.CONFLICT);
        assertThatThrownBy(() -> join(Replies.<Conversation>future(r -> service.resolve(agent, botConversation, r))))
                .extracting("code").isEqualTo(ErrorCode.FORBIDDEN);
        assertThatThrownBy(() -> post(agent, botConversation, "a-1", "끼어들기"))
                .extracting("code").isEqualTo(ErrorCode.FORBIDDEN);

        Conversation resolved = join(Replies.future(r -> service.resolve(admin, botConversation, r)));
        assertThat(resolved.state()).isEqualTo(ConversationState.RESOLVED);
        assertThatThrownBy(() -> join(Replies.<Conversation>future(r ->
                service.requestHandoff(visitor, botConversation, HandoffReason.VISITOR_ASKED, r))))
                .extracting("code").isEqualTo(ErrorCode.CONFLICT);
        assertThatThrownBy(() -> post(visitor, botConversation, "s-2", "다시요"))
                .extracting("code").isEqualTo(ErrorCode.CONFLICT);
        String fresh = post(visitor, null, "s-3", "새 문의").conversation().id();
        assertThat(fresh).isNotEqualTo(botConversation);
    }

    @Test
    void aRepeatedClientMsgIdIsAnsweredWithTheOriginalAlsoAfterTheConversationIsResolved() {
        VisitorPrincipal visitor = visitor();
        AgentPrincipal admin = agent("boss", Agent.Role.ADMIN);
        Results.Posted first = post(visitor, null, "r-1", "주문 취소할래요");
        String id = first.conversation().id();
        join(Replies.<Conversation>future(r -> service.resolve(admin, id, r)));

        // The ack was lost, the chat was resolved meanwhile: the re-send gets the original, never a conflict.
        Results.Posted again = post(visitor, id, "r-1", "주문 취소할래요");
        assertThat(again.message().id()).isEqualTo(first.message().id());
        assertThat(again.message().seq()).isEqualTo(first.message().seq());
        // A new clientMsgId is still refused there, and starts a new conversation without the id.
        assertThatThrownBy(() -> post(visitor, id, "r-2", "하나 더"))
                .extracting("code").isEqualTo(ErrorCode.CONFLICT);
        Results.Posted fresh = post(visitor, null, "r-2", "하나 더");
        assertThat(fresh.conversation().id()).isNotEqualTo(id);
        // ...and a repeat of that one (still with a null conversationId) is answered with its original.
        Results.Posted freshAgain = post(visitor, null, "r-2", "하나 더");
        assertThat(freshAgain.message().id()).isEqualTo(fresh.message().id());
        List<Message> stored = store.read(tx -> tx.messagesAfter(fresh.conversation().id(), 0, 100));
        assertThat(stored).filteredOn(m -> "r-2".equals(m.clientMsgId())).hasSize(1);
    }

    @Test
    void theBotStaysSilentOnceAPersonIsInvolved() {
        VisitorPrincipal visitor = visitor();
        Conversation queued = queued(visitor);
        Results.Posted dropped = join(Replies.future(r ->
                service.postBotReply(queued.id(), "늦은 봇 답변", List.of(), List.of(), r)));
        assertThat(dropped).isNull();
        List<Message> stored = store.read(tx -> tx.messagesAfter(queued.id(), 0, 100));
        assertThat(stored).noneMatch(m -> m.text().equals("늦은 봇 답변"));
    }

    @Test
    void aVisitorNeverSeesThatSomeoneElsesConversationExists() {
        VisitorPrincipal owner = visitor();
        VisitorPrincipal stranger = visitor();
        String id = post(owner, null, "o-1", "제 주문").conversation().id();
        assertThatThrownBy(() -> post(stranger, id, "x-1", "훔쳐보기"))
                .extracting("code").isEqualTo(ErrorCode.NOT_FOUND);
        assertThatThrownBy(() -> join(Replies.<Results.Synced>future(r -> service.sync(stranger, id, 0, r))))
                .extracting("code").isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void helloWithAVisitorTokenOfAnotherSiteIsUnauthorized() {
        Results.VisitorHello hello = join(Replies.future(r -> service.helloVisitor("demo", null, "ko", null, 0, r)));
        join(Replies.<Void>future(r -> service.execute(tx -> {
            tx.insertSite(new Site("other", "other", List.of()));
            return null;
        }, r)));
        assertThatThrownBy(() -> join(Replies.<Results.VisitorHello>future(r ->
                service.helloVisitor("other", hello.visitorToken(), "ko", null, 0, r))))
                .extracting("code").isEqualTo(ErrorCode.UNAUTHORIZED);
        Visitor same = join(Replies.<Results.VisitorHello>future(r ->
                service.helloVisitor("demo", hello.visitorToken(), "ko", null, 0, r))).visitor();
        assertThat(same.id()).isEqualTo(hello.visitor().id());
    }
}
