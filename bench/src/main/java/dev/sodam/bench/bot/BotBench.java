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
 * ({@code -p calibration=heldout,none}: with and without the confidence scale, in one run)
 * ({@code -Dsodam.repo.root=…} when not started from the root); the 1,000-label Korean FAQ:
 * {@code … BotBench -p locale=ko -p faq=large -jvmArgsAppend "-Xmx10g -Dsodam.datasets=../shared/datasets"}
 * (training a 1,000-label model needs ~8 GB of heap).
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

    /**
     * {@code seed}: the shipped seed FAQ of {@code locale}. {@code large}: Korean only, ~1,000 labels
     * ({@link LargeFaq}: paraKQC train's 900 paraphrase sets and its 40 held-out sets as entries of their
     * own, plus the Korean seed FAQ and small talk), questions = paraKQC val and the seed's phrasings.
     */
    @Param({"seed"})
    public String faq;

    /**
     * {@code pruned}: the bot as the server trains it (classifier weights within
     * {@code IntentClassifier.WEIGHT_TOLERANCE} of their row's common value dropped). {@code exact}:
     * every weight kept, the scoring the pruning is measured against.
     */
    @Param({"pruned"})
    public String weights;

    /**
     * {@code heldout}: as the server runs it, the confidence scale and thresholds fitted on the FAQ's
     * held-out paraphrases and the shipped out-of-scope questions ({@code HeldOutValidation}; one more
     * training at set-up). {@code none}: the raw score and fixed thresholds 0.55 / 0.30.
     */
    @Param({"heldout"})
    public String calibration;

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
        List<FaqEntry> entries = FaqSeed.load(seed);
        List<SmallTalkIntent> intents = SmallTalkIntent.loadAll(root.resolve("config/bot/intents.json"));
        List<String> qs = new ArrayList<>();
        if ("large".equals(faq)) {
            LargeFaq large = LargeFaq.load(root, entries);
            entries = large.entries();
            qs.addAll(large.questions());
        }
        bot = "exact".equals(weights) ? FaqBot.trainExact(entries, intents, new BotThresholds(0.55, 0.30))
                : FaqBot.train(entries, intents, new BotThresholds(0.55, 0.30));
        if ("heldout".equals(calibration)) {
            HeldOutValidation.Report report = HeldOutValidation.run(entries, intents,
                    HeldOutValidation.load(root.resolve("config/bot/out-of-scope.json")), new BotThresholds(0.55, 0.30));
            bot = bot.withScales(report.scales()).withThresholds(report.thresholds());
        }
        reference = new ReferenceBot(locale, entries);
        for (FaqEntry e : entries) {
            if (e.locale().equals(locale)) {
                qs.add(e.question());
                if (!"large".equals(faq)) {
                    qs.addAll(e.paraphrases());
                }
            }
        }
        HeldOutValidation.load(root.resolve("config/bot/out-of-scope.json")).stream()
                .filter(q -> q.locale().equals(locale)).forEach(q -> qs.add(q.text()));
        questions = qs.toArray(new String[0]);
        java.util.Collections.shuffle(java.util.Arrays.asList(questions), new java.util.Random(42));
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
