package dev.sodam.bot;

/** A FAQ entry that matched a question, with its combined score in [0, 1]. */
public record Candidate(String faqId, String question, double score) {
}
