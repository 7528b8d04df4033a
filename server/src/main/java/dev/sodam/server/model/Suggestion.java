package dev.sodam.server.model;

/** A FAQ question the bot offers as a button. */
public record Suggestion(String faqId, String question) {
}
