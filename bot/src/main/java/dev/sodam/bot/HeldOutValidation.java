package dev.sodam.bot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses a live FAQ's thresholds without a hand-labelled validation set: the FAQ's own paraphrases
 * are the in-scope questions and a file of out-of-scope questions ({@code config/bot/out-of-scope.json})
 * the rest.
 *
 * <p>One paraphrase of every entry that has at least two is held out (the last one: deterministic,
 * and admins tend to append the unusual phrasings), a bot is trained on everything else, and the
 * held-out paraphrases plus the out-of-scope questions are scored by it. {@link Calibration#fit} then
 * fits each locale's confidence scale and picks its answer threshold on those scores, exactly as the
 * evaluation command does on a val split. Both are meant for the bot trained on the whole FAQ: it has
 * seen one more phrasing per entry, so it is if anything slightly more confident than the validation
 * bot, and its confidences slightly understate how often it is right.
 */
public final class HeldOutValidation {

    /**
     * What one validation produced, per locale: the confidence scale, the thresholds chosen in its units,
     * the metrics at them, and the calibration error of the calibrated confidences on the same questions
     * ({@link Calibration#calibrationError}, percentage points; in-sample, so a floor, not an estimate).
     */
    public record Report(Map<String, ConfidenceScale> scales, Map<String, BotThresholds> thresholds,
                         Map<String, Calibration.Metrics> metrics, Map<String, Double> calibrationErrors,
                         long millis) {
        public Report {
            scales = Map.copyOf(scales);
            thresholds = Map.copyOf(thresholds);
            metrics = Map.copyOf(metrics);
            calibrationErrors = Map.copyOf(calibrationErrors);
        }
    }

    private HeldOutValidation() {
    }

    /**
     * Trains a bot without the held-out paraphrases, scores them and {@code outOfScope}, and
     * calibrates per locale. Locales with no held-out paraphrase and no out-of-scope question are
     * absent from the report.
     */
    public static Report run(List<FaqEntry> faq, List<SmallTalkIntent> intents, List<OutOfScope> outOfScope,
                             BotThresholds defaults) {
        long start = System.nanoTime();
        List<FaqEntry> training = new ArrayList<>(faq.size());
        List<LabelledQuestion> questions = new ArrayList<>();
        List<String> hints = new ArrayList<>();
        for (FaqEntry e : faq) {
            List<String> ps = e.paraphrases();
            if (ps.size() < 2) {
                training.add(e);
                continue;
            }
            questions.add(new LabelledQuestion(ps.get(ps.size() - 1), e.id()));
            hints.add(e.locale());
            training.add(new FaqEntry(e.id(), e.locale(), e.question(), ps.subList(0, ps.size() - 1), e.answer(),
                    e.tags()));
        }
        for (OutOfScope q : outOfScope) {
            questions.add(new LabelledQuestion(q.text(), Calibration.OOS));
            hints.add(q.locale());
        }
        Map<String, ConfidenceScale> scales = new LinkedHashMap<>();
        Map<String, BotThresholds> thresholds = new LinkedHashMap<>();
        Map<String, Calibration.Metrics> metrics = new LinkedHashMap<>();
        Map<String, Double> errors = new LinkedHashMap<>();
        if (!questions.isEmpty()) {
            FaqBot bot = FaqBot.train(training, intents, defaults);
            Map<String, List<Calibration.Scored>> byLocale = new LinkedHashMap<>();
            for (int i = 0; i < questions.size(); i++) {
                LabelledQuestion q = questions.get(i);
                Prediction p = bot.predict(q.text(), hints.get(i));
                byLocale.computeIfAbsent(p.locale(), k -> new ArrayList<>())
                        .add(Calibration.Scored.of(q.intent(), p));
            }
            byLocale.forEach((locale, scored) -> {
                Calibration.Fitted fitted = Calibration.fit(scored);
                scales.put(locale, fitted.scale());
                thresholds.put(locale, fitted.thresholds());
                metrics.put(locale, fitted.metrics());
                errors.put(locale, Calibration.calibrationError(Calibration.rescaled(scored, fitted.scale())));
            });
        }
        return new Report(scales, thresholds, metrics, errors, (System.nanoTime() - start) / 1_000_000);
    }

    /** An out-of-scope question and the locale it is written in. */
    public record OutOfScope(String locale, String text) {
    }

    /** Reads {@code {"ko":["…",…],"en":[…]}} (other top-level fields that are not arrays are ignored). */
    public static List<OutOfScope> load(Path json) {
        try {
            JsonNode root = new ObjectMapper().readTree(Files.readAllBytes(json));
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException(json + ": expected an object of locale → questions");
            }
            List<OutOfScope> out = new ArrayList<>();
            root.properties().forEach(e -> {
                if (e.getValue().isArray()) {
                    e.getValue().forEach(x -> out.add(new OutOfScope(e.getKey(), x.asText())));
                }
            });
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read out-of-scope questions " + json, e);
        }
    }
}
