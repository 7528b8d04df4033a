package dev.sodam.bot;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sodam.bot.analysis.LocaleAnalysis;
import dev.sodam.bot.faq.FaqIndex;
import dev.sodam.bot.faq.LabelledText;
import dev.sodam.bot.intent.IntentClassifier;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * One locale's index and classifier, kept by the phrasings they were trained on so that any bot of this
 * process asking for the same phrasings gets the same models instead of a second training. Training
 * is a pure function of a locale's phrasings (in order, with their labels) and the weight tolerance:
 * answers, thresholds and labels' kinds are the {@code BotResponder}'s, not the models'. Who asks
 * twice: the held-out validation after an edit that changed only answers, an edit undone, several
 * sites or nodes of one process on one FAQ, and every server a test suite starts on the seed FAQ.
 *
 * <p>Bounded by phrasings, not entries: a locale heavier than the whole bound is never kept (Caffeine
 * evicts it at once), so a large FAQ is never held twice in memory for a rare repeat; the seed FAQ's
 * models and their held-out variants fit many times. Two bots training the same phrasings at once
 * share one training (the second waits for the first's future).
 */
final class TrainedModels {
    /** Phrasings' worth of models kept beyond the ones in use (the seed FAQ has about 800 over both locales). */
    static final long MAX_PHRASINGS = 5_000;

    static final TrainedModels SHARED = new TrainedModels(MAX_PHRASINGS);

    /** What the models depend on. */
    record Key(String locale, double weightTolerance, List<LabelledText> texts) {
        Key {
            texts = List.copyOf(texts);
        }
    }

    /** The models of one locale, with the analysis both were built with. */
    record Trained(LocaleAnalysis analysis, FaqIndex index, IntentClassifier classifier) {
    }

    private final AsyncCache<Key, Trained> cache;

    TrainedModels(long maxPhrasings) {
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxPhrasings)
                .weigher((Key key, Trained trained) -> key.texts().size())
                .executor(Runnable::run)
                .buildAsync();
    }

    /**
     * The models trained on {@code key}'s phrasings: the ones already trained or training in this
     * process, or those {@code training} starts. A training that fails is not kept; whoever waited on
     * another's failed training starts one of its own.
     */
    CompletableFuture<Trained> get(Key key, Supplier<CompletableFuture<Trained>> training) {
        AtomicReference<CompletableFuture<Trained>> started = new AtomicReference<>();
        CompletableFuture<Trained> kept = cache.get(key, (k, executor) -> {
            CompletableFuture<Trained> ours = training.get();
            started.set(ours);
            // A future completed with null removes its entry: a failure stays the caller's to report
            // (a failed future would also be logged by Caffeine itself).
            return ours.exceptionally(failure -> null);
        });
        if (started.get() != null) {
            return started.get();
        }
        return kept.thenCompose(trained -> trained != null ? CompletableFuture.completedFuture(trained)
                : get(key, training));
    }

    /** Whether models for {@code key} are kept (done or in training); for tests. */
    boolean holds(Key key) {
        return cache.getIfPresent(key) != null;
    }

    /** Waits for pending evictions; for tests. */
    void cleanUp() {
        cache.synchronous().cleanUp();
    }
}
