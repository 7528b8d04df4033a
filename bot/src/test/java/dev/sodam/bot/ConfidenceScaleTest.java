package dev.sodam.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The scale from raw score to the probability of a right top label, and the calibration error. */
class ConfidenceScaleTest {

    private static final double EPS = ConfidenceScale.TIE_BREAK;

    private static Calibration.Scored right(double score) {
        return new Calibration.Scored("a", "a", score);
    }

    private static Calibration.Scored wrong(double score) {
        return new Calibration.Scored("a", "b", score);
    }

    private static Calibration.Scored outOfScope(double score) {
        return new Calibration.Scored(Calibration.OOS, "a", score);
    }

    /** The curve's value at {@code raw} without the tie-break share. */
    private static double curve(ConfidenceScale scale, double raw) {
        return (scale.apply(raw) - EPS * raw) / (1 - EPS);
    }

    @Test
    void identityLeavesTheRawScore() {
        assertThat(ConfidenceScale.IDENTITY.apply(0.37)).isEqualTo(0.37);
        assertThat(ConfidenceScale.IDENTITY.apply(-1)).isEqualTo(0.0);
        assertThat(ConfidenceScale.IDENTITY.apply(2)).isEqualTo(1.0);
        assertThat(ConfidenceScale.fit(List.of())).isSameAs(ConfidenceScale.IDENTITY);
    }

    @Test
    void aFittedScaleGoesThroughEachBlocksShareRight() {
        ConfidenceScale scale = ConfidenceScale.fit(List.of(
                wrong(0.1), wrong(0.1), right(0.3), wrong(0.3), right(0.6), right(0.6)));
        assertThat(curve(scale, 0.1)).isCloseTo(0.0, within(1e-12));
        assertThat(curve(scale, 0.3)).isCloseTo(0.5, within(1e-12));
        assertThat(curve(scale, 0.6)).isCloseTo(1.0, within(1e-12));
        assertThat(curve(scale, 0.45)).as("straight between knots").isCloseTo(0.75, within(1e-12));
        assertThat(curve(scale, 0.02)).as("constant before the first block").isCloseTo(0.0, within(1e-12));
        assertThat(curve(scale, 0.9)).as("constant after the last block").isCloseTo(1.0, within(1e-12));
        assertThat(scale.questions()).isEqualTo(6);
    }

    @Test
    void aBlockRightLessOftenThanTheOneBelowIsPooledWithIt() {
        // 0.2 is right, 0.4 wrong: a higher score cannot mean a lower chance, so both are one block
        // at their mean score, right half the time.
        ConfidenceScale scale = ConfidenceScale.fit(List.of(right(0.2), wrong(0.4), right(0.8), right(0.8)));
        assertThat(curve(scale, 0.3)).isCloseTo(0.5, within(1e-12));
        assertThat(curve(scale, 0.2)).isCloseTo(0.5, within(1e-12));
        assertThat(curve(scale, 0.8)).isCloseTo(1.0, within(1e-12));
        assertThat(scale.knots()).hasSize(4); // (0, 0.5), (0.3, 0.5), (0.8, 1), (1, 1)
    }

    @Test
    void anOutOfScopeQuestionIsNeverRightWhateverItsTopLabel() {
        ConfidenceScale scale = ConfidenceScale.fit(List.of(outOfScope(0.5), outOfScope(0.5), right(0.5), right(0.5)));
        assertThat(curve(scale, 0.5)).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void theScaleStrictlyIncreasesSoTheThresholdsOnItDecideAsTheRawOnesDid() {
        Random random = new Random(20261124);
        for (int round = 0; round < 200; round++) {
            List<Calibration.Scored> raw = new ArrayList<>();
            int n = 5 + random.nextInt(300);
            for (int i = 0; i < n; i++) {
                // Right more often at higher scores, with noise and repeated scores.
                double score = random.nextInt(4) == 0 ? Math.round(random.nextDouble() * 10) / 10.0 : random.nextDouble();
                boolean oos = random.nextInt(5) == 0;
                boolean isRight = random.nextDouble() < score;
                raw.add(oos ? outOfScope(score) : isRight ? right(score) : wrong(score));
            }
            ConfidenceScale scale = ConfidenceScale.fit(raw);
            double[] sorted = raw.stream().mapToDouble(Calibration.Scored::confidence).sorted().distinct().toArray();
            for (int i = 1; i < sorted.length; i++) {
                assertThat(scale.apply(sorted[i])).as("round %d", round).isGreaterThan(scale.apply(sorted[i - 1]));
            }
            assertThat(scale.apply(0)).isBetween(0.0, 1.0);
            assertThat(scale.apply(1)).isBetween(0.0, 1.0);

            Calibration.Fitted fitted = Calibration.fit(raw);
            BotThresholds onRaw = Calibration.thresholds(raw);
            List<Calibration.Scored> calibrated = Calibration.rescaled(raw, scale);
            assertThat(Calibration.metrics(calibrated, fitted.thresholds().answer()))
                    .as("round %d: the same questions answered", round)
                    .isEqualTo(Calibration.metrics(raw, onRaw.answer())).isEqualTo(fitted.metrics());
            for (int i = 0; i < raw.size(); i++) {
                assertThat(calibrated.get(i).confidence() >= fitted.thresholds().clarify())
                        .as("round %d: the same questions suggested to", round)
                        .isEqualTo(raw.get(i).confidence() >= onRaw.clarify());
            }
        }
    }

    @Test
    void calibrationErrorIsTheGapBetweenConfidenceAndShareRightPerBin() {
        // Bin 0.8–0.9: confidence 0.8, right 4 of 5 → no gap. Bin 0.2–0.3: confidence 0.2, right 2 of 5
        // → a gap of 0.2 over half the questions.
        List<Calibration.Scored> scored = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            scored.add(i < 4 ? right(0.8) : wrong(0.8));
            scored.add(i < 2 ? right(0.2) : wrong(0.2));
        }
        assertThat(Calibration.calibrationError(scored)).isCloseTo(10.0, within(1e-9));
        assertThat(Calibration.calibrationError(List.of())).isNaN();
    }

    @Test
    void fittedOnQuestionsTheScaleIsCalibratedOnThem() {
        Random random = new Random(7);
        List<Calibration.Scored> raw = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            // The raw score overstates: a score s is right with probability s².
            double s = random.nextDouble();
            raw.add(random.nextDouble() < s * s ? right(s) : wrong(s));
        }
        double before = Calibration.calibrationError(raw);
        double after = Calibration.calibrationError(Calibration.rescaled(raw, ConfidenceScale.fit(raw)));
        assertThat(before).isGreaterThan(10);
        assertThat(after).isLessThan(2);
    }
}
