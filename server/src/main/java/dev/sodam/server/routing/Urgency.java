package dev.sodam.server.routing;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether a visitor waiting for a person should be served first: their messages read as angry or
 * distressed (Korean or English, profanity included), or the bot failed them repeatedly. Deliberately
 * a short, readable list rather than a model: a wrong flag costs little (someone is served a bit
 * sooner), and support leads can read and extend it.
 */
public final class Urgency {
    /**
     * Stems, matched inside words after the same normalisation as the text (NFKC turns consonant-only
     * spellings such as ㅅㅂ into conjoining jamo) and with spaces removed (Korean is often typed without them).
     */
    private static final List<String> KOREAN = normalised(
            // Not a bare "화나": written without spaces, "대화나눠요" (let's talk) would match.
            "화났", "화나요", "화나네", "화남", "화가나", "짜증", "최악", "장난하", "장난해", "사기", "고소", "신고할", "소비자원", "어이없", "어이가없",
            "몇번째", "몇번이나", "언제까지", "답답", "황당", "열받", "빡치", "환불안해", "책임지", "실망",
            "씨발", "시발", "ㅅㅂ", "ㅆㅂ", "개새", "병신", "ㅂㅅ", "존나", "ㅈㄴ", "미친");

    private static List<String> normalised(String... stems) {
        return java.util.Arrays.stream(stems).map(Urgency::flat).map(t -> t.replaceAll("\\s+", "")).toList();
    }

    private static String flat(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    }
    private static final Pattern ENGLISH = Pattern.compile(
            "\\b(angry|furious|terrible|worst|awful|scam|fraud|ridiculous|unacceptable|disgusting|lawyer|sue|"
                    + "complain(t)?|refund now|wtf|fuck\\w*|shit\\w*|damn|useless|fed up|sick of|still waiting)\\b");
    /** Three or more exclamation marks in a row, or a long all-caps English shout. */
    private static final Pattern SHOUTING = Pattern.compile("[!！]{3,}|\\b[A-Z]{5,}\\b");
    private static final int BOT_FAILURES = 2;

    private Urgency() {
    }

    /**
     * @param visitorTexts the visitor's recent messages
     * @param botMisses    how many times the bot offered suggestions instead of an answer
     */
    public static boolean urgent(List<String> visitorTexts, int botMisses) {
        return signals(visitorTexts, botMisses).urgent();
    }

    /** Why a visitor is (or is not) served first: shown to the agent in the context packet. */
    public record Signals(boolean distressed, int botMisses, boolean urgent) {
        /** {@code negative} when the visitor sounded angry or distressed, else {@code neutral}. */
        public String sentiment() {
            return distressed ? "negative" : "neutral";
        }
    }

    /** The signals in a conversation's recent messages: the visitor's texts, and bot replies that only offered suggestions. */
    public static Signals signalsOf(List<dev.sodam.server.model.Message> recent) {
        List<String> visitorTexts = recent.stream()
                .filter(m -> m.from().kind() == dev.sodam.server.model.Author.Kind.VISITOR)
                .map(dev.sodam.server.model.Message::text).toList();
        int botMisses = (int) recent.stream()
                .filter(m -> m.from().kind() == dev.sodam.server.model.Author.Kind.BOT && !m.suggestions().isEmpty())
                .count();
        return signals(visitorTexts, botMisses);
    }

    /** The signals behind {@link #urgent}: distress in any of the texts, and the bot's misses. */
    public static Signals signals(List<String> visitorTexts, int botMisses) {
        boolean distressed = visitorTexts.stream().anyMatch(Urgency::distressed);
        return new Signals(distressed, botMisses, distressed || botMisses >= BOT_FAILURES);
    }

    static boolean distressed(String text) {
        if (SHOUTING.matcher(text).find()) {
            return true;
        }
        String flat = flat(text);
        String unspaced = flat.replaceAll("\\s+", "");
        for (String stem : KOREAN) {
            if (unspaced.contains(stem)) {
                return true;
            }
        }
        return ENGLISH.matcher(flat).find();
    }
}
