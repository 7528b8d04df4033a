package dev.sodam.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The peers of bench/run.sh speak the reference relay's frame shape, so the load generator and the idle
 * client drive them unchanged: a short run against each finds every message acked once and delivered
 * once, in order, with no gap. Vert.x runs in process; the Node relays ({@code bench/peers/*.mjs}) run as
 * real node processes, their modules installed by {@code npm ci} from the committed lock file into this
 * build's directory ({@code <build>/peers}, as run.sh does). Without node or npm, or when npm cannot
 * install, the Node tests are skipped with the reason. Not a benchmark: nothing here is timed.
 */
class PeerRelaysTest {

    private static LoadGenerator.Options options(String label, int port, Path dir, String mode) {
        String[] args = {"--target", "reference", "--label", label, "--port", String.valueOf(port), "--chats", "6",
                "--chats-per-agent", "3", "--mode", mode, "--rate", "60", "--warmup", "0.5", "--duration", "2.5",
                "--drain", "10", "--setup-window", "3", "--client-threads", "2", "--sodam-db", dir.resolve("unused.db").toString()};
        return LoadGenerator.Options.parse(args);
    }

    private static void assertExact(LoadGenerator.Result result, long atLeast) {
        assertThat(result.tally().sent()).isGreaterThanOrEqualTo(atLeast);
        assertThat(result.tally().exact()).as("%s", result.tally()).isTrue();
        assertThat(result.misrouted()).isZero();
        for (ObjectNode line : result.lines()) {
            assertThat(line.get("lost").asLong()).isZero();
            assertThat(line.get("acked").asLong()).isEqualTo(line.get("sent").asLong());
        }
    }

    @Test
    @Timeout(60)
    void vertxRelaysEveryMessageOnceInOrderAndHoldsIdleConnections(@TempDir Path dir) throws Exception {
        try (VertxRelay relay = VertxRelay.start("127.0.0.1", 0, 2)) {
            assertExact(LoadGenerator.run(options("vertx", relay.port(), dir, "open")), 150);
            assertExact(LoadGenerator.run(options("vertx", relay.port(), dir, "closed")), 60);
            ObjectNode idle = IdleConnections.run(LoadGenerator.Target.REFERENCE, "vertx", relay.port(), 100,
                    ProcessHandle.current().pid(), 1, 16, 1, 0);
            assertThat(idle.get("conns").asInt()).isEqualTo(100);
            assertThat(idle.get("failed").asLong()).isZero();
            assertThat(idle.get("heap_per_conn_b").isNumber()).isTrue();
        }
    }

    @Test
    @Timeout(300)
    void nodeWsRelaysEveryMessageOnceInOrder(@TempDir Path dir) throws Exception {
        runNodePeer("ws-relay.mjs", "ws", dir);
    }

    @Test
    @Timeout(300)
    void uwsRelaysEveryMessageOnceInOrder(@TempDir Path dir) throws Exception {
        runNodePeer("uws-relay.mjs", "uws", dir);
    }

    /**
     * soketi with the load generator's Pusher mode, both inside one {@code unshare -n} (soketi's UDP
     * discovery must not leave the box): every client event relayed once, in order, none lost.
     */
    @Test
    @Timeout(400)
    void soketiRelaysEveryClientEventOnceInOrder(@TempDir Path dir) throws Exception {
        assumeTrue(runs(dir, 10, "unshare", "-n", "true"),
                "soketi runs only inside its own network namespace (unshare -n, as root): not tested here");
        Path soketi = installed("soketi", List.of("package.json", "package-lock.json", "soketi.sh"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String script = "ip link set lo up; " + soketi.resolve("soketi.sh") + " 9590 >" + dir.resolve("soketi.log") + " 2>&1 & "
                + "for i in $(seq 300); do grep -q 'up and running' " + dir.resolve("soketi.log") + " && break; sleep 0.1; done; "
                + "'" + java + "' -cp '" + classPath + "' dev.sodam.bench.LoadGenerator --target pusher --label soketi --port 9590"
                + " --chats 6 --chats-per-agent 3 --mode open --rate 60 --warmup 0.5 --duration 2.5 --drain 10 --setup-window 3"
                + " --client-threads 2 --out " + dir.resolve("lines.jsonl") + " 2>" + dir.resolve("tally.txt") + " >/dev/null; "
                + "kill %1; wait";
        Process p = new ProcessBuilder("timeout", "120", "unshare", "-n", "bash", "-c", script).redirectErrorStream(true)
                .redirectOutput(dir.resolve("run.log").toFile()).start();
        assertThat(p.waitFor(150, TimeUnit.SECONDS)).isTrue();
        List<String> lines = Files.readAllLines(dir.resolve("lines.jsonl"));
        assertThat(lines).as("%s", Files.readString(dir.resolve("soketi.log"))).hasSize(2);
        long sent = 0;
        for (String raw : lines) {
            ObjectNode line = (ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(raw);
            assertThat(line.get("lost").asLong()).as(raw).isZero();
            assertThat(line.get("delivered").asLong()).isEqualTo(line.get("sent").asLong());
            sent += line.get("sent").asLong();
        }
        assertThat(sent).isGreaterThanOrEqualTo(150);
        // the tally: every message delivered once, in order (its number stands for the seq), none misrouted
        assertThat(Files.readString(dir.resolve("tally.txt"))).contains("duplicates=0, gaps=0, seqRegressions=0")
                .contains("ackDuplicates=0, ackGaps=0").doesNotContain("misrouted");
    }

    private static void runNodePeer(String script, String label, Path dir) throws Exception {
        Path peers = installedPeers();
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Process node = new ProcessBuilder("node", peers.resolve(script).toString(), String.valueOf(port))
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertThat(first).as("the relay's first line").contains("listening");
            assertExact(LoadGenerator.run(options(label, port, dir, "open")), 150);
            assertExact(LoadGenerator.run(options(label, port, dir, "closed")), 60);
            ObjectNode idle = IdleConnections.run(LoadGenerator.Target.REFERENCE, label, port, 100, node.pid(), 1, 16, 1, 0);
            assertThat(idle.get("conns").asInt()).isEqualTo(100);
            assertThat(idle.get("failed").asLong()).isZero();
            assertThat(idle.get("heap_per_conn_b").isNull()).as("no JVM heap in a node process").isTrue();
            assertThat(idle.get("rss_per_conn_kb").isNumber()).isTrue();
        } finally {
            node.destroy();
            if (!node.waitFor(10, TimeUnit.SECONDS)) {
                node.destroyForcibly().waitFor();
            }
        }
    }

    /**
     * bench/peers copied into this build's directory with its node_modules from {@code npm ci} (once per
     * lock file); the test is skipped, with the reason, when node or npm is missing or cannot install.
     */
    private static Path installedPeers() throws Exception {
        return installed("", List.of("package.json", "package-lock.json", "relay.mjs", "ws-relay.mjs", "uws-relay.mjs"));
    }

    /** bench/peers/{@code sub} with {@code files}, installed in this build's directory (see above). */
    private static synchronized Path installed(String sub, List<String> files) throws Exception {
        Path build = Path.of(PeerRelaysTest.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
        Path source = Path.of("peers").resolve(sub).toAbsolutePath(); // surefire runs in the module directory
        Path peers = build.resolve("peers").resolve(sub);
        Files.createDirectories(peers);
        for (String name : files) {
            Files.copy(source.resolve(name), peers.resolve(name), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.COPY_ATTRIBUTES);
        }
        Path stamp = peers.resolve("node_modules/.sodam-lock");
        String lock = Files.readString(peers.resolve("package-lock.json"));
        if (Files.exists(stamp) && Files.readString(stamp).equals(lock)) {
            return peers;
        }
        assumeTrue(runs(peers, 10, "node", "--version"), "node is not installed: the Node peer relays are not tested");
        // soketi's lock lacks other platforms' optional packages (npm drops them), which npm ci refuses:
        // npm install --no-save installs from the same lock without writing it.
        String[] npm = sub.equals("soketi") ? new String[] {"npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefer-offline"}
                : new String[] {"npm", "ci", "--no-audit", "--no-fund", "--prefer-offline"};
        assumeTrue(runs(peers, 400, npm),
                "npm ci could not install bench/peers/" + sub + " (no registry and no cache?): the Node peers are not tested");
        Files.writeString(stamp, lock);
        return peers;
    }

    private static boolean runs(Path dir, int seconds, String... command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
