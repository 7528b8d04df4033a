package dev.sodam.server.model;

import java.time.Instant;
import java.util.Locale;

/**
 * What a visitor said about the service: 👍/👎 on one bot answer ({@link Kind#THUMBS}, score 1 or 0,
 * {@code messageId} set), satisfaction once the chat is resolved ({@link Kind#CSAT}, 1..5) or the
 * site's NPS question ({@link Kind#NPS}, 0..10). {@code comment} is optional free text.
 */
public record Feedback(String id, String siteId, String conversationId, String messageId, Kind kind, int score,
                       String comment, Instant createdAt) {

    /** The three kinds of feedback, with the score range each allows. */
    public enum Kind {
        THUMBS(0, 1), CSAT(1, 5), NPS(0, 10);

        private final int min;
        private final int max;

        Kind(int min, int max) {
            this.min = min;
            this.max = max;
        }

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean allows(int score) {
            return score >= min && score <= max;
        }

        public int min() {
            return min;
        }

        public int max() {
            return max;
        }

        /** The kind named on the wire, or null. */
        public static Kind fromWire(String wire) {
            for (Kind kind : values()) {
                if (kind.wire().equals(wire)) {
                    return kind;
                }
            }
            return null;
        }
    }
}
