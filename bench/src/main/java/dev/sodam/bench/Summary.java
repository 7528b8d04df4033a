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
 * one round are compared: this machine is too noisy for anything else.
 * {@code java -cp sodam-bench.jar dev.sodam.bench.Summary results.jsonl [ours] [reference]}
 */
public final class Summary {
    static final String[] METRICS = {"p50_ms", "p99_ms", "p999_ms", "max_ms", "ack_p50_ms", "ack_p99_ms",
            "relays_per_s", "server_cpu_us_per_relay", "lost", "steal_pct", "loadavg", "first_conn_ms",
            // scenario (a), idle connections
            "conns", "heap_per_conn_b", "rss_per_conn_kb", "sock_mem_per_conn_b", "connects_per_s",
            "server_cpu_ms_per_1k_connects"};

    private Summary() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        String ours = args.length > 1 ? args[1] : "sodam";
        String reference = args.length > 2 ? args[2] : "reference";
        System.out.print(render(Files.readAllLines(file), ours, reference));
    }

    static String render(List<String> jsonLines, String ours, String reference) throws IOException {
        Map<String, Map<Integer, Map<String, JsonNode>>> runs = runs(jsonLines);
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, Map<Integer, Map<String, JsonNode>>> scenario : runs.entrySet()) {
            out.append(String.format(Locale.ROOT, "%nscenario %s (%d rounds)%n", scenario.getKey(), scenario.getValue().size()));
            out.append(String.format(Locale.ROOT, "%-24s %-28s %-28s %-26s%n", "metric",
                    ours + " median (min–max)", reference + " median (min–max)", "ratio median (min–max)"));
            for (String metric : METRICS) {
                List<Double> a = values(scenario.getValue(), ours, metric);
                List<Double> b = values(scenario.getValue(), reference, metric);
                List<Double> ratio = new ArrayList<>();
                for (Map<String, JsonNode> round : scenario.getValue().values()) {
                    Double x = value(round.get(ours), metric);
                    Double y = value(round.get(reference), metric);
                    if (x != null && y != null && y != 0) {
                        ratio.add(x / y);
                    }
                }
                if (a.isEmpty() && b.isEmpty()) {
                    continue;
                }
                out.append(String.format(Locale.ROOT, "%-24s %-28s %-28s %-26s%n", metric, stats(a), stats(b),
                        metric.equals("lost") || metric.equals("steal_pct") || metric.equals("loadavg") ? "" : stats(ratio)));
            }
        }
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

    static Double value(JsonNode line, String metric) {
        if (line == null || !line.hasNonNull(metric)) {
            return null;
        }
        return line.get(metric).asDouble();
    }

    private static String stats(List<Double> values) {
        if (values.isEmpty()) {
            return "–";
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return String.format(Locale.ROOT, "%s (%s–%s)", fmt(median), fmt(sorted.get(0)), fmt(sorted.get(n - 1)));
    }

    private static String fmt(double v) {
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }
}
