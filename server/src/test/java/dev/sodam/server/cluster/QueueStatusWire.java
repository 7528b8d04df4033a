package dev.sodam.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sodam.server.event.ChatEvent;
import dev.sodam.server.model.Author;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.ConversationState;
import dev.sodam.server.model.Message;
import dev.sodam.server.util.Ids;
import dev.sodam.server.util.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Not a test: a harness that measures what the queue costs on the wire between nodes at 1,000 and 5,000
 * waiting — the encoded size of one {@link RoutingOutput.QueueStatus} (as it is, and as it was with every
 * conversation whole) and of one queue change from the node that committed it (as it is, a {@link QueueRelay.Order}
 * with five conversations changed since the last, and as it was, the {@link ChatEvent.QueueChanged} with every
 * conversation whole), and the time to encode, decode and (for the order) rebuild the queue on the receiving
 * node — against one {@link ChatEvent.MessagePosted} in the same loop (the machine is noisy: compare ratios).
 * Run it from the test classpath: {@code java -cp <classes>:<test-classes>:<deps> dev.sodam.server.cluster.QueueStatusWire}.
 */
public final class QueueStatusWire {
    private QueueStatusWire() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Ids ids = new Ids(Clock.systemUTC());
        Instant t = Instant.parse("2026-11-25T09:00:00.123456Z");
        Conversation assigned = conversation(ids, t, 1).assigned(ids.next("ag_"), "김상담", t);
        Message message = new Message(ids.next("m_"), assigned.id(), 8, "c-8",
                new Author(Author.Kind.VISITOR, assigned.visitorId(), assigned.visitorName()),
                "주문한 상품이 아직 안 왔는데 배송 조회가 안 돼요. 언제쯤 받을 수 있을까요?", t, List.of(), List.of(), null, null);
        ChatEvent.MessagePosted posted = new ChatEvent.MessagePosted(assigned, message, null);
        for (int size : new int[] {1_000, 5_000}) {
            List<Conversation> queue = new ArrayList<>();
            List<Integer> etas = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                queue.add(conversation(ids, t.plusMillis(i), i));
                etas.add(i < 300 ? 30 + i * 6 : null);
            }
            RoutingOutput status = RoutingOutput.QueueStatus.of(queue, etas);
            WholeQueueStatus whole = new WholeQueueStatus(queue, etas);
            ChatEvent.QueueChanged changed = new ChatEvent.QueueChanged(queue);
            // A sender and a receiver in step, then five conversations changed since the last order.
            QueueRelay sender = new QueueRelay();
            QueueRelay receiver = new QueueRelay();
            receiver.received("node-a", sender.next(queue));
            List<Conversation> moved = new ArrayList<>(queue);
            for (int i = 0; i < 5; i++) {
                Conversation c = moved.get(i * size / 5);
                moved.set(i * size / 5, c.withMessage(c.lastSeq() + 1, "아직인가요?", t.plusSeconds(60)));
            }
            QueueRelay.Order order = sender.next(moved);
            String statusJson = EventCodec.encode("node-a", status);
            String wholeJson = encodeWhole(whole);
            String changedJson = encodeWhole(changed);
            String orderJson = EventCodec.encode("node-a", order);
            String postedJson = EventCodec.encode("node-a", posted);
            // Warm up, then time the same number of round trips of each, interleaved.
            long statusNanos = 0;
            long wholeNanos = 0;
            long changedNanos = 0;
            long orderNanos = 0;
            long postedNanos = 0;
            int postedPer = 100;
            for (int r = -rounds; r < rounds; r++) {
                long start = System.nanoTime();
                check(EventCodec.decode(EventCodec.encode("node-a", status)).output(), size);
                long wholeStart = System.nanoTime();
                if (decodeWhole(encodeWhole(whole)).queue().size() != size) {
                    throw new AssertionError();
                }
                long changedStart = System.nanoTime();
                if (decodeWhole(encodeWhole(changed)).queue().size() != size) {
                    throw new AssertionError();
                }
                long orderStart = System.nanoTime();
                // Each round the receiver hears the order again as the sender's next one.
                QueueRelay.Order again = new QueueRelay.Order(order.seq() + r + rounds, order.ids(), order.changed());
                List<Conversation> rebuilt = receiver.received("node-a",
                        EventCodec.decode(EventCodec.encode("node-a", again)).queue());
                if (rebuilt == null || rebuilt.size() != size) {
                    throw new AssertionError();
                }
                long mid = System.nanoTime();
                for (int i = 0; i < postedPer; i++) {
                    if (EventCodec.decode(EventCodec.encode("node-a", posted)).event() == null) {
                        throw new AssertionError();
                    }
                }
                long end = System.nanoTime();
                if (r >= 0) {
                    statusNanos += wholeStart - start;
                    wholeNanos += changedStart - wholeStart;
                    changedNanos += orderStart - changedStart;
                    orderNanos += mid - orderStart;
                    postedNanos += end - mid;
                }
            }
            double postedUs = postedNanos / 1_000.0 / rounds / postedPer;
            System.out.printf("queued=%d MessagePosted: %d bytes, %.1f us per encode+decode%n", size,
                    bytes(postedJson), postedUs);
            print("QueueStatus, whole queue (before)", wholeJson, wholeNanos, rounds, postedUs);
            print("QueueStatus, ids only (after)", statusJson, statusNanos, rounds, postedUs);
            print("QueueChanged, whole queue (before)", changedJson, changedNanos, rounds, postedUs);
            print("queue change, ids + 5 changed (after)", orderJson, orderNanos, rounds, postedUs);
            // The sender's side of the order: what changed since its last (here five, back and forth).
            QueueRelay differ = new QueueRelay();
            long diffStart = System.nanoTime();
            for (int r = 0; r < rounds; r++) {
                if (differ.next(r % 2 == 0 ? queue : moved).changed().size() != (r == 0 ? size : 5)) {
                    throw new AssertionError();
                }
            }
            System.out.printf("  %-34s %,21.0f us%n", "the sender's diff, per order",
                    (System.nanoTime() - diffStart) / 1_000.0 / rounds);
        }
    }

    private static void print(String what, String json, long nanos, int rounds, double postedUs) {
        double us = nanos / 1_000.0 / rounds;
        System.out.printf("  %-34s %,10d bytes %,10.0f us  = %,6.0f MessagePosted%n", what, bytes(json), us, us / postedUs);
    }

    private static int bytes(String json) {
        return json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    /** The queue status as it travelled before: every queued conversation whole. */
    record WholeQueueStatus(List<Conversation> queue, List<Integer> etaSeconds) {
    }

    /** As {@link EventCodec#encode(String, RoutingOutput)} did it (and its encoding of an event). */
    private static String encodeWhole(Object output) {
        ObjectNode envelope = Json.MAPPER.createObjectNode();
        envelope.put("node", "node-a");
        envelope.put("type", output.getClass().getSimpleName());
        envelope.set(output instanceof ChatEvent ? "event" : "output", Json.MAPPER.valueToTree(output));
        return envelope.toString();
    }

    /** As {@link EventCodec#decode} did it: a whole queue status, or a whole queue change. */
    private static WholeQueueStatus decodeWhole(String json) throws Exception {
        JsonNode envelope = Json.MAPPER.readTree(json);
        if (envelope.path("node").asText("").isEmpty()) {
            throw new AssertionError();
        }
        if (envelope.path("event").isObject()) {
            return new WholeQueueStatus(Json.MAPPER.treeToValue(envelope.get("event"), ChatEvent.QueueChanged.class).queue(),
                    List.of());
        }
        return Json.MAPPER.treeToValue(envelope.get("output"), WholeQueueStatus.class);
    }

    /** Decoded, and rebuilt as the receiving node hands it to its delivery. */
    private static void check(RoutingOutput output, int size) {
        if (!(output instanceof RoutingOutput.QueueStatus status) || status.queue().size() != size) {
            throw new AssertionError("not the queue status sent: " + output);
        }
    }

    /** A waiting visitor as a handoff leaves them: a Korean question as preview, the default name, no labels. */
    private static Conversation conversation(Ids ids, Instant t, int i) {
        return new Conversation(ids.next("cv_"), "demo", ids.next("vi_"), "방문자 " + (1000 + i % 9000), "ko",
                ConversationState.QUEUED, null, null, 3, "상담원 연결해 주세요. 주문한 상품 배송이 늦어지고 있어서 확인 부탁드립니다", t,
                t.minusSeconds(40), t, null, null, false, List.of(), 2);
    }
}
