package dev.sodam.bot.eval;

import dev.sodam.bot.BotThresholds;
import dev.sodam.bot.Calibration;
import dev.sodam.bot.ConfidenceScale;
import dev.sodam.bot.FaqBot;
import dev.sodam.bot.FaqEntry;
import dev.sodam.bot.LabelledQuestion;
import dev.sodam.bot.Prediction;
import dev.sodam.bot.analysis.TextNormalizer;
import dev.sodam.bot.intent.IntentClassifier;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The evaluation protocol behind {@code sodam-bot.jar eval}: every in-scope intent of the training
 * questions becomes one FAQ label (all its training texts are its phrasings; out-of-scope training
 * lines are not used), the bot is trained on those only, the answer threshold of every locale is
 * chosen on the validation questions ({@link Calibration}), and the test questions are scored: the
 * prediction is the top label when its confidence reaches the locale's threshold, else {@code oos}.
 *
 * <p>The model is trained once, exact ({@link FaqBot#trainExact}); the bot the server would run
 * (classifier weights pruned at the tolerance, {@link FaqBot#withWeightTolerance}) and the exact
 * one are each calibrated on val and scored on test, so the pruning's cost in accuracy and its
 * gain in speed are measured on the same model in the same run.
 */
public final class Evaluation {

    private Evaluation() {
    }

    /**
     * Result of one run; percentages 0–100, NaN when a group is empty. {@code exact}: the same run's
     * figures for the unpruned classifier ({@code null} in that result itself).
     */
    public record Result(Calibration.Metrics test, Calibration.Metrics val, Map<String, BotThresholds> thresholds,
                         int labels, int trainQuestions, long trainMillis, double p50Micros, double p99Micros,
                         double p50CpuMicros, double p99CpuMicros, double weightTolerance, long storedWeights,
                         CalibrationErrors calibration, Calibration.ClarifyMetrics clarify,
                         PerIntentAccuracy perIntent, Result exact) {
        /** The answer threshold of the locale most test questions were analysed in. */
        public double threshold() {
            return thresholds.values().stream().findFirst().map(BotThresholds::answer).orElse(0.0);
        }
    }

    /**
     * Expected calibration errors in percentage points ({@link Calibration#calibrationError}): of the
     * test questions' confidences, of their raw scores before the scale fitted on val, and of the val
     * questions' confidences (in-sample: the scale was fitted on them).
     */
    public record CalibrationErrors(double test, double testRaw, double val) {
    }

    /**
     * The mean over in-scope intents of each intent's in-scope accuracy, on test and on val: what plain
     * in-scope accuracy would be on a set with as many questions per intent (BANKING77's held-out test
     * has 40 per intent, its val keeps train's 3–18).
     */
    public record PerIntentAccuracy(double test, double val) {
    }

    /** FAQ entries built from training questions: one per in-scope intent, in order of first appearance. */
    public static List<FaqEntry> labels(List<LabelledQuestion> train) {
        Map<String, List<String>> byIntent = new LinkedHashMap<>();
        for (LabelledQuestion q : train) {
            if (q.inScope() && !q.text().isBlank()) {
                byIntent.computeIfAbsent(q.intent(), k -> new ArrayList<>()).add(q.text());
            }
        }
        List<FaqEntry> out = new ArrayList<>(byIntent.size());
        byIntent.forEach((intent, texts) -> {
            long hangul = texts.stream().filter(t -> TextNormalizer.mostlyHangul(TextNormalizer.normalize(t), 0.3)).count();
            String locale = hangul * 2 >= texts.size() ? "ko" : "en";
            out.add(new FaqEntry(intent, locale, texts.get(0), texts.subList(1, texts.size()), intent, List.of()));
        });
        return out;
    }

    /** {@link #run(List, List, List, double)} at the tolerance the bot uses. */
    public static Result run(List<LabelledQuestion> train, List<LabelledQuestion> val, List<LabelledQuestion> test) {
        return run(train, val, test, IntentClassifier.WEIGHT_TOLERANCE);
    }

    /**
     * Trains, calibrates on {@code val} and scores {@code test}, with the classifier pruned at
     * {@code weightTolerance} and, for comparison, exact.
     */
    public static Result run(List<LabelledQuestion> train, List<LabelledQuestion> val, List<LabelledQuestion> test,
                             double weightTolerance) {
        List<FaqEntry> faq = labels(train);
        if (faq.size() < 2) {
            throw new EvalException("training files hold fewer than two in-scope intents");
        }
        long t0 = System.nanoTime();
        FaqBot exact = FaqBot.trainExact(faq, List.of(), new BotThresholds(0, 0));
        long trainMillis = (System.nanoTime() - t0) / 1_000_000;
        int trainQuestions = (int) train.stream().filter(LabelledQuestion::inScope).count();
        Result exactResult = score(exact, val, test, faq.size(), trainQuestions, trainMillis, 0.0, null);
        return score(exact.withWeightTolerance(weightTolerance), val, test, faq.size(), trainQuestions, trainMillis,
                weightTolerance, exactResult);
    }

    private static Result score(FaqBot bot, List<LabelledQuestion> val, List<LabelledQuestion> test, int labels,
                                int trainQuestions, long trainMillis, double weightTolerance, Result exact) {
        // Calibrate per locale on val: the confidence scale, and the thresholds in its units.
        List<Prediction> valPred = new ArrayList<>(val.size());
        Map<String, List<Calibration.Scored>> byLocale = new TreeMap<>();
        for (LabelledQuestion q : val) {
            Prediction p = bot.predict(q.text(), null);
            valPred.add(p);
            byLocale.computeIfAbsent(p.locale(), k -> new ArrayList<>())
                    .add(Calibration.Scored.of(q.intent(), p));
        }
        Map<String, BotThresholds> thresholds = new LinkedHashMap<>();
        Map<String, ConfidenceScale> scales = new LinkedHashMap<>();
        byLocale.entrySet().stream()
                .sorted((a, b) -> Integer.compare(b.getValue().size(), a.getValue().size()))
                .forEach(e -> {
                    Calibration.Fitted fitted = Calibration.fit(e.getValue());
                    thresholds.put(e.getKey(), fitted.thresholds());
                    scales.put(e.getKey(), fitted.scale());
                });
        List<Prediction> valCalibrated = calibrated(valPred, scales);
        Calibration.Metrics valMetrics = score(val, valCalibrated, thresholds);

        // Score test, timing every decision.
        List<Prediction> testPred = new ArrayList<>(test.size());
        List<Prediction> testRaw = new ArrayList<>(test.size());
        // Wall time, and the thread's CPU time, which a busy shared machine inflates much less.
        long[] nanos = new long[test.size()];
        long[] cpu = new long[test.size()];
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        boolean cpuTime = mx.isCurrentThreadCpuTimeSupported();
        for (int i = 0; i < test.size(); i++) {
            long c = cpuTime ? mx.getCurrentThreadCpuTime() : 0;
            long s = System.nanoTime();
            Prediction raw = bot.predict(test.get(i).text(), null);
            testPred.add(calibrated(raw, scales));
            testRaw.add(raw);
            nanos[i] = System.nanoTime() - s;
            cpu[i] = cpuTime ? mx.getCurrentThreadCpuTime() - c : 0;
        }
        Arrays.sort(nanos);
        Arrays.sort(cpu);
        Calibration.Metrics testMetrics = score(test, testPred, thresholds);
        List<Calibration.Scored> testScored = scored(test, testPred);
        CalibrationErrors errors = new CalibrationErrors(Calibration.calibrationError(testScored),
                Calibration.calibrationError(scored(test, testRaw)),
                Calibration.calibrationError(scored(val, valCalibrated)));
        Calibration.ClarifyMetrics clarify = Calibration.clarifyMetrics(testScored, perQuestion(testPred, thresholds));
        PerIntentAccuracy perIntent = new PerIntentAccuracy(perIntentAccuracy(test, testPred, thresholds),
                perIntentAccuracy(val, valCalibrated, thresholds));
        return new Result(testMetrics, valMetrics, thresholds, labels, trainQuestions, trainMillis,
                percentile(nanos, 0.50) / 1e3, percentile(nanos, 0.99) / 1e3,
                percentile(cpu, 0.50) / 1e3, percentile(cpu, 0.99) / 1e3, weightTolerance, bot.storedWeights(),
                errors, clarify, perIntent, exact);
    }

    /** Raw predictions with their confidence put through their locale's scale. */
    private static List<Prediction> calibrated(List<Prediction> raw, Map<String, ConfidenceScale> scales) {
        List<Prediction> out = new ArrayList<>(raw.size());
        for (Prediction p : raw) {
            out.add(calibrated(p, scales));
        }
        return out;
    }

    /**
     * A raw prediction with its confidence put through its locale's scale: what the bot calibrated with
     * the same scales ({@link FaqBot#withScales}) predicts.
     */
    private static Prediction calibrated(Prediction raw, Map<String, ConfidenceScale> scales) {
        ConfidenceScale s = scales.getOrDefault(raw.locale(), ConfidenceScale.IDENTITY);
        return raw.withConfidence(s.apply(raw.confidence()));
    }

    private static List<Calibration.Scored> scored(List<LabelledQuestion> qs, List<Prediction> preds) {
        List<Calibration.Scored> out = new ArrayList<>(qs.size());
        for (int i = 0; i < qs.size(); i++) {
            out.add(Calibration.Scored.of(qs.get(i).intent(), preds.get(i)));
        }
        return out;
    }

    private static Calibration.Metrics score(List<LabelledQuestion> qs, List<Prediction> preds,
                                             Map<String, BotThresholds> thresholds) {
        BotThresholds[] each = perQuestion(preds, thresholds);
        double[] answer = new double[each.length];
        for (int i = 0; i < each.length; i++) {
            answer[i] = each[i].answer();
        }
        return Calibration.metrics(scored(qs, preds), answer);
    }

    /** {@link PerIntentAccuracy} of {@code preds} for {@code qs}; NaN without in-scope questions. */
    static double perIntentAccuracy(List<LabelledQuestion> qs, List<Prediction> preds,
                                    Map<String, BotThresholds> thresholds) {
        BotThresholds[] each = perQuestion(preds, thresholds);
        Map<String, int[]> rightAndAll = new TreeMap<>();
        for (int i = 0; i < qs.size(); i++) {
            LabelledQuestion q = qs.get(i);
            if (!q.inScope()) {
                continue;
            }
            Prediction p = preds.get(i);
            int[] c = rightAndAll.computeIfAbsent(q.intent(), k -> new int[2]);
            boolean answered = p.label() != null && p.confidence() >= each[i].answer();
            if (answered && q.intent().equals(p.label())) {
                c[0]++;
            }
            c[1]++;
        }
        return rightAndAll.values().stream().mapToDouble(c -> 100.0 * c[0] / c[1]).average().orElse(Double.NaN);
    }

    /** Each prediction's locale's thresholds (none: 0, everything answered). */
    private static BotThresholds[] perQuestion(List<Prediction> preds, Map<String, BotThresholds> thresholds) {
        BotThresholds[] out = new BotThresholds[preds.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = thresholds.getOrDefault(preds.get(i).locale(), new BotThresholds(0, 0));
        }
        return out;
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
