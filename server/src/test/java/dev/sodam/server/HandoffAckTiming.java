package dev.sodam.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.util.Json;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Not a test (surefire does not run it): where a visitor's handoff message ("상담원 연결해 주세요", BOT → QUEUED)
 * spends its time against the other messages of one conversation, on a real server (SQLite file, trained bot)
 * over a real WebSocket, one visitor at a time. Per conversation, in turn: a question the bot answers, the
 * handoff, and a plain message once queued. For each: the ack's wall time, the domain thread's CPU from the
 * send to the ack and from the send to the end of everything the message set off (the bot's reply; for the
 * handoff, the system notice), and the store's commits (group commits, each an fsync) in that window.
 * Wall times are noisy on a shared machine; the CPU figures and commit counts are the ones to compare.
 *
 * <pre>
 * mvn -B -q -pl server -am -Dsodam.target=target-handoff -Dsodam.skipNodeTests=true -Dtest=FramesTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false test
 * CP=$(grep -o 'surefire.test.class.path" value="[^"]*' server/target-handoff/surefire-reports/TEST-dev.sodam.server.protocol.FramesTest.xml | cut -d'"' -f3)
 * # sodam.repo.root: where config/ is (TestServer otherwise takes the parent of the working directory)
 * java -Dsodam.repo.root=$PWD -cp "$CP" dev.sodam.server.HandoffAckTiming [conversations] [warm-up conversations]
 * </pre>
 */
public final class HandoffAckTiming {
    private static final Pattern COMMITS = Pattern.compile("(?m)^sodam_store_commit_seconds_count(\\{[^}]*})? ([0-9.E]+)");
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final String[] KINDS = {"bot question (BOT)", "handoff (BOT -> QUEUED)", "plain (QUEUED)"};

    private HandoffAckTiming() {
    }

    public static void main(String[] args) throws Exception {
        int conversations = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        int warmUp = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        Path dir = Files.createTempDirectory("sodam-handoff-timing");
        HttpClient http = HttpClient.newHttpClient();
        try (TestServer server = TestServer.start(dir)) {
            server.awaitBot();
            long domain = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("sodam-domain")).findFirst().orElseThrow().getId();
            // [kind][conversation]: ack wall ns, domain CPU to ack, domain CPU to quiet, commits to quiet
            long[][][] figures = new long[4][KINDS.length][conversations];
            for (int c = -warmUp; c < conversations; c++) {
                try (Visitor v = new Visitor(http, server.visitorUri())) {
                    v.send(Map.of("type", "hello", "role", "visitor", "site", "demo", "locale", "ko"));
                    v.next(f -> f.path("type").asText().equals("welcome"));
                    v.send(Map.of("type", "send", "clientMsgId", "a", "text", "안녕하세요"));
                    String conversation = v.next(f -> f.path("type").asText().equals("ack")).path("conversationId").asText();
                    v.next(f -> isFrom(f, "bot"));
                    String[] texts = {"배송은 얼마나 걸려요?", "상담원 연결해 주세요", "주문 번호는 12345예요"};
                    for (int k = 0; k < texts.length; k++) {
                        quiet(domain);
                        double commitsBefore = commits(http, server);
                        String id = "m" + k;
                        Window window = new Window();
                        window.kind = KINDS[k];
                        window.begin();
                        long cpu0 = THREADS.getThreadCpuTime(domain);
                        long t0 = System.nanoTime();
                        v.send(Map.of("type", "send", "clientMsgId", id, "conversationId", conversation, "text", texts[k]));
                        v.next(f -> f.path("type").asText().equals("ack") && id.equals(f.path("clientMsgId").asText()));
                        long t1 = System.nanoTime();
                        long cpu1 = THREADS.getThreadCpuTime(domain);
                        if (k == 0) {
                            v.next(f -> isFrom(f, "bot"));
                        } else if (k == 1) {
                            v.next(f -> isFrom(f, "system"));
                        }
                        quiet(domain);
                        long cpu2 = THREADS.getThreadCpuTime(domain);
                        window.commit();
                        double commitsAfter = commits(http, server);
                        if (c >= 0) {
                            figures[0][k][c] = t1 - t0;
                            figures[1][k][c] = cpu1 - cpu0;
                            figures[2][k][c] = cpu2 - cpu0;
                            figures[3][k][c] = Math.round(commitsAfter - commitsBefore);
                        }
                    }
                }
            }
            System.out.printf("%d conversations after %d to warm up (queue %d..%d), Java %s, %d cores%n",
                    conversations, warmUp, warmUp, warmUp + conversations, Runtime.version(),
                    Runtime.getRuntime().availableProcessors());
            System.out.printf("%-26s %12s %16s %18s %16s%n", "message", "ack p50 ms", "domain CPU→ack", "domain CPU→quiet",
                    "commits→quiet");
            for (int k = 0; k < KINDS.length; k++) {
                System.out.printf("%-26s %12.3f %13.1f µs %15.1f µs %16s%n", KINDS[k], median(figures[0][k]) / 1e6,
                        median(figures[1][k]) / 1e3, median(figures[2][k]) / 1e3, histogram(figures[3][k]));
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static boolean isFrom(JsonNode frame, String kind) {
        return frame.path("type").asText().equals("message")
                && frame.path("from").path("kind").asText().equals(kind);
    }

    /** Waits until the domain thread waits for commands (its batch, and the checkpoint after it, are done). */
    private static void quiet(long domain) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int idle = 0;
        while (idle < 3 && System.nanoTime() < deadline) {
            Thread.State state = THREADS.getThreadInfo(domain).getThreadState();
            idle = state == Thread.State.TIMED_WAITING || state == Thread.State.WAITING ? idle + 1 : 0;
            Thread.sleep(1);
        }
    }

    private static double commits(HttpClient http, TestServer server) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create(server.http("/metrics"))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = COMMITS.matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no commit counter in /metrics");
        }
        return Double.parseDouble(m.group(2));
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String histogram(long[] values) {
        Map<Long, Integer> counts = new LinkedHashMap<>();
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        for (long v : sorted) {
            counts.merge(v, 1, Integer::sum);
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((v, n) -> parts.add(v + "×" + n));
        return String.join(" ", parts);
    }

    /** A message's window, from its send to the end of what it set off, for matching JFR samples to it. */
    @jdk.jfr.Name("sodam.HandoffTimingWindow")
    private static final class Window extends jdk.jfr.Event {
        String kind;
    }

    /** One visitor's socket; frames arrive on the client's thread and are handed over in order. */
    private static final class Visitor implements WebSocket.Listener, AutoCloseable {
        private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private final WebSocket socket;

        Visitor(HttpClient http, URI uri) throws Exception {
            socket = http.newWebSocketBuilder().buildAsync(uri, this).get(10, TimeUnit.SECONDS);
        }

        void send(Map<String, ?> frame) throws Exception {
            socket.sendText(Json.MAPPER.writeValueAsString(frame), true).get(5, TimeUnit.SECONDS);
        }

        JsonNode next(Predicate<JsonNode> wanted) throws InterruptedException {
            while (true) {
                JsonNode frame = frames.poll(10, TimeUnit.SECONDS);
                if (frame == null) {
                    throw new IllegalStateException("no frame in 10 s");
                }
                if (frame.path("type").asText().equals("error")) {
                    throw new IllegalStateException("error frame: " + frame);
                }
                if (wanted.test(frame)) {
                    return frame;
                }
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    frames.add(Json.MAPPER.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
    }
}
