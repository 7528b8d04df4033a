package dev.sodam.bot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What the clarify band does with the questions the bot does not answer, as the eval command reports it. */
class ClarifyBandTest {

    /** An in-scope question whose entry would (or would not) be among the suggestions. */
    private static Calibration.Scored inScope(double confidence, boolean suggested) {
        return new Calibration.Scored("a", "b", confidence, suggested);
    }

    private static Calibration.Scored outOfScope(double confidence) {
        return new Calibration.Scored(Calibration.OOS, "b", confidence, false);
    }

    @Test
    void theBandCountsSuggestionsThatHoldTheEntryAndHandoffsThatCouldHave() {
        List<Calibration.Scored> scored = List.of(
                inScope(0.9, true), // answered: counted nowhere
                inScope(0.5, true), outOfScope(0.45), inScope(0.4, false), // suggested to: 1 of 3 helpful
                inScope(0.2, true), outOfScope(0.1)); // handed off: 1 of 2 could have been helped
        BotThresholds t = new BotThresholds(0.6, 0.3);
        BotThresholds[] each = {t, t, t, t, t, t};
        assertThat(Calibration.clarifyMetrics(scored, each)).isEqualTo(new Calibration.ClarifyMetrics(3, 1, 2, 1));
    }

    @Test
    void theClarifyThresholdKeepsItsRatioOnTheRawScore() {
        List<Calibration.Scored> raw = List.of(inScope(0.1, false), outOfScope(0.2), new Calibration.Scored("a", "a", 0.6),
                outOfScope(0.3), new Calibration.Scored("a", "a", 0.8), new Calibration.Scored("a", "a", 0.9));
        Calibration.Fitted fitted = Calibration.fit(raw);
        BotThresholds onRaw = Calibration.thresholds(raw);
        assertThat(onRaw.clarify()).isEqualTo(onRaw.answer() * Calibration.CLARIFY_RATIO);
        assertThat(fitted.thresholds().answer()).isEqualTo(fitted.scale().apply(onRaw.answer()));
        assertThat(fitted.thresholds().clarify()).isEqualTo(fitted.scale().apply(onRaw.clarify()));
    }

    @Test
    void aPredictionSaysWhetherItsSuggestionsHoldTheGoldEntry() {
        Prediction p = new Prediction("x", 0.3, "ko", List.of("x", "y", "z"));
        assertThat(Calibration.Scored.of("y", p).suggested()).isTrue();
        assertThat(Calibration.Scored.of("w", p).suggested()).isFalse();
        assertThat(Calibration.Scored.of(Calibration.OOS, p).helpedBySuggestions()).isFalse();
    }

    @Test
    void theSeedBotSuggestsWhatItsClarificationsWouldShow() {
        FaqBot bot = SeedBots.bot();
        for (String question : List.of("배송 언제 와요?", "환불 언제 돼요", "How long does delivery take?")) {
            Prediction p = bot.predict(question, null);
            BotDecision d = bot.ask(question, null);
            assertThat(p.suggestions()).as(question).isEqualTo(d.candidates().stream().map(Candidate::faqId).toList());
            assertThat(p.suggestions()).as(question).isNotEmpty().hasSizeLessThanOrEqualTo(3);
        }
    }
}
