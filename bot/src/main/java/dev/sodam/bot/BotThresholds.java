package dev.sodam.bot;

/**
 * The three decision bands: {@code confidence >= answer} answers, {@code confidence >= clarify}
 * offers the top candidates, anything lower hands off to a person.
 */
public record BotThresholds(double answer, double clarify) {
    public BotThresholds {
        if (!(clarify >= 0 && clarify <= answer && answer <= 1)) {
            throw new IllegalArgumentException(
                    "bot thresholds must satisfy 0 <= clarify <= answer <= 1, got clarify=" + clarify + " answer=" + answer);
        }
    }
}
