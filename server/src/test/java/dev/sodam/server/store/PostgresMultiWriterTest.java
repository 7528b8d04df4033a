package dev.sodam.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.server.auth.Principal.AgentPrincipal;
import dev.sodam.server.auth.Principal.VisitorPrincipal;
import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.Replies;
import dev.sodam.server.conversation.Results;
import dev.sodam.server.event.ChatEvent.HandoffReason;
import dev.sodam.server.event.EventBus;
import dev.sodam.server.model.Agent;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.Message;
import dev.sodam.server.model.Site;
import dev.sodam.server.routing.RoutingSettings;
import dev.sodam.server.testing.AtOnce;
import dev.sodam.server.testing.PostgresTestSupport;
import dev.sodam.server.util.Ids;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two "nodes" on one PostgreSQL database: two {@link PostgresStore}s (two pools) each under its own
 * {@link ConversationService} (its own domain thread batching commands), writing the same
 * conversation at once from several threads each. What one node promises must hold across both:
 * gapless unique seqs, and a clientMsgId sent to both nodes stored once, both answered with its seq.
 */
class PostgresMultiWriterTest {
    private static final int THREADS_PER_NODE = 3;
    private static final int PER_THREAD = 40;

    private final Clock clock = Clock.systemUTC();
    private String url;
    private final List<PostgresStore> stores = new ArrayList<>();
    private final List<ConversationService> nodes = new ArrayList<>();

    @BeforeEach
    void startTwoNodes() {
        url = PostgresTestSupport.createDatabase();
        for (int i = 0; i < 2; i++) {
            PostgresStore store = PostgresStore.open(PostgresTestSupport.settings(url, 4));
            stores.add(store);
            nodes.add(new ConversationService(store, new EventBus(), clock, new Ids(clock),
                    new RoutingSettings(3, Duration.ofSeconds(30), 3, Duration.ofSeconds(30))));
        }
        join(Replies.<Void>future(r -> nodes.get(0).execute(tx -> {
            tx.insertSite(new Site("demo", "demo", List.of(Site.SELF)));
            return null;
        }, r)));
    }

    @AfterEach
    void stop() {
        nodes.forEach(ConversationService::close);
        stores.forEach(PostgresStore::close);
        PostgresTestSupport.dropDatabase(url);
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void twoNodesAppendingToOneConversationGetGaplessUniqueSeqsAndDedupeAcrossNodes() throws Exception {
        Results.VisitorHello hello = join(Replies.future(r -> nodes.get(0).helloVisitor("demo", null, "ko", null, 0, r)));
        VisitorPrincipal visitor = new VisitorPrincipal(hello.visitor());
        String conversationId = join(Replies.<Results.Posted>future(
                r -> nodes.get(1).post(visitor, null, "first", "처음", null, r))).conversation().id();

        // Every clientMsgId is sent once to each node, at nearly the same moment: a client's retry that
        // the load balancer sent to the other node while the first attempt was still in flight.
        List<CompletableFuture<Results.Posted>> all = postFromBothNodesAtOnce((service, node, thread, i) -> {
            String id = "t" + thread + "-" + i;
            return Replies.future(r -> service.post(visitor, conversationId, id, "메시지 " + id, null, r));
        });

        int distinct = THREADS_PER_NODE * PER_THREAD;
        Map<String, List<Long>> seqsByClientMsgId = new HashMap<>();
        int duplicatesAnswered = 0;
        for (CompletableFuture<Results.Posted> f : all) {
            Results.Posted posted = join(f);
            seqsByClientMsgId.computeIfAbsent(posted.message().clientMsgId(), k -> new ArrayList<>())
                    .add(posted.message().seq());
            duplicatesAnswered += posted.duplicate() ? 1 : 0;
        }
        assertThat(all).hasSize(2 * distinct);
        assertThat(seqsByClientMsgId).hasSize(distinct);
        // Both sends of one clientMsgId got the same (original) seq, and exactly one of them stored it.
        seqsByClientMsgId.forEach((clientMsgId, seqs) -> assertThat(seqs).as(clientMsgId).hasSize(2)
                .containsOnly(seqs.get(0)));
        assertThat(duplicatesAnswered).isEqualTo(distinct);
        assertThat(seqsByClientMsgId.values().stream().map(s -> s.get(0)).sorted().toList())
                .containsExactlyElementsOf(LongStream.rangeClosed(2, distinct + 1).boxed().toList());

        for (PostgresStore store : stores) {
            List<Message> stored = store.read(tx -> tx.messagesAfter(conversationId, 0, 10_000));
            assertThat(stored).extracting(Message::seq)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, distinct + 1).boxed().toList());
            assertThat(store.read(tx -> tx.conversation(conversationId)).orElseThrow().lastSeq())
                    .isEqualTo(distinct + 1);
        }
    }

    @Test
    void batchesLockingTwoConversationsInOppositeOrderBothCommit() throws Exception {
        List<String> ids = twoConversations();
        // Node 1 locks X then Y, node 2 Y then X, each holding its first lock until the other has its
        // own: PostgreSQL must break the deadlock, and the victim must still be stored, not failed.
        CountDownLatch bothHoldOne = new CountDownLatch(2);
        Function<StoreTx, Object> meet = tx -> {
            bothHoldOne.countDown();
            try {
                assertThat(bothHoldOne.await(30, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        };
        ExecutorService two = Executors.newFixedThreadPool(2);
        List<java.util.concurrent.Future<List<Store.Outcome<Object>>>> batches = new ArrayList<>();
        for (int node = 0; node < 2; node++) {
            String first = ids.get(node);
            String second = ids.get(1 - node);
            String label = "node" + node;
            PostgresStore store = stores.get(node);
            batches.add(two.submit(() -> store.writeBatch(List.of(label(first, label), meet, label(second, label)))));
        }
        for (var batch : batches) {
            assertThat(batch.get(60, TimeUnit.SECONDS)).allSatisfy(outcome -> assertThat(outcome.ok())
                    .as(String.valueOf(outcome.failure())).isTrue());
        }
        two.shutdown();
        for (String id : ids) {
            List<String> labels = stores.get(0).read(tx -> tx.conversation(id)).orElseThrow().labels();
            assertThat(labels).hasSize(2).contains("node0", "node1");
        }
    }

    /**
     * Regression, found by bench/cluster.sh: one node on PostgreSQL relayed 870 durable messages a second
     * where SQLite relayed 8,800, and PostgreSQL spent 590 µs of CPU per message. Every unit of a batch ran
     * in a savepoint: two more round trips each, and a subtransaction per unit, hundreds per batch. A batch
     * whose units all succeed now runs in one plain transaction: every row it writes carries one xid.
     */
    @Test
    void aBatchWhoseUnitsAllSucceedTakesNoSavepoint() throws Exception {
        List<String> ids = twoConversations();
        List<Store.Outcome<Object>> outcomes = stores.get(0).writeBatch(List.of(
                label(ids.get(0), "a"), label(ids.get(1), "b"), label(ids.get(0), "c")));
        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome.ok()).isTrue());
        try (Connection watcher = PostgresTestSupport.connect(url)) {
            assertThat(labels(watcher, ids.get(0))).containsExactly("a", "c");
            assertThat(transactionIdsOf(watcher, ids)).isEqualTo(1);
        }
    }

    /** A unit that fails before it writes (a ChatException) leaves the transaction as it was: no second pass. */
    @Test
    void aUnitThatFailsWithoutWritingIsAnsweredWithItsFailureWhileTheOthersCommitTogether() throws Exception {
        List<String> ids = twoConversations();
        Function<StoreTx, Object> refused = tx -> {
            tx.conversation(ids.get(1)).orElseThrow();
            throw new ChatException(dev.sodam.server.conversation.ErrorCode.FORBIDDEN, "not yours");
        };
        List<Store.Outcome<Object>> outcomes = stores.get(0).writeBatch(List.of(
                label(ids.get(0), "a"), refused, label(ids.get(1), "b")));
        assertThat(outcomes).extracting(Store.Outcome::ok).containsExactly(true, false, true);
        assertThat(outcomes.get(1).failure()).isInstanceOf(ChatException.class).hasMessage("not yours");
        try (Connection watcher = PostgresTestSupport.connect(url)) {
            assertThat(labels(watcher, ids.get(1))).containsExactly("b");
            assertThat(transactionIdsOf(watcher, ids)).isEqualTo(1);
        }
    }

    /**
     * A unit that fails after writing: the batch runs again, each unit in its savepoint, so the failed
     * unit's write is undone and the others' are stored once (each under its savepoint's own xid).
     */
    @Test
    void aUnitThatFailsAfterWritingLeavesNothingOfItsOwnAndTheOthersAreStoredOnce() throws Exception {
        List<String> ids = twoConversations();
        Function<StoreTx, Object> halfDone = tx -> {
            label(ids.get(1), "half").apply(tx);
            throw new ChatException(dev.sodam.server.conversation.ErrorCode.CONFLICT, "changed its mind");
        };
        List<Store.Outcome<Object>> outcomes = stores.get(0).writeBatch(List.of(
                label(ids.get(0), "a"), halfDone, label(ids.get(1), "b")));
        assertThat(outcomes).extracting(Store.Outcome::ok).containsExactly(true, false, true);
        try (Connection watcher = PostgresTestSupport.connect(url)) {
            assertThat(labels(watcher, ids.get(0))).containsExactly("a");
            assertThat(labels(watcher, ids.get(1))).containsExactly("b");
            assertThat(transactionIdsOf(watcher, ids)).isEqualTo(2);
        }
    }

    /**
     * Told its conversations, a batch reads them in one statement before its first unit, each locked until
     * it commits: another node asking for any of them waits, even for one no unit has read yet.
     */
    @Test
    void aBatchToldItsConversationsLocksThemAllBeforeItsFirstUnit() throws Exception {
        List<String> ids = twoConversations();
        try (Connection watcher = PostgresTestSupport.connect(url)) {
            List<String> lockedBeforeTheFirstUnit = new ArrayList<>();
            Function<StoreTx, Object> look = tx -> {
                for (String id : ids) {
                    if (lockedByAnother(watcher, id)) {
                        lockedBeforeTheFirstUnit.add(id);
                    }
                }
                return null;
            };
            List<Store.Outcome<Object>> outcomes = stores.get(0).writeBatch(
                    List.of(look, label(ids.get(0), "a"), label(ids.get(1), "b")), ids);
            assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome.ok()).isTrue());
            assertThat(lockedBeforeTheFirstUnit).containsExactlyElementsOf(ids);
            assertThat(labels(watcher, ids.get(0))).containsExactly("a");
            assertThat(labels(watcher, ids.get(1))).containsExactly("b");
            assertThat(lockedByAnother(watcher, ids.get(0))).as("released at commit").isFalse();
        }
    }

    /** Whether another transaction holds this conversation's row lock (a {@code NOWAIT} lock attempt fails). */
    private static boolean lockedByAnother(Connection watcher, String conversationId) {
        try (java.sql.PreparedStatement lock = watcher.prepareStatement(
                "SELECT id FROM conversations WHERE id = ? FOR UPDATE NOWAIT")) {
            lock.setString(1, conversationId);
            lock.executeQuery().close();
            return false;
        } catch (java.sql.SQLException e) {
            assertThat(e.getSQLState()).as("lock_not_available").isEqualTo("55P03");
            return true;
        }
    }

    /**
     * Regression: a writer keeps the conversation rows it read for its transaction; a unit rolled back to
     * its savepoint must not leave its version of a row behind, or the next unit would append after a
     * message that was never stored: seq 2 with no seq 1.
     */
    @Test
    void aUnitRolledBackToItsSavepointLeavesNoConversationRowBehind() throws Exception {
        String x = twoConversations().get(0);
        Function<StoreTx, Object> appendsThenFails = tx -> {
            append(tx, x, "never stored");
            throw new ChatException(dev.sodam.server.conversation.ErrorCode.CONFLICT, "changed its mind");
        };
        List<Store.Outcome<Object>> outcomes = stores.get(0).writeBatch(
                List.of(appendsThenFails, tx -> append(tx, x, "stored")), List.of(x));
        assertThat(outcomes).extracting(Store.Outcome::ok).containsExactly(false, true);
        List<Message> stored = stores.get(1).read(tx -> tx.messagesAfter(x, 0, 10));
        assertThat(stored).extracting(Message::seq, Message::text)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, "안녕하세요"),
                        org.assertj.core.groups.Tuple.tuple(2L, "stored"));
        assertThat(stores.get(1).read(tx -> tx.conversation(x)).orElseThrow().lastSeq()).isEqualTo(2);
    }

    /** A message at the conversation's next seq, as the service appends one; returns its seq. */
    private Object append(StoreTx tx, String conversationId, String text) {
        Conversation c = tx.conversation(conversationId).orElseThrow();
        Message m = new Message(new Ids(clock).next("m_"), conversationId, c.lastSeq() + 1, null,
                new dev.sodam.server.model.Author(dev.sodam.server.model.Author.Kind.VISITOR, c.visitorId(), "방문자"),
                text, clock.instant(), List.of(), List.of(), null);
        tx.appendMessage(m, c.withMessage(m.seq(), text, m.ts()));
        return m.seq();
    }

    /**
     * Two nodes posting to several conversations at once: each node's batches read their conversations
     * ahead, locked in id order, while the other's do the same; every conversation's seqs stay gapless.
     */
    @Test
    void twoNodesPostingToManyConversationsAtOnceKeepEachOnesSeqsGapless() throws Exception {
        int conversations = 6;
        List<VisitorPrincipal> visitors = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < conversations; i++) {
            Results.VisitorHello hello = join(Replies.future(r -> nodes.get(0).helloVisitor("demo", null, "ko", null, 0, r)));
            VisitorPrincipal visitor = new VisitorPrincipal(hello.visitor());
            visitors.add(visitor);
            ids.add(join(Replies.<Results.Posted>future(r -> nodes.get(0).post(visitor, null, "first", "처음", null, r)))
                    .conversation().id());
        }
        List<CompletableFuture<Results.Posted>> all = postFromBothNodesAtOnce((service, node, thread, i) -> {
            int k = i % conversations;
            String clientMsgId = "n" + node + "t" + thread + "-" + i;
            return Replies.future(r -> service.post(visitors.get(k), ids.get(k), clientMsgId, "메시지", null, r));
        });
        all.forEach(f -> assertThat(join(f).duplicate()).isFalse());

        long total = 0;
        for (String id : ids) {
            List<Message> stored = stores.get(1).read(tx -> tx.messagesAfter(id, 0, 10_000));
            assertThat(stored).extracting(Message::seq).as(id)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, stored.size()).boxed().toList());
            assertThat(stores.get(0).read(tx -> tx.conversation(id)).orElseThrow().lastSeq()).isEqualTo(stored.size());
            total += stored.size();
        }
        assertThat(total).isEqualTo(conversations + 2L * THREADS_PER_NODE * PER_THREAD);
    }

    /** One message of a thread of a node: its {@code i}-th of {@link #PER_THREAD}. */
    @FunctionalInterface
    private interface Poster {
        CompletableFuture<Results.Posted> post(ConversationService service, int node, int thread, int i);
    }

    /** {@link #THREADS_PER_NODE} threads on each node post {@link #PER_THREAD} messages each, all released at once. */
    private List<CompletableFuture<Results.Posted>> postFromBothNodesAtOnce(Poster poster) throws InterruptedException {
        return AtOnce.fromThreads(2 * THREADS_PER_NODE, PER_THREAD, (t, i) -> poster.post(
                nodes.get(t / THREADS_PER_NODE), t / THREADS_PER_NODE, t % THREADS_PER_NODE, i));
    }

    /** How many (sub)transaction ids wrote the current versions of these conversations' rows. */
    private static int transactionIdsOf(Connection watcher, List<String> conversationIds) throws java.sql.SQLException {
        try (java.sql.PreparedStatement read = watcher.prepareStatement(
                "SELECT count(DISTINCT xmin::text) FROM conversations WHERE id = ANY (?)")) {
            read.setArray(1, watcher.createArrayOf("text", conversationIds.toArray()));
            try (java.sql.ResultSet rs = read.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /**
     * Regression, found by {@code ClusterNodesTest} stalling 15 s after a kill: a deadlock victim's batch
     * went on in the same transaction, still holding the row the other node waited for, so each later
     * unit touching the other node's row deadlocked again after PostgreSQL's {@code deadlock_timeout}
     * (1 s per unit, both nodes stalled), and the victim was stored after units queued behind it. Now
     * what came before the victim commits at once, and the victim runs again before the units after it.
     * This is the batch's second pass, each unit in its savepoint: the first unit fails after writing
     * on its first run, so the pass without savepoints rolls back and hands over.
     */
    @Test
    void aDeadlockVictimsBatchCommitsWhatCameBeforeItAtOnceAndKeepsItsOrder() throws Exception {
        List<String> ids = twoConversations();
        String x = ids.get(0);
        java.util.concurrent.atomic.AtomicBoolean firstRun = new java.util.concurrent.atomic.AtomicBoolean(true);
        Function<StoreTx, Object> failsAfterWritingOnce = tx -> {
            label(x, "1").apply(tx);
            if (firstRun.getAndSet(false)) {
                throw new ChatException(dev.sodam.server.conversation.ErrorCode.CONFLICT, "lost a race the first time");
            }
            return null;
        };
        // the pass without savepoints stops at the first unit, so the cycle closes in the second pass
        assertThat(deadlockedBatch(ids, failsAfterWritingOnce)).containsExactly("1");
    }

    /**
     * The pass without savepoints (a batch's first): a deadlock rolls the whole transaction back at once,
     * so the other node gets its row with nothing of this batch committed, and the batch runs again,
     * each unit in its savepoint, in its order.
     */
    @Test
    void aDeadlockInABatchWithoutSavepointsRollsItAllBackAtOnceAndRunsItAgainInOrder() throws Exception {
        List<String> ids = twoConversations();
        assertThat(deadlockedBatch(ids, label(ids.get(0), "1"))).isEmpty();
    }

    /**
     * Runs the batch (first, which labels X "1"; a unit that labels Y "2"; X's "3"; Y's "4") on node 1 while
     * another connection holds Y; the first time the second unit runs, the other connection asks for X,
     * which this batch holds: a deadlock whose victim is always this batch's. Returns X's labels as the
     * other connection saw them once it had X, after checking every unit stored once, in order.
     */
    private List<String> deadlockedBatch(List<String> ids, Function<StoreTx, Object> first) throws Exception {
        String x = ids.get(0);
        String y = ids.get(1);
        ExecutorService otherThread = Executors.newSingleThreadExecutor();
        try (Connection other = PostgresTestSupport.connect(url); Connection watcher = PostgresTestSupport.connect(url)) {
            // The other node holds Y; once this node's batch holds X and waits for Y, it asks for X.
            other.setAutoCommit(false);
            try (java.sql.Statement patient = other.createStatement()) {
                // Only the batch's backend looks for the deadlock, so its unit is always the victim.
                patient.execute("SET deadlock_timeout = '1min'");
            }
            lockRow(other, y);
            int otherPid = backendPid(other);
            CompletableFuture<List<String>> seenByOther = new CompletableFuture<>();
            java.util.concurrent.atomic.AtomicBoolean firstRun = new java.util.concurrent.atomic.AtomicBoolean(true);
            Function<StoreTx, Object> closeTheCycle = tx -> {
                if (firstRun.getAndSet(false)) {
                    otherThread.execute(() -> {
                        try {
                            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> someoneElseWaitsForALock(watcher, otherPid));
                            lockRow(other, x);
                            seenByOther.complete(labels(watcher, x));
                            other.commit();
                        } catch (Exception | AssertionError e) {
                            seenByOther.completeExceptionally(e);
                        }
                    });
                }
                return label(y, "2").apply(tx);
            };
            List<Store.Outcome<Object>> outcomes = stores.get(0).writeBatch(List.of(
                    first, closeTheCycle, label(x, "3"), label(y, "4")));

            assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome.ok()).as(String.valueOf(outcome.failure())).isTrue());
            List<String> seen = seenByOther.get(30, TimeUnit.SECONDS);
            assertThat(labels(watcher, x)).containsExactly("1", "3");
            assertThat(labels(watcher, y)).containsExactly("2", "4");
            return seen;
        } finally {
            otherThread.shutdownNow();
        }
    }

    private static void lockRow(Connection connection, String conversationId) throws java.sql.SQLException {
        try (java.sql.PreparedStatement lock = connection.prepareStatement("SELECT id FROM conversations WHERE id = ? FOR UPDATE")) {
            lock.setString(1, conversationId);
            lock.executeQuery().close();
        }
    }

    private static int backendPid(Connection connection) throws java.sql.SQLException {
        try (java.sql.Statement s = connection.createStatement(); java.sql.ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static boolean someoneElseWaitsForALock(Connection watcher, int otherPid) throws java.sql.SQLException {
        try (java.sql.PreparedStatement waiting = watcher.prepareStatement("SELECT count(*) FROM pg_stat_activity "
                + "WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> ?")) {
            waiting.setInt(1, otherPid);
            try (java.sql.ResultSet rs = waiting.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        }
    }

    /** A conversation's labels as committed (the watcher reads with autocommit). */
    private static List<String> labels(Connection watcher, String conversationId) throws java.sql.SQLException {
        try (java.sql.PreparedStatement read = watcher.prepareStatement("SELECT labels FROM conversations WHERE id = ?")) {
            read.setString(1, conversationId);
            try (java.sql.ResultSet rs = read.executeQuery()) {
                rs.next();
                return dev.sodam.server.util.Json.MAPPER.readValue(rs.getString(1),
                        new com.fasterxml.jackson.core.type.TypeReference<List<String>>() { });
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void acceptsOnTwoNodesNeverTakeAnAgentOverTheirLimit() throws Exception {
        Agent agent = new Agent("ag_cap", "cap@sodam.test", "Cap", Agent.Role.AGENT, "unused-hash", clock.instant());
        join(Replies.<Void>future(r -> nodes.get(0).execute(tx -> {
            tx.insertAgent(agent);
            return null;
        }, r)));
        List<String> queued = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ConversationService node = nodes.get(i % 2);
            Results.VisitorHello hello = join(Replies.future(r -> node.helloVisitor("demo", null, "ko", null, 0, r)));
            VisitorPrincipal visitor = new VisitorPrincipal(hello.visitor());
            String id = join(Replies.<Results.Posted>future(r -> node.post(visitor, null, "q", "상담원 연결", null, r)))
                    .conversation().id();
            join(Replies.<Conversation>future(r -> node.requestHandoff(visitor, id, HandoffReason.VISITOR_ASKED, r)));
            queued.add(id);
        }
        // The same agent accepts different chats on the two nodes at once (two consoles, two nodes):
        // each node alone would see room under the limit (3), so only a lock across nodes keeps it.
        // Both domain threads are held first, so that each node's accepts form one batch and the two
        // batches run at the same moment once released.
        CountDownLatch release = new CountDownLatch(1);
        List<CompletableFuture<Boolean>> held = new ArrayList<>();
        for (ConversationService node : nodes) {
            held.add(Replies.future(r -> node.execute(tx -> {
                try {
                    return release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }, r)));
        }
        AgentPrincipal principal = new AgentPrincipal(agent);
        List<CompletableFuture<Conversation>> accepts = new ArrayList<>();
        for (int i = 0; i < queued.size(); i++) {
            ConversationService node = nodes.get(i % 2);
            String id = queued.get(i);
            accepts.add(Replies.future(r -> node.accept(principal, id, r)));
        }
        release.countDown();
        assertThat(held).allSatisfy(h -> assertThat(join(h)).isTrue());
        long won = 0;
        for (CompletableFuture<Conversation> accept : accepts) {
            try {
                accept.get(60, TimeUnit.SECONDS);
                won++;
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(ChatException.class);
            }
        }
        assertThat(won).isEqualTo(3);
        List<Conversation> assigned = stores.get(1).read(tx -> tx.assignedTo(agent.id()));
        assertThat(assigned).hasSize(3);
    }

    /** A unit that reads the conversation (locking it) and adds a label. */
    /** Two visitors' conversations, each started by a first message on node 0. */
    private List<String> twoConversations() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Results.VisitorHello hello = join(Replies.future(r -> nodes.get(0).helloVisitor("demo", null, "ko", null, 0, r)));
            VisitorPrincipal visitor = new VisitorPrincipal(hello.visitor());
            ids.add(join(Replies.<Results.Posted>future(r -> nodes.get(0).post(visitor, null, "c", "안녕하세요", null, r)))
                    .conversation().id());
        }
        return ids;
    }

    private static Function<StoreTx, Object> label(String conversationId, String label) {
        return tx -> {
            List<String> labels = new ArrayList<>(tx.conversation(conversationId).orElseThrow().labels());
            labels.add(label);
            tx.updateLabels(conversationId, labels);
            return null;
        };
    }

    @Test
    void aVisitorsFirstMessagesOnTwoNodesAtOnceStartOneConversation() {
        Results.VisitorHello hello = join(Replies.future(r -> nodes.get(0).helloVisitor("demo", null, "ko", null, 0, r)));
        VisitorPrincipal visitor = new VisitorPrincipal(hello.visitor());
        // Two tabs, two nodes, no conversation yet: both messages must land in one conversation.
        List<CompletableFuture<Results.Posted>> firsts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String id = "tab-" + i;
            ConversationService node = nodes.get(i % 2);
            firsts.add(Replies.future(r -> node.post(visitor, null, id, "안녕하세요 " + id, null, r)));
        }
        List<String> conversations = firsts.stream().map(f -> join(f).conversation().id()).distinct().toList();
        assertThat(conversations).hasSize(1);
        List<Message> stored = stores.get(1).read(tx -> tx.messagesAfter(conversations.get(0), 0, 100));
        assertThat(stored).extracting(Message::seq).containsExactlyElementsOf(LongStream.rangeClosed(1, 10).boxed().toList());
    }
}
