package dev.sodam.bot;

import java.util.Objects;

/**
 * A question with its gold label: a FAQ id or intent name, or {@link Calibration#OOS} for a
 * question the bot should hand off. Used to calibrate thresholds and by the evaluation command.
 */
public record LabelledQuestion(String text, String intent) {
    public LabelledQuestion {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(intent, "intent");
    }

    /** True unless the gold label is {@link Calibration#OOS}. */
    public boolean inScope() {
        return !Calibration.OOS.equals(intent);
    }
}
