package dev.sodam.server.insight;

import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.faq.FaqService;
import dev.sodam.server.model.Agent;
import dev.sodam.server.store.Store;
import dev.sodam.server.store.StoredFaq;
import dev.sodam.server.util.Text;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The admin's reports over stored conversations: the gap report and drafts made from it. Reads
 * block on SQLite: call from a blocking executor.
 */
public final class Insights {
    private final Store store;
    private final FaqService faq;
    private final Clock clock;

    public Insights(Store store, FaqService faq, Clock clock) {
        this.store = store;
        this.faq = faq;
        this.clock = clock;
    }

    public Clock clock() {
        return clock;
    }

    /** The gap report; {@code locale} null for both languages. */
    public GapReport.Report gaps(ReportRange range, String siteId, String locale, double lowConfidence, double threshold) {
        if (!(lowConfidence >= 0 && lowConfidence <= 1)) {
            throw ChatException.invalid("'lowConfidence' must be within 0..1", ChatException.Reason.OUT_OF_RANGE,
                    "lowConfidence", "min", 0, "max", 1);
        }
        return gaps(range, siteId, locale, l -> lowConfidence, threshold);
    }

    /**
     * The gap report with "low confidence" per language, e.g. just above each locale's calibrated
     * answer threshold ({@link GapReport#LOW_CONFIDENCE_MARGIN}).
     */
    public GapReport.Report gaps(ReportRange range, String siteId, String locale,
                                 java.util.function.ToDoubleFunction<String> lowConfidence, double threshold) {
        if (locale != null && !FaqService.LOCALES.contains(locale)) {
            throw ChatException.invalid("unknown locale '" + locale + "'; use ko or en", ChatException.Reason.INVALID,
                    "locale", "value", Text.truncate(locale, 40));
        }
        if (!(threshold > 0 && threshold <= 1)) {
            // Above 0: at 0 every question would be one cluster.
            throw ChatException.invalid("'threshold' must be within (0, 1]", ChatException.Reason.OUT_OF_RANGE,
                    "threshold", "min", 0, "max", 1);
        }
        return store.read(tx -> GapReport.build(tx, range, siteId, locale, lowConfidence, threshold));
    }

    /** The dashboard's figures; {@code siteId} and {@code teamId} null for all. */
    public Analytics.Report analytics(ReportRange range, String siteId, String teamId) {
        return store.read(tx -> Analytics.build(tx, range, siteId, teamId));
    }

    /**
     * A disabled FAQ entry made from a gap cluster: the question, the cluster's other questions as
     * paraphrases (those the editor's rules allow), and the agent's answer, or a placeholder that
     * says to write one. Disabled, so the bot does not use it before an admin has read it.
     */
    public CompletableFuture<StoredFaq> draft(Agent by, String locale, String question, List<String> others,
                                              String answer) {
        if (question == null || question.isBlank()) {
            throw ChatException.invalid("field 'question' must not be blank", ChatException.Reason.REQUIRED, "question");
        }
        LinkedHashSet<String> paraphrases = new LinkedHashSet<>();
        for (String other : others == null ? List.<String>of() : others) {
            String line = other == null ? "" : other.strip().replaceAll("\\s+", " ");
            if (!line.isEmpty() && Text.chars(line) <= FaqService.PARAPHRASE_MAX && !line.equals(question.strip())
                    && paraphrases.size() < FaqService.PARAPHRASES_MAX) {
                paraphrases.add(line);
            }
        }
        String text = answer == null || answer.isBlank()
                ? ("en".equals(locale) ? "(Write the answer here before enabling this entry.)"
                        : "(사용하기 전에 여기에 답변을 써 주세요.)")
                : answer.strip();
        String q = question.strip();
        // Cut to the limits FaqService checks, in the characters it counts.
        q = Text.truncate(q, FaqService.QUESTION_MAX);
        text = Text.truncate(text, FaqService.ANSWER_MAX);
        return faq.create(by, new FaqService.Draft(null, locale, q, new ArrayList<>(paraphrases), text, List.of(), false));
    }
}
