package dev.sodam.bot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ConcurrencyAndLatencyTest {

    private static List<String> questions() {
        List<String> qs = new ArrayList<>();
        for (FaqEntry e : SeedBots.bot().entries()) {
            qs.add(e.question());
            qs.addAll(e.paraphrases());
        }
        qs.addAll(FaqBotSeedTest.HELD_OUT_KO.keySet());
        qs.addAll(FaqBotSeedTest.HELD_OUT_EN.keySet());
        qs.addAll(List.of("오늘 날씨 어때?", "상담원 연결", "안녕하세요", "thanks!"));
        return qs;
    }

    @Test
    void fourThreadsGetTheSameDecisions() throws Exception {
        FaqBot bot = SeedBots.bot();
        List<String> qs = questions();
        List<BotDecision> expected = qs.stream().map(q -> bot.ask(q, "ko")).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<BotDecision>>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t;
                futures.add(pool.submit(() -> {
                    BotDecision[] out = new BotDecision[qs.size()];
                    for (int round = 0; round < 3; round++) {
                        for (int i = 0; i < qs.size(); i++) {
                            int k = (i + offset * 37) % qs.size();
                            out[k] = bot.ask(qs.get(k), "ko");
                        }
                    }
                    return Arrays.asList(out);
                }));
            }
            for (Future<List<BotDecision>> f : futures) {
                assertThat(f.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void measuresAskLatency() {
        FaqBot bot = SeedBots.bot();
        List<String> qs = questions();
        for (int i = 0; i < 2000; i++) {
            bot.ask(qs.get(i % qs.size()), "ko");
        }
        long[] nanos = new long[1000];
        for (int i = 0; i < nanos.length; i++) {
            String q = qs.get((i * 7) % qs.size());
            long t0 = System.nanoTime();
            bot.ask(q, "ko");
            nanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        System.out.printf("ask() latency over %d asks: median %.1f µs, p90 %.1f µs, p99 %.1f µs, max %.1f µs%n",
                nanos.length, nanos[500] / 1e3, nanos[900] / 1e3, nanos[990] / 1e3, nanos[999] / 1e3);
        assertThat(nanos[500]).isPositive();
    }
}
