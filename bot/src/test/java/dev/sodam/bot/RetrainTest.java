package dev.sodam.bot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link FaqBot#retrain}: an edit that leaves a locale's phrasings alone (an answer) reuses that
 * locale's index and classifier, so it is live at once on a FAQ of any size; an edited phrasing
 * retrains its locale only.
 */
class RetrainTest {

    private static List<FaqEntry> replace(List<FaqEntry> faq, FaqEntry changed) {
        List<FaqEntry> out = new ArrayList<>(faq);
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).id().equals(changed.id())) {
                out.set(i, changed);
            }
        }
        return out;
    }

    @Test
    void anEditedAnswerReusesTheModelsAndIsAnsweredAtOnce() {
        FaqBot before = SeedBots.bot();
        List<FaqEntry> faq = SeedBots.faq();
        FaqEntry ko = faq.stream().filter(e -> e.locale().equals("ko")).findFirst().orElseThrow();
        FaqEntry edited = new FaqEntry(ko.id(), ko.locale(), ko.question(), ko.paraphrases(), "새 답변입니다.", ko.tags());

        FaqBot after = FaqBot.retrain(before, replace(faq, edited), SeedBots.intents(), SeedBots.THRESHOLDS);

        assertThat(after.sharesModel(before, "ko")).isTrue();
        assertThat(after.sharesModel(before, "en")).isTrue();
        assertThat(after.entry(ko.id()).orElseThrow().answer()).isEqualTo("새 답변입니다.");
        // The same decision as before the edit, with the new answer.
        BotDecision was = before.ask(ko.question(), "ko");
        assertThat(was).isInstanceOf(BotDecision.Answer.class);
        BotDecision.Answer a = (BotDecision.Answer) was;
        assertThat(after.ask(ko.question(), "ko")).isEqualTo(new BotDecision.Answer(a.confidence(), a.intent(),
                a.locale(), a.faqId(), "새 답변입니다.", a.candidates()));
    }

    @Test
    void anEditedPhrasingRetrainsItsLocaleOnly() {
        FaqBot before = SeedBots.bot();
        List<FaqEntry> faq = SeedBots.faq();
        FaqEntry en = faq.stream().filter(e -> e.locale().equals("en")).findFirst().orElseThrow();
        List<String> paraphrases = new ArrayList<>(en.paraphrases());
        paraphrases.add("a brand new way to ask this");
        FaqEntry edited = new FaqEntry(en.id(), en.locale(), en.question(), paraphrases, en.answer(), en.tags());

        FaqBot after = FaqBot.retrain(before, replace(faq, edited), SeedBots.intents(), SeedBots.THRESHOLDS);

        assertThat(after.sharesModel(before, "ko")).isTrue();
        assertThat(after.sharesModel(before, "en")).isFalse();
        // A full training of phrasings this process has trained on finds the models already made (TrainedModels).
        assertThat(FaqBot.retrain(null, faq, SeedBots.intents(), SeedBots.THRESHOLDS).sharesModel(before, "ko")).isTrue();
    }
}
