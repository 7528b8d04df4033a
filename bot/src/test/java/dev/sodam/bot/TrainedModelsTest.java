package dev.sodam.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sodam.bot.faq.LabelledText;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link TrainedModels}: bots trained on the same phrasings in one process share one training; what the
 * models do not depend on (answers, thresholds) never prevents it; anything they do depend on does.
 */
class TrainedModelsTest {

    private static List<FaqEntry> withAnswer(List<FaqEntry> faq, String locale, String answer) {
        List<FaqEntry> out = new ArrayList<>();
        for (FaqEntry e : faq) {
            out.add(e.locale().equals(locale) ? new FaqEntry(e.id(), e.locale(), e.question(), e.paraphrases(), answer,
                    e.tags()) : e);
        }
        return out;
    }

    /** The seed with one more paraphrase on the first entry of {@code locale}, unique to {@code tag}. */
    private static List<FaqEntry> withParaphrase(String locale, String tag) {
        List<FaqEntry> out = new ArrayList<>(SeedBots.faq());
        for (int i = 0; i < out.size(); i++) {
            FaqEntry e = out.get(i);
            if (e.locale().equals(locale)) {
                List<String> paraphrases = new ArrayList<>(e.paraphrases());
                paraphrases.add("another way to ask this " + tag);
                out.set(i, new FaqEntry(e.id(), e.locale(), e.question(), paraphrases, e.answer(), e.tags()));
                break;
            }
        }
        return out;
    }

    @Test
    void botsTrainedOnTheSamePhrasingsShareTheirModelsWhateverTheAnswersAndThresholds() {
        FaqBot first = SeedBots.bot();
        FaqBot second = FaqBot.train(withAnswer(SeedBots.faq(), "ko", "다른 답변"), SeedBots.intents(),
                new BotThresholds(0.7, 0.4));

        assertThat(second.sharesModel(first, "ko")).isTrue();
        assertThat(second.sharesModel(first, "en")).isTrue();
        assertThat(second.ask("배송 언제 와요", "ko")).isInstanceOfSatisfying(BotDecision.Answer.class,
                a -> assertThat(a.answer()).isEqualTo("다른 답변"));
    }

    @Test
    void aChangedPhrasingOrAnotherWeightToleranceIsTrainedAgain() {
        FaqBot seed = SeedBots.bot();
        FaqBot edited = FaqBot.train(withParaphrase("en", "changed-phrasing"), SeedBots.intents(), SeedBots.THRESHOLDS);
        FaqBot exact = FaqBot.trainExact(SeedBots.faq(), SeedBots.intents(), SeedBots.THRESHOLDS);

        assertThat(edited.sharesModel(seed, "en")).isFalse();
        assertThat(edited.sharesModel(seed, "ko")).isTrue();
        assertThat(exact.sharesModel(seed, "ko")).isFalse();
        assertThat(exact.sharesModel(FaqBot.trainExact(SeedBots.faq(), SeedBots.intents(), SeedBots.THRESHOLDS), "ko"))
                .isTrue();
    }

    @Test
    void botsTrainingTheSameNewPhrasingsAtOnceShareOneTraining() throws Exception {
        List<FaqEntry> faq = withParaphrase("ko", "at-once");
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<FaqBot>> bots = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                bots.add(threads.submit(() -> FaqBot.train(faq, SeedBots.intents(), SeedBots.THRESHOLDS)));
            }
            FaqBot one = bots.get(0).get();
            for (Future<FaqBot> other : bots) {
                assertThat(other.get().sharesModel(one, "ko")).isTrue();
            }
            assertThat(one.sharesModel(SeedBots.bot(), "ko")).isFalse();
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aLocaleHeavierThanTheBoundIsNotKept() {
        TrainedModels models = new TrainedModels(3);
        TrainedModels.Key light = key("ko", 2);
        TrainedModels.Key heavy = key("en", 4);
        models.get(light, () -> CompletableFuture.completedFuture(new TrainedModels.Trained(null, null, null))).join();
        models.get(heavy, () -> CompletableFuture.completedFuture(new TrainedModels.Trained(null, null, null))).join();
        models.cleanUp();

        assertThat(models.holds(light)).isTrue();
        assertThat(models.holds(heavy)).isFalse();
    }

    @Test
    void aFailedTrainingIsNotKept() {
        TrainedModels models = new TrainedModels(100);
        TrainedModels.Key key = key("ko", 2);
        AtomicInteger trainings = new AtomicInteger();
        CompletableFuture<TrainedModels.Trained> failed = models.get(key, () -> {
            trainings.incrementAndGet();
            return CompletableFuture.failedFuture(new IllegalStateException("out of memory, say"));
        });
        assertThatThrownBy(failed::join).hasCauseInstanceOf(IllegalStateException.class);

        models.get(key, () -> {
            trainings.incrementAndGet();
            return CompletableFuture.completedFuture(new TrainedModels.Trained(null, null, null));
        }).join();
        assertThat(trainings).hasValue(2);
        assertThat(models.holds(key)).isTrue();
    }

    @Test
    void whoWaitedOnAFailedTrainingTrainsItself() {
        TrainedModels models = new TrainedModels(100);
        TrainedModels.Key key = key("en", 2);
        CompletableFuture<TrainedModels.Trained> first = new CompletableFuture<>();
        CompletableFuture<TrainedModels.Trained> firstSeen = models.get(key, () -> first);
        TrainedModels.Trained own = new TrainedModels.Trained(null, null, null);
        CompletableFuture<TrainedModels.Trained> waiter = models.get(key, () -> CompletableFuture.completedFuture(own));
        assertThat(waiter).isNotDone();

        first.completeExceptionally(new IllegalStateException("interrupted, say"));

        assertThatThrownBy(firstSeen::join).hasCauseInstanceOf(IllegalStateException.class);
        assertThat(waiter.join()).isSameAs(own);
        assertThat(models.holds(key)).isTrue();
    }

    private static TrainedModels.Key key(String locale, int phrasings) {
        List<LabelledText> texts = new ArrayList<>();
        for (int i = 0; i < phrasings; i++) {
            texts.add(new LabelledText("label" + i, "phrasing " + i));
        }
        return new TrainedModels.Key(locale, 0.002, texts);
    }
}
