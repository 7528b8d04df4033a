package dev.sodam.server.model;

import java.time.Instant;

/** A visitor of a site, known by the hash of the opaque token the server issued. */
public record Visitor(String id, String siteId, String name, String locale, Instant createdAt) {
}
