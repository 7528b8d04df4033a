package dev.sodam.server.privacy;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks personal numbers in a text before it is stored, so neither the database nor the console
 * ever holds them. Built in, in this order:
 * <ol>
 *   <li>resident (and alien) registration numbers {@code 900101-1234567}: six digits that are a real
 *       date, a dash or space, and seven digits whose first is 1–8 → {@code ******-*******};</li>
 *   <li>card numbers: 13–19 digits, optionally grouped by single dashes or spaces, that pass the
 *       Luhn check → every digit but the last four is masked ({@code ****-****-****-3456});</li>
 *   <li>Korean phone numbers: mobile {@code 010-1234-5678} (also 011/016–019, without separators,
 *       with dots or spaces, or {@code +82 10-…}) and area numbers ({@code 02-123-4567},
 *       {@code 031-1234-5678}) → the middle part masked ({@code 010-****-5678}).</li>
 * </ol>
 * Near misses stay: an impossible date, a digit run that is too long or too short or glued to
 * other digits, a card-length number failing Luhn. Configured patterns follow: every letter and
 * digit of a match becomes {@code *}. Immutable and thread-safe.
 */
public final class Masker {
    private static final Pattern RRN = Pattern.compile("(?<![\\d-])(\\d{2})(\\d{2})(\\d{2})[- ]([1-8])\\d{6}(?![\\d-])");
    private static final Pattern CARD = Pattern.compile("(?<![\\d-])\\d(?:[ -]?\\d){12,18}(?![\\d-])");
    private static final Pattern PHONE = Pattern.compile(
            "(?<![\\d+-])(?:(\\+82[ -]?)(1[016789])|(01[016789])|(02|0[3-6][1-5]))([ .-]?)(\\d{3,4})([ .-]?)(\\d{4})(?![\\d-])");

    /**
     * The fewest ASCII digits any built-in pattern matches: an area number, {@code 02-123-4567} (a
     * registration or card number has 13, a mobile 10). A text with fewer — nearly every chat line — is
     * left to the configured patterns only: the three scans, a lookbehind tried at every character,
     * were 3.7 % of the server's CPU per relayed message in scenario c (docs/benchmarks.md).
     */
    static final int FEWEST_DIGITS_OF_A_BUILT_IN = 9;

    private final List<Pattern> custom;

    public Masker(List<Pattern> custom) {
        this.custom = List.copyOf(custom);
    }

    public static Masker builtIn() {
        return new Masker(List.of());
    }

    public String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = asciiDigits(text, FEWEST_DIGITS_OF_A_BUILT_IN) < FEWEST_DIGITS_OF_A_BUILT_IN ? text : builtIns(text);
        for (Pattern pattern : custom) {
            out = replace(out, pattern, m -> m.group().replaceAll("[\\p{L}\\p{N}]", "*"));
        }
        return out;
    }

    /** ASCII digits in {@code text}, counted up to {@code enough} (the built-ins' {@code \d} is ASCII only). */
    static int asciiDigits(String text, int enough) {
        int digits = 0;
        for (int i = 0; i < text.length() && digits < enough; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
            }
        }
        return digits;
    }

    /** The built-in patterns, whatever the text. */
    static String builtIns(String text) {
        String out = replace(text, RRN, m -> isDate(m.group(1), m.group(2), m.group(3), m.group(4).charAt(0))
                ? "******" + m.group().charAt(6) + "*******" : null);
        out = replace(out, CARD, m -> {
            String digits = m.group().replaceAll("[ -]", "");
            return luhn(digits) ? keepLast(m.group(), 4) : null;
        });
        out = replace(out, PHONE, m -> {
            String prefix = m.group(1) != null ? m.group(1) + m.group(2) : m.group(3) != null ? m.group(3) : m.group(4);
            boolean separated = !m.group(5).isEmpty() || !m.group(7).isEmpty();
            // Glued area numbers (0212345678) look like any other digit run; only mobiles are safe to read so.
            if (!separated && m.group(4) != null) {
                return null;
            }
            return prefix + m.group(5) + "*".repeat(m.group(6).length()) + m.group(7) + m.group(8);
        });
        return out;
    }

    @FunctionalInterface
    private interface Replacement {
        /** The replacement, or null to leave the match as it is. */
        String of(Matcher match);
    }

    private static String replace(String text, Pattern pattern, Replacement replacement) {
        Matcher m = pattern.matcher(text);
        StringBuilder out = null;
        int last = 0;
        while (m.find()) {
            String with = replacement.of(m);
            if (with == null || m.end() == m.start()) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            out.append(text, last, m.start()).append(with);
            last = m.end();
        }
        return out == null ? text : out.append(text, last, text.length()).toString();
    }

    /** The birth date is real; the code digit gives the century (1, 2, 5, 6: 1900s; 3, 4, 7, 8: 2000s). */
    private static boolean isDate(String yy, String mm, String dd, char code) {
        int century = "1256".indexOf(code) >= 0 ? 1900 : 2000;
        try {
            LocalDate.of(century + Integer.parseInt(yy), Integer.parseInt(mm), Integer.parseInt(dd));
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    /** The Luhn check every payment card number passes. */
    static boolean luhn(String digits) {
        if (digits.length() < 13 || digits.length() > 19) {
            return false;
        }
        int sum = 0;
        boolean twice = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }

    /** Masks every digit but the last {@code keep}, leaving separators where they were. */
    private static String keepLast(String number, int keep) {
        char[] chars = number.toCharArray();
        int seen = 0;
        for (int i = chars.length - 1; i >= 0; i--) {
            if (Character.isDigit(chars[i]) && ++seen > keep) {
                chars[i] = '*';
            }
        }
        return new String(chars);
    }

    /** Compiles configured patterns; a bad one names itself. */
    public static List<Pattern> compile(List<String> regexes) {
        List<Pattern> patterns = new ArrayList<>(regexes.size());
        for (String regex : regexes) {
            patterns.add(Pattern.compile(regex));
        }
        return patterns;
    }
}
