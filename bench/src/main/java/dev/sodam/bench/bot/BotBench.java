package dev.sodam.bench.bot;

import dev.sodam.bot.BotDecision;
import dev.sodam.bot.BotThresholds;
import dev.sodam.bot.FaqBot;
import dev.sodam.bot.FaqEntry;
import dev.sodam.bot.FaqSeed;
import dev.sodam.bot.HeldOutValidation;
import dev.sodam.bot.SmallTalkIntent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One bot decision ({@code FaqBot.ask}) on the real seed FAQ, Korean and English, against
 * {@link ReferenceBot} (stock Lucene analyzer + BM25 top 10 + OpenNLP doccat) on the same phrasings,
 * in the same JVM and run. Questions cycle through every phrasing of the locale plus its shipped
 * out-of-scope questions, so both paths see the same mix of matches and misses.
 *
 * <p>Run (from the repository root; see docs/benchmarks.md):
 * {@code java -cp bench/target/sodam-bench.jar org.openjdk.jmh.Main BotBench -p locale=ko,en}
 * ({@code -Dsodam.repo.root=…} when not started from the root).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class BotBench {

    @Param({"ko", "en"})
    public String locale;

    private FaqBot bot;
    private ReferenceBot reference;
    private String[] questions;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        Path root = Path.of(System.getProperty("sodam.repo.root", "."));
        Path seed = root.resolve("config/faq/seed-" + locale + ".json");
        if (!Files.isRegularFile(seed)) {
            throw new IllegalStateException("no seed FAQ at " + seed.toAbsolutePath()
                    + ": run from the repository root or pass -Dsodam.repo.root=");
        }
        List<FaqEntry> faq = FaqSeed.load(seed);
        List<SmallTalkIntent> intents = SmallTalkIntent.loadAll(root.resolve("config/bot/intents.json"));
        bot = FaqBot.train(faq, intents, new BotThresholds(0.55, 0.30));
        reference = new ReferenceBot(locale, faq);
        List<String> qs = new ArrayList<>();
        for (FaqEntry e : faq) {
            qs.add(e.question());
            qs.addAll(e.paraphrases());
        }
        HeldOutValidation.load(root.resolve("config/bot/out-of-scope.json")).stream()
                .filter(q -> q.locale().equals(locale)).forEach(q -> qs.add(q.text()));
        questions = qs.toArray(new String[0]);
    }

    private String nextQuestion() {
        String q = questions[next];
        next = next + 1 == questions.length ? 0 : next + 1;
        return q;
    }

    /** Sodam's bot: normalise, detect the language, analyse once, BM25 + n-grams, maxent, decide. */
    @Benchmark
    public BotDecision sodamAsk() {
        return bot.ask(nextQuestion(), locale);
    }

    /** The same-run reference: stock Lucene top 10 + OpenNLP doccat. */
    @Benchmark
    public String referenceAsk() {
        return reference.answer(nextQuestion());
    }
}
