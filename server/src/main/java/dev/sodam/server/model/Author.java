package dev.sodam.server.model;

/** Who wrote a message: the {@code from} object of the wire protocol. */
public record Author(Kind kind, String id, String name) {

    /** Kinds of authors, with their wire names. */
    public enum Kind {
        VISITOR, BOT, AGENT, SYSTEM;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Kind fromWire(String wire) {
            return valueOf(wire.toUpperCase(java.util.Locale.ROOT));
        }
    }

    public static Author bot(String locale) {
        return new Author(Kind.BOT, "bot", "ko".equals(locale) ? "소담봇" : "Sodam bot");
    }

    public static Author system(String locale) {
        return new Author(Kind.SYSTEM, "system", "ko".equals(locale) ? "소담" : "Sodam");
    }
}
