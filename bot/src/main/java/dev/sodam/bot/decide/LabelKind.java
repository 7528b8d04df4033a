package dev.sodam.bot.decide;

/** What a classifier/retrieval label stands for. */
public enum LabelKind {
    /** A FAQ entry; the label is its faqId. */
    FAQ,
    /** A small-talk intent answered with a canned reply (greeting, thanks …). */
    SMALL_TALK,
    /** The visitor asks for a person. */
    HANDOFF
}
