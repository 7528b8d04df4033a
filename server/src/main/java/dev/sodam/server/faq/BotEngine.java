package dev.sodam.server.faq;

import dev.sodam.bot.BotThresholds;
import dev.sodam.bot.FaqBot;
import dev.sodam.bot.FaqEntry;
import dev.sodam.bot.SmallTalkIntent;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current bot, trained in the background and retrained when the FAQ changes.
 * <ul>
 *   <li>The server accepts connections before the first training ends; questions asked meanwhile
 *       wait on {@link #ready()} (the first bot) instead of failing.</li>
 *   <li>{@link #requestRebuild()} retrains from the FAQ source in the background and swaps the new
 *       bot in atomically. Questions asked during a rebuild are answered by the previous bot: they
 *       never wait and never fail. Requests that arrive while a rebuild runs are coalesced into at
 *       most one more rebuild, which reads the source afresh and so includes all of them.</li>
 *   <li>A failed rebuild keeps the previous bot and reports the error in {@link #status()}.</li>
 * </ul>
 */
public final class BotEngine {
    private static final Logger log = LoggerFactory.getLogger(BotEngine.class);

    /** What {@code GET /api/admin/bot/status} reports. */
    public record Status(String state, long version, Instant trainedAt, int entries, String lastError,
                         Instant rebuildingSince, boolean queued, long lastDurationMs) {
    }

    private record Source(Supplier<List<FaqEntry>> faq, List<SmallTalkIntent> intents, BotThresholds thresholds,
                          Executor executor) {
    }

    /** The bot that answers now, with what the status reports about it. */
    private record Current(FaqBot bot, long version, Instant trainedAt, int entries, long durationMs) {
    }

    private final Clock clock;
    private final CompletableFuture<FaqBot> ready = new CompletableFuture<>();
    private final AtomicReference<Current> current = new AtomicReference<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile Source source;
    private volatile Instant rebuildingSince;
    private volatile String lastError;

    public BotEngine() {
        this(Clock.systemUTC());
    }

    public BotEngine(Clock clock) {
        this.clock = clock;
    }

    /** Starts training on {@code executor} from a fixed FAQ; returns at once. */
    public void train(List<FaqEntry> faq, List<SmallTalkIntent> intents, BotThresholds thresholds, Executor executor) {
        List<FaqEntry> fixed = List.copyOf(faq);
        start(() -> fixed, intents, thresholds, executor);
    }

    /**
     * Starts the first training on {@code executor} from {@code faq} (read again for every rebuild:
     * it should return the enabled entries as committed); returns at once.
     */
    public void start(Supplier<List<FaqEntry>> faq, List<SmallTalkIntent> intents, BotThresholds thresholds,
                      Executor executor) {
        source = new Source(faq, List.copyOf(intents), thresholds, executor);
        requestRebuild();
    }

    /** Completes with the first trained bot (or exceptionally if the first training failed). */
    public CompletableFuture<FaqBot> ready() {
        return ready;
    }

    /** The bot to ask now: the latest trained one, or the first one once it is ready. Never waits on a rebuild. */
    public CompletableFuture<FaqBot> current() {
        Current now = current.get();
        return now != null ? CompletableFuture.completedFuture(now.bot()) : ready;
    }

    /**
     * Asks for a retraining from the FAQ source. Returns at once. While a rebuild runs, further
     * requests collapse into one queued rebuild.
     */
    public void requestRebuild() {
        if (source == null) {
            log.debug("bot: rebuild requested before the first training; the first training will read the FAQ");
            return;
        }
        pending.set(true);
        schedule();
    }

    private void schedule() {
        if (running.compareAndSet(false, true)) {
            try {
                source.executor().execute(this::drain);
            } catch (RuntimeException e) {
                running.set(false);
                log.warn("bot: cannot schedule a rebuild: {}", e.toString());
            }
        }
    }

    private void drain() {
        try {
            while (pending.getAndSet(false)) {
                rebuild();
            }
        } finally {
            running.set(false);
            // A request that came after the last check but before running was cleared.
            if (pending.get()) {
                schedule();
            }
        }
    }

    private void rebuild() {
        Source from = source;
        long started = System.nanoTime();
        rebuildingSince = clock.instant();
        try {
            List<FaqEntry> faq = from.faq().get();
            FaqBot bot = FaqBot.train(faq, from.intents(), from.thresholds());
            long millis = (System.nanoTime() - started) / 1_000_000;
            Current previous = current.get();
            long version = previous == null ? 1 : previous.version() + 1;
            current.set(new Current(bot, version, clock.instant(), faq.size(), millis));
            lastError = null;
            log.info("bot: version {} trained on {} FAQ entries and {} small-talk intents in {} ms", version,
                    faq.size(), from.intents().size(), millis);
            ready.complete(bot);
        } catch (RuntimeException e) {
            lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (current.get() == null) {
                log.error("bot: training failed; visitors will be handed to agents", e);
                ready.completeExceptionally(e);
            } else {
                log.error("bot: rebuild failed; the previous bot keeps answering", e);
            }
        } finally {
            rebuildingSince = null;
        }
    }

    /** Whether a rebuild is running or queued, and what the current bot is. */
    public Status status() {
        Current now = current.get();
        Instant since = rebuildingSince;
        boolean queued = pending.get();
        boolean busy = since != null || queued || now == null && lastError == null;
        String state = busy ? "rebuilding" : now == null ? "failed" : "ready";
        return new Status(state, now == null ? 0 : now.version(),
                now == null ? null : now.trainedAt(), now == null ? 0 : now.entries(), lastError, since,
                queued, now == null ? 0 : now.durationMs());
    }
}
