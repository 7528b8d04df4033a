package dev.sodam.bot.decide;

import java.util.Objects;

/**
 * One label of a locale as the responder sees it.
 *
 * @param id    faqId or intent name
 * @param kind  what the label stands for
 * @param title the FAQ's canonical question (null for intents)
 * @param reply the FAQ answer or the small-talk reply in this locale (null for handoff)
 */
public record Label(String id, LabelKind kind, String title, String reply) {
    public Label {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
    }
}
