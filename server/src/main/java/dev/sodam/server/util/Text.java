package dev.sodam.server.util;

/**
 * Text lengths as people count them. Every limit stated in characters (an FAQ answer's 2,000, a message's
 * 4,000) counts code points, as the WebSocket {@code text} limit always has: {@link String#length()}
 * counts UTF-16 units, so an emoji or a rare Hanja outside the BMP counted twice and 1,001 emoji were
 * refused as "2002 characters".
 */
public final class Text {
    private Text() {
    }

    /** The number of characters (code points) in {@code text}. */
    public static int chars(String text) {
        return text.codePointCount(0, text.length());
    }

    /** The first {@code max} characters of {@code text}, never splitting a surrogate pair. */
    public static String truncate(String text, int max) {
        return chars(text) <= max ? text : text.substring(0, text.offsetByCodePoints(0, max));
    }
}
