package dev.sodam.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Issue 11's soak as churn, small enough for CI (the 30-minute steady soak is {@code bench/soak.sh}):
 * one real Sodam process serves round after round of whole chats — visitors connect, the bot answers,
 * they ask for a person, an agent accepts, they talk at a fixed rate, the agent resolves, everyone
 * disconnects. After each round a full GC is forced in the server ({@code jcmd GC.run}) and the heap
 * used after it and the server's open file descriptors are read.
 *
 * <p>Churn is what leaks: a session, listener, timer or map entry kept per connection or per chat after
 * it ended grows with every round, while a steady load would hide it. Verdict: nothing lost, doubled or
 * out of order in any round; after {@link #WARM_UP_ROUNDS} warm-up rounds, the median of the last third
 * of the samples is within 10 % (heap, plus 1 MiB for a small heap) and 5 descriptors of the median of
 * the first third. Nothing is timed.
 */
public final class SoakDrill {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Rounds before the first sample that counts: class loading, JIT, caches and pools fill up in them. */
    static final int WARM_UP_ROUNDS = 2;

    private SoakDrill() {
    }

    /** One sample after a round: heap used after a full GC, open descriptors, and the round's tally. */
    record Sample(int round, long heapAfterGcKb, int fds, long rssKb, Chat.Tally tally) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        List<String> jar = List.of("-jar", Path.of(options.getOrDefault("jar", "server/target/sodam.jar")).toAbsolutePath().toString());
        Map<String, Object> report = churn(jar, Path.of(options.getOrDefault("home", ".")),
                Integer.parseInt(options.getOrDefault("rounds", "30")), Integer.parseInt(options.getOrDefault("chats", "100")),
                Integer.parseInt(options.getOrDefault("rate", "200")), Double.parseDouble(options.getOrDefault("seconds", "20")));
        System.out.println(JSON.writeValueAsString(report));
        System.exit(Boolean.TRUE.equals(report.get("flat")) && Boolean.TRUE.equals(report.get("exact")) ? 0 : 1);
    }

    /**
     * Runs {@code rounds} rounds of {@code chats} whole chats each, {@code rate} messages/s for
     * {@code seconds} per round, on a fresh data directory; the report (kept data directory when not clean).
     */
    static Map<String, Object> churn(List<String> launch, Path home, int rounds, int chats, int rate, double seconds)
            throws Exception {
        if (rounds < WARM_UP_ROUNDS + 3) {
            throw new IllegalArgumentException("a soak needs at least " + (WARM_UP_ROUNDS + 3) + " rounds to compare");
        }
        List<Sample> samples = new ArrayList<>();
        Map<String, Object> report = new LinkedHashMap<>();
        try (SodamProcess server = new SodamProcess(launch, home, Files.createTempDirectory("sodam-soak-drill"))) {
            server.start();
            long started = System.nanoTime();
            for (int round = 1; round <= rounds; round++) {
                LoadGenerator.Result result = LoadGenerator.run(LoadGenerator.Options.parse(new String[] {
                    "--target", "sodam", "--label", "soak", "--scenario", "soak-churn", "--round", Integer.toString(round),
                    "--port", Integer.toString(server.port()), "--server-pid", Long.toString(server.pid()),
                    "--sodam-db", server.data().resolve("sodam.db").toString(),
                    "--chats", Integer.toString(chats), "--chats-per-agent", "5", "--mode", "open",
                    "--rate", Integer.toString(rate), "--warmup", "1", "--duration", Double.toString(seconds),
                    "--drain", "10", "--client-threads", "1", "--resolve-at-end", "true"}));
                samples.add(sample(server, round, result.tally()));
            }
            report.put("drill", "soak-churn");
            report.put("rounds", rounds);
            report.put("chatsPerRound", chats);
            report.put("rate", rate);
            report.put("secondsPerRound", seconds);
            report.put("seconds", (System.nanoTime() - started) / 1_000_000_000L);
            Chat.Tally total = samples.stream().map(Sample::tally).reduce(Chat.Tally::plus).orElseThrow();
            report.put("sent", total.sent());
            report.put("exact", samples.stream().allMatch(s -> s.tally().exact()));
            report.put("tally", total.toString());
            verdict(samples, report);
            report.put("samples", samples.stream().map(s -> List.of(s.round(), s.heapAfterGcKb(), s.fds(), s.rssKb())).toList());
            server.stop();
            if (Boolean.TRUE.equals(report.get("flat")) && Boolean.TRUE.equals(report.get("exact"))) {
                server.deleteData();
            } else {
                report.put("dataDir", server.data().toString());
            }
        }
        return report;
    }

    /** Heap and descriptors flat: the last third's medians against the first third's, warm-up left out. */
    static void verdict(List<Sample> samples, Map<String, Object> report) {
        List<Sample> counted = samples.subList(Math.min(WARM_UP_ROUNDS, samples.size()), samples.size());
        int third = Math.max(1, counted.size() / 3);
        List<Sample> first = counted.subList(0, third);
        List<Sample> last = counted.subList(counted.size() - third, counted.size());
        long heapFirst = median(first.stream().mapToLong(Sample::heapAfterGcKb).toArray());
        long heapLast = median(last.stream().mapToLong(Sample::heapAfterGcKb).toArray());
        long fdsFirst = median(first.stream().mapToLong(Sample::fds).toArray());
        long fdsLast = median(last.stream().mapToLong(Sample::fds).toArray());
        report.put("heapAfterGcKbFirst", heapFirst);
        report.put("heapAfterGcKbLast", heapLast);
        report.put("heapGrowthPct", Math.round((heapLast - heapFirst) * 1000.0 / heapFirst) / 10.0);
        report.put("fdsFirst", fdsFirst);
        report.put("fdsLast", fdsLast);
        report.put("flat", heapLast - heapFirst <= heapFirst / 10 + 1024 && fdsLast - fdsFirst <= 5);
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** A full GC in the server, then its heap used, open descriptors and RSS; closed sockets settle first. */
    private static Sample sample(SodamProcess server, int round, Chat.Tally tally) throws Exception {
        int fds = settledFds(server.pid());
        return new Sample(round, ProcStats.heapAfterFullGcKb(server.pid()), fds, ProcStats.rssKb(server.pid()), tally);
    }

    /** The descriptor count once it stops falling (the server closes ended connections asynchronously). */
    private static int settledFds(long pid) throws Exception {
        int before = ProcStats.openFds(pid);
        for (int i = 0; i < 50; i++) {
            Thread.sleep(100);
            int now = ProcStats.openFds(pid);
            if (now >= before) {
                return now;
            }
            before = now;
        }
        return before;
    }
}
