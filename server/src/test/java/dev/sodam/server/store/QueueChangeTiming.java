package dev.sodam.server.store;

import dev.sodam.server.event.ChatEvent;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.ConversationState;
import dev.sodam.server.routing.Router;
import dev.sodam.server.routing.RoutingActions;
import dev.sodam.server.routing.RoutingSettings;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Not a test (surefire does not run it): the two pieces of a handoff's work that grow with the queue and
 * run on the domain thread, in process, as thread CPU per call with {@code waiting} chats queued: the
 * handoff's place in the writer's queue copy ({@link QueuedRows#position}, asked for the chat that just
 * joined at the end) and the router's pass over a changed queue ({@code Router.on(QueueChanged)}: offers,
 * ETAs, places; no agent online, actions discarded). Run it on two builds' class paths in turn and compare
 * the lines; see {@code HandoffAckTiming} for the whole message.
 *
 * <pre>
 * java -cp "$CP" dev.sodam.server.store.QueueChangeTiming [waiting] [calls]
 * </pre>
 */
public final class QueueChangeTiming {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int PER = 10;

    private QueueChangeTiming() {
    }

    public static void main(String[] args) {
        int waiting = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        Instant t = Instant.parse("2026-11-25T00:00:00Z");
        List<Conversation> queue = new ArrayList<>();
        QueuedRows copy = new QueuedRows();
        for (int i = 0; i < waiting; i++) {
            Conversation c = new Conversation(String.format("cv_%06d", i), "demo", "vi_" + i, "방문자 " + i, "ko",
                    ConversationState.BOT, null, null, 0, "", null, t, t, null, null, false, List.of(), 0)
                    .queued(t.plusMillis(i));
            queue.add(c);
        }
        copy.reset(queue);
        String last = queue.get(waiting - 1).id();
        RoutingActions discard = (RoutingActions) java.lang.reflect.Proxy.newProxyInstance(
                RoutingActions.class.getClassLoader(), new Class<?>[] {RoutingActions.class}, (p, m, a) -> null);
        Router router = new Router(new RoutingSettings(3, Duration.ofSeconds(30), 3, Duration.ofSeconds(20)), discard,
                Clock.systemUTC());
        ChatEvent.QueueChanged changed = new ChatEvent.QueueChanged(queue);
        long[] position = new long[calls];
        long[] routing = new long[calls];
        int sink = 0;
        for (int round = 0; round < 2; round++) { // the first to warm up
            for (int i = 0; i < calls; i++) {
                // PER calls per sample: reading a thread's CPU clock costs microseconds on some machines.
                long c0 = THREADS.getCurrentThreadCpuTime();
                for (int k = 0; k < PER; k++) {
                    sink += copy.position(last);
                }
                long c1 = THREADS.getCurrentThreadCpuTime();
                for (int k = 0; k < PER; k++) {
                    router.on(changed);
                }
                long c2 = THREADS.getCurrentThreadCpuTime();
                position[i] = (c1 - c0) / PER;
                routing[i] = (c2 - c1) / PER;
            }
        }
        if (sink != calls * 2 * PER * waiting) {
            throw new IllegalStateException("the last chat is not last: " + sink);
        }
        System.out.printf("%d waiting, %d × %d calls, Java %s: position of the newest %.1f µs, router's pass %.1f µs (medians)%n",
                waiting, calls, PER, Runtime.version(), median(position) / 1e3, median(routing) / 1e3);
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
