package dev.sodam.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fault drills in small: a real Sodam process (this module's test class path) killed with
 * {@code kill -9} twice under load, and a reconnect storm of 100 visitors. The drill's own checks must
 * find nothing lost, doubled or out of place, and must have seen traffic to check. The full-size runs
 * are {@code bench/crash-drill.sh}; nothing here is timed.
 */
class CrashDrillTest {
    @Test
    @Timeout(300)
    void twoKillsUnderLoadLoseAndDoubleNothing() throws Exception {
        Map<String, Object> report = CrashDrill.crashUnderLoad(TestSodam.launch(), TestSodam.repoRoot(), 2, 8);
        assertThat(((Number) report.get("acked")).intValue()).as("%s", report).isPositive();
        assertThat(report).containsEntry("ackedLost", 0).containsEntry("storedTwice", 0)
                .containsEntry("seqGaps", 0).containsEntry("seqMismatch", 0);
        assertThat(CrashDrill.clean(report)).isTrue();
    }

    @Test
    @Timeout(300)
    void everyVisitorOfAStormResumesWithItsMessage() throws Exception {
        Map<String, Object> report = CrashDrill.reconnectStorm(TestSodam.launch(), TestSodam.repoRoot(), 100);
        assertThat(report).as("%s", report).containsEntry("neverResumed", 0).containsEntry("firstMessageMissing", 0)
                .containsEntry("firstMessageTwice", 0);
        assertThat(CrashDrill.clean(report)).isTrue();
    }
}
