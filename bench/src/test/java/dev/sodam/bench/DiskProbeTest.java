package dev.sodam.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The disk probe commits to a real file in both modes, measures each commit and leaves nothing behind. */
class DiskProbeTest {
    @TempDir
    Path dir;

    @Test
    void bothModesCommitMeasureAndCleanUp() throws Exception {
        for (String mode : new String[] {"overwrite", "append"}) {
            DiskProbe.Result result = DiskProbe.probe(dir, mode, 2, 200_000_000L);
            assertThat(result.commits()).as(mode).isPositive();
            assertThat(result.p50Ms()).as(mode).isPositive().isLessThanOrEqualTo(result.p99Ms());
            assertThat(result.cpuMicrosPerCommit()).as(mode).isPositive();
            assertThat(result.line()).startsWith("disk: " + mode + " 2 page(s) + fdatasync: p50 ");
        }
        try (var left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }
}
