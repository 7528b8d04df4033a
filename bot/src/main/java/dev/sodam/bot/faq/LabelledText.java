package dev.sodam.bot.faq;

import java.util.Objects;

/**
 * One phrasing to index or to train on: a FAQ question or paraphrase labelled with its faqId, or a
 * small-talk example labelled with its intent name.
 */
public record LabelledText(String label, String text) {
    public LabelledText {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(text, "text");
    }
}
