package dev.sodam.server.model;

import java.time.Instant;

/** A page of the site the visitor had open, as their widget reported it (origin and path only). */
public record PageView(String url, String title, Instant at) {
}
