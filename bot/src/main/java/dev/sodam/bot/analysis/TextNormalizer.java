package dev.sodam.bot.analysis;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The normalisation step every analyzer starts with: NFKC, lower case, URLs and emoji removed,
 * runs of one repeated character cut to two ({@code ㅋㅋㅋㅋ → ㅋㅋ}, {@code ???? → ??},
 * {@code plzzzzz → plzz}) and whitespace collapsed. Stateless and thread-safe.
 */
public final class TextNormalizer {

    private static final Pattern URL = Pattern.compile(
            "(?i)\\b(?:https?://|www\\.)[^\\s<>\"]+|\\b[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+\\b");
    private static final int MAX_RUN = 2;

    private TextNormalizer() {
    }

    /** Normalises {@code text}; null becomes the empty string. */
    public static String normalize(String text) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        String t = Normalizer.normalize(text, Normalizer.Form.NFKC);
        t = URL.matcher(t).replaceAll(" ");
        t = t.toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(t.length());
        int prev = -1;
        int run = 0;
        boolean lastSpace = true;
        for (int i = 0; i < t.length(); ) {
            int cp = t.codePointAt(i);
            i += Character.charCount(cp);
            if (isEmoji(cp)) {
                cp = ' ';
            }
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                if (!lastSpace) {
                    out.append(' ');
                }
                lastSpace = true;
                prev = -1;
                run = 0;
                continue;
            }
            if (cp == prev) {
                if (++run > MAX_RUN) {
                    continue;
                }
            } else {
                prev = cp;
                run = 1;
            }
            out.appendCodePoint(cp);
            lastSpace = false;
        }
        int len = out.length();
        if (len > 0 && out.charAt(len - 1) == ' ') {
            out.setLength(len - 1);
        }
        return out.toString();
    }

    /** Emoji, pictographs, their modifiers and joiners, and other symbol noise. */
    static boolean isEmoji(int cp) {
        if (cp == 0x200D || cp == 0x20E3 || (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0020 && cp <= 0xE007F)) {
            return true;
        }
        if (cp >= 0x1F000 && cp <= 0x1FAFF) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.OTHER_SYMBOL || type == Character.SURROGATE || type == Character.PRIVATE_USE;
    }

    /** True when at least {@code share} of the letters are Hangul; false when there are no letters. */
    public static boolean mostlyHangul(String text, double share) {
        int letters = 0;
        int hangul = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLetter(cp)) {
                letters++;
                if (Character.UnicodeScript.of(cp) == Character.UnicodeScript.HANGUL) {
                    hangul++;
                }
            }
        }
        return letters > 0 && hangul >= share * letters;
    }

    /** Whether the text has any letter at all. */
    public static boolean hasLetters(String text) {
        return text.codePoints().anyMatch(Character::isLetter);
    }
}
