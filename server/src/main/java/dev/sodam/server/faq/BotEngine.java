package dev.sodam.server.faq;

import dev.sodam.bot.BotThresholds;
import dev.sodam.bot.FaqBot;
import dev.sodam.bot.FaqEntry;
import dev.sodam.bot.SmallTalkIntent;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current bot, trained in the background. The server accepts connections before training ends;
 * questions asked meanwhile wait on {@link #ready()} instead of failing.
 */
public final class BotEngine {
    private static final Logger log = LoggerFactory.getLogger(BotEngine.class);
    private final CompletableFuture<FaqBot> ready = new CompletableFuture<>();

    /** Starts training on {@code executor}; returns at once. */
    public void train(List<FaqEntry> faq, List<SmallTalkIntent> intents, BotThresholds thresholds, Executor executor) {
        executor.execute(() -> {
            long started = System.nanoTime();
            try {
                FaqBot bot = FaqBot.train(faq, intents, thresholds);
                log.info("bot: trained on {} FAQ entries and {} small-talk intents in {} ms", faq.size(),
                        intents.size(), (System.nanoTime() - started) / 1_000_000);
                ready.complete(bot);
            } catch (RuntimeException e) {
                log.error("bot: training failed; visitors will be handed to agents", e);
                ready.completeExceptionally(e);
            }
        });
    }

    /** Completes with the trained bot (or exceptionally if training failed). */
    public CompletableFuture<FaqBot> ready() {
        return ready;
    }
}
