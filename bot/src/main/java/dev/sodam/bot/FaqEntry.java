package dev.sodam.bot;

import java.util.List;
import java.util.Objects;

/**
 * One FAQ entry the bot can answer: a canonical question, its paraphrases and the answer.
 *
 * @param id          stable id, e.g. {@code ko-delivery-time}
 * @param locale      {@code ko} or {@code en}
 * @param question    the canonical question shown to visitors as a suggestion
 * @param paraphrases other ways visitors ask the same thing (used for retrieval and training)
 * @param answer      the answer text (plain text, never HTML)
 * @param tags        topic tags such as {@code delivery}; routing maps them to teams later
 */
public record FaqEntry(String id, String locale, String question, List<String> paraphrases,
                       String answer, List<String> tags) {
    public FaqEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(locale, "locale");
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(answer, "answer");
        paraphrases = paraphrases == null ? List.of() : List.copyOf(paraphrases);
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
