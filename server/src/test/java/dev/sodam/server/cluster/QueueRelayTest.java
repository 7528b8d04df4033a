package dev.sodam.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.ConversationState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What one node sends of a queue change and another rebuilds from it: the same queue, each conversation
 * whole, as long as no order was lost; after a loss, or with a conversation never received, the receiver
 * says it cannot tell (and reads the store) rather than hand its router something stale.
 */
class QueueRelayTest {
    private static final Instant T = Instant.parse("2026-11-25T09:00:00Z");

    private static Conversation waiting(int i) {
        return new Conversation("cv_" + i, "demo", "vi_" + i, "방문자 " + i, "ko", ConversationState.QUEUED, null, null,
                1, "질문 " + i, T.plusSeconds(i), T, T.plusSeconds(i), null, null, false, List.of(), 0);
    }

    @Test
    void aReceiverRebuildsEveryQueueOfARandomRunWhole() {
        QueueRelay sender = new QueueRelay();
        QueueRelay receiver = new QueueRelay();
        Random random = new Random(8);
        List<Conversation> queue = new ArrayList<>();
        int next = 0;
        int carried = 0;
        for (int step = 0; step < 2_000; step++) {
            int what = random.nextInt(4);
            if (what == 0 || queue.isEmpty()) {
                queue.add(waiting(next++));
            } else if (what == 1) {
                queue.remove(random.nextInt(queue.size()));
            } else if (what == 2) {
                int i = random.nextInt(queue.size());
                Conversation c = queue.get(i);
                queue.set(i, c.withMessage(c.lastSeq() + 1, "질문 " + step, T.plusSeconds(step)));
            } else {
                int i = random.nextInt(queue.size());
                queue.set(i, queue.get(i).markedUrgent(true));
            }
            QueueRelay.Order order = sender.next(List.copyOf(queue));
            carried += order.changed().size();
            assertThat(order.ids()).hasSameSizeAs(queue);
            assertThat(receiver.received("node-a", order)).as("step " + step).isEqualTo(queue);
        }
        assertThat(carried).as("only what changed travels whole").isLessThan(2_000);
    }

    @Test
    void anOrderAfterALostOneCannotBeToldUntilTheStoreIsRead() {
        QueueRelay sender = new QueueRelay();
        QueueRelay receiver = new QueueRelay();
        List<Conversation> queue = List.of(waiting(1), waiting(2));
        assertThat(receiver.received("node-a", sender.next(queue))).isEqualTo(queue);

        // Lost on the way: the preview of the first changed, and only this order carried it.
        List<Conversation> changed = List.of(waiting(1).withMessage(2, "새 질문", T.plusSeconds(60)), waiting(2));
        sender.next(changed);
        QueueRelay.Order after = sender.next(List.of(changed.get(0), waiting(2), waiting(3)));
        assertThat(after.changed()).containsExactly(waiting(3));
        assertThat(receiver.received("node-a", after)).as("the first would be stale").isNull();

        List<Conversation> stored = List.of(changed.get(0), waiting(2), waiting(3));
        receiver.resynced(stored);
        assertThat(receiver.received("node-a", sender.next(stored))).isEqualTo(stored);
    }

    @Test
    void aNodeFirstHeardMidWayOrAfterSilenceCannotBeTold() {
        QueueRelay sender = new QueueRelay();
        sender.next(List.of(waiting(1)));
        QueueRelay late = new QueueRelay();
        assertThat(late.received("node-a", sender.next(List.of(waiting(1), waiting(2))))).isNull();
        late.resynced(List.of(waiting(1), waiting(2)));
        assertThat(late.received("node-a", sender.next(List.of(waiting(2))))).containsExactly(waiting(2));

        late.forget("node-a");
        assertThat(late.received("node-a", sender.next(List.of(waiting(2), waiting(4))))).isNull();
    }

    @Test
    void aSlowerNodesOrderKeepsWhatAnotherNodeSentSince() {
        QueueRelay a = new QueueRelay();
        QueueRelay b = new QueueRelay();
        QueueRelay receiver = new QueueRelay();
        List<Conversation> queue = List.of(waiting(1), waiting(2));
        assertThat(receiver.received("node-a", a.next(queue))).isEqualTo(queue);
        Conversation newer = waiting(1).withMessage(2, "새 질문", T.plusSeconds(60));
        assertThat(receiver.received("node-b", b.next(List.of(newer, waiting(2))))).containsExactly(newer, waiting(2));
        // Node A read the queue before node B's commit: its order names both and carries neither.
        QueueRelay.Order stale = a.next(queue);
        assertThat(stale.changed()).isEmpty();
        assertThat(receiver.received("node-a", stale)).containsExactly(newer, waiting(2));
    }

    /**
     * Regression: a node that does not route never reads the store, so after one gap it kept every
     * conversation later orders carried, for as long as it ran.
     */
    @Test
    void aReceiverThatCannotTellKeepsNothingUntilTheStoreIsRead() {
        QueueRelay sender = new QueueRelay();
        QueueRelay receiver = new QueueRelay();
        sender.next(List.of(waiting(0)));   // lost
        for (int i = 1; i <= 3_000; i++) {
            assertThat(receiver.received("node-a", sender.next(List.of(waiting(i))))).isNull();
        }
        assertThat(receiver.kept()).isZero();
        receiver.resynced(List.of(waiting(3_000)));
        assertThat(receiver.received("node-a", sender.next(List.of(waiting(3_000), waiting(3_001)))))
                .containsExactly(waiting(3_000), waiting(3_001));
        assertThat(receiver.kept()).isEqualTo(2);
    }

    @Test
    void aConversationNeverReceivedCannotBeTold() {
        QueueRelay receiver = new QueueRelay();
        QueueRelay.Order order = new QueueRelay.Order(1, List.of("cv_1", "cv_9"), List.of(waiting(1)));
        assertThat(receiver.received("node-a", order)).isNull();
        assertThat(QueueRelay.places(order.ids())).extracting(Conversation::id).containsExactly("cv_1", "cv_9");
    }
}
