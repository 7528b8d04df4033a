package dev.sodam.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sodam.server.SodamServer;
import dev.sodam.server.config.ConfigLoader;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short run of the load generator against a real Sodam (in-process, real SQLite) and against the
 * reference relay must find every message acked once and delivered to the agent once, in order,
 * with no gap — so the figures the benchmark prints are about messages that really arrived.
 * Not a benchmark: nothing here is timed.
 */
class LoadGeneratorTest {

    private static LoadGenerator.Options options(String target, int port, Path db, String mode) {
        String[] args = {"--target", target, "--port", String.valueOf(port), "--chats", "6", "--chats-per-agent", "3",
                "--mode", mode, "--rate", "60", "--warmup", "0.5", "--duration", "2.5", "--drain", "10",
                "--setup-window", "3", "--client-threads", "2", "--sodam-db", db.toString()};
        return LoadGenerator.Options.parse(args);
    }

    private static void assertExact(LoadGenerator.Result result, long atLeast) {
        assertThat(result.tally().sent()).isGreaterThanOrEqualTo(atLeast);
        assertThat(result.tally().exact()).as("%s", result.tally()).isTrue();
        assertThat(result.misrouted()).isZero();
        assertThat(result.lines()).extracting(line -> line.get("phase").asText()).containsExactly("warmup", "measure");
        for (ObjectNode line : result.lines()) {
            assertThat(line.get("lost").asLong()).isZero();
            assertThat(line.get("acked").asLong()).isEqualTo(line.get("sent").asLong());
            assertThat(line.get("p50_ms").asDouble()).isPositive();
        }
    }

    @Test
    @Timeout(60)
    void againstSodamEveryMessageIsAckedOnceAndDeliveredOnceInOrder(@TempDir Path dataDir) throws Exception {
        Map<String, String> env = TestSodam.environment(dataDir);
        env.put("SODAM_MAX_CHATS_PER_AGENT", "100"); // ignored by servers without routing limits
        try (SodamServer server = SodamServer.start(ConfigLoader.load(null, env))) {
            LoadGenerator.Result result = LoadGenerator.run(options("sodam", server.port(), dataDir.resolve("sodam.db"), "open"));
            assertExact(result, 150);
        }
    }

    @Test
    @Timeout(30)
    void againstTheReferenceRelayEveryMessageIsAckedOnceAndDeliveredOnceInOrder(@TempDir Path dir) throws Exception {
        try (ReferenceRelay relay = ReferenceRelay.start("127.0.0.1", 0, 2)) {
            assertExact(LoadGenerator.run(options("reference", relay.port(), dir.resolve("unused.db"), "open")), 150);
        }
    }

    @Test
    @Timeout(30)
    void closedLoopKeepsOneMessagePerChatInFlightAndLosesNone(@TempDir Path dir) throws Exception {
        try (ReferenceRelay relay = ReferenceRelay.start("127.0.0.1", 0, 2)) {
            LoadGenerator.Result result = LoadGenerator.run(options("reference", relay.port(), dir.resolve("unused.db"), "closed"));
            assertExact(result, 60);
            assertThat(result.lines().get(1).get("rate_target").asInt()).isZero();
        }
    }

    @Test
    @Timeout(60)
    void theStepUpRunsEachRateOnTheSameChatsUntilP99PassesItsLimit(@TempDir Path dir) throws Exception {
        try (ReferenceRelay relay = ReferenceRelay.start("127.0.0.1", 0, 2)) {
            LoadGenerator.Options base = options("reference", relay.port(), dir.resolve("unused.db"), "open");
            LoadGenerator.Options steps = LoadGenerator.Options.parse(withSteps(base, relay.port(), "120,240", "1000"));
            LoadGenerator.Result result = LoadGenerator.run(steps);
            assertThat(result.tally().exact()).as("%s", result.tally()).isTrue();
            assertThat(result.lines()).extracting(line -> line.get("scenario").asText() + "/" + line.get("phase").asText())
                    .containsExactly("b/warmup", "b/measure", "b-step-120/warmup", "b-step-120/measure",
                            "b-step-240/warmup", "b-step-240/measure");
            ObjectNode last = result.lines().get(5);
            assertThat(last.get("rate_target").asInt()).isEqualTo(240);
            assertThat(last.get("lost").asLong()).isZero();
            // The second step sends about twice as many as the first: each step is counted on its own.
            assertThat(last.get("sent").asLong()).isGreaterThan(result.lines().get(3).get("sent").asLong());
        }
    }

    @Test
    @Timeout(60)
    void theStepUpStopsAtTheFirstRateWhoseP99PassesTheLimit(@TempDir Path dir) throws Exception {
        try (ReferenceRelay relay = ReferenceRelay.start("127.0.0.1", 0, 2)) {
            LoadGenerator.Options base = options("reference", relay.port(), dir.resolve("unused.db"), "open");
            // A limit of 0 ms: every real p99 passes it, so the first step is the last.
            LoadGenerator.Result result = LoadGenerator.run(LoadGenerator.Options.parse(withSteps(base, relay.port(), "120,240", "0")));
            assertThat(result.lines()).extracting(line -> line.get("scenario").asText()).containsExactly("b", "b", "b-step-120", "b-step-120");
        }
    }

    @Test
    @Timeout(30)
    void withSeveralNodesAndBackingProcessesEachLineCountsTheirCpuPerMessageAndTheirSum(@TempDir Path dir) throws Exception {
        try (ReferenceRelay relay = ReferenceRelay.start("127.0.0.1", 0, 2)) {
            String self = String.valueOf(ProcessHandle.current().pid());
            // The relay runs in this JVM: as the server, as a second node and among the "java" processes.
            String[] args = {"--target", "reference", "--port", String.valueOf(relay.port()), "--chats", "6",
                    "--chats-per-agent", "3", "--mode", "closed", "--warmup", "0.5", "--duration", "1.5", "--drain", "10",
                    "--setup-window", "3", "--client-threads", "2", "--server-pid", self, "--node-pids", self,
                    "--backing-processes", "java,sodam-no-such-program"};
            LoadGenerator.Result result = LoadGenerator.run(LoadGenerator.Options.parse(args));
            assertExact(result, 60);
            ObjectNode measured = result.lines().get(1);
            double server = measured.get("server_cpu_us_per_relay").asDouble();
            double nodes = measured.get("nodes_cpu_us_per_relay").asDouble();
            double java = measured.get("backing_cpu_us_per_relay").get("java").asDouble();
            assertThat(server).isPositive();
            assertThat(nodes).isGreaterThan(server);           // the same JVM counted twice, read a moment apart
            assertThat(java).isGreaterThanOrEqualTo(server * 0.9); // every "java" process, this one among them
            assertThat(measured.get("backing_cpu_us_per_relay").get("sodam-no-such-program").asDouble()).isZero();
            assertThat(measured.get("total_cpu_us_per_relay").asDouble()).isCloseTo(nodes + java, org.assertj.core.data.Offset.offset(0.02));
        }
    }

    @Test
    @Timeout(30)
    void withoutSeveralNodesALineHasNoClusterFigures(@TempDir Path dir) throws Exception {
        try (ReferenceRelay relay = ReferenceRelay.start("127.0.0.1", 0, 2)) {
            LoadGenerator.Result result = LoadGenerator.run(options("reference", relay.port(), dir.resolve("unused.db"), "closed"));
            assertThat(result.lines().get(1).has("nodes_cpu_us_per_relay")).isFalse();
            assertThat(result.lines().get(1).has("backing_cpu_us_per_relay")).isFalse();
        }
    }

    private static String[] withSteps(LoadGenerator.Options base, int port, String rates, String stopMs) {
        return new String[] {"--target", "reference", "--port", String.valueOf(port), "--chats", String.valueOf(base.chats()),
                "--chats-per-agent", "3", "--mode", "open", "--rate", "60", "--warmup", "0.5", "--duration", "1",
                "--drain", "10", "--setup-window", "3", "--client-threads", "2", "--step-rates", rates,
                "--step-warmup", "0.3", "--step-duration", "1", "--step-stop-p99-ms", stopMs};
    }
}
