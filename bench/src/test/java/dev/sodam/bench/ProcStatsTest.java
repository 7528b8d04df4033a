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
    void theCpuOfProcessesByNameCountsThisJvmAndNothingForAProgramThatIsNotRunning() {
        long own = ProcStats.processCpuMicros(ProcessHandle.current().pid());
        var byName = ProcStats.cpuMicrosByName(java.util.List.of("java", "sodam-no-such-program"));
        // this test runs in a JVM whose comm is "java": the sum over every "java" holds its time at least
        assertThat(byName.get("java")).isGreaterThanOrEqualTo(own).isPositive();
        assertThat(byName.get("sodam-no-such-program")).isZero();
        assertThat(byName).containsOnlyKeys("java", "sodam-no-such-program");
    }

    @Test
    void unknownFiguresStayUnknown() {
        assertThat(ProcStats.jitCpuMicros(0)).isEqualTo(-1);
        assertThat(ProcStats.jitPercent(-1, 1_000)).isEqualTo(-1);
        assertThat(ProcStats.jitPercent(10, 0)).isEqualTo(-1);
        assertThat(ProcStats.jitPercent(250, 1_000)).isEqualTo(25.0);
    }
}
