package dev.sodam.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.EventLoopGroup;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Scenario (e), cold start: the time from just before {@code exec} of a server command to the first
 * WebSocket answered — a visitor {@code hello} that gets its {@code welcome} — probing every 5 ms.
 * <pre>
 * java -cp sodam-bench.jar dev.sodam.bench.ColdStart --label sodam --target sodam --port 9300 \
 *      --round 1 --out results.jsonl --log server.log -- taskset -c 1 java -jar sodam.jar
 * </pre>
 * The server inherits this process's environment and working directory and is stopped (SIGTERM)
 * once it answered.
 */
public final class ColdStart {
    private ColdStart() {
    }

    public static void main(String[] args) throws Exception {
        int split = Arrays.asList(args).indexOf("--");
        if (split < 0 || split == args.length - 1) {
            throw new IllegalArgumentException("usage: ColdStart --label L --target sodam|reference --port P "
                    + "[--round R] [--out F] [--log F] -- command...");
        }
        String label = "sodam";
        String target = "sodam";
        int port = 0;
        int round = 0;
        Path out = null;
        Path log = null;
        for (int i = 0; i + 1 < split; i += 2) {
            switch (args[i]) {
                case "--label" -> label = args[i + 1];
                case "--target" -> target = args[i + 1];
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--round" -> round = Integer.parseInt(args[i + 1]);
                case "--out" -> out = Path.of(args[i + 1]);
                case "--log" -> log = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<String> command = Arrays.asList(args).subList(split + 1, args.length);
        URI uri = URI.create("ws://127.0.0.1:" + port + "/ws?site=demo");
        String hello = target.equals("sodam")
                ? "{\"type\":\"hello\",\"role\":\"visitor\",\"site\":\"demo\",\"locale\":\"ko\"}"
                : "{\"type\":\"hello\",\"role\":\"visitor\",\"chat\":\"cold\"}";
        EventLoopGroup group = WsConn.newGroup(1);
        try {
            warmUpClient(group);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.appendTo(log.toFile()));
            long start = System.nanoTime();
            Process server = builder.start();
            try {
                long deadline = start + TimeUnit.SECONDS.toNanos(120);
                double ms = -1;
                while (System.nanoTime() < deadline && server.isAlive()) {
                    if (probe(group, uri, hello)) {
                        ms = (System.nanoTime() - start) / 1e6;
                        break;
                    }
                    Thread.sleep(5);
                }
                ObjectNode line = new ObjectMapper().createObjectNode();
                line.put("ts", Instant.now().toString()).put("scenario", "e").put("round", round).put("server", label)
                        .put("phase", "measure").put("loadavg", ProcStats.loadAverage());
                if (ms >= 0) {
                    line.put("first_conn_ms", Math.round(ms * 10) / 10.0);
                } else {
                    line.putNull("first_conn_ms");
                }
                System.out.println(line);
                if (out != null) {
                    Files.writeString(out, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
            } finally {
                server.destroy();
                if (!server.waitFor(15, TimeUnit.SECONDS)) {
                    server.destroyForcibly().waitFor();
                }
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** One connect + hello + welcome; false on any failure (not listening yet, refused, timeout). */
    private static boolean probe(EventLoopGroup group, URI uri, String hello) {
        WsConn conn = null;
        try {
            conn = WsConn.open(group, uri).get(2, TimeUnit.SECONDS);
            WsConn open = conn;
            var welcome = open.await(f -> f.type().equals("welcome"));
            open.send(hello);
            welcome.get(5, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        } finally {
            if (conn != null) {
                conn.close();
            }
        }
    }

    /** Loads and JIT-warms the client path against an in-process relay, so only the server is cold. */
    private static void warmUpClient(EventLoopGroup group) throws InterruptedException {
        try (ReferenceRelay relay = ReferenceRelay.start("127.0.0.1", 0, 1)) {
            URI uri = URI.create("ws://127.0.0.1:" + relay.port() + "/ws");
            for (int i = 0; i < 20; i++) {
                probe(group, uri, "{\"type\":\"hello\",\"role\":\"visitor\",\"chat\":\"w\"}");
            }
        }
    }
}
