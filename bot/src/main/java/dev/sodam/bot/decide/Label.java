package dev.sodam.bot.decide;

import java.util.Objects;
import java.util.Set;

/**
 * One label of a locale as the responder sees it.
 *
 * @param id    faqId or intent name
 * @param kind  what the label stands for
 * @param title the FAQ's canonical question (null for intents)
 * @param reply the FAQ answer or the small-talk reply in this locale (null for handoff)
 * @param negated the events its phrasings negate ({@code LocaleAnalysis.Analyzed#negated}: "로그인이 안 돼요" →
 *              로그인되, "환불 아직 안 들어왔어요" → 들어오), so a question that reports such an event as not having
 *              happened is one it speaks of
 */
public record Label(String id, LabelKind kind, String title, String reply, Set<String> negated) {
    public Label {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        negated = Set.copyOf(negated);
    }

    /** A label whose phrasings negate nothing. */
    public Label(String id, LabelKind kind, String title, String reply) {
        this(id, kind, title, reply, Set.of());
    }
}
