package dev.sodam.server.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Every meter Sodam exposes at {@code /metrics}, in one place so names stay consistent (all start
 * with {@code sodam_}) and callers record with one method call, never a registry lookup on a hot path.
 */
public final class SodamMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger queueLength = new AtomicInteger();
    private final Timer ackLatency;
    private final Timer queueWait;
    private final Timer storeCommit;
    private final ConcurrentMap<String, Counter> messages = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> botDecisions = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> webhookDeliveries = new ConcurrentHashMap<>();
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private LongSupplier answersWithQuestion;
    private LongSupplier answersLater;

    public SodamMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Gauge.builder("sodam.connections", connections, AtomicInteger::get)
                .description("Open TCP connections (HTTP and WebSocket)").register(registry);
        Gauge.builder("sodam.queue.length", queueLength, AtomicInteger::get)
                .description("Conversations waiting for an agent").register(registry);
        ackLatency = Timer.builder("sodam.ack.latency")
                .description("From a send frame's arrival to its ack (the message is on disk)")
                .publishPercentileHistogram().serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(50))
                .register(registry);
        queueWait = Timer.builder("sodam.queue.wait")
                .description("From entering the queue to an agent accepting").publishPercentileHistogram()
                .register(registry);
        storeCommit = Timer.builder("sodam.store.commit")
                .description("One group commit of the domain thread (all units and the fsync)")
                .publishPercentileHistogram().register(registry);
    }

    /** The text the Prometheus server scrapes. */
    public String scrape() {
        return registry.scrape();
    }

    public void connectionOpened() {
        connections.incrementAndGet();
    }

    public void connectionClosed() {
        connections.decrementAndGet();
    }

    public void ackLatency(long nanos) {
        ackLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void queueWait(Duration waited) {
        queueWait.record(waited.isNegative() ? Duration.ZERO : waited);
    }

    public void storeCommit(long nanos) {
        storeCommit.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void queueLength(int length) {
        queueLength.set(length);
    }

    /** A stored message by author kind (visitor, agent, bot, system); {@code rate()} of it is messages per second. */
    public void message(String authorKind) {
        messages.computeIfAbsent(authorKind, kind -> Counter.builder("sodam.messages")
                .description("Messages stored, by author kind").tag("from", kind).register(registry)).increment();
    }

    /** One bot decision by band: answer, clarify or handoff. */
    public void botDecision(String band) {
        botDecisions.computeIfAbsent(band.toLowerCase(Locale.ROOT), b -> Counter.builder("sodam.bot.decisions")
                .description("Bot decisions by band").tag("band", b).register(registry)).increment();
    }

    /** One webhook delivery attempt by outcome (delivered, failed). */
    public void webhookAttempt(String outcome) {
        webhookDeliveries.computeIfAbsent(outcome, o -> Counter.builder("sodam.webhook.attempts")
                .description("Webhook delivery attempts by outcome").tag("outcome", o).register(registry)).increment();
    }

    /**
     * Bot answers by where they were stored: in their question's commit, or in a commit of their own
     * after it (the bot was slow or not trained yet; ADR 0005). Read from the domain thread's counts.
     */
    public void botAnswers(LongSupplier withQuestion, LongSupplier later) {
        // Micrometer holds a function counter's object weakly: these fields keep the suppliers alive.
        answersWithQuestion = withQuestion;
        answersLater = later;
        FunctionCounter.builder("sodam.bot.answers", withQuestion, s -> s.getAsLong())
                .description("Bot answers stored, by commit: the question's or their own").tag("commit", "question")
                .register(registry);
        FunctionCounter.builder("sodam.bot.answers", later, s -> s.getAsLong())
                .description("Bot answers stored, by commit: the question's or their own").tag("commit", "own")
                .register(registry);
    }

    /** Reports the webhook outbox's pending rows on every scrape. */
    public void webhookBacklog(Supplier<Number> pending) {
        Gauge.builder("sodam.webhook.backlog", pending).description("Webhook deliveries waiting in the outbox")
                .register(registry);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
