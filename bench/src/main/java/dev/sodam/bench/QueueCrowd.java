package dev.sodam.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.EventLoopGroup;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * A flash crowd: visitors ask for a person faster than agents come, and the queue grows to thousands.
 * Every visitor who joins changes the queue, and what a change costs the server must not grow with
 * the queue, or each new arrival holds up every message of the node for longer.
 *
 * <p>For each of {@code --sizes} (ascending), the queue is first filled to that size by visitors who each
 * connect, say hello and send a message asking for a person ({@code "handoff": true}), and stay connected
 * (they receive their place in the queue). Then, open loop at {@code --rate} events a second for
 * {@code --duration} seconds after {@code --warmup}: one event in five is a new visitor joining the
 * queue (an arrival: a hello on an open WebSocket and, once welcomed, the message asking for a person,
 * timed from the hello to that message's ack; it changes the queue) and the rest are messages from
 * visitors already waiting (which do not). The time from each event's schedule to its {@code ack} goes into one histogram per kind; the
 * server's CPU per event is read from {@code /proc}. No agent is online, so the queue only grows. Before
 * the first size, 100 visitors queue and the same mix runs unmeasured for the JIT ({@code --warm-up-run},
 * 10 s).
 *
 * <p>With {@code --agents N} (0 by default), the queue also moves: N agents (chat limit {@code --agent-cap},
 * 3) connect after the warm-up queue is filled, accept every offer at once and, while a mix is measured,
 * resolve one of their chats {@code --dequeue-rate} times a second (10), round robin, so the router
 * offers them the queue's next chat and each accept moves every waiting visitor up one place. Each
 * such dequeue tells every waiting visitor their new place: its cost grows with the queue by nature,
 * and is what this mode measures (the time from a resolve to the agent's next offer, the {@code status}
 * frames the waiting visitors receive per dequeue, and what the other events wait meanwhile).
 *
 * <p>{@code --jars a.jar,b.jar --labels base,new} alternates servers round by round on fresh data
 * directories ({@link SodamProcess}), so that two builds are compared in one run on this noisy machine.
 * <pre>
 * java -cp sodam-bench.jar dev.sodam.bench.QueueCrowd --jars /tmp/base.jar,server/target/sodam.jar \
 *      --labels base,new --rounds 2 --sizes 200,1000,3000,5000 --out crowd.jsonl
 * </pre>
 */
public final class QueueCrowd {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ARRIVAL_EVERY = 5;
    private static final int WARM_UP_QUEUE = 100;

    private QueueCrowd() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        List<String> jars = Arrays.asList(o.getOrDefault("jars", "server/target/sodam.jar").split(","));
        List<String> labels = Arrays.asList(o.getOrDefault("labels", "sodam").split(","));
        if (labels.size() != jars.size()) {
            throw new IllegalArgumentException("--labels needs one label per jar in --jars");
        }
        int rounds = Integer.parseInt(o.getOrDefault("rounds", "1"));
        int[] sizes = Arrays.stream(o.getOrDefault("sizes", "200,1000,3000,5000").split(",")).mapToInt(Integer::parseInt).toArray();
        int rate = Integer.parseInt(o.getOrDefault("rate", "50"));
        double warmup = Double.parseDouble(o.getOrDefault("warmup", "3"));
        double duration = Double.parseDouble(o.getOrDefault("duration", "10"));
        double warmUpRun = Double.parseDouble(o.getOrDefault("warm-up-run", "10"));
        Path home = Path.of(o.getOrDefault("home", ".")).toAbsolutePath();
        Movement movement = new Movement(Integer.parseInt(o.getOrDefault("agents", "0")),
                Integer.parseInt(o.getOrDefault("agent-cap", "3")), Integer.parseInt(o.getOrDefault("dequeue-rate", "10")));
        for (int round = 1; round <= rounds; round++) {
            for (int j = 0; j < jars.size(); j++) {
                List<String> launch = List.of("-jar", Path.of(jars.get(j)).toAbsolutePath().toString());
                try (SodamProcess server = new SodamProcess(launch, home, Files.createTempDirectory("sodam-crowd"))) {
                    server.start();
                    for (ObjectNode line : run(server, sizes, rate, warmup, duration, warmUpRun, movement)) {
                        line.put("round", round).put("server", labels.get(j));
                        String json = JSON.writeValueAsString(line);
                        System.out.println(json);
                        if (o.containsKey("out")) {
                            Files.writeString(Path.of(o.get("out")), json + "\n", StandardOpenOption.CREATE,
                                    StandardOpenOption.APPEND);
                        }
                    }
                    server.stop();
                    server.deleteData();
                }
            }
        }
        System.exit(0);
    }

    /** An event waiting for its ack: when it was due, whether it was an arrival, and by whom. */
    private record Pending(long at, boolean arrival, Visitor visitor) {
    }

    /** One visitor with its conversation once the server acked its first message. */
    private static final class Visitor {
        WsConn conn;
        volatile String conversationId;
        /** Resolved by an agent: sends nothing more (a message would open a new conversation). */
        volatile boolean resolved;
        int sent;
    }

    /** Agents who take chats from the queue while a mix is measured; none: the queue only grows. */
    record Movement(int agents, int agentCap, int dequeueRate) {
        static final Movement NONE = new Movement(0, 3, 10);
    }

    /**
     * The agents of {@link Movement}: each accepts every offer at once; while a mix is measured, a thread
     * resolves their chats in turn, and the time from a resolve to that agent's next offer is recorded.
     */
    private static final class Desk {
        final List<WsConn> conns = new ArrayList<>();
        final List<ConcurrentLinkedDeque<String>> held = new ArrayList<>();
        final List<AtomicLong> resolvedAt = new ArrayList<>();
        final AtomicLong accepts = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        volatile Histogram offerAfterResolve;

        int held() {
            return held.stream().mapToInt(Collection::size).sum();
        }
    }

    static List<ObjectNode> run(SodamProcess server, int[] sizes, int rate, double warmupSeconds, double durationSeconds,
                                double warmUpRunSeconds) throws Exception {
        return run(server, sizes, rate, warmupSeconds, durationSeconds, warmUpRunSeconds, Movement.NONE);
    }

    static List<ObjectNode> run(SodamProcess server, int[] sizes, int rate, double warmupSeconds, double durationSeconds,
                                double warmUpRunSeconds, Movement movement) throws Exception {
        EventLoopGroup group = WsConn.newGroup(1);
        List<Visitor> waiting = new ArrayList<>();
        List<ObjectNode> lines = new ArrayList<>();
        Desk desk = movement.agents() > 0 ? new Desk() : null;
        try {
            URI uri = server.visitorUri();
            // The JIT's: a first measure on a cold server is mostly compilation. Discarded.
            fill(group, uri, waiting, WARM_UP_QUEUE);
            if (desk != null) {
                seat(group, server, desk, movement);
            }
            List<Visitor> warmArrivals = new ArrayList<>();
            for (int i = 0; i < (int) (rate * warmUpRunSeconds) / ARRIVAL_EVERY + 1; i++) {
                warmArrivals.add(connect(group, uri).get(30, TimeUnit.SECONDS));
            }
            measure(server.pid(), waiting, warmArrivals, rate, 0, warmUpRunSeconds, desk, movement);
            keepQueued(warmArrivals, waiting);
            for (int size : sizes) {
                long fillStart = System.nanoTime();
                int before = queued(waiting);
                fill(group, uri, waiting, waiting.size() - before + size);
                double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
                int events = (int) Math.ceil(rate * (warmupSeconds + durationSeconds)) + 1;
                List<Visitor> arrivals = new ArrayList<>();
                for (int i = 0; i < events / ARRIVAL_EVERY + 1; i++) {
                    arrivals.add(connect(group, uri).get(30, TimeUnit.SECONDS));
                }
                ObjectNode line = measure(server.pid(), waiting, arrivals, rate, warmupSeconds, durationSeconds, desk,
                        movement);
                keepQueued(arrivals, waiting);
                line.put("queued_at_start", size).put("fill_seconds", Math.round(fillSeconds * 100) / 100.0)
                        .put("filled", size - before);
                lines.add(line);
            }
            return lines;
        } finally {
            waiting.forEach(v -> v.conn.close());
            if (desk != null) {
                desk.conns.forEach(WsConn::close);
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /** The visitors still waiting: not taken by an agent (an agent's chats end resolved). */
    private static int queued(List<Visitor> waiting) {
        return (int) waiting.stream().filter(v -> !v.resolved).count();
    }

    /**
     * Provisions and connects the agents with their chat limit; each accepts every offer it gets. Returns
     * once they hold as many chats as they may (or the warm-up queue is empty).
     */
    private static void seat(EventLoopGroup group, SodamProcess server, Desk desk, Movement movement) throws Exception {
        String db = server.data().resolve("sodam.db").toString();
        List<String> tokens = SodamAgents.provision(db, "", movement.agents());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement cap = c.createStatement()) {
            cap.execute("PRAGMA busy_timeout = 10000");
            cap.executeUpdate("UPDATE agents SET max_chats = " + movement.agentCap() + " WHERE id LIKE 'ag_bench_%'");
        }
        URI agentUri = URI.create("ws://127.0.0.1:" + server.port() + "/ws");
        for (int i = 0; i < movement.agents(); i++) {
            WsConn conn = WsConn.open(group, agentUri).get(30, TimeUnit.SECONDS);
            ConcurrentLinkedDeque<String> held = new ConcurrentLinkedDeque<>();
            AtomicLong resolvedAt = new AtomicLong();
            desk.conns.add(conn);
            desk.held.add(held);
            desk.resolvedAt.add(resolvedAt);
            conn.onFrame(frame -> {
                if (frame.type().equals("offer")) {
                    long since = resolvedAt.getAndSet(0);
                    Histogram h = desk.offerAfterResolve;
                    if (since > 0 && h != null) {
                        h.recordValue(Math.max(0, System.nanoTime() - since));
                    }
                    held.add(frame.conversationId());
                    desk.accepts.incrementAndGet();
                    conn.send("{\"type\":\"accept\",\"conversationId\":\"" + frame.conversationId() + "\"}");
                } else if (frame.type().equals("error")) {
                    if (desk.errors.incrementAndGet() <= 3) {
                        System.err.println("agent error: " + frame.raw());
                    }
                }
            });
            CompletableFuture<Frame> welcome = conn.await(f -> f.type().equals("welcome"));
            conn.send("{\"type\":\"hello\",\"role\":\"agent\",\"token\":\"" + tokens.get(i) + "\"}");
            welcome.get(30, TimeUnit.SECONDS);
        }
        long until = System.nanoTime() + 30_000_000_000L;
        while (desk.held() < Math.min(WARM_UP_QUEUE, movement.agents() * movement.agentCap()) && System.nanoTime() < until) {
            Thread.sleep(20);
        }
    }

    /**
     * Resolves one chat of each agent in turn, {@code rate} times a second until {@code end}: the resolved
     * visitor stops sending, and the agent's next offer (the queue's next chat) is timed from the resolve.
     */
    private static Thread resolver(Desk desk, Map<String, Visitor> byConversation, int rate, long start, long end) {
        Thread thread = new Thread(() -> {
            long interval = 1_000_000_000L / rate;
            int turn = 0;
            for (long k = 0; ; k++) {
                long at = start + k * interval;
                if (at >= end) {
                    return;
                }
                OpenLoop.parkUntil(at);
                for (int tried = 0; tried < desk.conns.size(); tried++) {
                    int a = turn++ % desk.conns.size();
                    String id = desk.held.get(a).poll();
                    if (id == null) {
                        continue;
                    }
                    Visitor v = byConversation.get(id);
                    if (v != null) {
                        v.resolved = true;
                    }
                    desk.resolvedAt.get(a).set(System.nanoTime());
                    desk.conns.get(a).send("{\"type\":\"resolve\",\"conversationId\":\"" + id + "\"}");
                    break;
                }
            }
        }, "crowd-resolver");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** The arrivals that joined the queue wait with the others; those the schedule did not use leave. */
    private static void keepQueued(List<Visitor> arrivals, List<Visitor> waiting) {
        for (Visitor v : arrivals) {
            if (v.conversationId != null) {
                waiting.add(v);
            } else {
                v.conn.close();
            }
        }
    }

    private static final String HELLO = "{\"type\":\"hello\",\"role\":\"visitor\",\"site\":\"demo\",\"locale\":\"ko\"}";

    /** Connects and says hello; completes with the visitor once welcomed. */
    private static CompletableFuture<Visitor> hello(EventLoopGroup group, URI uri) {
        return connect(group, uri).thenCompose(v -> {
            CompletableFuture<Frame> welcome = v.conn.await(f -> f.type().equals("welcome"));
            v.conn.send(HELLO);
            return welcome.thenApply(f -> v);
        });
    }

    /** Opens the WebSocket only: an arrival says hello when its turn comes, as a new visitor does. */
    private static CompletableFuture<Visitor> connect(EventLoopGroup group, URI uri) {
        return WsConn.open(group, uri).thenApply(conn -> {
            Visitor v = new Visitor();
            v.conn = conn;
            return v;
        });
    }

    /** A new visitor's first message, asking for a person: it opens the conversation in the queue. */
    private static String askForAPerson(String clientMsgId) {
        return "{\"type\":\"send\",\"clientMsgId\":\"" + clientMsgId + "\",\"text\":\"상담원 연결해 주세요\",\"handoff\":true}";
    }

    /** Adds visitors who ask for a person until {@code size} wait, 64 joining at a time. */
    private static void fill(EventLoopGroup group, URI uri, List<Visitor> waiting, int size) throws Exception {
        Semaphore joining = new Semaphore(64);
        List<CompletableFuture<Visitor>> joined = new ArrayList<>();
        for (int i = waiting.size(); i < size; i++) {
            joining.acquire();
            String id = "fill-" + i;
            CompletableFuture<Visitor> one = hello(group, uri).thenCompose(v -> {
                CompletableFuture<Frame> ack = v.conn.await(f -> f.type().equals("ack") && id.equals(f.clientMsgId()));
                v.conn.send(askForAPerson(id));
                return ack.thenApply(f -> {
                    v.conversationId = f.conversationId();
                    return v;
                });
            });
            one.whenComplete((v, e) -> joining.release());
            joined.add(one);
        }
        for (CompletableFuture<Visitor> one : joined) {
            waiting.add(one.get(120, TimeUnit.SECONDS));
        }
    }

    private static ObjectNode measure(long serverPid, List<Visitor> waiting, List<Visitor> arrivals, int rate,
                                      double warmupSeconds, double durationSeconds, Desk desk, Movement movement)
            throws Exception {
        Histogram arrivalAcks = new Histogram(60_000_000_000L, 3);
        Histogram messageAcks = new Histogram(60_000_000_000L, 3);
        Histogram offers = new Histogram(60_000_000_000L, 3);
        Map<String, Pending> due = new ConcurrentHashMap<>();
        Map<String, Visitor> byConversation = new ConcurrentHashMap<>();
        waiting.forEach(v -> byConversation.put(v.conversationId, v));
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime() + 100_000_000L;
        long warmupEnd = start + (long) (warmupSeconds * 1e9);
        long end = warmupEnd + (long) (durationSeconds * 1e9);
        AtomicLong errors = new AtomicLong();
        AtomicLong statuses = new AtomicLong();
        long agentErrorsBefore = desk == null ? 0 : desk.errors.get();
        Consumer<Frame> onAck = frame -> {
            if (frame.type().equals("error") && errors.incrementAndGet() <= 3) {
                System.err.println("visitor error: " + frame.raw());
            }
            if (frame.type().equals("status")) {
                long now = System.nanoTime();
                if (now >= warmupEnd && now < end) {
                    statuses.incrementAndGet();
                }
            }
            if (frame.type().equals("ack") && frame.clientMsgId() != null) {
                Pending pending = due.remove(frame.clientMsgId());
                if (pending == null) {
                    return;
                }
                if (pending.arrival()) {
                    pending.visitor().conversationId = frame.conversationId();
                    byConversation.put(frame.conversationId(), pending.visitor());
                }
                if (pending.at() >= warmupEnd) {
                    (pending.arrival() ? arrivalAcks : messageAcks).recordValue(Math.max(0, System.nanoTime() - pending.at()));
                }
            }
        };
        waiting.forEach(v -> v.conn.onFrame(onAck));
        arrivals.forEach(v -> v.conn.onFrame(onAck));
        long[] cpuFrom = null;
        long measuredEvents = 0;
        int nextArrival = 0;
        Thread resolver = null;
        long[] acceptsFrom = null;
        if (desk != null) {
            desk.offerAfterResolve = null;
            resolver = resolver(desk, byConversation, movement.dequeueRate(), start, end);
        }
        for (long k = 0; ; k++) {
            long at = start + k * interval;
            if (at >= end) {
                break;
            }
            OpenLoop.parkUntil(at);
            if (cpuFrom == null && at >= warmupEnd) {
                cpuFrom = new long[] {ProcStats.processCpuMicros(serverPid)};
                if (desk != null) {
                    desk.offerAfterResolve = offers;
                    acceptsFrom = new long[] {desk.accepts.get()};
                }
            }
            if (k % ARRIVAL_EVERY == 0 && nextArrival < arrivals.size()) {
                Visitor v = arrivals.get(nextArrival++);
                String id = "arrive-" + k;
                due.put(id, new Pending(at, true, v));
                // A new visitor: hello, and once welcomed the message asking for a person; timed from the hello.
                v.conn.await(f -> f.type().equals("welcome")).thenRun(() -> v.conn.send(askForAPerson(id)));
                v.conn.send(HELLO);
            } else if (!waiting.isEmpty()) {
                Visitor v = waiting.get((int) (k % waiting.size()));
                for (int next = 1; v.resolved && next < waiting.size(); next++) {
                    v = waiting.get((int) ((k + next) % waiting.size()));
                }
                if (v.resolved) {
                    continue;
                }
                String id = "wait-" + k;
                due.put(id, new Pending(at, false, v));
                v.conn.send("{\"type\":\"send\",\"clientMsgId\":\"" + id + "\",\"conversationId\":\"" + v.conversationId
                        + "\",\"text\":\"아직 기다려야 하나요? " + (++v.sent) + "\"}");
            } else {
                continue;
            }
            if (at >= warmupEnd) {
                measuredEvents++;
            }
        }
        long cpuTo = ProcStats.processCpuMicros(serverPid);
        long acceptsTo = desk == null ? 0 : desk.accepts.get();
        if (desk != null) {
            desk.offerAfterResolve = null;
            resolver.join();
        }
        long drainUntil = System.nanoTime() + 30_000_000_000L;
        while (!due.isEmpty() && System.nanoTime() < drainUntil) {
            Thread.sleep(20);
        }
        ObjectNode line = JSON.createObjectNode();
        line.put("ts", Instant.now().toString()).put("scenario", "crowd").put("phase", "measure")
                .put("loadavg", ProcStats.loadAverage()).put("rate_target", rate).put("seconds", durationSeconds)
                .put("events", measuredEvents).put("unacked", due.size()).put("errors", errors.get())
                .put("arrivals", arrivalAcks.getTotalCount())
                .put("arrival_p50_ms", ms(arrivalAcks.getValueAtPercentile(50)))
                .put("arrival_p99_ms", ms(arrivalAcks.getValueAtPercentile(99)))
                .put("arrival_max_ms", ms(arrivalAcks.getMaxValue()))
                .put("messages", messageAcks.getTotalCount())
                .put("message_p50_ms", ms(messageAcks.getValueAtPercentile(50)))
                .put("message_p99_ms", ms(messageAcks.getValueAtPercentile(99)))
                .put("message_max_ms", ms(messageAcks.getMaxValue()))
                .put("statuses", statuses.get());
        if (desk != null) {
            long dequeues = acceptsFrom == null ? 0 : acceptsTo - acceptsFrom[0];
            line.put("agents", movement.agents()).put("dequeue_rate_target", movement.dequeueRate())
                    .put("dequeues", dequeues)
                    .put("statuses_per_dequeue", dequeues == 0 ? 0 : Math.round(10.0 * statuses.get() / dequeues) / 10.0)
                    .put("offer_after_resolve_p50_ms", ms(offers.getValueAtPercentile(50)))
                    .put("offer_after_resolve_p99_ms", ms(offers.getValueAtPercentile(99)))
                    .put("agent_errors", desk.errors.get() - agentErrorsBefore);
        }
        if (cpuFrom != null && cpuFrom[0] >= 0 && cpuTo >= 0 && measuredEvents > 0) {
            line.put("server_cpu_us_per_event", Math.round(10.0 * (cpuTo - cpuFrom[0]) / measuredEvents) / 10.0);
        } else {
            line.putNull("server_cpu_us_per_event");
        }
        return line;
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }
}
