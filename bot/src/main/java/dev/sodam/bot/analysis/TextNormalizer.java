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
        return normalize(text, null).text();
    }

    /**
     * The normalised text and, for every character of it, the offset in the original text it came
     * from, so tokens of the normalised text map back to the original ({@link NormalizingCharFilter}).
     *
     * @param text     the original text (null becomes the empty string)
     * @param origin   {@code origin[i]} = offset in {@code text} of the normalised text's character
     *                 {@code i}; {@code origin[length]} = end of the last character's source; null
     *                 when the caller needs only the text
     */
    record Mapped(String text, int[] origin) {
    }

    /** {@link #normalize(String)} with the offset map of {@link Mapped}. */
    static Mapped normalizeWithOffsets(String text) {
        String t = text == null ? "" : text;
        return normalize(t, new int[0]);
    }

    /**
     * One implementation for both: each step (NFKC, URL removal, lower case, the character pass)
     * carries the origin of every character along when {@code wantOrigin} is not null.
     */
    private static Mapped normalize(String text, int[] wantOrigin) {
        boolean map = wantOrigin != null;
        // 1. NFKC (may change the length: U+0676 becomes two characters, jamo compose into syllables).
        String t = Normalizer.normalize(text, Normalizer.Form.NFKC);
        int[] m = map ? nfkcOrigin(text, t) : null;
        // 2. URLs and e-mail addresses become one space.
        java.util.regex.Matcher url = URL.matcher(t);
        if (url.find()) {
            StringBuilder sb = new StringBuilder(t.length());
            IntList mm = map ? new IntList(t.length() + 1) : null;
            int last = 0;
            do {
                sb.append(t, last, url.start()).append(' ');
                if (map) {
                    mm.addRange(m, last, url.start());
                    mm.add(m[url.start()]);
                }
                last = url.end();
            } while (url.find());
            sb.append(t, last, t.length());
            if (map) {
                mm.addRange(m, last, t.length() + 1);
                m = mm.toArray();
            }
            t = sb.toString();
        }
        // 3. Lower case (İ becomes two characters).
        String lower = t.toLowerCase(Locale.ROOT);
        if (map && lower.length() != t.length()) {
            m = lowerCaseOrigin(t, lower, m);
        }
        t = lower;
        // 4. Emoji out, whitespace collapsed, runs cut to two.
        StringBuilder out = new StringBuilder(t.length());
        IntList origin = map ? new IntList(t.length() + 1) : null;
        int prev = -1;
        int run = 0;
        boolean lastSpace = true;
        int lastEnd = 0;
        for (int i = 0; i < t.length(); ) {
            int start = i;
            int cp = t.codePointAt(i);
            i += Character.charCount(cp);
            if (isEmoji(cp)) {
                cp = ' ';
            }
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                if (!lastSpace) {
                    out.append(' ');
                    if (map) {
                        origin.add(m[start]);
                    }
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
            if (map) {
                for (int k = start; k < i; k++) {
                    origin.add(m[k]);
                }
                lastEnd = m[i];
            }
            lastSpace = false;
        }
        int len = out.length();
        if (len > 0 && out.charAt(len - 1) == ' ') {
            out.setLength(len - 1);
            if (map) {
                origin.size--;
            }
        }
        if (!map) {
            return new Mapped(out.toString(), null);
        }
        origin.add(lastEnd);
        return new Mapped(out.toString(), origin.toArray());
    }

    /**
     * Origins of NFKC's output: the text is cut into clusters (a character with the combining marks
     * and conjoining jamo after it) and each cluster normalised alone, so every output character
     * maps to its cluster's start. When that does not reproduce NFKC of the whole text (a
     * composition across clusters this rule did not foresee), positions are spread proportionally:
     * still inside the text and never going back.
     */
    private static int[] nfkcOrigin(String text, String normalized) {
        int[] origin = new int[normalized.length() + 1];
        if (normalized.equals(text)) {
            for (int i = 0; i <= text.length(); i++) {
                origin[i] = i;
            }
            return origin;
        }
        StringBuilder rebuilt = new StringBuilder(normalized.length());
        int o = 0;
        for (int i = 0; i < text.length(); ) {
            int start = i;
            i += Character.charCount(text.codePointAt(i));
            while (i < text.length() && joinsPrevious(text.codePointAt(i))) {
                i += Character.charCount(text.codePointAt(i));
            }
            String part = Normalizer.normalize(text.substring(start, i), Normalizer.Form.NFKC);
            rebuilt.append(part);
            for (int k = 0; k < part.length() && o < normalized.length(); k++) {
                origin[o++] = start;
            }
        }
        if (!rebuilt.toString().equals(normalized)) {
            for (int k = 0; k < normalized.length(); k++) {
                origin[k] = (int) ((long) k * text.length() / normalized.length());
            }
        }
        origin[normalized.length()] = text.length();
        return origin;
    }

    /** Combining marks, joiners, variation selectors and medial/final conjoining jamo attach to what precedes them. */
    private static boolean joinsPrevious(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK || cp == 0x200D || (cp >= 0xFE00 && cp <= 0xFE0F)
                || (cp >= 0x1160 && cp <= 0x11FF) || (cp >= 0xD7B0 && cp <= 0xD7FF);
    }

    /** Origins after a lower-casing that changed the length: each code point's lower case, measured alone. */
    private static int[] lowerCaseOrigin(String t, String lower, int[] m) {
        IntList out = new IntList(lower.length() + 1);
        for (int i = 0; i < t.length(); ) {
            int start = i;
            int cp = t.codePointAt(i);
            i += Character.charCount(cp);
            int n = new String(Character.toChars(cp)).toLowerCase(Locale.ROOT).length();
            for (int k = 0; k < n; k++) {
                out.add(m[start]);
            }
        }
        if (out.size != lower.length()) {
            // Context-dependent lower case of a different length: keep the map proportional.
            out = new IntList(lower.length() + 1);
            for (int k = 0; k < lower.length(); k++) {
                out.add(m[(int) ((long) k * t.length() / lower.length())]);
            }
        }
        out.add(m[t.length()]);
        return out.toArray();
    }

    /** A growable int array (the offset maps). */
    private static final class IntList {
        int[] a;
        int size;

        IntList(int capacity) {
            a = new int[Math.max(4, capacity)];
        }

        void add(int v) {
            if (size == a.length) {
                a = java.util.Arrays.copyOf(a, size * 2);
            }
            a[size++] = v;
        }

        void addRange(int[] src, int from, int to) {
            for (int k = from; k < to; k++) {
                add(src[k]);
            }
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(a, size);
        }
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

    /**
     * True when at least {@code share} of the words (runs of letters) are Hangul words (hold a Hangul
     * letter); false when there are no letters. Words, not letters: a Korean word is two or three
     * syllables where an English one is five or more letters, so by letters a Korean question naming a
     * product in Latin letters ("Samsung Galaxy Buds2 Pro 환불 언제 돼요?": 26 % Hangul letters, 3 of 7
     * words) was read as English, whose model knows no Korean word, and handed off.
     */
    public static boolean mostlyHangul(String text, double share) {
        int words = 0;
        int hangul = 0;
        boolean inWord = false;
        boolean hangulWord = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLetter(cp)) {
                if (!inWord) {
                    inWord = true;
                    hangulWord = false;
                    words++;
                }
                if (!hangulWord && Character.UnicodeScript.of(cp) == Character.UnicodeScript.HANGUL) {
                    hangulWord = true;
                    hangul++;
                }
            } else {
                inWord = false;
            }
        }
        return words > 0 && hangul >= share * words;
    }

    /** Whether the text has a letter or a digit: anything to read (emoji, punctuation, a URL alone have none). */
    public static boolean hasLettersOrDigits(String text) {
        return text.codePoints().anyMatch(Character::isLetterOrDigit);
    }

    /** Whether the text has any letter at all. */
    public static boolean hasLetters(String text) {
        return text.codePoints().anyMatch(Character::isLetter);
    }
}
