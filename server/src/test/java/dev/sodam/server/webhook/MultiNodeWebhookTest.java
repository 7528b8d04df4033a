package dev.sodam.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sodam.server.auth.Principal.VisitorPrincipal;
import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.Replies;
import dev.sodam.server.conversation.Results;
import dev.sodam.server.event.EventBus;
import dev.sodam.server.model.Site;
import dev.sodam.server.routing.RoutingSettings;
import dev.sodam.server.store.IntegrationTx.OutboxEntry;
import dev.sodam.server.store.IntegrationTx.Webhook;
import dev.sodam.server.store.PostgresStore;
import dev.sodam.server.testing.MutableClock;
import dev.sodam.server.testing.PostgresTestSupport;
import dev.sodam.server.testing.WebhookReceiver;
import dev.sodam.server.testing.WebhookReceiver.Delivery;
import dev.sodam.server.util.Ids;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one PostgreSQL database, each with its own store, domain thread, outbox recorder and
 * {@link WebhookWorker}, against one real HTTP receiver: every outbox row is delivered exactly once (the
 * workers claim rows with {@code FOR UPDATE SKIP LOCKED}), each conversation's events in order; and a
 * node that claimed rows and died leaves them to the other node once its claim's lease has passed.
 */
class MultiNodeWebhookTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final MutableClock clock = MutableClock.atGoldenInstant();
    private String url;
    private final List<PostgresStore> stores = new ArrayList<>();
    private final List<ConversationService> nodes = new ArrayList<>();
    private final List<WebhookOutbox> outboxes = new ArrayList<>();
    private final List<WebhookWorker> workers = new ArrayList<>();
    private WebhookReceiver receiver;

    @BeforeEach
    void startTwoNodes() throws Exception {
        receiver = new WebhookReceiver();
        url = PostgresTestSupport.createDatabase();
        for (int i = 0; i < 2; i++) {
            PostgresStore store = PostgresStore.open(PostgresTestSupport.settings(url, 4));
            stores.add(store);
            Ids ids = new Ids(clock);
            ConversationService service = new ConversationService(store, new EventBus(), clock, ids,
                    new RoutingSettings(3, Duration.ofSeconds(30), 3, Duration.ofSeconds(30)));
            nodes.add(service);
            WebhookOutbox outbox = new WebhookOutbox(store, clock, ids);
            service.recordCommitsWith(outbox);
            outboxes.add(outbox);
        }
        join(Replies.<Void>future(r -> nodes.get(0).execute(tx -> {
            tx.insertSite(new Site("demo", "demo", List.of(Site.SELF)));
            tx.integrations().insertWebhook(new Webhook("wh_1", "demo", receiver.url(), "whsec_test",
                    WebhookEvents.ALL, null, true, clock.instant()));
            return null;
        }, r)));
        // Node 0 created the webhook; node 1 learns of it from the database (its 30-second refresh).
        outboxes.get(0).siteHasWebhooks("demo");
        assertThat(outboxes.get(1).anyWebhooks()).isFalse();
        outboxes.get(1).refresh();
        assertThat(outboxes.get(1).anyWebhooks()).isTrue();
    }

    private WebhookWorker worker(int node) {
        WebhookWorker worker = new WebhookWorker(stores.get(node), nodes.get(node), clock, new WebhookTargets(true),
                outboxes.get(node), null, TIMEOUT, 3, Duration.ofSeconds(10));
        workers.add(worker);
        return worker;
    }

    @AfterEach
    void stop() {
        workers.forEach(WebhookWorker::close);
        nodes.forEach(ConversationService::close);
        stores.forEach(PostgresStore::close);
        receiver.close();
        PostgresTestSupport.dropDatabase(url);
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Visitors writing on both nodes: every write records its outbox rows in its own node's transaction. */
    private void chatOnBothNodes(int visitors, int messagesEach) {
        for (int v = 0; v < visitors; v++) {
            Results.VisitorHello hello = join(Replies.future(r -> nodes.get(0).helloVisitor("demo", null, "ko", null, 0, r)));
            VisitorPrincipal visitor = new VisitorPrincipal(hello.visitor());
            String conversationId = null;
            for (int m = 0; m < messagesEach; m++) {
                String id = conversationId;
                String clientMsgId = "v" + v + "-m" + m;
                conversationId = join(Replies.<Results.Posted>future(r -> nodes.get(clientMsgId.hashCode() & 1)
                        .post(visitor, id, clientMsgId, "질문 " + clientMsgId, null, r))).conversation().id();
            }
        }
    }

    private long outboxRows(String where) throws Exception {
        try (Connection db = PostgresTestSupport.connect(url); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("SELECT COUNT(*) FROM webhook_outbox " + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void twoWorkersDeliverEveryOutboxRowExactlyOnceAndInOrderPerConversation() throws Exception {
        chatOnBothNodes(8, 6);
        long rows = outboxRows("");
        assertThat(rows).isGreaterThanOrEqualTo(8 * 7);

        // Both start on the same backlog at the same moment: each poll races the other node's for the same rows.
        worker(0).start();
        worker(1).start();
        await().atMost(WAIT).until(() -> outboxRows("WHERE status = 'delivered'") == rows);

        List<Delivery> got = receiver.deliveries();
        Set<String> eventIds = new HashSet<>();
        for (Delivery d : got) {
            assertThat(eventIds.add(d.header("Sodam-Event-Id"))).as("delivered twice: %s", d.body()).isTrue();
        }
        assertThat(got).hasSize((int) rows);
        try (Connection db = PostgresTestSupport.connect(url); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("SELECT COUNT(*), COUNT(DISTINCT outbox_seq) FROM webhook_attempts")) {
            rs.next();
            assertThat(rs.getLong(1)).as("one attempt per row").isEqualTo(rows);
            assertThat(rs.getLong(2)).isEqualTo(rows);
        }
        assertThat(outboxRows("WHERE claimed_until IS NOT NULL")).as("settled rows keep no claim").isZero();

        Map<String, List<Long>> seqsByConversation = new HashMap<>();
        for (Delivery d : got) {
            if (d.json().get("type").asText().equals(WebhookEvents.MESSAGE_CREATED)) {
                seqsByConversation.computeIfAbsent(d.json().at("/data/conversation/id").asText(), k -> new ArrayList<>())
                        .add(d.json().at("/data/message/seq").asLong());
            }
        }
        assertThat(seqsByConversation).hasSize(8);
        seqsByConversation.values().forEach(seqs -> assertThat(seqs).hasSize(6).isSorted().doesNotHaveDuplicates());
    }

    @Test
    void rowsClaimedByANodeThatDiedAreDeliveredByTheOtherAfterTheLease() throws Exception {
        chatOnBothNodes(2, 2);
        long rows = outboxRows("");
        // Node 0 claims everything due, then dies before sending any of it.
        List<OutboxEntry> claimed = stores.get(0).claim(tx -> tx.integrations().claimOutbox(clock.instant(),
                clock.instant().plus(worker(0).lease()), 100, 0));
        assertThat(claimed).isNotEmpty();
        workers.remove(0).close();
        stores.get(0).close();
        // While the claim lasts, node 1 finds nothing of it to take.
        List<OutboxEntry> left = stores.get(1).claim(tx -> tx.integrations().claimOutbox(clock.instant(),
                clock.instant().plus(Duration.ofMinutes(2)), 100, 0));
        assertThat(left).isEmpty();

        clock.advance(worker(1).lease().plusSeconds(1));
        workers.get(0).start();
        await().atMost(WAIT).until(() -> outboxRows("WHERE status = 'delivered'") == rows);
        Set<String> eventIds = new HashSet<>();
        receiver.deliveries().forEach(d -> assertThat(eventIds.add(d.header("Sodam-Event-Id"))).isTrue());
        assertThat(eventIds).hasSize((int) rows);
    }
}
