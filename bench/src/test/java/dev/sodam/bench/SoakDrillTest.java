package dev.sodam.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The soak in small: a real Sodam process (this module's test class path) serves eight rounds of whole
 * chats that end resolved and disconnected; nothing may be lost and the server's heap after a full GC
 * and its descriptors must not climb from round to round. The long runs are {@code bench/soak.sh}
 * (steady) and {@code SoakDrill} (churn); nothing here is timed.
 */
class SoakDrillTest {
    @Test
    @Timeout(600)
    void roundsOfWholeChatsLeaveNeitherHeapNorDescriptorsBehind() throws Exception {
        Map<String, Object> report = SoakDrill.churn(TestSodam.launch(), TestSodam.repoRoot(), 8, 30, 100, 3);
        System.out.println("soak drill: " + report);
        assertThat(((Number) report.get("sent")).longValue()).as("%s", report).isPositive();
        assertThat(report).as("%s", report).containsEntry("exact", true).containsEntry("flat", true);
    }

    @Test
    void aHeapThatClimbsEveryRoundIsNotFlat() {
        Map<String, Object> report = new LinkedHashMap<>();
        SoakDrill.verdict(series(40_000, 2_000, 600), report);
        assertThat(report).containsEntry("flat", false).containsEntry("fdsFirst", 600L);
    }

    @Test
    void descriptorsThatClimbEveryRoundAreNotFlat() {
        Map<String, Object> report = new LinkedHashMap<>();
        List<SoakDrill.Sample> samples = new ArrayList<>();
        for (int round = 1; round <= 8; round++) {
            samples.add(new SoakDrill.Sample(round, 40_000, 600 + 4 * round, 0, null));
        }
        SoakDrill.verdict(samples, report);
        assertThat(report).containsEntry("flat", false).containsEntry("heapGrowthPct", 0.0);
    }

    @Test
    void warmUpGrowthAndNoiseAreFlat() {
        Map<String, Object> report = new LinkedHashMap<>();
        List<SoakDrill.Sample> samples = new ArrayList<>(series(30_000, 5_000, 600).subList(0, 2));
        long[] noise = {41_000, 40_200, 40_900, 40_100, 41_300, 40_600};
        for (int i = 0; i < noise.length; i++) {
            samples.add(new SoakDrill.Sample(3 + i, noise[i], 612 + (i % 2), 0, null));
        }
        SoakDrill.verdict(samples, report);
        assertThat(report).containsEntry("flat", true);
    }

    private static List<SoakDrill.Sample> series(long heapKb, long growthKb, int fds) {
        List<SoakDrill.Sample> samples = new ArrayList<>();
        for (int round = 1; round <= 8; round++) {
            samples.add(new SoakDrill.Sample(round, heapKb + growthKb * round, fds, 0, null));
        }
        return samples;
    }
}
