package dev.sodam.server.ops;

import dev.sodam.server.faq.BotEngine;
import dev.sodam.server.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Liveness (the process answers) and readiness (the store answers a read and has not failed a write
 * lately, the bot is trained and the node is not draining), for load balancers and orchestrators: a
 * server that is alive but not ready gets no traffic yet, and a node that is shutting down reports
 * itself not ready before it stops serving.
 */
public final class HealthCheck {
    /**
     * How long a failed write keeps the node not ready. A read-only or full disk still answers reads,
     * so only failed writes show it; the window ends on its own, so a node the balancer took out of
     * service (and which therefore gets no writes to succeed with) is tried again.
     */
    static final Duration WRITE_FAILURE_WINDOW = Duration.ofSeconds(30);
    private final Store store;
    private final BotEngine bot;
    private final Supplier<Optional<Instant>> lastWriteFailure;
    private final Clock clock;
    private volatile boolean draining;

    public HealthCheck(Store store, BotEngine bot, Supplier<Optional<Instant>> lastWriteFailure, Clock clock) {
        this.store = store;
        this.bot = bot;
        this.lastWriteFailure = lastWriteFailure;
        this.clock = clock;
    }

    /** From now on readiness is DOWN with {@code "draining": true}: the node is shutting down. */
    public void startDraining() {
        draining = true;
    }

    public boolean draining() {
        return draining;
    }

    /** The readiness report: {@code status} UP only when every check is UP. */
    public Map<String, Object> readiness() {
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("drain", draining ? "DOWN" : "UP");
        String storeState;
        try {
            store.read(tx -> tx.sites().size());
            storeState = "UP";
        } catch (RuntimeException e) {
            storeState = "DOWN";
        }
        checks.put("store", storeState);
        Instant now = clock.instant();
        checks.put("writes", lastWriteFailure.get().filter(failed -> failed.plus(WRITE_FAILURE_WINDOW).isAfter(now))
                .isPresent() ? "DOWN" : "UP");
        BotEngine.Status status = bot.status();
        // A bot that is rebuilding after an FAQ edit still answers with its previous version.
        checks.put("bot", status.version() > 0 ? "UP" : "DOWN");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", checks.values().stream().allMatch("UP"::equals) ? "UP" : "DOWN");
        body.put("checks", checks);
        if (draining) {
            body.put("draining", true);
        }
        return body;
    }

    public static boolean up(Map<String, Object> report) {
        return "UP".equals(report.get("status"));
    }
}
