package dev.sodam.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issue 11's scripted fault drills against a real Sodam process on a real SQLite file (run by
 * {@code bench/crash-drill.sh}; never part of {@code mvn verify}).
 *
 * <p><b>Crash under load:</b> visitors send as fast as their acks come back (one message in flight
 * each, like the widget's outbox); at a random moment the server gets {@code kill -9}; it is started
 * again on the same data; every visitor reconnects with its last seq, re-sends what was not acked with
 * the same {@code clientMsgId}, and goes on. After the last cycle every conversation is replayed from
 * seq 0: acked messages lost, messages stored twice and seq gaps must all be zero.
 *
 * <p><b>Reconnect storm:</b> many idle visitors, each with a conversation, are connected when the
 * server is killed; after the restart all of them reconnect at the same moment, without the widget's
 * jitter (the worst case). Those refused retry with the widget's backoff (1 s doubling to 30 s, full
 * jitter). Every one must be welcomed, resume and find its message once.
 *
 * <p>Prints one JSON line per drill and exits 1 on any loss, duplicate, gap or visitor left behind.
 */
public final class CrashDrill {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SodamProcess server;
    private final EventLoopGroup group = WsConn.newGroup(1);

    /** One visitor: what the server acknowledged, what is still in flight, which seqs it has seen. */
    private static final class Visitor {
        final int index;
        volatile WsConn conn;
        String token;
        volatile String conversationId;
        final Map<String, Long> acked = new ConcurrentHashMap<>();
        final Map<String, Boolean> inFlight = new ConcurrentHashMap<>();
        final BitSet seen = new BitSet();
        int next;
        volatile boolean sending;
        /** Completed by the frame listener once seq 1 is recorded in {@link #seen}; renewed per resume. */
        volatile CompletableFuture<Void> firstMessage = new CompletableFuture<>();
        /** How often seq 1 arrived on the current connection: the storm wants exactly once. */
        int firstMessageCount;

        Visitor(int index) {
            this.index = index;
        }

        synchronized long contiguous() {
            return seen.nextClearBit(1) - 1;
        }
    }

    private CrashDrill(SodamProcess server) {
        this.server = server;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        List<String> jar = List.of("-jar", Path.of(options.getOrDefault("jar", "server/target/sodam.jar")).toAbsolutePath().toString());
        Path home = Path.of(options.getOrDefault("home", "."));
        int cycles = Integer.parseInt(options.getOrDefault("cycles", "20"));
        int visitors = Integer.parseInt(options.getOrDefault("visitors", "50"));
        int storm = Integer.parseInt(options.getOrDefault("storm", "5000"));
        boolean ok = true;
        if (cycles > 0) {
            Map<String, Object> report = crashUnderLoad(jar, home, cycles, visitors);
            System.out.println(JSON.writeValueAsString(report));
            ok &= clean(report);
        }
        if (storm > 0) {
            Map<String, Object> report = reconnectStorm(jar, home, storm);
            System.out.println(JSON.writeValueAsString(report));
            ok &= clean(report);
        }
        System.exit(ok ? 0 : 1);
    }

    /** Whether a drill's report shows nothing lost, doubled, out of place or left behind. */
    static boolean clean(Map<String, Object> report) {
        for (String bad : List.of("ackedLost", "storedTwice", "seqGaps", "seqMismatch", "neverResumed", "firstMessageMissing", "firstMessageTwice")) {
            Object value = report.get(bad);
            if (value != null && ((Number) value).longValue() != 0) {
                return false;
            }
        }
        return true;
    }

    /** The crash-under-load drill on a fresh data directory; its report. */
    static Map<String, Object> crashUnderLoad(List<String> launch, Path home, int cycles, int visitors) throws Exception {
        CrashDrill drill = new CrashDrill(new SodamProcess(launch, home, Files.createTempDirectory("sodam-crash-drill")));
        try {
            return drill.finish(drill.crashUnderLoad(cycles, visitors));
        } finally {
            drill.close();
        }
    }

    /** The reconnect-storm drill on a fresh data directory; its report. */
    static Map<String, Object> reconnectStorm(List<String> launch, Path home, int visitors) throws Exception {
        CrashDrill drill = new CrashDrill(new SodamProcess(launch, home, Files.createTempDirectory("sodam-storm-drill")));
        try {
            return drill.finish(drill.reconnectStorm(visitors));
        } finally {
            drill.close();
        }
    }

    // ------------------------------------------------------------------ crash under load

    private Map<String, Object> crashUnderLoad(int cycles, int count) throws Exception {
        List<Visitor> visitors = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            visitors.add(new Visitor(i));
        }
        List<Map<String, Object>> perCycle = new ArrayList<>();
        long started = System.nanoTime();
        for (int cycle = 1; cycle <= cycles; cycle++) {
            start();
            int ackedBefore = acked(visitors);
            List<CompletableFuture<Void>> joined = new ArrayList<>();
            for (Visitor v : visitors) {
                joined.add(join(v, true));
            }
            CompletableFuture.allOf(joined.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            long traffic = ThreadLocalRandom.current().nextLong(500, 3000);
            Thread.sleep(traffic);
            visitors.forEach(v -> v.sending = false);
            int inFlight = visitors.stream().mapToInt(v -> v.inFlight.size()).sum();
            kill9();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("cycle", cycle);
            row.put("trafficMs", traffic);
            row.put("ackedInCycle", acked(visitors) - ackedBefore);
            row.put("inFlightAtKill", inFlight);
            perCycle.add(row);
            visitors.forEach(v -> v.conn = null);
        }
        start();
        Verdict verdict = verify(visitors);
        stop();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("drill", "crash-under-load");
        line.put("cycles", cycles);
        line.put("visitors", count);
        line.put("acked", acked(visitors));
        line.put("stored", verdict.stored);
        line.put("ackedLost", verdict.lost);
        line.put("storedTwice", verdict.duplicated);
        line.put("seqGaps", verdict.gaps);
        line.put("seqMismatch", verdict.mismatched);
        line.put("seconds", (System.nanoTime() - started) / 1_000_000_000L);
        line.put("perCycle", perCycle);
        return line;
    }

    private static int acked(List<Visitor> visitors) {
        return visitors.stream().mapToInt(v -> v.acked.size()).sum();
    }

    /** Connects (resuming when it has a conversation), re-sends what is in flight, then sends in a closed loop. */
    private CompletableFuture<Void> join(Visitor v, boolean send) {
        return WsConn.open(group, uri()).thenCompose(conn -> {
            v.conn = conn;
            conn.onFrame(frame -> onFrame(v, frame));
            CompletableFuture<Frame> welcome = conn.await(f -> f.type().equals("welcome"));
            conn.send(hello(v));
            return welcome;
        }).thenAccept(welcome -> {
            if (v.token == null) {
                v.token = field(welcome.raw(), "visitorToken");
            }
            if (!send) {
                return;
            }
            v.sending = true;
            List<String> again = new ArrayList<>(v.inFlight.keySet());
            if (again.isEmpty()) {
                sendNext(v);
            } else {
                again.forEach(id -> v.conn.send(sendFrame(v, id)));
            }
        });
    }

    private void onFrame(Visitor v, Frame frame) {
        switch (frame.type()) {
            case "ack" -> {
                if (frame.clientMsgId() != null && v.inFlight.remove(frame.clientMsgId()) != null) {
                    Long earlier = v.acked.put(frame.clientMsgId(), frame.seq());
                    if (earlier != null && earlier != frame.seq()) {
                        System.err.println("ack of " + frame.clientMsgId() + " changed seq " + earlier + " → " + frame.seq());
                    }
                    if (v.conversationId == null) {
                        v.conversationId = frame.conversationId();
                    }
                    if (v.sending && v.inFlight.isEmpty()) {
                        sendNext(v);
                    }
                }
            }
            case "message" -> {
                synchronized (v) {
                    v.seen.set((int) frame.seq());
                    if (frame.seq() == 1) {
                        v.firstMessageCount++;
                    }
                }
                if (frame.seq() == 1) {
                    v.firstMessage.complete(null);
                }
            }
            default -> { }
        }
    }

    private void sendNext(Visitor v) {
        String id = "v" + v.index + "-" + v.next++;
        v.inFlight.put(id, Boolean.TRUE);
        v.conn.send(sendFrame(v, id));
    }

    private static String sendFrame(Visitor v, String clientMsgId) {
        // The first message asks for a person, so the bot stays out and every seq is the visitor's.
        String text = clientMsgId.endsWith("-0") ? "상담원 연결" : "충돌 훈련 메시지 " + clientMsgId;
        return "{\"type\":\"send\",\"clientMsgId\":\"" + clientMsgId + "\""
                + (v.conversationId == null ? "" : ",\"conversationId\":\"" + v.conversationId + "\"")
                + ",\"text\":\"" + text + "\"}";
    }

    private static String hello(Visitor v) {
        StringBuilder hello = new StringBuilder("{\"type\":\"hello\",\"role\":\"visitor\",\"site\":\"demo\",\"locale\":\"ko\"");
        if (v.token != null) {
            hello.append(",\"visitorToken\":\"").append(v.token).append('"');
        }
        if (v.conversationId != null) {
            hello.append(",\"resume\":{\"conversationId\":\"").append(v.conversationId)
                    .append("\",\"lastSeq\":").append(v.contiguous()).append('}');
        }
        return hello.append('}').toString();
    }

    // ------------------------------------------------------------------ verification

    private record Verdict(int stored, int lost, int duplicated, int gaps, int mismatched) {
    }

    /** Replays every conversation from seq 0 on a fresh connection and compares it with the acks. */
    private Verdict verify(List<Visitor> visitors) throws Exception {
        int stored = 0;
        int lost = 0;
        int duplicated = 0;
        int gaps = 0;
        int mismatched = 0;
        for (Visitor v : visitors) {
            if (v.conversationId == null) {
                continue;
            }
            List<Frame> replay = replay(v);
            Map<String, Long> byId = new HashMap<>();
            BitSet seqs = new BitSet();
            long last = 0;
            for (Frame m : replay) {
                last = Math.max(last, m.seq());
                if (seqs.get((int) m.seq())) {
                    duplicated++;
                }
                seqs.set((int) m.seq());
                if (m.clientMsgId() != null && byId.put(m.clientMsgId(), m.seq()) != null) {
                    duplicated++;
                }
            }
            gaps += (int) last - seqs.cardinality();
            stored += byId.size();
            for (Map.Entry<String, Long> ack : v.acked.entrySet()) {
                Long seq = byId.get(ack.getKey());
                if (seq == null) {
                    lost++;
                } else if (!seq.equals(ack.getValue())) {
                    mismatched++;
                }
            }
        }
        return new Verdict(stored, lost, duplicated, gaps, mismatched);
    }

    /** Every stored message of the visitor's conversation, by a resume from seq 0. */
    private List<Frame> replay(Visitor v) throws Exception {
        List<Frame> messages = new ArrayList<>();
        CompletableFuture<Long> done = new CompletableFuture<>();
        long[] lastSeq = {-1};
        WsConn conn = WsConn.open(group, uri()).get(30, TimeUnit.SECONDS);
        try {
            conn.onFrame(frame -> {
                if (frame.type().equals("welcome")) {
                    lastSeq[0] = welcomeLastSeq(frame.raw());
                    if (lastSeq[0] == 0) {
                        done.complete(0L);
                    }
                } else if (frame.type().equals("message") && v.conversationId.equals(frame.conversationId())) {
                    messages.add(frame);
                    if (frame.seq() >= lastSeq[0] && lastSeq[0] >= 0) {
                        done.complete(frame.seq());
                    }
                }
            });
            conn.send("{\"type\":\"hello\",\"role\":\"visitor\",\"site\":\"demo\",\"locale\":\"ko\",\"visitorToken\":\""
                    + v.token + "\",\"resume\":{\"conversationId\":\"" + v.conversationId + "\",\"lastSeq\":0}}");
            done.get(60, TimeUnit.SECONDS);
        } finally {
            conn.close();
        }
        return messages;
    }

    private static long welcomeLastSeq(String raw) {
        try {
            return JSON.readTree(raw).path("conversation").path("lastSeq").asLong(0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String field(String raw, String name) {
        try {
            JsonNode node = JSON.readTree(raw).get(name);
            return node == null ? null : node.asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ reconnect storm

    private Map<String, Object> reconnectStorm(int count) throws Exception {
        start();
        List<Visitor> visitors = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            visitors.add(new Visitor(i));
        }
        // Each visitor opens a conversation with one acked message; a few hundred at a time.
        for (int from = 0; from < count; from += 250) {
            List<CompletableFuture<Void>> batch = new ArrayList<>();
            for (Visitor v : visitors.subList(from, Math.min(count, from + 250))) {
                batch.add(join(v, false).thenCompose(ignored -> {
                    CompletableFuture<Frame> ack = v.conn.await(f -> f.type().equals("ack"));
                    v.inFlight.put("v" + v.index + "-0", Boolean.TRUE);
                    v.next = 1;
                    v.conn.send(sendFrame(v, "v" + v.index + "-0"));
                    return ack;
                }).thenAccept(ack -> {
                    v.conversationId = ack.conversationId();
                    v.acked.put(ack.clientMsgId(), ack.seq());
                    v.inFlight.clear();
                }));
            }
            CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
        }
        kill9();
        visitors.forEach(v -> v.conn = null);
        long restart = System.nanoTime();
        start();
        long ready = System.nanoTime();
        AtomicInteger refusedAttempts = new AtomicInteger();
        Map<Integer, CompletableFuture<Void>> resumed = new ConcurrentHashMap<>();
        for (Visitor v : visitors) { // all at once: no jitter on the first attempt
            resumed.put(v.index, resume(v, refusedAttempts, 0));
        }
        int failed = 0;
        for (CompletableFuture<Void> f : resumed.values()) {
            try {
                f.get(180, TimeUnit.SECONDS);
            } catch (Exception e) {
                failed++;
            }
        }
        long allBack = System.nanoTime();
        int lost = 0;
        int twice = 0;
        for (Visitor v : visitors) {
            synchronized (v) {
                if (!v.seen.get(1)) {
                    lost++;
                } else if (v.firstMessageCount > 1) {
                    twice++;
                }
            }
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("drill", "reconnect-storm");
        line.put("visitors", count);
        line.put("restartToReadyMs", (ready - restart) / 1_000_000);
        line.put("readyToAllResumedMs", (allBack - ready) / 1_000_000);
        line.put("refusedAttemptsRetried", refusedAttempts.get());
        line.put("neverResumed", failed);
        line.put("firstMessageMissing", lost);
        line.put("firstMessageTwice", twice);
        line.put("serverRssKb", ProcStats.rssKb(server.pid()));
        stop();
        return line;
    }

    /** Reconnects and resumes from seq 0 (so the replay shows the first message); retries like the widget. */
    private CompletableFuture<Void> resume(Visitor v, AtomicInteger refused, int attempt) {
        CompletableFuture<Void> first = new CompletableFuture<>();
        synchronized (v) {
            v.seen.clear();
            v.firstMessageCount = 0;
            v.firstMessage = first;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        WsConn.open(group, uri()).thenCompose(conn -> {
            v.conn = conn;
            // Success comes from the listener after it records the frame, not from a waiter: waiters
            // run before the listener, so a waiter's success let the check read seen too early. The
            // waiter still carries failure (an error frame, a closed connection) into the retry.
            conn.await(f -> f.type().equals("message") && f.seq() == 1).whenComplete((frame, failure) -> {
                if (failure != null) {
                    first.completeExceptionally(failure);
                }
            });
            conn.onFrame(frame -> onFrame(v, frame));
            conn.send("{\"type\":\"hello\",\"role\":\"visitor\",\"site\":\"demo\",\"locale\":\"ko\",\"visitorToken\":\""
                    + v.token + "\",\"resume\":{\"conversationId\":\"" + v.conversationId + "\",\"lastSeq\":0}}");
            return first;
        }).whenComplete((ignored, failure) -> {
            if (failure == null) {
                done.complete(null);
                return;
            }
            refused.incrementAndGet();
            if (attempt >= 8) {
                done.completeExceptionally(failure);
                return;
            }
            long ceiling = Math.min(30_000, 1_000L << attempt);
            long delay = ThreadLocalRandom.current().nextLong(ceiling + 1);
            CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS)
                    .execute(() -> resume(v, refused, attempt + 1).whenComplete((ok, again) -> {
                        if (again == null) {
                            done.complete(null);
                        } else {
                            done.completeExceptionally(again);
                        }
                    }));
        });
        return done;
    }

    /** Deletes the data directory of a clean drill; a failed one is kept (and named) for a look at it. */
    private Map<String, Object> finish(Map<String, Object> report) throws IOException {
        if (!clean(report)) {
            report.put("dataDir", server.data().toString());
            return report;
        }
        server.deleteData();
        return report;
    }

    // ------------------------------------------------------------------ the server process

    private URI uri() {
        return server.visitorUri();
    }

    private void start() throws Exception {
        server.start();
    }

    private void kill9() throws Exception {
        server.kill9();
    }

    private void stop() throws Exception {
        server.stop();
    }

    private void close() throws Exception {
        server.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
