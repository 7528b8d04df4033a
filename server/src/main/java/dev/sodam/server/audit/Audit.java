package dev.sodam.server.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sodam.server.model.Agent;
import dev.sodam.server.store.AuditEntry;
import dev.sodam.server.store.StoreException;
import dev.sodam.server.store.StoreTx;
import dev.sodam.server.util.Json;
import java.time.Instant;

/**
 * Writes audit rows. Called inside the unit of work that makes the change, so the change and its
 * row are committed together or not at all. Callers pass JSON-able views that never contain
 * password hashes or tokens.
 */
public final class Audit {
    private Audit() {
    }

    /**
     * @param actor  who acted; null for the system (retention job)
     * @param siteId the site the object belongs to, or null for installation-wide objects
     * @param action e.g. {@code user.create}, {@code faq.update}
     */
    public static void write(StoreTx tx, Instant at, Agent actor, String siteId, String action, String targetType,
                             String targetId, Object before, Object after) {
        write(tx, at, actor == null ? null : actor.id(), actor == null ? "system" : actor.name(), siteId, action,
                targetType, targetId, before, after);
    }

    /** The same, for an actor that is no account (an API key: its id and name). */
    public static void write(StoreTx tx, Instant at, String actorId, String actorName, String siteId, String action,
                             String targetType, String targetId, Object before, Object after) {
        tx.insertAudit(new AuditEntry(0, at, actorId, actorName, siteId, action, targetType, targetId, json(before),
                json(after)));
    }

    private static String json(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot write an audit snapshot", e);
        }
    }
}
