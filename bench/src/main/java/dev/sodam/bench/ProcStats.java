package dev.sodam.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Readings from /proc: a process's CPU time and RSS, the machine's load average and CPU steal. */
final class ProcStats {
    /** Clock ticks per second of /proc/&lt;pid&gt;/stat; 100 on every Linux x86-64 kernel in use. */
    private static final long CLK_TCK = 100;

    private ProcStats() {
    }

    /** A snapshot of the machine-wide CPU counters (for steal %). */
    record CpuTotals(long total, long steal) {
        double stealPercentSince(CpuTotals earlier) {
            long dt = total - earlier.total;
            return dt <= 0 ? 0 : 100.0 * (steal - earlier.steal) / dt;
        }
    }

    /** user + system CPU time of a process in microseconds, or -1 when it cannot be read. */
    static long processCpuMicros(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            return cpuTicks(Files.readString(Path.of("/proc/" + pid + "/stat"))) * 1_000_000 / CLK_TCK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** One process's name ({@code comm}) and user + system CPU time in microseconds, at one reading. */
    record ProcessCpu(String name, long micros) {
    }

    /**
     * Every process whose name ({@code comm}) is one of {@code names}, by pid, with its CPU time so far;
     * null when /proc cannot be read. A cluster's message also costs its PostgreSQL backends and its
     * Redis: processes of other programs, found by name because the server does not know their pids.
     */
    static Map<Long, ProcessCpu> processesNamed(List<String> names) {
        Map<Long, ProcessCpu> found = new LinkedHashMap<>();
        if (names.isEmpty()) {
            return found;
        }
        try {
            eachStat(Path.of("/proc"), entry -> entry.chars().allMatch(Character::isDigit), (entry, name, stat) -> {
                if (names.contains(name)) {
                    found.put(Long.parseLong(entry), new ProcessCpu(name, cpuTicks(stat) * 1_000_000 / CLK_TCK));
                }
            });
        } catch (IOException e) {
            return null;
        }
        return found;
    }

    /**
     * CPU time in microseconds that the processes of each name spent between two readings of
     * {@link #processesNamed}, summed per name: each process's time since the first reading, or all of
     * it for one that started in between (or whose pid now names another program). A process that exited
     * in between takes what it spent with it; it never takes away what the others spent (a sum of
     * totals did: a test JVM exiting during a phase once made "java" spend less than nothing). -1 per
     * name when either reading failed.
     */
    static Map<String, Long> cpuSpentByName(List<String> names, Map<Long, ProcessCpu> before,
                                            Map<Long, ProcessCpu> after) {
        Map<String, Long> spent = new LinkedHashMap<>();
        names.forEach(name -> spent.put(name, before == null || after == null ? -1L : 0L));
        if (before == null || after == null) {
            return spent;
        }
        after.forEach((pid, now) -> {
            ProcessCpu then = before.get(pid);
            long since = then != null && then.name().equals(now.name()) ? then.micros() : 0;
            spent.merge(now.name(), Math.max(0, now.micros() - since), Long::sum);
        });
        return spent;
    }

    /** utime + stime, in clock ticks, of a process's or thread's {@code stat} line. */
    private static long cpuTicks(String stat) {
        // the command name may hold spaces: fields are counted after the closing parenthesis
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
    }

    /**
     * user + system CPU time of a JVM's JIT compiler threads ({@code C1 CompilerThread…}, {@code C2
     * CompilerThread…}; the kernel keeps the first 15 characters of a thread's name) in microseconds;
     * 0 for a process without such threads, -1 when it cannot be read. A measured phase in which the
     * server still compiles measures its warm-up, not its steady state.
     */
    static long jitCpuMicros(long pid) {
        if (pid <= 0) {
            return -1;
        }
        long[] ticks = {0};
        try {
            eachStat(Path.of("/proc", Long.toString(pid), "task"), entry -> true, (entry, name, stat) -> {
                if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                    ticks[0] += cpuTicks(stat);
                }
            });
            return ticks[0] * 1_000_000 / CLK_TCK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * The {@code stat} line of each entry of {@code dir} (processes under /proc, threads under a
     * process's task/) whose name {@code entries} accepts, with the entry's name (a pid) and its command
     * name; one that ended between the listing and the read is skipped.
     */
    private static void eachStat(Path dir, Predicate<String> entries, StatLine each) throws IOException {
        try (java.util.stream.Stream<Path> listed = Files.list(dir)) {
            for (Path entry : (Iterable<Path>) listed::iterator) {
                if (!entries.test(entry.getFileName().toString())) {
                    continue;
                }
                String stat;
                try {
                    stat = Files.readString(entry.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                each.accept(entry.getFileName().toString(), stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')), stat);
            }
        }
    }

    @FunctionalInterface
    private interface StatLine {
        void accept(String entry, String name, String stat);
    }

    /** Share of {@code cpuMicros} that was {@code jitMicros}, in percent with one decimal; -1 when unknown. */
    static double jitPercent(long jitMicros, long cpuMicros) {
        if (jitMicros < 0 || cpuMicros <= 0) {
            return -1;
        }
        return Math.round(1000.0 * jitMicros / cpuMicros) / 10.0;
    }

    /** Resident set size of a process in KiB, or -1. */
    static long rssKb(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Whether the process is a JVM ({@code comm} is {@code java}): only a JVM has a heap that jcmd can read. */
    static boolean isJvm(long pid) {
        try {
            return pid > 0 && Files.readString(Path.of("/proc/" + pid + "/comm")).strip().equals("java");
        } catch (IOException e) {
            return false;
        }
    }

    private static final java.util.regex.Pattern HEAP_USED = java.util.regex.Pattern.compile("total \\d+K, used (\\d+)K");

    /** A full GC in the process ({@code jcmd GC.run}), then its heap in use in KiB ({@code GC.heap_info}). */
    static long heapAfterFullGcKb(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        java.util.regex.Matcher used = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
        if (!used.find()) {
            throw new IllegalStateException("no heap figure in jcmd GC.heap_info");
        }
        return Long.parseLong(used.group(1));
    }

    /** The output of {@code jcmd <pid> <command>} from this JVM's own JDK. */
    static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + command + " failed: " + output);
        }
        return output;
    }

    /** The number of open file descriptors of a process. */
    static int openFds(long pid) throws IOException {
        try (java.util.stream.Stream<Path> open = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) open.count();
        }
    }

    /** The kernel's TCP socket memory in pages ({@code mem} of /proc/net/sockstat), or -1. */
    static long tcpSocketPages() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/net/sockstat"))) {
                if (line.startsWith("TCP:")) {
                    String[] f = line.trim().split("\\s+");
                    for (int i = 1; i + 1 < f.length; i++) {
                        if (f[i].equals("mem")) {
                            return Long.parseLong(f[i + 1]);
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** The 1-minute load average, or -1. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static CpuTotals cpuTotals() {
        try {
            String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0); // "cpu  user nice system idle iowait irq softirq steal ..."
            String[] f = cpu.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                total += Long.parseLong(f[i]);
            }
            return new CpuTotals(total, f.length > 8 ? Long.parseLong(f[8]) : 0);
        } catch (IOException | RuntimeException e) {
            return new CpuTotals(0, 0);
        }
    }
}
