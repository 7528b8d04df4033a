package dev.sodam.bot.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sodam.bot.BotThresholds;
import dev.sodam.bot.LabelledQuestion;
import dev.sodam.bot.Prediction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The balanced-test estimate the eval command prints: every intent weighs the same however many
 * questions it has, and a question counts only when the bot answers it with its intent.
 */
class PerIntentAccuracyTest {

    private static final Map<String, BotThresholds> THRESHOLDS = Map.of("en", new BotThresholds(0.5, 0.2));

    @Test
    void aSmallIntentWeighsAsMuchAsABigOne() {
        // "big": 3 of 4 right (75 %); "small": 0 of 1 (0 %). Plain accuracy 3/5 = 60 %, per intent 37.5 %.
        List<LabelledQuestion> qs = List.of(q("big"), q("big"), q("big"), q("big"), q("small"));
        List<Prediction> preds = List.of(p("big", 0.9), p("big", 0.8), p("big", 0.7), p("small", 0.9), p("big", 0.9));
        assertThat(Evaluation.perIntentAccuracy(qs, preds, THRESHOLDS)).isCloseTo(37.5, within(1e-9));
    }

    @Test
    void aRightLabelBelowTheAnswerThresholdIsNotAnAnswer() {
        List<LabelledQuestion> qs = List.of(q("a"), q("a"), q("b"));
        List<Prediction> preds = List.of(p("a", 0.9), p("a", 0.4), p("b", 0.5));
        // "a": 1 of 2 (the second is below 0.5: handed off or clarified); "b": 1 of 1 (at the threshold).
        assertThat(Evaluation.perIntentAccuracy(qs, preds, THRESHOLDS)).isCloseTo(75.0, within(1e-9));
    }

    @Test
    void outOfScopeQuestionsAreLeftOutAndNoneInScopeIsNaN() {
        List<LabelledQuestion> qs = List.of(q("a"), q("oos"));
        List<Prediction> preds = List.of(p("a", 0.9), p("a", 0.9));
        assertThat(Evaluation.perIntentAccuracy(qs, preds, THRESHOLDS)).isCloseTo(100.0, within(1e-9));
        assertThat(Evaluation.perIntentAccuracy(List.of(q("oos")), List.of(p("a", 0.9)), THRESHOLDS)).isNaN();
    }

    private static LabelledQuestion q(String intent) {
        return new LabelledQuestion("question for " + intent, intent);
    }

    private static Prediction p(String label, double confidence) {
        return new Prediction(label, confidence, "en", List.of());
    }
}
