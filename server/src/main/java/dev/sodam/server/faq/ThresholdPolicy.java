package dev.sodam.server.faq;

import dev.sodam.bot.BotThresholds;
import dev.sodam.bot.HeldOutValidation;
import dev.sodam.server.config.SodamConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where each locale's decision thresholds come from, in order of precedence: a value set for the
 * locale in {@code sodam.yaml} ({@code bot.ko.answerThreshold} …), then the thresholds calibrated on
 * the FAQ's held-out paraphrases and the out-of-scope questions ({@link HeldOutValidation}, when
 * {@code bot.calibrate} is on), then the global {@code bot.answerThreshold} / {@code bot.clarifyThreshold}.
 *
 * @param defaults   the global thresholds
 * @param outOfScope out-of-scope questions for calibration; calibration is off when empty
 * @param overrides  per-locale values from the configuration (either may be null)
 */
public record ThresholdPolicy(BotThresholds defaults, List<HeldOutValidation.OutOfScope> outOfScope,
                              Map<String, SodamConfig.LocaleThresholds> overrides) {

    /**
     * Where a locale's thresholds came from, as the admin status reports it; {@code SAVED}: set by an
     * admin in the test console ({@link BotEngine#useSaved}), which wins over all of these.
     */
    public enum Source { SAVED, CONFIGURED, CALIBRATED, DEFAULT }

    public ThresholdPolicy {
        outOfScope = List.copyOf(outOfScope);
        overrides = Map.copyOf(overrides);
    }

    /** Fixed thresholds for every locale: no calibration, no overrides. */
    public static ThresholdPolicy fixed(BotThresholds thresholds) {
        return new ThresholdPolicy(thresholds, List.of(), Map.of());
    }

    /** Whether a held-out validation should run after each training. */
    public boolean calibrates() {
        return !outOfScope.isEmpty();
    }

    /** The thresholds of each of {@code locales}, given what calibration chose (possibly nothing yet). */
    public Map<String, BotThresholds> resolve(Set<String> locales, Map<String, BotThresholds> calibrated) {
        Map<String, BotThresholds> out = new LinkedHashMap<>();
        for (String locale : locales) {
            BotThresholds base = calibrated.getOrDefault(locale, defaults);
            SodamConfig.LocaleThresholds set = overrides.get(locale);
            if (set == null) {
                out.put(locale, base);
                continue;
            }
            double answer = set.answer() != null ? set.answer() : base.answer();
            double clarify = set.clarify() != null ? set.clarify() : Math.min(base.clarify(), answer);
            out.put(locale, new BotThresholds(answer, Math.min(clarify, answer)));
        }
        return out;
    }

    /** Where {@code locale}'s thresholds come from. */
    public Source sourceOf(String locale, Map<String, BotThresholds> calibrated) {
        if (overrides.containsKey(locale)) {
            return Source.CONFIGURED;
        }
        return calibrated.containsKey(locale) ? Source.CALIBRATED : Source.DEFAULT;
    }
}
