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
 * @param team          the team the entry belongs to (a team id), or null
 * @param translation   the id of the same entry in the other language, or null; both entries name each other
 */
public record StoredFaq(String id, String locale, String question, List<String> paraphrases, String answer,
                        List<String> tags, boolean enabled, long version, Instant updatedAt, String updatedBy,
                        String updatedByName, String team, String translation) {
    public StoredFaq {
        Objects.requireNonNull(id, "id");
        paraphrases = paraphrases == null ? List.of() : List.copyOf(paraphrases);
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** An entry of no team and without a linked translation. */
    public StoredFaq(String id, String locale, String question, List<String> paraphrases, String answer,
                     List<String> tags, boolean enabled, long version, Instant updatedAt, String updatedBy,
                     String updatedByName) {
        this(id, locale, question, paraphrases, answer, tags, enabled, version, updatedAt, updatedBy, updatedByName,
                null, null);
    }

    /** This entry linked to {@code other} (null: to none) as a new version. */
    public StoredFaq withTranslation(String other, long newVersion, Instant now, String by, String byName) {
        return new StoredFaq(id, locale, question, paraphrases, answer, tags, enabled, newVersion, now, by, byName,
                team, other);
    }

    /** What the bot is trained on. */
    public FaqEntry toEntry() {
        return new FaqEntry(id, locale, question, paraphrases, answer, tags);
    }
}
