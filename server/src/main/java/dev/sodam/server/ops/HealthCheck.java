package dev.sodam.server.ops;

import dev.sodam.server.faq.BotEngine;
import dev.sodam.server.store.Store;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Liveness (the process answers) and readiness (the store answers a read, the bot is trained and the
 * node is not draining), for load balancers and orchestrators: a server that is alive but not ready gets
 * no traffic yet, and a node that is shutting down reports itself not ready before it stops serving.
 */
public final class HealthCheck {
    private final Store store;
    private final BotEngine bot;
    private volatile boolean draining;

    public HealthCheck(Store store, BotEngine bot) {
        this.store = store;
        this.bot = bot;
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
