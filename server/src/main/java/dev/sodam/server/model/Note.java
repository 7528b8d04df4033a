package dev.sodam.server.model;

import java.time.Instant;

/** A private note on a conversation: seen by agents only, never part of the visitor's messages. */
public record Note(String id, String conversationId, Author from, String text, Instant ts) {
}
