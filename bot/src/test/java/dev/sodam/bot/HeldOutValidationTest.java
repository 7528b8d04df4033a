package dev.sodam.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live FAQ's self-calibration, on the real seed FAQ and the shipped out-of-scope questions. */
class HeldOutValidationTest {

    private static List<HeldOutValidation.OutOfScope> shippedOutOfScope() {
        return HeldOutValidation.load(SeedBots.repoRoot().resolve("config/bot/out-of-scope.json"));
    }

    @Test
    void calibratesEachLocaleOnHeldOutParaphrasesAndOutOfScopeQuestions() {
        List<FaqEntry> faq = SeedBots.faq();
        List<HeldOutValidation.OutOfScope> oos = shippedOutOfScope();
        HeldOutValidation.Report report = HeldOutValidation.run(faq, SeedBots.intents(), oos, SeedBots.THRESHOLDS);
        System.out.println("held-out validation of the seed FAQ: " + report);

        assertThat(report.thresholds()).containsOnlyKeys("ko", "en");
        assertThat(report.scales()).containsOnlyKeys("ko", "en");
        assertThat(report.calibrationErrors()).containsOnlyKeys("ko", "en");
        for (String locale : List.of("ko", "en")) {
            long heldOut = faq.stream().filter(e -> e.locale().equals(locale) && e.paraphrases().size() >= 2).count();
            long outOfScope = oos.stream().filter(q -> q.locale().equals(locale)).count();
            Calibration.Metrics m = report.metrics().get(locale);
            assertThat(m.inScope()).as(locale + " in-scope questions").isEqualTo(heldOut);
            assertThat(m.oos()).as(locale + " out-of-scope questions").isEqualTo(outOfScope);
            BotThresholds t = report.thresholds().get(locale);
            assertThat(t.clarify()).isLessThanOrEqualTo(t.answer());
            // Better than the trivial bot that hands everything off (right on every out-of-scope
            // question, wrong on every FAQ question), and most chatter is handed off.
            assertThat(m.overallAccuracy()).as(locale + " overall accuracy")
                    .isGreaterThan(100.0 * outOfScope / (outOfScope + heldOut) + 5);
            assertThat(m.oosRecall()).as(locale + " out-of-scope recall").isGreaterThan(70);
            ConfidenceScale scale = report.scales().get(locale);
            assertThat(scale.isIdentity()).isFalse();
            assertThat(scale.questions()).isEqualTo(heldOut + outOfScope);
        }
    }

    @Test
    void calibrationIsNoWorseThanTheDefaultsOnTheSameQuestions() {
        // The same split scored at the hand-set defaults: the chosen threshold maximises overall
        // accuracy, so the defaults can only tie or lose.
        List<FaqEntry> faq = SeedBots.faq();
        HeldOutValidation.Report report = HeldOutValidation.run(faq, SeedBots.intents(), shippedOutOfScope(),
                SeedBots.THRESHOLDS);
        HeldOutValidation.Report fixed = HeldOutValidation.run(faq, SeedBots.intents(), shippedOutOfScope(),
                SeedBots.THRESHOLDS);
        assertThat(fixed.thresholds()).isEqualTo(report.thresholds()); // deterministic
        for (Map.Entry<String, Calibration.Metrics> e : report.metrics().entrySet()) {
            assertThat(e.getValue().overallAccuracy()).isGreaterThanOrEqualTo(
                    defaultsAccuracy(faq, e.getKey()) - 1e-9);
        }
    }

    private static double defaultsAccuracy(List<FaqEntry> faq, String locale) {
        List<FaqEntry> training = new ArrayList<>();
        List<Calibration.Scored> scored = new ArrayList<>();
        List<String[]> questions = new ArrayList<>();
        for (FaqEntry e : faq) {
            List<String> ps = e.paraphrases();
            if (ps.size() >= 2) {
                questions.add(new String[] {ps.get(ps.size() - 1), e.id(), e.locale()});
                training.add(new FaqEntry(e.id(), e.locale(), e.question(), ps.subList(0, ps.size() - 1), e.answer(),
                        e.tags()));
            } else {
                training.add(e);
            }
        }
        shippedOutOfScope().forEach(q -> questions.add(new String[] {q.text(), Calibration.OOS, q.locale()}));
        FaqBot bot = FaqBot.train(training, SeedBots.intents(), SeedBots.THRESHOLDS);
        for (String[] q : questions) {
            Prediction p = bot.predict(q[0], q[2]);
            if (p.locale().equals(locale)) {
                scored.add(new Calibration.Scored(q[1], p.label(), p.confidence()));
            }
        }
        return Calibration.metrics(scored, SeedBots.THRESHOLDS.answer()).overallAccuracy();
    }

    @Test
    void anUnreadableOutOfScopeFileNamesTheFile(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("oos.json");
        Files.writeString(bad, "[\"not an object\"]");
        assertThatThrownBy(() -> HeldOutValidation.load(bad)).hasMessageContaining(bad.toString());
    }
}
