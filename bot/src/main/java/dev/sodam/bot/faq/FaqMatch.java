package dev.sodam.bot.faq;

/**
 * A label found by retrieval with its normalised similarity in [0, 1] (1 = the question is one of
 * the label's phrasings, word for word after analysis).
 */
public record FaqMatch(String label, double similarity) {
}
