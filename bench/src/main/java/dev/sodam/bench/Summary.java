package dev.sodam.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the JSON lines of one run and prints, per scenario and metric, the median over rounds of
 * each server and of the per-round ratio ours / reference, with min–max. Only ratios taken within
 * one round are compared: this machine is too noisy for anything else. With peers named after the
 * reference, each scenario also gets a table of ours / each server for its key metrics. With
 * {@code --gates} it checks issue 8's targets on those ratios ({@link #gates}) and exits 1 if one fails.
 * <pre>
 * java -cp sodam-bench.jar dev.sodam.bench.Summary results.jsonl [ours] [reference] [peer …]
 * java -cp sodam-bench.jar dev.sodam.bench.Summary --gates results.jsonl
 * </pre>
 */
public final class Summary {
    static final String[] METRICS = {"p50_ms", "p99_ms", "p999_ms", "max_ms", "ack_p50_ms", "ack_p99_ms",
            "relays_per_s", "server_cpu_us_per_relay", "server_cpu_us_per_question", "server_jit_pct",
            // bench/cluster.sh: every node, PostgreSQL's and Redis's processes, all of it
            "nodes_cpu_us_per_relay", "backing_cpu_us_per_relay.postgres", "backing_cpu_us_per_relay.redis-server",
            "total_cpu_us_per_relay", "lost",
            "steal_pct", "loadavg", "first_conn_ms",
            // scenario (a), idle connections
            "conns", "heap_per_conn_b", "rss_per_conn_kb", "sock_mem_per_conn_b", "connects_per_s",
            "server_cpu_ms_per_1k_connects"};

    private Summary() {
    }

    /** The metrics that say the most per scenario: the rows of the ours / each server table. */
    static final Map<String, List<String>> KEY_METRICS = Map.of(
            "a", List.of("heap_per_conn_b", "rss_per_conn_kb", "connects_per_s"),
            "b", List.of("p50_ms", "p99_ms", "p999_ms", "server_cpu_us_per_relay", "total_cpu_us_per_relay"),
            "c", List.of("server_cpu_us_per_relay", "total_cpu_us_per_relay", "relays_per_s"),
            "e", List.of("first_conn_ms"));

    public static void main(String[] args) throws IOException {
        if (args.length > 0 && args[0].equals("--gates")) {
            List<GateResult> results = gates(Files.readAllLines(Path.of(args[1])));
            System.out.print(renderGates(results));
            System.exit(results.stream().anyMatch(r -> r.verdict() == Verdict.FAIL) ? 1 : 0);
        }
        Path file = Path.of(args[0]);
        String ours = args.length > 1 ? args[1] : "sodam";
        String reference = args.length > 2 ? args[2] : "reference";
        List<String> peers = args.length > 3 ? List.of(args).subList(3, args.length) : List.of();
        System.out.print(render(Files.readAllLines(file), ours, reference, peers));
    }

    static String render(List<String> jsonLines, String ours, String reference) throws IOException {
        return render(jsonLines, ours, reference, List.of());
    }

    static String render(List<String> jsonLines, String ours, String reference, List<String> peers) throws IOException {
        Map<String, Map<Integer, Map<String, JsonNode>>> runs = runs(jsonLines);
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, Map<Integer, Map<String, JsonNode>>> scenario : runs.entrySet()) {
            if (scenario.getValue().values().stream().noneMatch(round -> round.containsKey(ours) || round.containsKey(reference))) {
                continue; // e.g. the AppCDS pair, asked of a run that also had scenarios a and c
            }
            out.append(String.format(Locale.ROOT, "%nscenario %s (%d rounds)%n", scenario.getKey(), scenario.getValue().size()));
            out.append(String.format(Locale.ROOT, "%-38s %-28s %-28s %-26s%n", "metric",
                    ours + " median (min–max)", reference + " median (min–max)", "ratio median (min–max)"));
            for (String metric : METRICS) {
                List<Double> a = values(scenario.getValue(), ours, metric);
                List<Double> b = values(scenario.getValue(), reference, metric);
                List<Double> ratio = ratios(scenario.getValue(), ours, reference, metric);
                if (a.isEmpty() && b.isEmpty()) {
                    continue;
                }
                out.append(String.format(Locale.ROOT, "%-38s %-28s %-28s %-26s%n", metric, stats(a), stats(b),
                        metric.equals("lost") || metric.equals("steal_pct") || metric.equals("loadavg") ? "" : stats(ratio)));
            }
            renderPeers(out, scenario.getKey(), scenario.getValue(), ours, reference, peers);
        }
        return out.toString();
    }

    /** Ours / each server (reference first, then the peers that ran in this scenario) for its key metrics. */
    private static void renderPeers(StringBuilder out, String scenario, Map<Integer, Map<String, JsonNode>> rounds,
                                    String ours, String reference, List<String> peers) {
        List<String> others = new ArrayList<>();
        for (String server : peers) {
            if (rounds.values().stream().anyMatch(round -> round.containsKey(server))) {
                others.add(server);
            }
        }
        if (others.isEmpty()) {
            return;
        }
        others.add(0, reference);
        out.append(String.format(Locale.ROOT, "%n%s / each server, per-round ratio median (min–max); each server's median below%n", ours));
        out.append(String.format(Locale.ROOT, "%-38s", "metric"));
        others.forEach(server -> out.append(String.format(Locale.ROOT, " %-22s", "÷ " + server)));
        out.append(String.format(Locale.ROOT, "%n"));
        for (String metric : KEY_METRICS.getOrDefault(scenario, List.of(METRICS))) {
            if (values(rounds, ours, metric).isEmpty()) {
                continue;
            }
            out.append(String.format(Locale.ROOT, "%-38s", metric));
            others.forEach(server -> out.append(String.format(Locale.ROOT, " %-22s", stats(ratios(rounds, ours, server, metric)))));
            out.append(String.format(Locale.ROOT, "%n%-38s", "  " + ours + " " + fmt(median(values(rounds, ours, metric)))));
            others.forEach(server -> out.append(String.format(Locale.ROOT, " %-22s", medianOrDash(values(rounds, server, metric)))));
            out.append(String.format(Locale.ROOT, "%n"));
        }
    }

    private static String medianOrDash(List<Double> values) {
        return values.isEmpty() ? "–" : fmt(median(values));
    }

    /** Per round where both ran: ours / theirs. */
    static List<Double> ratios(Map<Integer, Map<String, JsonNode>> rounds, String ours, String theirs, String metric) {
        List<Double> ratio = new ArrayList<>();
        for (Map<String, JsonNode> round : rounds.values()) {
            Double x = value(round.get(ours), metric);
            Double y = value(round.get(theirs), metric);
            if (x != null && y != null && y != 0) {
                ratio.add(x / y);
            }
        }
        return ratio;
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    // ---------------------------------------------------------------- gates

    enum Verdict { PASS, FAIL, SKIP }

    /**
     * One of issue 8's targets: in {@code scenario}, the median over rounds of {@code ours}'s metric, or of
     * the per-round ratio {@code ours / theirs} when {@code theirs} is set, must be at most {@code limit}
     * ({@code strict}: below it). With {@code healthyP99Ms} &gt; 0, only rounds where {@code theirs} kept its own
     * p99 within that many ms count: the notes' loose absolute gate — a round where the neighbours stalled the
     * reference for seconds says nothing about Sodam.
     */
    record Gate(String id, String scenario, String ours, String theirs, String metric, double limit, boolean strict, String text,
                double healthyP99Ms) {
        Gate(String id, String scenario, String ours, String theirs, String metric, double limit, boolean strict, String text) {
            this(id, scenario, ours, theirs, metric, limit, strict, text, 0);
        }
    }

    record GateResult(Gate gate, Verdict verdict, String detail) {
    }

    /** Issue 8's targets. A gate whose servers did not run (scenario left out, peer not installed) is SKIP. */
    static final List<Gate> GATES = List.of(
            new Gate("a-heap-ratio", "a", "sodam", "reference", "heap_per_conn_b", 1.5, false, "idle heap per connection ≤ 1.5× reference"),
            new Gate("a-heap", "a", "sodam", null, "heap_per_conn_b", 3000, false, "idle heap per connection ≤ 3 KB (3,000 B)"),
            new Gate("b-p50-ratio", "b", "sodam", "reference", "p50_ms", 1.5, false, "latency p50 ≤ 1.5× reference", 10),
            new Gate("b-p99-ratio", "b", "sodam", "reference", "p99_ms", 1.5, false, "latency p99 ≤ 1.5× reference", 10),
            new Gate("c-cpu-ratio", "c", "sodam", "reference", "server_cpu_us_per_relay", 1.2, false, "CPU per message ≤ 1.2× reference"),
            new Gate("c-cpu-vs-soketi", "c", "sodam", "soketi", "server_cpu_us_per_relay", 1.0, true, "CPU per message below soketi's"),
            new Gate("c-cpu-vs-ws", "c", "sodam", "ws", "server_cpu_us_per_relay", 1.0, true, "CPU per message below Node ws's"),
            new Gate("d-p50", "d", "sodam-1000", null, "p50_ms", 0.5, false, "bot end to end p50 ≤ 0.5 ms at 1,000 questions/s"),
            new Gate("d-p99", "d", "sodam-1000", null, "p99_ms", 5, false, "bot end to end p99 ≤ 5 ms at 1,000 questions/s"),
            new Gate("e-cds-ratio", "e", "sodam-cds", "reference-cds", "first_conn_ms", 1.3, false, "cold start with AppCDS ≤ 1.3× reference"),
            new Gate("e-aot-ratio", "e", "sodam-aot", "reference-aot", "first_conn_ms", 1.3, false,
                    "cold start with JDK 25's AOT cache ≤ 1.3× reference"));

    static List<GateResult> gates(List<String> jsonLines) throws IOException {
        return gates(jsonLines, GATES);
    }

    static List<GateResult> gates(List<String> jsonLines, List<Gate> gates) throws IOException {
        Map<String, Map<Integer, Map<String, JsonNode>>> runs = runs(jsonLines);
        List<GateResult> results = new ArrayList<>();
        for (Gate gate : gates) {
            Map<Integer, Map<String, JsonNode>> rounds = runs.getOrDefault(gate.scenario(), Map.of());
            int dropped = 0;
            if (gate.healthyP99Ms() > 0) {
                Map<Integer, Map<String, JsonNode>> healthy = new TreeMap<>();
                for (Map.Entry<Integer, Map<String, JsonNode>> round : rounds.entrySet()) {
                    Double p99 = value(round.getValue().get(gate.theirs()), "p99_ms");
                    if (p99 != null && p99 <= gate.healthyP99Ms()) {
                        healthy.put(round.getKey(), round.getValue());
                    } else if (p99 != null) {
                        dropped++;
                    }
                }
                rounds = healthy;
            }
            String droppedNote = dropped == 0 ? "" : "; " + dropped + (dropped == 1 ? " round" : " rounds") + " left out: "
                    + gate.theirs() + "'s own p99 over " + fmt(gate.healthyP99Ms()) + " ms";
            List<Double> figures = gate.theirs() == null ? values(rounds, gate.ours(), gate.metric())
                    : ratios(rounds, gate.ours(), gate.theirs(), gate.metric());
            if (figures.isEmpty()) {
                results.add(new GateResult(gate, Verdict.SKIP, "no figures for " + gate.ours()
                        + (gate.theirs() == null ? "" : " and " + gate.theirs()) + " in scenario " + gate.scenario() + droppedNote));
                continue;
            }
            double median = median(figures);
            boolean pass = gate.strict() ? median < gate.limit() : median <= gate.limit();
            results.add(new GateResult(gate, pass ? Verdict.PASS : Verdict.FAIL, (gate.theirs() == null ? "" : "ratio ")
                    + stats(figures) + ", limit " + (gate.strict() ? "< " : "≤ ") + fmt(gate.limit())
                    + " (" + figures.size() + (figures.size() == 1 ? " round" : " rounds") + droppedNote + ")"));
        }
        return results;
    }

    static String renderGates(List<GateResult> results) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%ngates (issue 8's targets, median over rounds)%n"));
        for (GateResult r : results) {
            out.append(String.format(Locale.ROOT, "%-4s  %-16s %-50s %s%n", r.verdict(), r.gate().id(), r.gate().text(), r.detail()));
        }
        out.append(String.format(Locale.ROOT, "gates: %d pass, %d fail, %d skipped%n",
                results.stream().filter(r -> r.verdict() == Verdict.PASS).count(),
                results.stream().filter(r -> r.verdict() == Verdict.FAIL).count(),
                results.stream().filter(r -> r.verdict() == Verdict.SKIP).count()));
        return out.toString();
    }

    /** The figures of one metric for one server over the rounds of a scenario. */
    static List<Double> values(Map<Integer, Map<String, JsonNode>> rounds, String server, String metric) {
        List<Double> values = new ArrayList<>();
        for (Map<String, JsonNode> round : rounds.values()) {
            Double x = value(round.get(server), metric);
            if (x != null) {
                values.add(x);
            }
        }
        return values;
    }

    /** The measured lines of a run: scenario → round → server → line. */
    static Map<String, Map<Integer, Map<String, JsonNode>>> runs(List<String> jsonLines) throws IOException {
        ObjectMapper json = new ObjectMapper();
        // scenario -> round -> server -> line (the measured phase only)
        Map<String, Map<Integer, Map<String, JsonNode>>> runs = new TreeMap<>();
        for (String raw : jsonLines) {
            if (raw.isBlank()) {
                continue;
            }
            JsonNode line = json.readTree(raw);
            if (!line.path("phase").asText("measure").equals("measure")) {
                continue;
            }
            runs.computeIfAbsent(line.path("scenario").asText("b"), k -> new TreeMap<>())
                    .computeIfAbsent(line.path("round").asInt(), k -> new LinkedHashMap<>())
                    .put(line.path("server").asText(), line);
        }
        return runs;
    }

    /** A metric of a line, or null; {@code outer.inner} reads a field of an object ({@code backing_cpu_us_per_relay.postgres}). */
    static Double value(JsonNode line, String metric) {
        int dot = metric.indexOf('.');
        if (line != null && dot > 0) {
            return value(line.get(metric.substring(0, dot)), metric.substring(dot + 1));
        }
        if (line == null || !line.hasNonNull(metric)) {
            return null;
        }
        return line.get(metric).asDouble();
    }

    private static String stats(List<Double> values) {
        if (values.isEmpty()) {
            return "–";
        }
        return String.format(Locale.ROOT, "%s (%s–%s)", fmt(median(values)), fmt(Collections.min(values)), fmt(Collections.max(values)));
    }

    private static String fmt(double v) {
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }
}
