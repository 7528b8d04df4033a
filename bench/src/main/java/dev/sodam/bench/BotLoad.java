package dev.sodam.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.EventLoopGroup;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Scenario (d) end to end: visitors ask the seed FAQ's own questions over WebSocket at a fixed total
 * rate (open loop: the scheduled time is the start of each measurement, so a stalled server cannot
 * hide latency), and the time from that schedule to the bot's reply arriving in the same conversation
 * is recorded in an HdrHistogram. Each visitor keeps its own conversation with the bot; replies are
 * matched to questions in order. A question the bot hands to a person ends that visitor's part (its
 * conversation leaves the bot) and is counted as {@code handedOff}, not measured.
 * <pre>
 * java -cp sodam-bench.jar dev.sodam.bench.BotLoad --port 9300 --visitors 200 --rate 1000 \
 *      --warmup 5 --duration 20 --faq config/faq/seed-ko.json --round 1 --out results.jsonl
 * </pre>
 */
public final class BotLoad {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One visitor: the schedule times of its questions still waiting for the bot, oldest first. */
    private static final class Visitor {
        WsConn conn;
        volatile String conversationId;
        final Queue<long[]> waiting = new ArrayDeque<>();
        volatile boolean handedOff;
        int asked;
    }

    private BotLoad() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int port = Integer.parseInt(o.getOrDefault("port", "8080"));
        int visitors = Integer.parseInt(o.getOrDefault("visitors", "200"));
        int rate = Integer.parseInt(o.getOrDefault("rate", "1000"));
        double warmup = Double.parseDouble(o.getOrDefault("warmup", "5"));
        double duration = Double.parseDouble(o.getOrDefault("duration", "20"));
        List<String> questions = new ArrayList<>();
        for (JsonNode entry : JSON.readTree(Path.of(o.getOrDefault("faq", "config/faq/seed-ko.json")).toFile()).path("entries")) {
            questions.add(entry.path("question").asText());
        }
        ObjectNode line = run(port, visitors, rate, warmup, duration, questions,
                Long.parseLong(o.getOrDefault("server-pid", "0")));
        line.put("round", Integer.parseInt(o.getOrDefault("round", "0")));
        line.put("server", o.getOrDefault("label", "sodam"));
        line.put("server_pid_cpu_us", ProcStats.processCpuMicros(Long.parseLong(o.getOrDefault("server-pid", "0"))));
        String json = JSON.writeValueAsString(line);
        System.out.println(json);
        if (o.containsKey("out")) {
            Files.writeString(Path.of(o.get("out")), json + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        System.exit(0);
    }

    static ObjectNode run(int port, int count, int rate, double warmupSeconds, double durationSeconds,
                          List<String> questions, long serverPid) throws Exception {
        EventLoopGroup group = WsConn.newGroup(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
        Histogram measured = new Histogram(60_000_000_000L, 3);
        AtomicLong replies = new AtomicLong();
        AtomicLong handedOff = new AtomicLong();
        long[] measureFrom = {Long.MAX_VALUE};
        List<Visitor> visitors = new ArrayList<>();
        try {
            URI uri = URI.create("ws://127.0.0.1:" + port + "/ws?site=demo");
            for (int i = 0; i < count; i++) {
                Visitor v = new Visitor();
                v.conn = WsConn.open(group, uri).get(30, TimeUnit.SECONDS);
                CompletableFuture<Frame> welcome = v.conn.await(f -> f.type().equals("welcome"));
                v.conn.send("{\"type\":\"hello\",\"role\":\"visitor\",\"site\":\"demo\",\"locale\":\"ko\"}");
                welcome.get(30, TimeUnit.SECONDS);
                v.conn.onFrame(frame -> {
                    if (frame.type().equals("ack") && v.conversationId == null) {
                        v.conversationId = frame.conversationId();
                    } else if (frame.type().equals("message") && "bot".equals(frame.fromKind())) {
                        long[] asked;
                        synchronized (v.waiting) {
                            asked = v.waiting.poll();
                        }
                        if (asked != null) {
                            replies.incrementAndGet();
                            if (asked[0] >= measureFrom[0]) {
                                measured.recordValue(Math.max(0, System.nanoTime() - asked[0]));
                            }
                        }
                    } else if (frame.type().equals("status") && !"bot".equals(frame.state()) && !v.handedOff) {
                        v.handedOff = true;
                        handedOff.incrementAndGet();
                    }
                });
                visitors.add(v);
            }
            long interval = 1_000_000_000L / rate;
            long start = System.nanoTime() + 100_000_000L;
            long warmupEnd = start + (long) (warmupSeconds * 1e9);
            long end = warmupEnd + (long) (durationSeconds * 1e9);
            measureFrom[0] = warmupEnd;
            long sent = 0;
            long measuredSent = 0;
            // The server's CPU (and its JIT compilers' share) over the measured sends.
            long[] cpuFrom = null;
            for (long k = 0; ; k++) {
                long due = start + k * interval;
                if (due >= end) {
                    break;
                }
                OpenLoop.parkUntil(due);
                if (cpuFrom == null && due >= warmupEnd) {
                    cpuFrom = new long[] {ProcStats.processCpuMicros(serverPid), ProcStats.jitCpuMicros(serverPid)};
                }
                Visitor v = visitors.get((int) (k % visitors.size()));
                if (v.handedOff) {
                    continue;
                }
                String question = questions.get(v.asked++ % questions.size());
                synchronized (v.waiting) {
                    v.waiting.add(new long[] {due});
                }
                v.conn.send("{\"type\":\"send\",\"clientMsgId\":\"q" + k + "\""
                        + (v.conversationId == null ? "" : ",\"conversationId\":\"" + v.conversationId + "\"")
                        + ",\"text\":\"" + question + "\"}");
                sent++;
                if (due >= warmupEnd) {
                    measuredSent++;
                }
            }
            long[] cpuTo = {ProcStats.processCpuMicros(serverPid), ProcStats.jitCpuMicros(serverPid)};
            long drainUntil = System.nanoTime() + 15_000_000_000L;
            while (System.nanoTime() < drainUntil && replies.get() + waitingOfHandedOff(visitors) < sent) {
                Thread.sleep(50);
            }
            ObjectNode line = JSON.createObjectNode();
            line.put("ts", Instant.now().toString()).put("scenario", "d").put("phase", "measure")
                    .put("loadavg", ProcStats.loadAverage()).put("visitors", count).put("rate_target", rate)
                    .put("seconds", durationSeconds).put("sent", measuredSent).put("answered", measured.getTotalCount())
                    .put("handed_off_visitors", handedOff.get()).put("unanswered", sent - replies.get() - waitingOfHandedOff(visitors))
                    .put("p50_ms", ms(measured.getValueAtPercentile(50))).put("p99_ms", ms(measured.getValueAtPercentile(99)))
                    .put("p999_ms", ms(measured.getValueAtPercentile(99.9))).put("max_ms", ms(measured.getMaxValue()));
            if (cpuFrom != null && cpuFrom[0] >= 0 && cpuTo[0] >= 0 && measuredSent > 0) {
                line.put("server_cpu_us_per_question", Math.round(10.0 * (cpuTo[0] - cpuFrom[0]) / measuredSent) / 10.0)
                        .put("server_jit_pct", ProcStats.jitPercent(cpuTo[1] - cpuFrom[1], cpuTo[0] - cpuFrom[0]));
            } else {
                line.putNull("server_cpu_us_per_question").putNull("server_jit_pct");
            }
            return line;
        } finally {
            visitors.forEach(v -> v.conn.close());
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /** Questions still waiting in conversations the bot handed to a person: they get no bot reply. */
    private static long waitingOfHandedOff(List<Visitor> visitors) {
        long n = 0;
        for (Visitor v : visitors) {
            if (v.handedOff) {
                synchronized (v.waiting) {
                    n += v.waiting.size();
                }
            }
        }
        return n;
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }
}
