package dev.sodam.server.faq;

import dev.sodam.bot.BotThresholds;
import dev.sodam.bot.Calibration;
import dev.sodam.bot.FaqBot;
import dev.sodam.bot.FaqEntry;
import dev.sodam.bot.HeldOutValidation;
import dev.sodam.bot.SmallTalkIntent;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
                         Instant rebuildingSince, boolean queued, long lastDurationMs,
                         Map<String, LocaleStatus> locales) {
    }

    /**
     * One locale of the current bot: its thresholds, where they come from, and how the held-out
     * validation of the last calibration went (null figures before the first calibration or when
     * calibration is off). Percentages 0–100.
     */
    public record LocaleStatus(double answerThreshold, double clarifyThreshold, ThresholdPolicy.Source source,
                               Double inScopeAccuracy, Double oosRecall, Double overallAccuracy, Integer inScope,
                               Integer oos, Double calibrationError) {
    }

    private record Source(Supplier<List<FaqEntry>> faq, List<SmallTalkIntent> intents, ThresholdPolicy policy,
                          Executor executor) {
    }

    /** The bot that answers now, with what the status reports about it. */
    private record Current(FaqBot bot, long version, Instant trainedAt, int entries, long durationMs,
                           HeldOutValidation.Report validation) {
    }

    private final Clock clock;
    private final CompletableFuture<FaqBot> ready = new CompletableFuture<>();
    private final AtomicReference<Current> current = new AtomicReference<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean pending = new AtomicBoolean();
    private final AtomicInteger validating = new AtomicInteger();
    /**
     * Runs held-out validations beside the training thread; its one thread ends when idle, so an
     * engine that is dropped leaves no thread behind.
     */
    private final ThreadPoolExecutor validator = new ThreadPoolExecutor(0, 1, 5, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "sodam-bot-validate");
                t.setDaemon(true);
                return t;
            });
    private volatile Source source;
    /** Thresholds an admin saved per locale (docs/admin.md, the test console); they win over every other source. */
    private volatile Map<String, BotThresholds> saved = Map.of();
    private volatile Instant rebuildingSince;
    private volatile String lastError;
    /** The FAQ the latest rebuild read (null before the first): what {@link #rebuildIfChanged} compares. */
    private volatile List<FaqEntry> trainedOn;

    public BotEngine() {
        this(Clock.systemUTC());
    }

    public BotEngine(Clock clock) {
        this.clock = clock;
    }

    /** Starts training on {@code executor} from a fixed FAQ; returns at once. */
    public void train(List<FaqEntry> faq, List<SmallTalkIntent> intents, BotThresholds thresholds, Executor executor) {
        List<FaqEntry> fixed = List.copyOf(faq);
        start(() -> fixed, intents, ThresholdPolicy.fixed(thresholds), executor);
    }

    /**
     * Starts the first training on {@code executor} from {@code faq} (read again for every rebuild:
     * it should return the enabled entries as committed); returns at once.
     */
    public void start(Supplier<List<FaqEntry>> faq, List<SmallTalkIntent> intents, ThresholdPolicy policy,
                      Executor executor) {
        source = new Source(faq, List.copyOf(intents), policy, executor);
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

    /**
     * Retrains only when the FAQ source differs from what the latest rebuild read: how a node makes
     * good a change notice it may have missed (another node died between its commit and its notice,
     * or this node's Redis subscription was down), at the cost of one read. Blocking (reads the source).
     */
    public void rebuildIfChanged() {
        Source from = source;
        if (from == null) {
            return;
        }
        List<FaqEntry> now = from.faq().get();
        if (!now.equals(trainedOn)) {
            log.info("bot: the FAQ changed while notices may have been lost; retraining");
            requestRebuild();
        }
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

    /**
     * Trains on the FAQ as committed now. With calibration on, a held-out validation (a second
     * training without one paraphrase per entry) chooses the thresholds on its own thread. The first
     * bot is published only with them, so visitors never meet a bot with uncalibrated bands; a
     * rebuild publishes the new bot at once with the previous calibration and swaps in the new
     * thresholds when its validation ends, so an edit reaches visitors as fast as without
     * calibration and a validation never delays the next rebuild.
     */
    private void rebuild() {
        Source from = source;
        ThresholdPolicy policy = from.policy();
        long started = System.nanoTime();
        rebuildingSince = clock.instant();
        try {
            List<FaqEntry> faq = from.faq().get();
            trainedOn = faq;
            Current previous = current.get();
            long version = previous == null ? 1 : previous.version() + 1;
            if (previous == null) {
                // The first bot: validate beside the training (start-up), publish with both.
                CompletableFuture<HeldOutValidation.Report> validation = policy.calibrates()
                        ? CompletableFuture.supplyAsync(() -> validate(faq, from), validator)
                        : CompletableFuture.completedFuture(null);
                FaqBot trained = FaqBot.train(faq, from.intents(), policy.defaults());
                publish(trained, version, faq.size(), started, validation.join(), policy);
            } else {
                // A rebuild: the edit goes live first, with nothing competing for the cores; the
                // validation starts after it, and its thresholds replace the previous ones. A locale
                // whose phrasings did not change (an edited answer) keeps its index and classifier.
                FaqBot trained = FaqBot.retrain(previous.bot(), faq, from.intents(), policy.defaults());
                publish(trained, version, faq.size(), started, previous.validation(), policy);
                if (policy.calibrates()) {
                    validating.incrementAndGet();
                    CompletableFuture.supplyAsync(() -> isSuperseded(version) ? null : validate(faq, from), validator)
                            .whenComplete((fresh, failure) -> {
                                validating.decrementAndGet();
                                // Only for the bot it was made for: a newer rebuild brings its own.
                                if (fresh != null) {
                                    replace(version, now -> new Current(now.bot().withScales(fresh.scales())
                                            .withThresholds(thresholds(now.bot(), fresh, policy)), version, now.trainedAt(),
                                            now.entries(), now.durationMs(), fresh));
                                }
                            });
                }
            }
            lastError = null;
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

    /** Whether a bot newer than {@code version} is already answering (its validation would be wasted). */
    private boolean isSuperseded(long version) {
        Current now = current.get();
        return now != null && now.version() > version;
    }

    private void publish(FaqBot trained, long version, int entries, long started,
                         HeldOutValidation.Report validation, ThresholdPolicy policy) {
        // The confidence scale travels with the validation that fitted it, as its thresholds do.
        FaqBot bot = trained.withScales(validation == null ? Map.of() : validation.scales())
                .withThresholds(thresholds(trained, validation, policy));
        long millis = (System.nanoTime() - started) / 1_000_000;
        current.set(new Current(bot, version, clock.instant(), entries, millis, validation));
        log.info("bot: version {} trained on {} FAQ entries in {} ms; thresholds {}", version, entries, millis,
                bot.locales().stream().map(l -> l + " " + bot.thresholds(l)).toList());
        ready.complete(bot);
    }

    private Map<String, BotThresholds> thresholds(FaqBot bot, HeldOutValidation.Report validation,
                                                  ThresholdPolicy policy) {
        Map<String, BotThresholds> out = new java.util.LinkedHashMap<>(
                policy.resolve(bot.locales(), validation == null ? Map.of() : validation.thresholds()));
        Map<String, BotThresholds> chosen = saved;
        out.replaceAll((locale, t) -> chosen.getOrDefault(locale, t));
        return out;
    }

    /**
     * Swaps in {@code change} of the current bot if it is still of {@code version} (any version when
     * negative); retried when another swap came between, so neither a late validation nor a saved
     * threshold is lost.
     */
    private void replace(long version, java.util.function.UnaryOperator<Current> change) {
        while (true) {
            Current now = current.get();
            if (now == null || version >= 0 && now.version() != version) {
                return;
            }
            if (current.compareAndSet(now, change.apply(now))) {
                return;
            }
        }
    }

    /**
     * Uses the thresholds an admin saved (per locale; a locale left out goes back to the configured,
     * calibrated or default ones) from now on: the current bot is swapped for one with them at once,
     * and every later rebuild keeps them.
     */
    public void useSaved(Map<String, BotThresholds> perLocale) {
        saved = Map.copyOf(perLocale);
        Source from = source;
        if (from == null) {
            return;
        }
        replace(-1, now -> new Current(now.bot().withThresholds(thresholds(now.bot(), now.validation(),
                from.policy())), now.version(), now.trainedAt(), now.entries(), now.durationMs(), now.validation()));
    }

    /** The thresholds an admin saved, per locale (empty: none). */
    public Map<String, BotThresholds> saved() {
        return saved;
    }

    /** The held-out validation, or null when it fails (the bot then keeps its previous thresholds). */
    private static HeldOutValidation.Report validate(List<FaqEntry> faq, Source from) {
        try {
            HeldOutValidation.Report report = HeldOutValidation.run(faq, from.intents(), from.policy().outOfScope(),
                    from.policy().defaults());
            log.info("bot: held-out validation in {} ms: {}", report.millis(), report.metrics());
            return report;
        } catch (RuntimeException e) {
            log.warn("bot: held-out validation failed; thresholds unchanged: {}", e.toString());
            return null;
        }
    }

    private Map<String, LocaleStatus> locales(Current now) {
        ThresholdPolicy policy = source.policy();
        Map<String, BotThresholds> calibrated = now.validation() == null ? Map.of() : now.validation().thresholds();
        Map<String, LocaleStatus> out = new TreeMap<>();
        for (String locale : now.bot().locales()) {
            BotThresholds t = now.bot().thresholds(locale);
            Calibration.Metrics m = now.validation() == null ? null : now.validation().metrics().get(locale);
            out.put(locale, new LocaleStatus(t.answer(), t.clarify(), saved.containsKey(locale)
                    ? ThresholdPolicy.Source.SAVED : policy.sourceOf(locale, calibrated),
                    m == null ? null : m.inScopeAccuracy(), m == null ? null : m.oosRecall(),
                    m == null ? null : m.overallAccuracy(), m == null ? null : m.inScope(),
                    m == null ? null : m.oos(), m == null ? null : now.validation().calibrationErrors().get(locale)));
        }
        return out;
    }

    /** Whether a rebuild is running or queued, and what the current bot is. */
    public Status status() {
        Current now = current.get();
        Instant since = rebuildingSince;
        boolean queued = pending.get();
        // A validation still choosing the new bot's thresholds counts as part of the rebuild.
        boolean busy = since != null || queued || validating.get() > 0 || now == null && lastError == null;
        String state = busy ? "rebuilding" : now == null ? "failed" : "ready";
        return new Status(state, now == null ? 0 : now.version(),
                now == null ? null : now.trainedAt(), now == null ? 0 : now.entries(), lastError, since,
                queued, now == null ? 0 : now.durationMs(), now == null ? Map.of() : locales(now));
    }
}
