package dev.sodam.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.EventLoopGroup;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Issue 8's scenario (a): what an idle connection costs the server. Opens N WebSockets to Sodam or to
 * the {@link ReferenceRelay}, each one saying {@code hello} and receiving {@code welcome} (for Sodam a
 * visitor whose widget is open on a page: a session, a visitor token, no conversation; for the relay a
 * registered chat end), then holds them. Before and after, the server gets a full GC
 * ({@code jcmd GC.run}); the line reports heap and RSS per connection (the growth divided by N), kernel
 * TCP socket memory per connection ({@code /proc/net/sockstat}, machine-wide), connects per second and the
 * server's CPU milliseconds per 1,000 connects. A server that is not a JVM (the Node peers) gets no GC and
 * no heap figures (null): RSS per connection is its figure. One JSON line (scenario {@code a}) per run, like the
 * load generator's, so {@link Summary} prints the ratios. {@code --hold-seconds S} keeps the
 * connections open S seconds after measuring, to look inside the server.
 */
public final class IdleConnections {
    private static final ObjectMapper JSON = new ObjectMapper();

    private IdleConnections() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        LoadGenerator.Target target = LoadGenerator.Target.valueOf(a.getOrDefault("target", "sodam").toUpperCase(java.util.Locale.ROOT));
        ObjectNode line = run(target, a.getOrDefault("label", target.name().toLowerCase(java.util.Locale.ROOT)),
                Integer.parseInt(a.getOrDefault("port", "8080")), Integer.parseInt(a.getOrDefault("conns", "19000")),
                Long.parseLong(a.getOrDefault("server-pid", "0")), Integer.parseInt(a.getOrDefault("round", "0")),
                Integer.parseInt(a.getOrDefault("window", "64")), Integer.parseInt(a.getOrDefault("client-threads", "1")),
                Integer.parseInt(a.getOrDefault("hold-seconds", "0")));
        String text = JSON.writeValueAsString(line);
        System.out.println(text);
        if (a.containsKey("out")) {
            Files.writeString(Path.of(a.get("out")), text + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        System.exit(line.path("failed").asLong() == 0 ? 0 : 1);
    }

    /** Opens {@code conns} idle connections with at most {@code window} handshakes in flight; the JSON line. */
    static ObjectNode run(LoadGenerator.Target target, String label, int port, int conns, long serverPid, int round,
                          int window, int clientThreads, int holdSeconds) throws Exception {
        URI uri = URI.create("ws://127.0.0.1:" + port + "/ws" + (target == LoadGenerator.Target.SODAM ? "?site=demo" : ""));
        EventLoopGroup group = WsConn.newGroup(clientThreads);
        List<WsConn> open = new ArrayList<>(conns);
        long failed = 0;
        try {
            // A Node peer has no heap jcmd can read: its line carries RSS only (heap fields null).
            boolean jvm = ProcStats.isJvm(serverPid);
            long heapBefore = jvm ? ProcStats.heapAfterFullGcKb(serverPid) : -1;
            long rssBefore = ProcStats.rssKb(serverPid);
            long socketPagesBefore = ProcStats.tcpSocketPages();
            long cpuBefore = ProcStats.processCpuMicros(serverPid);
            long started = System.nanoTime();
            Semaphore slots = new Semaphore(window);
            List<CompletableFuture<WsConn>> all = new ArrayList<>(conns);
            for (int i = 0; i < conns; i++) {
                slots.acquire();
                String hello = target == LoadGenerator.Target.SODAM
                        ? "{\"type\":\"hello\",\"role\":\"visitor\",\"site\":\"demo\",\"locale\":\"ko\"}"
                        : "{\"type\":\"hello\",\"role\":\"visitor\",\"chat\":\"idle-" + i + "\"}";
                CompletableFuture<WsConn> welcomed = WsConn.open(group, uri).thenCompose(conn -> {
                    CompletableFuture<Frame> welcome = conn.await(f -> f.type().equals("welcome"));
                    conn.send(hello);
                    return welcome.thenApply(w -> conn);
                }).orTimeout(60, TimeUnit.SECONDS);
                welcomed.whenComplete((c, e) -> slots.release());
                all.add(welcomed);
            }
            for (CompletableFuture<WsConn> f : all) {
                try {
                    open.add(f.join());
                } catch (RuntimeException e) {
                    failed++;
                }
            }
            double connectSeconds = (System.nanoTime() - started) / 1e9;
            long cpuAfter = ProcStats.processCpuMicros(serverPid);
            Thread.sleep(2000); // let the server finish what the hellos started (a visitor row each for Sodam)
            long heapAfter = jvm ? ProcStats.heapAfterFullGcKb(serverPid) : -1;
            long rssAfter = ProcStats.rssKb(serverPid);
            long socketPagesAfter = ProcStats.tcpSocketPages();
            int held = open.size();

            ObjectNode line = JSON.createObjectNode();
            line.put("ts", Instant.now().toString());
            line.put("scenario", "a");
            line.put("round", round);
            line.put("server", label);
            line.put("phase", "measure");
            line.put("loadavg", ProcStats.loadAverage());
            line.put("conns", held);
            line.put("failed", failed);
            if (jvm) {
                line.put("heap_before_kb", heapBefore);
                line.put("heap_after_kb", heapAfter);
                line.put("heap_per_conn_b", held == 0 ? 0 : Math.round((heapAfter - heapBefore) * 1024.0 / held));
            } else {
                line.putNull("heap_before_kb").putNull("heap_after_kb").putNull("heap_per_conn_b");
            }
            line.put("rss_per_conn_kb", held == 0 ? 0 : Math.round((rssAfter - rssBefore) * 100.0 / held) / 100.0);
            line.put("sock_mem_per_conn_b", socketPagesBefore < 0 || held == 0 ? 0
                    : Math.round((socketPagesAfter - socketPagesBefore) * 4096.0 / held));
            line.put("connects_per_s", Math.round(held / connectSeconds));
            line.put("server_cpu_ms_per_1k_connects", held == 0 || cpuBefore < 0 ? 0
                    : Math.round((cpuAfter - cpuBefore) / 1000.0 * 1000 / held * 100) / 100.0);
            line.put("server_fds", ProcStats.openFds(serverPid));
            if (holdSeconds > 0) {
                // Time to look inside the server while the connections are open (jcmd GC.class_histogram).
                System.out.println(JSON.writeValueAsString(line));
                Thread.sleep(holdSeconds * 1000L);
            }
            return line;
        } finally {
            open.forEach(WsConn::close);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
