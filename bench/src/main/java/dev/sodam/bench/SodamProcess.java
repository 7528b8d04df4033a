package dev.sodam.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Sodam server process for the drills: started on a data directory of its own with a 512 MB
 * heap on loopback, the repository's FAQ and bot files and no rate limit; {@code kill -9}, a polite stop
 * and a restart on the same data. The server's output goes to {@code server.log} in the data directory.
 */
final class SodamProcess implements AutoCloseable {
    /** What follows {@code java} and the heap flags: {@code -jar sodam.jar}, or a class path and main class. */
    private final List<String> launch;
    private final Path home;
    private final Path data;
    private final int port;
    private Process server;
    private int launches;

    SodamProcess(List<String> launch, Path home, Path data) throws IOException {
        this.launch = launch;
        this.home = home;
        this.data = data;
        this.port = freePort();
    }

    Path data() {
        return data;
    }

    int port() {
        return port;
    }

    long pid() {
        return server.pid();
    }

    URI visitorUri() {
        return URI.create("ws://127.0.0.1:" + port + "/ws?site=demo");
    }

    /** Starts the server and returns once it answers its liveness check (at most 120 s). */
    void start() throws Exception {
        launches++;
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"), "-XX:+UseG1GC", "-Xms512m", "-Xmx512m"));
        command.addAll(launch);
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.put("SODAM_PORT", Integer.toString(port));
        env.put("SODAM_HOST", "127.0.0.1");
        env.put("SODAM_DATA_DIR", data.toString());
        env.put("SODAM_BOOTSTRAP_ADMIN", "drill@sodam.test:drill-password-1");
        env.put("SODAM_RATE_PER_SECOND", "100000");
        env.put("SODAM_RATE_BURST", "100000");
        env.put("SODAM_MAX_CHATS_PER_AGENT", "100");
        env.put("SODAM_IDLE_SECONDS", "3600");
        env.put("SODAM_FAQ_SEED_DIR", home.resolve("config/faq").toString());
        env.put("SODAM_BOT_INTENTS_FILE", home.resolve("config/bot/intents.json").toString());
        env.put("SODAM_BOT_OUT_OF_SCOPE_FILE", home.resolve("config/bot/out-of-scope.json").toString());
        builder.directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("server.log").toFile()));
        server = builder.start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("server exited on launch " + launches + "; see " + data.resolve("server.log"));
            }
            try {
                HttpResponse<String> live = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/health/live")).build(), HttpResponse.BodyHandlers.ofString());
                if (live.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("server not live after 120 s; see " + data.resolve("server.log"));
    }

    void kill9() throws Exception {
        new ProcessBuilder("kill", "-9", Long.toString(server.pid())).inheritIO().start().waitFor();
        if (!server.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("server survived kill -9");
        }
    }

    void stop() throws Exception {
        server.destroy();
        if (!server.waitFor(30, TimeUnit.SECONDS)) {
            server.destroyForcibly();
        }
    }

    @Override
    public void close() {
        if (server != null && server.isAlive()) {
            server.destroyForcibly();
            try {
                server.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Deletes the data directory (a clean drill's; a failed one is kept for a look at it). */
    void deleteData() throws IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(data)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
