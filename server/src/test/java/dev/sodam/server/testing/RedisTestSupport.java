package dev.sodam.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis for the cluster tests: the server on 127.0.0.1:6379 when one answers {@code PING}, otherwise
 * Debian's {@code redis-server} binary started on a free port (installed by {@code ./sodam test} when missing,
 * as it installs Chromium). Nothing is skipped: without either the test fails naming the package.
 * {@link #startPrivate} always starts a server of the test's own, which the test may stop and start again.
 */
public final class RedisTestSupport {
    private static final String LOCAL = "127.0.0.1";
    private static final int LOCAL_PORT = 6379;
    private static volatile String shared;

    private RedisTestSupport() {
    }

    /** The URL of a Redis every cluster test of this JVM may use (the local one, or one started here once). */
    public static String url() {
        String url = shared;
        if (url == null) {
            synchronized (RedisTestSupport.class) {
                url = shared;
                if (url == null) {
                    if (!"private".equals(System.getProperty("sodam.test.redis")) && answers(LOCAL_PORT)) {
                        url = "redis://" + LOCAL + ":" + LOCAL_PORT;
                    } else {
                        PrivateRedis started = startPrivate();
                        Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "redis-test-cleanup"));
                        url = started.url();
                    }
                    shared = url;
                }
            }
        }
        return url;
    }

    /** A {@code redis-server} of the caller's own on a free port, with nothing persisted. */
    public static PrivateRedis startPrivate() {
        Path binary = binary();
        try {
            PrivateRedis redis = new PrivateRedis(binary, freePort(), Files.createTempDirectory("sodam-redis"));
            redis.start();
            return redis;
        } catch (IOException e) {
            throw new IllegalStateException("starting " + binary + " failed: " + e.getMessage(), e);
        }
    }

    /** Whether a Redis on 127.0.0.1:{@code port} answers PING. */
    static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOCAL, port), 500);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] reply = new byte[7];
            InputStream in = socket.getInputStream();
            int n = in.read(reply);
            return n > 0 && new String(reply, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private static Path binary() {
        for (String dir : List.of("/usr/bin", "/usr/local/bin", "/usr/sbin", "/opt/homebrew/bin")) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("Redis is needed by the cluster tests and none could be had: nothing answered "
                + "PING on " + LOCAL + ":" + LOCAL_PORT + " and no redis-server binary was found; install the Debian "
                + "package redis-server (./sodam test installs it when run as root)");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A redis-server process of a test's own; {@link #stop} then {@link #start} is a Redis restart. */
    public static final class PrivateRedis implements AutoCloseable {
        private final Path binary;
        private final int port;
        private final Path dir;
        private Process process;

        private PrivateRedis(Path binary, int port, Path dir) {
            this.binary = binary;
            this.port = port;
            this.dir = dir;
        }

        public String url() {
            return "redis://" + LOCAL + ":" + port;
        }

        /** Starts the server (again) on its port and waits until it answers. */
        public synchronized void start() throws IOException {
            List<String> command = new ArrayList<>(List.of(binary.toString(), "--port", String.valueOf(port),
                    "--bind", LOCAL, "--save", "", "--appendonly", "no", "--dir", dir.toString()));
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!answers(port)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    String log = Files.isRegularFile(dir.resolve("redis.log")) ? Files.readString(dir.resolve("redis.log")) : "";
                    throw new IllegalStateException("redis-server on port " + port + " did not start: " + log);
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while starting redis-server", e);
                }
            }
        }

        /** Kills the server (like a crash: clients see their connections drop). */
        public synchronized void stop() {
            if (process != null) {
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                process = null;
            }
        }

        @Override
        public void close() {
            stop();
        }
    }
}
