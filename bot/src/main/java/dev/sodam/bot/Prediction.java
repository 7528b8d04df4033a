package dev.sodam.bot;

/**
 * The bot's best interpretation of a question before the bands are applied: the top label (a FAQ
 * id or an intent name; null when nothing matched) and its calibrated confidence in [0, 1].
 */
public record Prediction(String label, double confidence, String locale) {
}
