package dev.sodam.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The summary's ratios and issue 8's gates on made-up result lines (no server runs here). */
class SummaryTest {

    private static String line(String scenario, int round, String server, String fields) {
        return "{\"scenario\":\"" + scenario + "\",\"round\":" + round + ",\"server\":\"" + server
                + "\",\"phase\":\"measure\"," + fields + "}";
    }

    private static Map<String, Summary.GateResult> byId(List<String> lines) throws Exception {
        return Summary.gates(lines).stream().collect(Collectors.toMap(r -> r.gate().id(), Function.identity()));
    }

    /** Three rounds of every scenario; Sodam's figures are the reference's times the given factors. */
    private static List<String> run(double heapFactor, double p99Factor, double cpuFactor, double wsCpu) {
        List<String> lines = new ArrayList<>();
        for (int round = 1; round <= 3; round++) {
            lines.add(line("a", round, "sodam", "\"heap_per_conn_b\":" + 2000 * heapFactor));
            lines.add(line("a", round, "reference", "\"heap_per_conn_b\":2000"));
            lines.add(line("b", round, "sodam", "\"p50_ms\":0.3,\"p99_ms\":" + 2 * p99Factor));
            lines.add(line("b", round, "reference", "\"p50_ms\":0.2,\"p99_ms\":2"));
            // a warm-up line with wild figures must not count
            lines.add(line("c", round, "sodam", "\"server_cpu_us_per_relay\":" + 30 * cpuFactor).replace("measure", "warmup")
                    .replace("\"server_cpu_us_per_relay\":" + 30 * cpuFactor, "\"server_cpu_us_per_relay\":9999"));
            lines.add(line("c", round, "sodam", "\"server_cpu_us_per_relay\":" + 30 * cpuFactor));
            lines.add(line("c", round, "reference", "\"server_cpu_us_per_relay\":30"));
            lines.add(line("c", round, "ws", "\"server_cpu_us_per_relay\":" + wsCpu));
            lines.add(line("e", round, "sodam-cds", "\"first_conn_ms\":650"));
            lines.add(line("e", round, "reference-cds", "\"first_conn_ms\":600"));
            lines.add(line("e", round, "sodam-aot", "\"first_conn_ms\":" + 400 * p99Factor));
            lines.add(line("e", round, "reference-aot", "\"first_conn_ms\":400"));
        }
        return lines;
    }

    @Test
    void withinTheTargetsEveryGateThatHasFiguresPasses() throws Exception {
        Map<String, Summary.GateResult> gates = byId(run(1.4, 1.2, 1.1, 40));
        assertThat(gates.get("a-heap-ratio").verdict()).isEqualTo(Summary.Verdict.PASS);
        assertThat(gates.get("a-heap").verdict()).isEqualTo(Summary.Verdict.PASS); // 2,800 B
        assertThat(gates.get("b-p50-ratio").verdict()).isEqualTo(Summary.Verdict.PASS); // exactly 1.5×
        assertThat(gates.get("b-p99-ratio").verdict()).isEqualTo(Summary.Verdict.PASS);
        assertThat(gates.get("c-cpu-ratio").verdict()).isEqualTo(Summary.Verdict.PASS);
        assertThat(gates.get("c-cpu-vs-ws").verdict()).isEqualTo(Summary.Verdict.PASS); // 33 µs against 40
        assertThat(gates.get("e-cds-ratio").verdict()).isEqualTo(Summary.Verdict.PASS);
        assertThat(gates.get("e-aot-ratio").verdict()).isEqualTo(Summary.Verdict.PASS); // 480 ms against 400
        // no soketi and no scenario d in this run: skipped, not failed
        assertThat(gates.get("c-cpu-vs-soketi").verdict()).isEqualTo(Summary.Verdict.SKIP);
        assertThat(gates.get("d-p50").verdict()).isEqualTo(Summary.Verdict.SKIP);
        assertThat(Summary.renderGates(Summary.gates(run(1.4, 1.2, 1.1, 40)))).contains("gates: 8 pass, 0 fail, 3 skipped");
    }

    @Test
    void aRatioOverItsLimitFailsAndSaysByHowMuch() throws Exception {
        Map<String, Summary.GateResult> gates = byId(run(1.6, 1.6, 1.3, 33));
        assertThat(gates.get("a-heap-ratio").verdict()).isEqualTo(Summary.Verdict.FAIL);
        assertThat(gates.get("a-heap").verdict()).isEqualTo(Summary.Verdict.FAIL); // 3,200 B
        assertThat(gates.get("b-p99-ratio").verdict()).isEqualTo(Summary.Verdict.FAIL);
        assertThat(gates.get("c-cpu-ratio").verdict()).isEqualTo(Summary.Verdict.FAIL);
        assertThat(gates.get("e-aot-ratio").verdict()).isEqualTo(Summary.Verdict.FAIL); // 640 ms against 400
        assertThat(gates.get("c-cpu-ratio").detail()).contains("1.30 (1.30–1.30)").contains("≤ 1.20");
        // "ahead of Node ws" is strict: 39 µs against 33 is behind
        assertThat(gates.get("c-cpu-vs-ws").verdict()).isEqualTo(Summary.Verdict.FAIL);
        assertThat(Summary.renderGates(Summary.gates(run(1.6, 1.6, 1.3, 33)))).contains("FAIL  c-cpu-ratio");
    }

    @Test
    void theGateTakesTheMedianRoundSoOneNoisyRoundDoesNotDecide() throws Exception {
        List<String> lines = new ArrayList<>();
        double[] sodam = {2, 2.1, 30}; // the third round's neighbours stalled Sodam
        for (int round = 1; round <= 3; round++) {
            lines.add(line("b", round, "sodam", "\"p50_ms\":0.2,\"p99_ms\":" + sodam[round - 1]));
            lines.add(line("b", round, "reference", "\"p50_ms\":0.2,\"p99_ms\":2"));
        }
        assertThat(byId(lines).get("b-p99-ratio").verdict()).isEqualTo(Summary.Verdict.PASS);
    }

    @Test
    void theBotGateIsAbsoluteAtOneThousandQuestionsPerSecond() throws Exception {
        List<String> lines = List.of(line("d", 1, "sodam-1000", "\"p50_ms\":0.4,\"p99_ms\":6"),
                line("d", 1, "sodam-100", "\"p50_ms\":0.1,\"p99_ms\":1"));
        Map<String, Summary.GateResult> gates = byId(lines);
        assertThat(gates.get("d-p50").verdict()).isEqualTo(Summary.Verdict.PASS);
        assertThat(gates.get("d-p99").verdict()).isEqualTo(Summary.Verdict.FAIL);
    }

    @Test
    void theTableShowsOursOverEachPeerThatRanBesideTheReference() throws Exception {
        String table = Summary.render(run(1.4, 1.2, 1.1, 40), "sodam", "reference", List.of("ws", "uws", "vertx"));
        // scenario c ran ws only: one column for the reference, one for ws; uws and vertx did not run
        String c = table.substring(table.indexOf("scenario c")); // the last: scenario e ran only the AppCDS pair
        assertThat(c).contains("÷ reference").contains("÷ ws").doesNotContain("÷ uws").doesNotContain("÷ vertx");
        assertThat(c).containsPattern("server_cpu_us_per_relay +1\\.10 \\(1\\.10–1\\.10\\) +0\\.825 \\(0\\.825–0\\.825\\)");
        // scenario a had no peer: no peer table there
        String a = table.substring(table.indexOf("scenario a"), table.indexOf("scenario b"));
        assertThat(a).doesNotContain("÷");
    }

    @Test
    void theClusterRunComparesEveryProcessesCpuPerMessageIncludingPostgresqlsInsideItsLine() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int round = 1; round <= 3; round++) {
            lines.add(line("c", round, "sqlite", "\"server_cpu_us_per_relay\":100,\"nodes_cpu_us_per_relay\":100,"
                    + "\"backing_cpu_us_per_relay\":{\"postgres\":0,\"redis-server\":0.5},\"total_cpu_us_per_relay\":100.5"));
            lines.add(line("c", round, "pg", "\"server_cpu_us_per_relay\":150,\"nodes_cpu_us_per_relay\":150,"
                    + "\"backing_cpu_us_per_relay\":{\"postgres\":" + (100 + round) + ",\"redis-server\":0.5},\"total_cpu_us_per_relay\":250"));
            lines.add(line("c", round, "cluster", "\"server_cpu_us_per_relay\":150,\"nodes_cpu_us_per_relay\":250,"
                    + "\"backing_cpu_us_per_relay\":{\"postgres\":100,\"redis-server\":50},\"total_cpu_us_per_relay\":402"));
        }
        assertThat(Summary.value(SummaryTest.json(lines.get(1)), "backing_cpu_us_per_relay.postgres")).isEqualTo(101.0);
        assertThat(Summary.value(SummaryTest.json(lines.get(1)), "backing_cpu_us_per_relay.mysql")).isNull();
        String table = Summary.render(lines, "cluster", "sqlite", List.of("pg"));
        assertThat(table).containsPattern("(?m)^backing_cpu_us_per_relay.postgres +100 \\(100–100\\) +0\\.00 \\(0\\.00–0\\.00\\) +– *$")
                .containsPattern("total_cpu_us_per_relay +402 \\(402–402\\) +101 \\(101–101\\) +4\\.00 \\(4\\.00–4\\.00\\)")
                // cluster ÷ sqlite and ÷ pg for the whole machine's CPU per message, each median below
                .containsPattern("(?m)^total_cpu_us_per_relay +4\\.00 \\(4\\.00–4\\.00\\) +1\\.61 \\(1\\.61–1\\.61\\)")
                .containsPattern("(?m)^  cluster 402 +101 +250");
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String line) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
    }

    @Test
    void aScenarioWhereNeitherServerRanIsLeftOut() throws Exception {
        String table = Summary.render(run(1.4, 1.2, 1.1, 40), "sodam-cds", "reference-cds", List.of());
        assertThat(table).contains("scenario e").doesNotContain("scenario a").doesNotContain("scenario c");
    }

    @Test
    void aRoundWhereTheReferenceItselfStalledDoesNotJudgeLatency() throws Exception {
        List<String> lines = new ArrayList<>();
        double[] reference = {2, 6000, 9000}; // p99 ms: the neighbours stalled the reference in rounds 2 and 3
        for (int round = 1; round <= 3; round++) {
            lines.add(line("b", round, "sodam", "\"p50_ms\":0.5,\"p99_ms\":5"));
            lines.add(line("b", round, "reference", "\"p50_ms\":0.2,\"p99_ms\":" + reference[round - 1]));
        }
        Summary.GateResult p99 = byId(lines).get("b-p99-ratio");
        assertThat(p99.verdict()).isEqualTo(Summary.Verdict.FAIL); // 5 / 2 in the one round that counts
        assertThat(p99.detail()).contains("(1 round; 2 rounds left out: reference's own p99 over 10.0 ms)");
        lines.remove(0);
        lines.remove(0);
        assertThat(byId(lines).get("b-p50-ratio").verdict()).isEqualTo(Summary.Verdict.SKIP);
    }
}
