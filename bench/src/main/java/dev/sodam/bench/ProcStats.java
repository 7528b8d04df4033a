package dev.sodam.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // the command name may hold spaces: fields are counted after the closing parenthesis
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
            return ticks * 1_000_000 / CLK_TCK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
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
