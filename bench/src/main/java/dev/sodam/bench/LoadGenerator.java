package dev.sodam.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The load generator: opens N chats (a visitor connection each; agents carry {@code chatsPerAgent}
 * chats each) against Sodam or the {@link ReferenceRelay}, sets them up, then sends visitor messages
 * either open-loop (a fixed total rate; the scheduled send time travels in the message, so a stalled
 * server or client cannot hide latency — coordinated omission) or closed-loop (each chat sends its
 * next message when the agent received the previous one: capacity). It measures visitor → agent
 * one-way latency (agent receive − scheduled send) and send → ack latency, checks that every message
 * was acked once and delivered once, in order, and writes one JSON line per phase (warmup, measure).
 */
public final class LoadGenerator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] PHASES = {"warmup", "measure"};
    private static final String PAD = "안녕하세요 주문한 상품 배송 문의드립니다 ";

    /**
     * Which server speaks on the other side: the set-up differs, the hot path is the same. PUSHER is
     * soketi (issue 8's product peer): each chat is a private channel both sides subscribe to (the
     * channel auth HMAC computed here, as an app's auth endpoint would), and the visitor's message is a
     * {@code client-msg} event the server relays to the agent. The Pusher protocol has no ack and no seq:
     * a message counts as acked when it is delivered (no ack latency), and its number stands for the seq.
     */
    public enum Target { SODAM, REFERENCE, PUSHER }

    public enum Mode { OPEN, CLOSED }

    /** Everything a run needs; {@link #parse} reads it from {@code --key value} arguments. */
    public record Options(Target target, String label, String host, int port, int chats, int chatsPerAgent, Mode mode,
                          int rate, int window, double warmupSeconds, double durationSeconds, double drainSeconds,
                          int round, long serverPid, String sodamDb, int setupWindow, int clientThreads, int textBytes,
                          Path out, String scenario, int agentPort, String sodamDbUser, boolean resolveAtEnd,
                          List<Integer> stepRates, double stepWarmupSeconds, double stepSeconds, double stepStopP99Ms,
                          String appKey, String appSecret, List<Long> nodePids, List<String> backingNames) {
        int agents() {
            return (chats + chatsPerAgent - 1) / chatsPerAgent;
        }

        static Options parse(String[] args) {
            Map<String, String> a = new HashMap<>();
            for (int i = 0; i + 1 < args.length; i += 2) {
                if (!args[i].startsWith("--")) {
                    throw new IllegalArgumentException("expected --key value, got " + args[i]);
                }
                a.put(args[i].substring(2), args[i + 1]);
            }
            Target target = Target.valueOf(a.getOrDefault("target", "sodam").toUpperCase(Locale.ROOT));
            return new Options(target, a.getOrDefault("label", target.name().toLowerCase(Locale.ROOT)),
                    a.getOrDefault("host", "127.0.0.1"), Integer.parseInt(a.getOrDefault("port", "8080")),
                    Integer.parseInt(a.getOrDefault("chats", "1000")),
                    Integer.parseInt(a.getOrDefault("chats-per-agent", "5")),
                    Mode.valueOf(a.getOrDefault("mode", "open").toUpperCase(Locale.ROOT)),
                    Integer.parseInt(a.getOrDefault("rate", "1000")), Integer.parseInt(a.getOrDefault("window", "1")),
                    Double.parseDouble(a.getOrDefault("warmup", "5")), Double.parseDouble(a.getOrDefault("duration", "20")),
                    Double.parseDouble(a.getOrDefault("drain", "10")), Integer.parseInt(a.getOrDefault("round", "0")),
                    Long.parseLong(a.getOrDefault("server-pid", "0")),
                    a.get("sodam-db"),
                    Integer.parseInt(a.getOrDefault("setup-window", "16")),
                    Integer.parseInt(a.getOrDefault("client-threads", "0")),
                    Integer.parseInt(a.getOrDefault("text-bytes", "100")),
                    a.containsKey("out") ? Path.of(a.get("out")) : null,
                    a.getOrDefault("scenario", "b"),
                    // Several nodes: agents on another node than visitors (default: the same one).
                    Integer.parseInt(a.getOrDefault("agent-port", a.getOrDefault("port", "8080"))),
                    a.getOrDefault("sodam-db-user", ""),
                    // The soak's rounds: agents resolve their chats at the end, the whole life of a chat.
                    Boolean.parseBoolean(a.getOrDefault("resolve-at-end", "false")),
                    // The step-up: after the measured run, the same chats at each of these rates (open
                    // loop) until p99 passes step-stop-p99-ms or a message is lost.
                    a.getOrDefault("step-rates", "").isBlank() ? List.of()
                            : Arrays.stream(a.get("step-rates").split(",")).map(String::trim).map(Integer::valueOf).toList(),
                    Double.parseDouble(a.getOrDefault("step-warmup", "2")),
                    Double.parseDouble(a.getOrDefault("step-duration", "10")),
                    Double.parseDouble(a.getOrDefault("step-stop-p99-ms", "10")),
                    // Pusher (soketi): the app the server is configured with (bench/run.sh writes its config)
                    a.getOrDefault("app-key", "sodam-bench-key"), a.getOrDefault("app-secret", "sodam-bench-secret"),
                    // Several nodes: the other Sodam JVMs, whose CPU counts with --server-pid's in nodes_cpu_us_per_relay
                    list(a.get("node-pids")).stream().map(Long::valueOf).toList(),
                    // what else a message costs, by process name (postgres, redis-server): backing_cpu_us_per_relay
                    list(a.get("backing-processes")));
        }

        private static List<String> list(String commaSeparated) {
            return commaSeparated == null || commaSeparated.isBlank() ? List.of()
                    : Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
        }
    }

    /** What a run produced: the JSON lines and the correctness tally over all chats and phases. */
    public record Result(List<ObjectNode> lines, Chat.Tally tally, long misrouted) {
    }

    private final Options o;
    private final List<Chat> chats = new ArrayList<>();
    private final Map<String, Chat> byConversation = new HashMap<>();
    private final List<WsConn> agentConns = new ArrayList<>();
    private final Histogram[] latency = {histogram(), histogram()};
    private final Histogram[] ackLatency = {histogram(), histogram()};
    private final AtomicLongArray sent = new AtomicLongArray(2);
    private final AtomicLongArray delivered = new AtomicLongArray(2);
    private final AtomicLongArray acked = new AtomicLongArray(2);
    private final AtomicLong misrouted = new AtomicLong();
    private final AtomicLong helloRaces = new AtomicLong();
    private final Map<WsConn, String> socketIds = new java.util.concurrent.ConcurrentHashMap<>(); // Pusher
    private final String pad;
    private long epoch;
    /** The open loop's rate and the scenario its lines carry: the options', then each step's. */
    private int rate;
    private String scenario;
    private long warmupNanos;
    private long totalNanos;
    private volatile boolean sending;

    private LoadGenerator(Options options) {
        this.o = options;
        this.pad = padding(options.textBytes());
        this.rate = options.rate();
        this.scenario = options.scenario();
    }

    public static Result run(Options options) throws Exception {
        return new LoadGenerator(options).execute();
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Result result = run(options);
        System.err.println("bench: " + options.label() + " round " + options.round() + ": " + result.tally()
                + (result.misrouted() > 0 ? " misrouted=" + result.misrouted() : ""));
        System.exit(0);
    }

    private static Histogram histogram() {
        return new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(10), 3);
    }

    /** Korean filler so a message's text is about {@code bytes} UTF-8 bytes, like a real chat line. */
    private static String padding(int bytes) {
        StringBuilder s = new StringBuilder();
        int used = 24; // the "sched chat n " prefix
        while (used < bytes) {
            char c = PAD.charAt(s.length() % PAD.length());
            int size = String.valueOf(c).getBytes(StandardCharsets.UTF_8).length;
            if (used + size > bytes) {
                break;
            }
            s.append(c);
            used += size;
        }
        return s.toString();
    }

    private Result execute() throws Exception {
        int threads = o.clientThreads() > 0 ? o.clientThreads() : Runtime.getRuntime().availableProcessors();
        EventLoopGroup group = WsConn.newGroup(threads);
        try {
            long rssBefore = ProcStats.rssKb(o.serverPid());
            long setupStart = System.nanoTime();
            if (o.target() == Target.SODAM) {
                setUpSodam(group);
            } else if (o.target() == Target.PUSHER) {
                setUpPusher(group);
            } else {
                setUpReference(group);
            }
            double setupSeconds = (System.nanoTime() - setupStart) / 1e9;
            Thread.sleep(o.target() == Target.SODAM ? 1000 : 200); // let set-up bot answers and notices drain
            long rssAfterSetup = ProcStats.rssKb(o.serverPid());
            chats.forEach(chat -> chat.visitor.onFrame(frame -> onVisitorFrame(chat, frame)));
            agentConns.forEach(agent -> agent.onFrame(this::onAgentFrame));

            List<ObjectNode> lines = new ArrayList<>(measure(setupSeconds, rssBefore, rssAfterSetup,
                    o.warmupSeconds(), o.durationSeconds()));
            lines.addAll(stepUp(setupSeconds, rssBefore, rssAfterSetup));
            Chat.Tally tally = chats.stream().map(Chat::tally).reduce(Chat.Tally::plus)
                    .orElse(new Chat.Tally(0, 0, 0, 0, 0, 0, 0, 0, 0));
            if (o.resolveAtEnd() && o.target() == Target.SODAM) {
                resolveAll();
            }
            return new Result(Collections.unmodifiableList(lines), tally, misrouted.get());
        } finally {
            chats.forEach(chat -> chat.visitor.close());
            agentConns.forEach(WsConn::close);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    // ---------------------------------------------------------------- set-up

    private URI uri(String query) {
        return URI.create("ws://" + o.host() + ":" + o.port() + "/ws" + query);
    }

    /** Where agents connect: another node than the visitors' with {@code --agent-port}. */
    private URI agentUri() {
        return URI.create("ws://" + o.host() + ":" + o.agentPort() + "/ws");
    }

    /** Runs {@code count} set-up steps with at most {@code window} in flight, and waits for all. */
    private static <T> List<T> inWindows(int count, int window, IntFunction<CompletableFuture<T>> step)
            throws InterruptedException {
        Semaphore slots = new Semaphore(window);
        List<CompletableFuture<T>> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            slots.acquire();
            CompletableFuture<T> f = step.apply(i).orTimeout(60, TimeUnit.SECONDS);
            f.whenComplete((v, e) -> slots.release());
            all.add(f);
        }
        List<T> results = new ArrayList<>(count);
        for (CompletableFuture<T> f : all) {
            results.add(f.join());
        }
        return results;
    }

    private static CompletableFuture<Frame> request(WsConn conn, String type, String json) {
        CompletableFuture<Frame> answer = conn.await(f -> f.type().equals(type));
        conn.send(json);
        return answer;
    }

    private void setUpSodam(EventLoopGroup group) throws Exception {
        if (o.sodamDb() == null) {
            throw new IllegalArgumentException("--sodam-db is required for Sodam: bench agents are provisioned in it");
        }
        List<String> tokens = SodamAgents.provision(o.sodamDb(), o.sodamDbUser(), o.agents());
        agentConns.addAll(inWindows(o.agents(), o.setupWindow(), i -> WsConn.open(group, agentUri()).thenCompose(conn ->
                request(conn, "welcome", "{\"type\":\"hello\",\"role\":\"agent\",\"token\":\"" + tokens.get(i) + "\"}")
                        .thenCompose(welcome -> attached(conn, 0)).thenApply(ready -> conn))));
        chats.addAll(inWindows(o.chats(), o.setupWindow(), i -> {
            WsConn agent = agentConns.get(i / o.chatsPerAgent());
            AtomicReference<String> stage = new AtomicReference<>("connect");
            CompletableFuture<Chat> chat = WsConn.open(group, uri("?site=demo")).thenCompose(visitor -> {
                stage.set("hello");
                return request(visitor, "welcome", "{\"type\":\"hello\",\"role\":\"visitor\",\"site\":\"demo\",\"locale\":\"ko\"}")
                        .thenCompose(welcome -> attached(visitor, 0))
                        .thenCompose(ready -> {
                            stage.set("first message");
                            // registered before the first message: the bot may hand off on its own
                            CompletableFuture<Frame> queued = visitor.await(f -> isStatus(f, "queued"));
                            return request(visitor, "ack", "{\"type\":\"send\",\"clientMsgId\":\"setup-0\","
                                    + "\"conversationId\":null,\"text\":\"배송 언제 와요?\"}")
                                    .thenCompose(ack -> {
                                        stage.set("handoff of " + ack.conversationId());
                                        visitor.send("{\"type\":\"handoff\",\"conversationId\":\"" + ack.conversationId() + "\"}");
                                        return queued.thenCompose(q -> {
                                            stage.set("accept of " + ack.conversationId());
                                            CompletableFuture<Frame> assigned = visitor.await(f -> isStatus(f, "assigned"));
                                            agent.send("{\"type\":\"accept\",\"conversationId\":\"" + ack.conversationId() + "\"}");
                                            return assigned.thenApply(a -> new Chat(i, visitor, agent, ack.conversationId()));
                                        });
                                    });
                        });
            });
            return chat.orTimeout(60, TimeUnit.SECONDS).handle((done, failure) -> {
                if (failure != null) {
                    throw new IllegalStateException("chat " + i + " set-up failed at " + stage.get() + ": " + failure, failure);
                }
                return done;
            });
        }));
        chats.forEach(chat -> byConversation.put(chat.conversationId, chat));
    }

    /** Each chat's agent resolves it; returns once every visitor has seen its chat resolved. */
    private void resolveAll() throws InterruptedException {
        inWindows(chats.size(), o.setupWindow(), i -> {
            Chat chat = chats.get(i);
            CompletableFuture<Frame> resolved = chat.visitor.await(f -> isStatus(f, "resolved"));
            chat.agent.send("{\"type\":\"resolve\",\"conversationId\":\"" + chat.conversationId + "\"}");
            return resolved;
        });
    }

    /**
     * Completes once the server has attached the session that {@code welcome} announced. Sodam sends
     * {@code welcome} before it attaches the session, so a frame sent right after {@code welcome} can
     * be refused with {@code unauthorized} "say hello first"; this probes with a {@code sync} of a
     * conversation that does not exist (attached: {@code not_found}) and counts the refusals.
     */
    private CompletableFuture<Void> attached(WsConn conn, int attempt) {
        CompletableFuture<Frame> answer = conn.await(f -> false); // any error fails it; nothing else matches
        conn.send("{\"type\":\"sync\",\"conversationId\":\"cv_bench_probe\",\"afterSeq\":0}");
        return answer.handle((frame, error) -> String.valueOf(error)).thenCompose(error -> {
            if (!error.contains("say hello first")) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            helloRaces.incrementAndGet();
            if (attempt >= 50) {
                return CompletableFuture.failedFuture(new IllegalStateException("session never attached: " + error));
            }
            return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(10, TimeUnit.MILLISECONDS))
                    .thenCompose(x -> attached(conn, attempt + 1));
        });
    }

    private static boolean isStatus(Frame f, String state) {
        return f.type().equals("status") && state.equals(f.state());
    }

    private void setUpReference(EventLoopGroup group) throws Exception {
        agentConns.addAll(inWindows(o.agents(), o.setupWindow(), a -> WsConn.open(group, uri("")).thenCompose(conn -> {
            List<String> ids = new ArrayList<>();
            for (int i = a * o.chatsPerAgent(); i < Math.min(o.chats(), (a + 1) * o.chatsPerAgent()); i++) {
                ids.add("\"c" + i + "\"");
            }
            return request(conn, "welcome", "{\"type\":\"hello\",\"role\":\"agent\",\"chats\":[" + String.join(",", ids) + "]}")
                    .thenApply(welcome -> conn);
        })));
        chats.addAll(inWindows(o.chats(), o.setupWindow(), i -> WsConn.open(group, uri("?site=demo")).thenCompose(visitor ->
                request(visitor, "welcome", "{\"type\":\"hello\",\"role\":\"visitor\",\"chat\":\"c" + i + "\"}")
                        .thenApply(welcome -> new Chat(i, visitor, agentConns.get(i / o.chatsPerAgent()), "c" + i)))));
        chats.forEach(chat -> byConversation.put(chat.conversationId, chat));
    }

    /** Pusher: connect, read the socket id, subscribe to each private channel with its HMAC auth. */
    private void setUpPusher(EventLoopGroup group) throws Exception {
        URI uri = URI.create("ws://" + o.host() + ":" + o.port() + "/app/" + o.appKey() + "?protocol=7&client=sodam-bench&version=1");
        agentConns.addAll(inWindows(o.agents(), o.setupWindow(), a -> pusherConnect(group, uri).thenCompose(conn -> {
            List<String> ids = new ArrayList<>();
            for (int i = a * o.chatsPerAgent(); i < Math.min(o.chats(), (a + 1) * o.chatsPerAgent()); i++) {
                ids.add("c" + i);
            }
            CompletableFuture<WsConn> done = CompletableFuture.completedFuture(conn);
            for (String id : ids) {
                done = done.thenCompose(c -> subscribe(c, id));
            }
            return done;
        })));
        chats.addAll(inWindows(o.chats(), o.setupWindow(), i -> pusherConnect(group, uri)
                .thenCompose(visitor -> subscribe(visitor, "c" + i))
                .thenApply(visitor -> new Chat(i, visitor, agentConns.get(i / o.chatsPerAgent()), "private-c" + i))));
        chats.forEach(chat -> byConversation.put(chat.conversationId, chat));
    }

    /** Opens a Pusher connection and keeps the socket id the server gave it (channel auth signs it). */
    private CompletableFuture<WsConn> pusherConnect(EventLoopGroup group, URI uri) {
        return WsConn.open(group, uri).thenCompose(conn -> conn.await(f -> f.type().equals("pusher:connection_established"))
                .thenApply(established -> {
                    try {
                        socketIds.put(conn, JSON.readTree(established.text()).path("socket_id").asText());
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException("bad connection_established: " + established.raw(), e);
                    }
                    return conn;
                }));
    }

    private CompletableFuture<WsConn> subscribe(WsConn conn, String chatId) {
        String channel = "private-" + chatId;
        String auth = o.appKey() + ":" + hmacSha256Hex(o.appSecret(), socketIds.get(conn) + ":" + channel);
        return request(conn, "pusher_internal:subscription_succeeded", "{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\""
                + channel + "\",\"auth\":\"" + auth + "\"}}").thenApply(ok -> conn);
    }

    static String hmacSha256Hex(String secret, String text) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- hot path

    private int phaseOf(long sched) {
        return sched < warmupNanos ? 0 : 1;
    }

    private void send(Chat chat, long sched) {
        long n = chat.nextSend();
        sent.incrementAndGet(phaseOf(sched));
        if (o.target() == Target.PUSHER) {
            chat.visitor.send("{\"event\":\"client-msg\",\"channel\":\"" + chat.conversationId + "\",\"data\":{\"clientMsgId\":\"b"
                    + n + "." + sched + "\",\"text\":\"c" + chat.index + " " + pad + "\"}}");
            return;
        }
        chat.visitor.send("{\"type\":\"send\",\"clientMsgId\":\"b" + n + "." + sched + "\",\"conversationId\":\""
                + chat.conversationId + "\",\"text\":\"c" + chat.index + " " + pad + "\"}");
    }

    private void onVisitorFrame(Chat chat, Frame frame) {
        if (!frame.type().equals("ack") || frame.clientMsgId() == null || !frame.clientMsgId().startsWith("b")) {
            return; // the visitor's own message echo, statuses, set-up leftovers
        }
        long now = System.nanoTime() - epoch;
        String id = frame.clientMsgId();
        int dot = id.indexOf('.');
        long n = Long.parseLong(id, 1, dot, 10);
        long sched = Long.parseLong(id, dot + 1, id.length(), 10);
        if (chat.acked(n, frame.seq())) {
            int phase = phaseOf(sched);
            acked.incrementAndGet(phase);
            ackLatency[phase].recordValue(Math.max(0, (now - sched) / 1000));
        }
    }

    private void onAgentFrame(Frame frame) {
        boolean pusher = o.target() == Target.PUSHER;
        if (!(pusher ? frame.type().equals("client-msg") : frame.type().equals("message") && "visitor".equals(frame.fromKind()))
                || frame.clientMsgId() == null || !frame.clientMsgId().startsWith("b")) {
            return;
        }
        long now = System.nanoTime() - epoch;
        Chat chat = byConversation.get(frame.conversationId());
        // Numbers travel in the clientMsgId ("b<n>.<sched>"): Sodam masks digit runs that look like
        // card or phone numbers in message text, so a timestamp there would not survive.
        String id = frame.clientMsgId();
        int dot = id.indexOf('.');
        long n = Long.parseLong(id, 1, dot, 10);
        long sched = Long.parseLong(id, dot + 1, id.length(), 10);
        String text = frame.text();
        int chatIndex = Integer.parseInt(text, 1, text.indexOf(' '), 10);
        if (chat == null || chat.index != chatIndex) {
            misrouted.incrementAndGet();
            return;
        }
        if (chat.delivered(n, pusher ? n + 1 : frame.seq())) {
            int phase = phaseOf(sched);
            delivered.incrementAndGet(phase);
            latency[phase].recordValue(Math.max(0, (now - sched) / 1000));
            if (pusher && chat.acked(n, n + 1)) { // no ack in the Pusher protocol: delivery stands for it
                acked.incrementAndGet(phase);
            }
        }
        if (o.mode() == Mode.CLOSED && sending && now < totalNanos) {
            send(chat, now);
        }
    }

    // ---------------------------------------------------------------- the run

    /** {@code backing}: the backing programs' processes at this reading (null when unreadable). */
    private record Sample(long nanos, long serverCpuMicros, long serverJitMicros, long nodesCpuMicros,
                          Map<Long, ProcStats.ProcessCpu> backing, ProcStats.CpuTotals cpu) {
        static Sample take(Options o) {
            long server = ProcStats.processCpuMicros(o.serverPid());
            long nodes = server;
            for (long pid : o.nodePids()) {
                long node = ProcStats.processCpuMicros(pid);
                nodes = nodes < 0 || node < 0 ? -1 : nodes + node;
            }
            return new Sample(System.nanoTime(), server, ProcStats.jitCpuMicros(o.serverPid()), nodes,
                    ProcStats.processesNamed(o.backingNames()), ProcStats.cpuTotals());
        }
    }

    /**
     * The step-up: the same chats, open loop, at each of {@code --step-rates} in turn, a warm-up and a
     * measured phase each (scenario {@code <scenario>-step-<rate>}), until a step's p99 passes
     * {@code --step-stop-p99-ms} or it loses a message. The chats are set up once: at 5k chats
     * Sodam's set-up takes minutes.
     */
    private List<ObjectNode> stepUp(double setupSeconds, long rssBefore, long rssAfterSetup) throws InterruptedException {
        List<ObjectNode> lines = new ArrayList<>();
        if (o.mode() != Mode.OPEN) {
            return lines;
        }
        for (int stepRate : o.stepRates()) {
            for (int phase = 0; phase < 2; phase++) {
                latency[phase].reset();
                ackLatency[phase].reset();
                sent.set(phase, 0);
                delivered.set(phase, 0);
                acked.set(phase, 0);
            }
            rate = stepRate;
            scenario = o.scenario() + "-step-" + stepRate;
            List<ObjectNode> step = measure(setupSeconds, rssBefore, rssAfterSetup, o.stepWarmupSeconds(), o.stepSeconds());
            lines.addAll(step);
            ObjectNode measured = step.get(step.size() - 1);
            if (measured.get("p99_ms").asDouble() > o.stepStopP99Ms() || measured.get("lost").asLong() > 0) {
                break;
            }
        }
        return lines;
    }

    private List<ObjectNode> measure(double setupSeconds, long rssBefore, long rssAfterSetup,
                                     double warmupSeconds, double durationSeconds) throws InterruptedException {
        warmupNanos = (long) (warmupSeconds * 1e9);
        totalNanos = warmupNanos + (long) (durationSeconds * 1e9);
        epoch = System.nanoTime();
        sending = true;
        Sample[] samples = new Sample[3];
        samples[0] = Sample.take(o);
        Thread sender = null;
        if (o.mode() == Mode.OPEN) {
            sender = new Thread(this::openLoop, "bench-sender");
            sender.setDaemon(true);
            sender.start();
        } else {
            for (Chat chat : chats) {
                for (int w = 0; w < o.window(); w++) {
                    send(chat, 0);
                }
            }
        }
        sleepUntil(epoch + warmupNanos);
        samples[1] = Sample.take(o);
        sleepUntil(epoch + totalNanos);
        samples[2] = Sample.take(o);
        long serverRss = ProcStats.rssKb(o.serverPid());
        double loadavg = ProcStats.loadAverage();
        if (sender != null) {
            sender.join();
        }
        sending = false;
        long drainEnd = System.nanoTime() + (long) (o.drainSeconds() * 1e9);
        while (System.nanoTime() < drainEnd && !chats.stream().allMatch(Chat::settled)) {
            Thread.sleep(20);
        }

        int conns = chats.size() + agentConns.size();
        List<ObjectNode> lines = new ArrayList<>();
        for (int phase = 0; phase < 2; phase++) {
            Sample from = samples[phase];
            Sample to = samples[phase + 1];
            double seconds = (to.nanos() - from.nanos()) / 1e9;
            long relayed = delivered.get(phase);
            ObjectNode line = JSON.createObjectNode();
            line.put("ts", Instant.now().toString());
            line.put("scenario", scenario);
            line.put("round", o.round());
            line.put("server", o.label());
            line.put("phase", PHASES[phase]);
            line.put("mode", o.mode().name().toLowerCase(Locale.ROOT));
            line.put("loadavg", loadavg);
            line.put("steal_pct", round(to.cpu().stealPercentSince(from.cpu()), 2));
            line.put("conns", conns);
            line.put("chats", chats.size());
            line.put("agents", agentConns.size());
            line.put("rate_target", o.mode() == Mode.OPEN ? rate : 0);
            line.put("seconds", round(seconds, 3));
            line.put("setup_s", round(setupSeconds, 2));
            line.put("hello_races", helloRaces.get());
            line.put("sent", sent.get(phase));
            line.put("acked", acked.get(phase));
            line.put("delivered", relayed);
            line.put("lost", sent.get(phase) - relayed);
            line.put("p50_ms", ms(latency[phase].getValueAtPercentile(50)));
            line.put("p99_ms", ms(latency[phase].getValueAtPercentile(99)));
            line.put("p999_ms", ms(latency[phase].getValueAtPercentile(99.9)));
            line.put("max_ms", ms(latency[phase].getMaxValue()));
            line.put("ack_p50_ms", ms(ackLatency[phase].getValueAtPercentile(50)));
            line.put("ack_p99_ms", ms(ackLatency[phase].getValueAtPercentile(99)));
            line.put("ack_p999_ms", ms(ackLatency[phase].getValueAtPercentile(99.9)));
            line.put("relays_per_s", round(relayed / seconds, 1));
            if (from.serverCpuMicros() >= 0 && to.serverCpuMicros() >= 0 && relayed > 0) {
                line.put("server_cpu_us_per_relay", round((double) (to.serverCpuMicros() - from.serverCpuMicros()) / relayed, 2));
                line.put("server_cpu_pct", round(100.0 * (to.serverCpuMicros() - from.serverCpuMicros()) / (seconds * 1e6), 1));
                line.put("server_jit_pct", ProcStats.jitPercent(to.serverJitMicros() - from.serverJitMicros(),
                        to.serverCpuMicros() - from.serverCpuMicros()));
            } else {
                line.putNull("server_cpu_us_per_relay");
                line.putNull("server_cpu_pct");
                line.putNull("server_jit_pct");
            }
            putClusterCpu(line, from, to, relayed);
            if (serverRss > 0) {
                line.put("server_rss_kb", serverRss);
                line.put("rss_per_conn_kb", round((double) (rssAfterSetup - rssBefore) / conns, 2));
            } else {
                line.putNull("server_rss_kb");
                line.putNull("rss_per_conn_kb");
            }
            lines.add(line);
            emit(line);
        }
        return Collections.unmodifiableList(lines);
    }

    /**
     * With several nodes or a store of its own: CPU per relayed message of all the nodes
     * ({@code nodes_cpu_us_per_relay}, the server's and --node-pids'), of each backing program
     * ({@code backing_cpu_us_per_relay}: {"postgres": …, "redis-server": …}) and of everything together
     * ({@code total_cpu_us_per_relay}). Absent without --node-pids and --backing-processes.
     */
    private void putClusterCpu(ObjectNode line, Sample from, Sample to, long relayed) {
        if (o.nodePids().isEmpty() && o.backingNames().isEmpty()) {
            return;
        }
        if (relayed <= 0 || from.nodesCpuMicros() < 0 || to.nodesCpuMicros() < 0) {
            line.putNull("nodes_cpu_us_per_relay");
            line.putNull("total_cpu_us_per_relay");
            return;
        }
        double nodes = (double) (to.nodesCpuMicros() - from.nodesCpuMicros()) / relayed;
        double total = nodes;
        ObjectNode backing = line.putObject("backing_cpu_us_per_relay");
        Map<String, Long> spent = ProcStats.cpuSpentByName(o.backingNames(), from.backing(), to.backing());
        for (String name : o.backingNames()) {
            long micros = spent.get(name);
            if (micros < 0) {
                backing.putNull(name);
                continue;
            }
            double perRelay = micros / (double) relayed;
            backing.put(name, round(perRelay, 2));
            total += perRelay;
        }
        line.put("nodes_cpu_us_per_relay", round(nodes, 2));
        line.put("total_cpu_us_per_relay", round(total, 2));
    }

    private void openLoop() {
        int n = chats.size();
        for (long k = 0; ; k++) {
            long sched = (long) (k * 1e9 / rate);
            if (sched >= totalNanos) {
                return;
            }
            waitUntil(epoch + sched);
            send(chats.get((int) (k % n)), sched);
        }
    }

    /** Parks until shortly before the deadline, then yields: parkNanos alone overshoots by ~60 µs. */
    private static void waitUntil(long deadline) {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            if (left > 80_000) {
                LockSupport.parkNanos(left - 60_000);
            } else {
                Thread.yield();
            }
        }
    }

    private static void sleepUntil(long deadline) throws InterruptedException {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private static double ms(long micros) {
        return round(micros / 1000.0, 3);
    }

    private static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }

    private void emit(ObjectNode line) {
        String json = line.toString();
        System.out.println(json);
        if (o.out() != null) {
            try {
                Files.writeString(o.out(), json + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new IllegalStateException("cannot write " + o.out(), e);
            }
        }
    }
}
