package dev.sodam.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The flash crowd in small, against a real Sodam process: the queue is filled to each size, and every
 * arrival and every waiting visitor's message of the measured mix is acked once, with no error. Only
 * that the tool measures what it says is checked here; the figures are docs/benchmarks.md's.
 */
class QueueCrowdTest {
    @Test
    @Timeout(300)
    void everyArrivalAndWaitingVisitorsMessageIsAckedAtEachSize() throws Exception {
        try (SodamProcess server = new SodamProcess(TestSodam.launch(), TestSodam.repoRoot(),
                Files.createTempDirectory("sodam-crowd-test"))) {
            server.start();
            List<ObjectNode> lines = QueueCrowd.run(server, new int[] {150, 300}, 40, 0.5, 1.5, 1);
            server.stop();
            server.deleteData();
            assertThat(lines).hasSize(2);
            for (ObjectNode line : lines) {
                assertThat(line.get("unacked").asLong()).as("%s", line).isZero();
                assertThat(line.get("errors").asLong()).as("%s", line).isZero();
                assertThat(line.get("arrivals").asLong()).as("%s", line).isPositive();
                assertThat(line.get("messages").asLong()).as("%s", line).isGreaterThan(line.get("arrivals").asLong());
            }
            assertThat(lines.get(1).get("queued_at_start").asInt()).isEqualTo(300);
            assertThat(lines.get(1).get("filled").asInt()).as("the first size's arrivals stay queued").isLessThan(150);
        }
    }

    @Test
    @Timeout(300)
    void whileAgentsTakeChatsEveryWaitingVisitorIsToldTheirNewPlace() throws Exception {
        try (SodamProcess server = new SodamProcess(TestSodam.launch(), TestSodam.repoRoot(),
                Files.createTempDirectory("sodam-crowd-test"))) {
            server.start();
            List<ObjectNode> lines = QueueCrowd.run(server, new int[] {150}, 40, 0.5, 2, 1,
                    new QueueCrowd.Movement(2, 2, 5));
            server.stop();
            server.deleteData();
            ObjectNode line = lines.get(0);
            assertThat(line.get("unacked").asLong()).as("%s", line).isZero();
            assertThat(line.get("errors").asLong()).as("%s", line).isZero();
            assertThat(line.get("agent_errors").asLong()).as("%s", line).isZero();
            assertThat(line.get("dequeues").asLong()).as("%s", line).isPositive();
            assertThat(line.get("offer_after_resolve_p50_ms").asDouble()).as("%s", line).isPositive();
            // Each dequeue moves every visitor behind it up one place: the first 20 places are told at once,
            // those further back at most every 5 s (RoutingDelivery), so not all 150 each time.
            assertThat(line.get("statuses_per_dequeue").asDouble()).as("%s", line).isBetween(15.0, 100.0);
        }
    }
}
