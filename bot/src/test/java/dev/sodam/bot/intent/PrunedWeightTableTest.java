package dev.sodam.bot.intent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sodam.bot.FaqEntry;
import dev.sodam.bot.FaqSeed;
import dev.sodam.bot.HeldOutValidation;
import dev.sodam.bot.SmallTalkIntent;
import dev.sodam.bot.analysis.LocaleAnalysis;
import dev.sodam.bot.faq.LabelledText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import opennlp.tools.ml.model.AbstractModel;
import org.junit.jupiter.api.Test;

/**
 * The pruned scoring table ({@link WeightTable#pruned}) against the exact one, on classifiers
 * trained from the real seed files: pruning at tolerance {@code t} may move the log-odds of any two
 * labels by at most {@code 2 · v · known · t} (each known feature's row moves every label by its
 * shift, which cancels, plus at most {@code t}; {@code v} = the features' value), and nothing
 * else; tolerance 0 changes nothing; and the pruned table is much smaller.
 */
class PrunedWeightTableTest {

    /** Float rounding of the stored weights and of the shifts (weights are floats, logits doubles). */
    private static final double ROUNDING = 1e-4;

    private static Path repoRoot() {
        String prop = System.getProperty("sodam.repo.root");
        if (prop != null && !prop.isBlank() && Files.isDirectory(Path.of(prop, "config"))) {
            return Path.of(prop);
        }
        return Path.of("").toAbsolutePath().getParent();
    }

    /** One locale's training phrasings as {@code FaqBot} builds them: every entry's phrasings, then small talk. */
    private static List<LabelledText> seedTexts(String locale) {
        List<LabelledText> out = new ArrayList<>();
        for (FaqEntry e : FaqSeed.load(repoRoot().resolve("config/faq/seed-" + locale + ".json"))) {
            out.add(new LabelledText(e.id(), e.question()));
            e.paraphrases().forEach(p -> out.add(new LabelledText(e.id(), p)));
        }
        for (SmallTalkIntent i : SmallTalkIntent.loadAll(repoRoot().resolve("config/bot/intents.json"))) {
            i.examples().getOrDefault(locale, List.of()).forEach(x -> out.add(new LabelledText(i.intent(), x)));
        }
        return out;
    }

    /** The training phrasings and the shipped out-of-scope questions of the locale. */
    private static List<String> questions(String locale, List<LabelledText> texts) {
        List<String> out = new ArrayList<>();
        texts.forEach(t -> out.add(t.text()));
        for (HeldOutValidation.OutOfScope q : HeldOutValidation.load(repoRoot().resolve("config/bot/out-of-scope.json"))) {
            if (q.locale().equals(locale)) {
                out.add(q.text());
            }
        }
        return out;
    }

    private static void assertPruningBound(String locale) {
        List<LabelledText> texts = seedTexts(locale);
        FeatureExtractor fx = new FeatureExtractor(LocaleAnalysis.forLocale(locale));
        AbstractModel model = IntentClassifier.trainOpenNlp(locale, texts, fx, IntentClassifier.Settings.DEFAULT);
        WeightTable exact = WeightTable.fromOpenNlp(model, IntentClassifier.BIAS);
        Map<?, ?> predicates = (Map<?, ?>) model.getDataStructures()[1];
        long dense = (long) exact.featureCount() * exact.classes();
        assertThat(exact.pruned(0)).isSameAs(exact);
        for (double t : new double[] {IntentClassifier.WEIGHT_TOLERANCE, 0.05}) {
            WeightTable pruned = exact.pruned(t);
            WeightTable direct = WeightTable.fromOpenNlp(model, IntentClassifier.BIAS, t);
            assertThat(direct.storedWeights()).isEqualTo(pruned.storedWeights());
            System.out.printf("%s seed: %d of %d weights kept at tolerance %s, %d of %d rows dense%n", locale,
                    pruned.storedWeights(), dense, t, pruned.denseRows(), pruned.featureCount());
            // Both row layouts are exercised: common features' rows dense, the others as pairs.
            assertThat(pruned.denseRows()).isBetween(1, pruned.featureCount() - 1);
            // A 50-label seed model keeps more than half (its weights are large: L2 scaled down for
            // few phrasings); paraKQC's 900 labels keep 3 % (docs/bot.md section 5).
            assertThat(pruned.storedWeights()).as("weights kept at tolerance %s of %s", t, dense)
                    .isLessThan(t >= 0.05 ? dense / 3 : dense * 3 / 4);
            for (String q : questions(locale, texts)) {
                String[] f = fx.features(q);
                if (f.length == 0) {
                    continue;
                }
                int known = 0;
                for (String x : f) {
                    known += predicates.containsKey(x) ? 1 : 0;
                }
                double bound = 2 * WeightTable.featureValue(f.length) * known * t + ROUNDING;
                double[] pe = exact.probabilities(f);
                double[] pp = pruned.probabilities(f);
                assertThat(direct.probabilities(f)).as(q).isEqualTo(pp);
                int top = argmax(pe);
                for (int c = 0; c < pe.length; c++) {
                    double exactOdds = Math.log(pe[c]) - Math.log(pe[top]);
                    double prunedOdds = Math.log(pp[c]) - Math.log(pp[top]);
                    assertThat(prunedOdds).as("%s: log-odds of %s against %s at tolerance %s", q,
                            exact.classNames()[c], exact.classNames()[top], t).isCloseTo(exactOdds, within(bound));
                }
            }
        }
    }

    private static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    @Test
    void koreanSeedPrunedWithinTheBound() {
        assertPruningBound("ko");
    }

    @Test
    void englishSeedPrunedWithinTheBound() {
        assertPruningBound("en");
    }

    @Test
    void densestCentreIsTheMiddleOfTheFullestWindow() {
        // Nine weights near -0.1, two large ones: the shift leaves eight of the nine within the tolerance
        // (the window is 0.004 wide; -0.102 … -0.098 is 0.004 apart plus float rounding).
        float[] row = {-0.101f, -0.1f, 2.5f, -0.099f, -0.1f, -0.102f, 1.0f, -0.098f, -0.1f, -0.1f, -0.1f};
        double centre = WeightTable.densestCentre(row.clone(), 0.002);
        int within = 0;
        for (float w : row) {
            within += Math.abs(w - centre) <= 0.002 + 1e-7 ? 1 : 0;
        }
        assertThat(within).isEqualTo(8);
        assertThat(centre).isBetween(-0.1005 - 1e-6, -0.0995 + 1e-6);
        assertThat((double) WeightTable.densestCentre(new float[] {0f, 0f, 0f}, 0.01)).isEqualTo(0.0);
    }

    @Test
    void negativeOrInfiniteToleranceIsRefused() {
        List<LabelledText> texts = List.of(new LabelledText("a", "hello there"), new LabelledText("b", "refund please"));
        FeatureExtractor fx = new FeatureExtractor(LocaleAnalysis.forLocale("en"));
        WeightTable exact = WeightTable.fromOpenNlp(IntentClassifier.trainOpenNlp("en", texts, fx,
                IntentClassifier.Settings.DEFAULT), IntentClassifier.BIAS);
        assertThatThrownBy(() -> exact.pruned(-0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> exact.pruned(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> exact.pruned(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
    }
}
