package dev.sodam.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sodam.server.SodamServer;
import dev.sodam.server.config.ConfigLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario (a)'s client in small: every connection it counts was welcomed by a real Sodam (in-process,
 * real SQLite; the server's own JVM is the one measured) or by the relay, and the line carries the
 * figures the summary reads. Not a benchmark: no figure is asserted beyond being there.
 */
class IdleConnectionsTest {
    private static final long SELF = ProcessHandle.current().pid();

    private static void assertComplete(ObjectNode line, int conns) {
        assertThat(line.get("conns").asInt()).as("%s", line).isEqualTo(conns);
        assertThat(line.get("failed").asLong()).isZero();
        assertThat(line.get("heap_before_kb").asLong()).isPositive();
        assertThat(line.get("heap_after_kb").asLong()).isPositive();
        assertThat(line.get("connects_per_s").asLong()).isPositive();
        assertThat(line.get("server_fds").asInt()).isGreaterThan(conns);
        assertThat(line.get("scenario").asText()).isEqualTo("a");
    }

    @Test
    @Timeout(120)
    void everyIdleVisitorIsWelcomedBySodamAndHeld(@TempDir Path dataDir) throws Exception {
        try (SodamServer server = SodamServer.start(ConfigLoader.load(null, TestSodam.environment(dataDir)))) {
            assertComplete(IdleConnections.run(LoadGenerator.Target.SODAM, "sodam", server.port(), 200, SELF, 1, 16, 1, 0), 200);
        }
    }

    @Test
    @Timeout(60)
    void everyIdleConnectionIsWelcomedByTheRelayAndHeld() throws Exception {
        try (ReferenceRelay relay = ReferenceRelay.start("127.0.0.1", 0, 2)) {
            assertComplete(IdleConnections.run(LoadGenerator.Target.REFERENCE, "reference", relay.port(), 200, SELF, 1, 16, 1, 0), 200);
        }
    }
}
