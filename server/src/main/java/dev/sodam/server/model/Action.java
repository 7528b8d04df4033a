package dev.sodam.server.model;

/** A button attached to a bot message, such as {@code handoff} (상담원 연결). */
public record Action(String id, String label) {

    public static Action handoff(String locale) {
        return new Action("handoff", "ko".equals(locale) ? "상담원 연결" : "Talk to a person");
    }
}
