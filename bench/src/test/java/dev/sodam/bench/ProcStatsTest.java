package dev.sodam.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The JIT's CPU time is read from the compiler threads of a real JVM, and is none for a process that has none;
 * the CPU of other programs is found by their process name.
 */
class ProcStatsTest {
    @Test
    void aJvmThatRanCodeHasSpentCpuInItsJitCompilersAndItIsPartOfItsCpu() {
        long pid = ProcessHandle.current().pid();
        long jit = ProcStats.jitCpuMicros(pid);
        long cpu = ProcStats.processCpuMicros(pid);
        // JUnit, AssertJ and this class were compiled by C1 at least before this line ran.
        assertThat(jit).isPositive().isLessThanOrEqualTo(cpu);
        assertThat(ProcStats.jitPercent(jit, cpu)).isBetween(0.0, 100.0);
    }

    @Test
    void aProcessWithoutCompilerThreadsHasNoJitTime() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "30").start();
        try {
            assertThat(ProcStats.jitCpuMicros(sleep.pid())).isZero();
        } finally {
            sleep.destroy();
            sleep.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void processesAreFoundByNameWithTheirCpuAndAProgramThatIsNotRunningHasNone() {
        long self = ProcessHandle.current().pid();
        long own = ProcStats.processCpuMicros(self);
        var found = ProcStats.processesNamed(java.util.List.of("java", "sodam-no-such-program"));
        // this test runs in a JVM whose comm is "java"
        assertThat(found).containsKey(self);
        assertThat(found.get(self).name()).isEqualTo("java");
        assertThat(found.get(self).micros()).isGreaterThanOrEqualTo(own).isPositive();
        assertThat(found.values()).extracting(ProcStats.ProcessCpu::name).containsOnly("java");
        var spent = ProcStats.cpuSpentByName(java.util.List.of("java", "sodam-no-such-program"), found,
                ProcStats.processesNamed(java.util.List.of("java", "sodam-no-such-program")));
        assertThat(spent.get("java")).isNotNegative();
        assertThat(spent.get("sodam-no-such-program")).isZero();
    }

    /**
     * Regression, found by LoadGeneratorTest failing in a full run: the CPU of "java" processes was a sum
     * of totals read twice, and another test JVM exiting in between made it fall (clamped to 0). Now each
     * process counts only what it spent itself between the readings.
     */
    @Test
    void aProcessThatExitsBetweenTwoReadingsDoesNotCancelWhatTheOthersSpent() {
        var names = java.util.List.of("java", "postgres");
        var before = java.util.Map.of(
                1L, new ProcStats.ProcessCpu("java", 1_000),
                2L, new ProcStats.ProcessCpu("java", 50_000),     // exits before the second reading
                4L, new ProcStats.ProcessCpu("postgres", 900));   // exits; its pid is reused by a java
        var after = java.util.Map.of(
                1L, new ProcStats.ProcessCpu("java", 1_500),
                3L, new ProcStats.ProcessCpu("java", 200),        // started in between: all of it counts
                4L, new ProcStats.ProcessCpu("java", 100));
        assertThat(ProcStats.cpuSpentByName(names, before, after))
                .containsEntry("java", 500L + 200 + 100).containsEntry("postgres", 0L);
        assertThat(ProcStats.cpuSpentByName(names, null, after)).containsEntry("java", -1L).containsEntry("postgres", -1L);
    }

    @Test
    void unknownFiguresStayUnknown() {
        assertThat(ProcStats.jitCpuMicros(0)).isEqualTo(-1);
        assertThat(ProcStats.jitPercent(-1, 1_000)).isEqualTo(-1);
        assertThat(ProcStats.jitPercent(10, 0)).isEqualTo(-1);
        assertThat(ProcStats.jitPercent(250, 1_000)).isEqualTo(25.0);
    }
}
