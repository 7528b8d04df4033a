package dev.sodam.server.faq;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.bot.BotThresholds;
import dev.sodam.bot.HeldOutValidation;
import dev.sodam.server.config.SodamConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ThresholdPolicyTest {

    private static final BotThresholds DEFAULTS = new BotThresholds(0.55, 0.30);
    private static final List<HeldOutValidation.OutOfScope> OOS = List.of(new HeldOutValidation.OutOfScope("ko", "날씨"));

    @Test
    void aConfiguredValueWinsOverCalibrationWhichWinsOverTheDefaults() {
        ThresholdPolicy policy = new ThresholdPolicy(DEFAULTS, OOS,
                Map.of("en", new SodamConfig.LocaleThresholds(0.8, 0.4)));
        Map<String, BotThresholds> calibrated = Map.of("ko", new BotThresholds(0.49, 0.27),
                "en", new BotThresholds(0.37, 0.2));
        Map<String, BotThresholds> resolved = policy.resolve(Set.of("ko", "en", "ja"), calibrated);
        assertThat(resolved).containsEntry("ko", new BotThresholds(0.49, 0.27))
                .containsEntry("en", new BotThresholds(0.8, 0.4))
                .containsEntry("ja", DEFAULTS);
        assertThat(policy.sourceOf("ko", calibrated)).isEqualTo(ThresholdPolicy.Source.CALIBRATED);
        assertThat(policy.sourceOf("en", calibrated)).isEqualTo(ThresholdPolicy.Source.CONFIGURED);
        assertThat(policy.sourceOf("ja", calibrated)).isEqualTo(ThresholdPolicy.Source.DEFAULT);
        assertThat(policy.calibrates()).isTrue();
    }

    @Test
    void aConfiguredAnswerAloneKeepsTheCalibratedClarifyButNeverAboveTheAnswer() {
        ThresholdPolicy policy = new ThresholdPolicy(DEFAULTS, OOS, Map.of(
                "ko", new SodamConfig.LocaleThresholds(0.2, null),
                "en", new SodamConfig.LocaleThresholds(null, 0.1)));
        Map<String, BotThresholds> resolved = policy.resolve(Set.of("ko", "en"),
                Map.of("ko", new BotThresholds(0.49, 0.27), "en", new BotThresholds(0.37, 0.2)));
        assertThat(resolved).containsEntry("ko", new BotThresholds(0.2, 0.2))
                .containsEntry("en", new BotThresholds(0.37, 0.1));
    }

    @Test
    void fixedThresholdsNeverCalibrate() {
        ThresholdPolicy policy = ThresholdPolicy.fixed(DEFAULTS);
        assertThat(policy.calibrates()).isFalse();
        assertThat(policy.resolve(Set.of("ko"), Map.of())).containsEntry("ko", DEFAULTS);
    }
}
