package dev.sodam.server.model;

import java.time.Instant;

/** A visitor of a site, known by the hash of the opaque token the server issued. */
public record Visitor(String id, String siteId, String name, String locale, Instant createdAt) {
    public Visitor {
        // Every connected visitor holds one: a few site keys and locales shared by all of them instead of
        // copies parsed from each hello or row (interned strings are collected when unused).
        siteId = siteId == null ? null : siteId.intern();
        locale = locale == null ? null : locale.intern();
    }
}
