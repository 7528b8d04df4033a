package dev.sodam.server.webhook;

import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.Replies;
import dev.sodam.server.event.ChatEvent;
import dev.sodam.server.event.ChatEventListener;
import dev.sodam.server.ops.SodamMetrics;
import dev.sodam.server.store.IntegrationTx.DeliveryAttempt;
import dev.sodam.server.store.IntegrationTx.OutboxEntry;
import dev.sodam.server.store.IntegrationTx.Webhook;
import dev.sodam.server.store.Store;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox: off the domain thread, with the JDK's asynchronous HTTP client, so a slow or
 * dead receiver holds no thread that chat needs. At-least-once: an entry stays pending until a 2xx
 * is recorded, also across restarts. In order per webhook and conversation: only the oldest pending
 * entry of a conversation is sent, the next after it is settled. Failures are retried after
 * {@code base × 2^(attempt-1)} (at most an hour) by the injected clock; after {@code maxAttempts}
 * the entry is marked failed (an admin may redeliver it). Every attempt is logged.
 *
 * <p>Several nodes on one PostgreSQL database each run a worker: a poll claims its due entries
 * ({@link dev.sodam.server.store.IntegrationTx#claimOutbox}, {@code FOR UPDATE SKIP LOCKED}) until
 * {@link #lease()} from now, so no other node sends them meanwhile; settling an entry clears the claim,
 * and the claim of a node that died expires, after which another node sends the entry. On SQLite (one
 * node) a poll simply reads the due entries.
 */
public final class WebhookWorker implements ChatEventListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookWorker.class);
    private static final int MAX_IN_FLIGHT = 32;
    private static final Duration MAX_BACKOFF = Duration.ofHours(1);

    private final Store store;
    private final ConversationService service;
    private final Clock clock;
    private final WebhookTargets targets;
    private final WebhookOutbox outbox;
    private final SodamMetrics metrics;
    private final Duration timeout;
    private final int maxAttempts;
    private final Duration retryBase;
    private final ScheduledExecutorService poller;
    private final ExecutorService httpExecutor;
    /** Built with the first delivery: building it loads TLS (a tenth of a cold start) for sites without webhooks. */
    private HttpClient http;
    private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean pollQueued = new AtomicBoolean();
    private volatile boolean running = true;

    public WebhookWorker(Store store, ConversationService service, Clock clock, WebhookTargets targets,
                         WebhookOutbox outbox, SodamMetrics metrics, Duration timeout, int maxAttempts, Duration retryBase) {
        this.store = store;
        this.service = service;
        this.clock = clock;
        this.targets = targets;
        this.outbox = outbox;
        this.metrics = metrics;
        this.timeout = timeout;
        this.maxAttempts = maxAttempts;
        this.retryBase = retryBase;
        this.poller = Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, "sodam-webhooks"));
        this.httpExecutor = Executors.newFixedThreadPool(2, runnable -> daemon(runnable, "sodam-webhook-http"));
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(timeout).executor(httpExecutor)
                    .followRedirects(HttpClient.Redirect.NEVER).build();
        }
        return http;
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Starts polling: once a second for due retries, and at once after every committed webhook event. */
    public void start() {
        poller.scheduleWithFixedDelay(this::wake, 0, 1, TimeUnit.SECONDS);
    }

    /** After commit: an event that may have written outbox rows wakes the poller. */
    @Override
    public void on(ChatEvent event) {
        if (outbox.anyWebhooks() && WebhookEvents.siteOf(event) != null) {
            wake();
        }
    }

    /** Asks for a poll soon; many wakes in a row make one poll. */
    public void wake() {
        if (running && pollQueued.compareAndSet(false, true)) {
            try {
                poller.execute(this::poll);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                pollQueued.set(false);
            }
        }
    }

    private void poll() {
        pollQueued.set(false);
        if (!running || inFlight.size() >= MAX_IN_FLIGHT) {
            return;
        }
        try {
            Instant now = clock.instant();
            int sending = inFlight.size();
            List<OutboxEntry> due = store.claim(tx -> tx.integrations().claimOutbox(now, now.plus(lease()),
                    MAX_IN_FLIGHT - sending, sending));
            for (OutboxEntry entry : due) {
                if (inFlight.size() >= MAX_IN_FLIGHT) {
                    break;
                }
                if (inFlight.add(entry.seq())) {
                    send(entry);
                }
            }
        } catch (RuntimeException e) {
            log.warn("webhook poll failed; retrying in a second", e);
        }
    }

    private void send(OutboxEntry entry) {
        Optional<Webhook> found = store.read(tx -> tx.integrations().webhook(entry.webhookId()));
        if (found.isEmpty()) {
            inFlight.remove(entry.seq());
            return;
        }
        Webhook webhook = found.get();
        Instant started = clock.instant();
        long startedNanos = System.nanoTime();
        String refusal = targets.refusal(webhook.url());
        if (refusal != null) {
            settle(entry, started, null, "target refused: " + refusal, 0);
            return;
        }
        long unix = started.getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(URI.create(webhook.url()))
                .timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "Sodam-Webhooks/1")
                .header("Sodam-Event-Id", entry.eventId())
                .header("Sodam-Event-Type", entry.eventType())
                .header("Sodam-Timestamp", Long.toString(unix))
                .header(WebhookSignature.HEADER, WebhookSignature.header(webhook.secret(), unix, entry.payload()))
                .POST(HttpRequest.BodyPublishers.ofString(entry.payload()))
                .build();
        http().sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            long ms = (System.nanoTime() - startedNanos) / 1_000_000;
            if (failure != null) {
                Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                String what = cause instanceof java.net.http.HttpTimeoutException ? "timed out after " + timeout.toSeconds()
                        + " s" : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
                settle(entry, started, null, what, ms);
            } else {
                int status = response.statusCode();
                settle(entry, started, status, status / 100 == 2 ? null : "HTTP " + status, ms);
            }
        });
    }

    /** Records the attempt on the domain thread; the entry leaves {@link #inFlight} once that is committed. */
    private void settle(OutboxEntry entry, Instant at, Integer status, String error, long ms) {
        boolean delivered = error == null;
        int attempts = entry.attempts() + 1;
        Instant now = clock.instant();
        String state = delivered ? "delivered" : attempts >= maxAttempts ? "failed" : "pending";
        Instant next = delivered || state.equals("failed") ? now : now.plus(backoff(attempts));
        if (metrics != null) {
            metrics.webhookAttempt(delivered ? "delivered" : "failed");
        }
        DeliveryAttempt attempt = new DeliveryAttempt(entry.seq(), at, status, error, ms);
        Replies.<Void>future(reply -> service.execute(tx -> {
            tx.integrations().recordAttempt(attempt, state, attempts, next, delivered ? now : null);
            return null;
        }, reply)).whenComplete((v, failure) -> {
            if (failure != null) {
                log.warn("recording webhook attempt {} failed", entry.seq(), failure);
            }
            // Released on the poller thread: a poll that read the outbox before this commit has
            // finished by then, so it cannot send the settled entry a second time.
            try {
                poller.execute(() -> {
                    inFlight.remove(entry.seq());
                    poll();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                inFlight.remove(entry.seq());
            }
        });
    }

    /**
     * How long a claimed entry is this node's: well past the HTTP timeout and the recording of the
     * attempt, so only a node that died (or hung) loses its claims to another.
     */
    Duration lease() {
        return timeout.multipliedBy(2).plus(Duration.ofMinutes(1));
    }

    /** The wait before attempt {@code attempts + 1}: base, 2 × base, 4 × base, …, at most an hour. */
    Duration backoff(int attempts) {
        Duration wait = retryBase.multipliedBy(1L << Math.min(attempts - 1, 20));
        return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
    }

    @Override
    public void close() {
        running = false;
        poller.shutdownNow();
        httpExecutor.shutdownNow();
    }
}
