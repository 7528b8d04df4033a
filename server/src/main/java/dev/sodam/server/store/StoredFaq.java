package dev.sodam.server.store;

import dev.sodam.bot.FaqEntry;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An FAQ entry as administered: the bot's {@link FaqEntry} plus whether the bot may use it, its
 * optimistic-concurrency version, and who changed it last.
 *
 * @param updatedBy     agent id of the last editor, or null (seed)
 * @param updatedByName that agent's name when known, or null
 */
public record StoredFaq(String id, String locale, String question, List<String> paraphrases, String answer,
                        List<String> tags, boolean enabled, long version, Instant updatedAt, String updatedBy,
                        String updatedByName) {
    public StoredFaq {
        Objects.requireNonNull(id, "id");
        paraphrases = paraphrases == null ? List.of() : List.copyOf(paraphrases);
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** What the bot is trained on. */
    public FaqEntry toEntry() {
        return new FaqEntry(id, locale, question, paraphrases, answer, tags);
    }
}
