package dev.sodam.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.HdrHistogram.Histogram;

/**
 * What one durable commit costs on this machine's disk, without SQLite: write {@code pages} pages of
 * 4 KB into a file and {@code fdatasync} it ({@code FileChannel.force(false)}), over and over, as SQLite
 * does with its WAL at each commit. Prints the wait per commit (p50, p99) and the CPU the thread spent
 * per commit, kernel time included.
 *
 * <p>Why: Sodam acknowledges a message only after such a commit (ADR 0002), and the reference relay
 * and the peers do none. On one machine the fsync was 0.5 ms, on another of the same kind the same
 * build cost twice the CPU per message while the relay's did not move: the disk's own figures, taken
 * in the same run, say how much of a ratio is the price of durability rather than Sodam's code.
 *
 * <p>Two modes, as a WAL sees both: {@code overwrite} cycles through a preallocated file (a WAL after a
 * checkpoint restarts from its beginning: data only, no metadata to journal) and {@code append} grows
 * a new file (the WAL before its first checkpoint: every fdatasync also journals the new size).
 *
 * <p>{@code java -cp sodam-bench.jar dev.sodam.bench.DiskProbe <dir> [seconds per case, 2]}
 */
public final class DiskProbe {
    static final int PAGE = 4096;
    /** Preallocated size for the overwrite mode: about SQLite's WAL between two checkpoints (10,000 pages). */
    static final long OVERWRITE_FILE_BYTES = 10_000L * PAGE;

    private DiskProbe() {
    }

    /** One case's figures. */
    record Result(String mode, int pages, long commits, double p50Ms, double p99Ms, double cpuMicrosPerCommit) {
        String line() {
            return String.format(Locale.ROOT, "disk: %s %d page(s) + fdatasync: p50 %.3f ms, p99 %.3f ms, CPU %.1f µs per commit (%d commits)",
                    mode, pages, p50Ms, p99Ms, cpuMicrosPerCommit, commits);
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: DiskProbe <dir> [seconds per case]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2.0;
        Files.createDirectories(dir);
        for (String mode : new String[] {"overwrite", "append"}) {
            for (int pages : new int[] {1, 8}) {
                System.out.println(probe(dir, mode, pages, (long) (seconds * 1e9)).line());
            }
        }
    }

    static Result probe(Path dir, String mode, int pages, long nanos) throws IOException {
        boolean overwrite = mode.equals("overwrite");
        Path file = Files.createTempFile(dir, "disk-probe-", ".wal");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Histogram waits = new Histogram(3_600_000_000L, 3);
        ByteBuffer batch = ByteBuffer.allocateDirect(pages * PAGE);
        byte[] noise = new byte[pages * PAGE];
        ThreadLocalRandom.current().nextBytes(noise);
        batch.put(noise).flip();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            if (overwrite) {
                ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
                for (long at = 0; at < OVERWRITE_FILE_BYTES; at += zeros.capacity()) {
                    zeros.clear();
                    channel.write(zeros, at);
                }
                channel.force(true);
            }
            long position = 0;
            long commits = 0;
            long cpuStart = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            while (System.nanoTime() - start < nanos) {
                if (overwrite && position + batch.capacity() > OVERWRITE_FILE_BYTES) {
                    position = 0;
                }
                batch.rewind();
                long before = System.nanoTime();
                while (batch.hasRemaining()) {
                    position += channel.write(batch, position);
                }
                channel.force(false);
                waits.recordValue(System.nanoTime() - before);
                commits++;
            }
            double cpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e3 / commits;
            return new Result(mode, pages, commits, waits.getValueAtPercentile(50) / 1e6, waits.getValueAtPercentile(99) / 1e6, cpu);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
