package dev.sodam.bot;

import java.util.List;

/**
 * The bot's best interpretation of a question before the bands are applied: the top label (a FAQ
 * id or an intent name; null when nothing matched), its calibrated confidence in [0, 1], and the FAQ
 * ids a clarification would suggest (at most three, best first; what {@link BotDecision#candidates()}
 * would hold).
 */
public record Prediction(String label, double confidence, String locale, List<String> suggestions) {
    public Prediction {
        suggestions = List.copyOf(suggestions);
    }

    /** A prediction with nothing to suggest. */
    public Prediction(String label, double confidence, String locale) {
        this(label, confidence, locale, List.of());
    }

    /** The same prediction with another confidence (e.g. the raw score put through a scale). */
    public Prediction withConfidence(double other) {
        return new Prediction(label, other, locale, suggestions);
    }
}
