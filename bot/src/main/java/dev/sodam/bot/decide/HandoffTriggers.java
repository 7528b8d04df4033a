package dev.sodam.bot.decide;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Explicit requests for a person that hand off whatever the classifier thinks. Matched on the
 * normalised text (lower case, NFKC); Korean triggers also on the text without spaces.
 *
 * <p>English has two kinds. Unambiguous phrases ("real person", "live agent", "customer service
 * rep") always trigger. Words that also occur in ordinary questions ("agent", "operator", "a person",
 * "human", "representative", "someone") trigger only in a request ("talk to a human", "connect me
 * with an agent", "I want a real person") or as (almost) the whole message ("agent please",
 * "operator!"), so "how do I become a travel agent" or "is the tour operator licensed" do not.
 */
public final class HandoffTriggers {

    private static final List<String> KO = List.of(
            "상담원", "상담사", "상담직원", "사람연결", "사람이랑", "사람하고", "사람과통화", "사람한테",
            "직원연결", "직원이랑", "직원분", "매니저연결", "담당자연결", "담당자랑", "전화상담", "통화하고싶");

    private static final Pattern EN_STRONG = Pattern.compile(
            "\\b(real person|live person|real human|live agent|human agent|customer service rep(resentative)?|"
                    + "live chat|someone real|real people|actual person|speak to someone|talk to someone)\\b");

    private static final String PERSON = "(humans?|persons?|agents?|operators?|representatives?|reps?|someone|"
            + "somebody|people|staff|support staff)";

    /** verb [me] [to|with|through to] [a|an|the|some|real|live|actual|customer service]* PERSON */
    private static final Pattern EN_REQUEST = Pattern.compile(
            "\\b(talk|talking|speak|speaking|chat|chatting|connect|transfer|put|get|need|want|reach|call|contact)"
                    + "(\\s+me)?(\\s+(to|with|through to|through))?"
                    + "(\\s+(a|an|the|some|real|live|actual|customer|service|support))*\\s+" + PERSON + "\\b");

    /** The whole message is the request: "agent", "agent please", "a human!", "operator now". */
    private static final Pattern EN_ALONE = Pattern.compile(
            "^(i\\s+want\\s+|give\\s+me\\s+)?(a|an|the)?\\s*" + PERSON
                    + "(\\s+(please|pls|plz|now|asap))?[\\s\\p{P}]*$");

    /** Compiled once: {@code String.replaceAll} compiled its pattern on every question. */
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private HandoffTriggers() {
    }

    /** True when {@code normalizedText} asks for a person. */
    public static boolean matches(String normalizedText) {
        String compact = WHITESPACE.matcher(normalizedText).replaceAll("");
        for (String k : KO) {
            if (compact.contains(k)) {
                return true;
            }
        }
        if (!hasLatinLetter(normalizedText)) {
            return false; // every English pattern needs a word of Latin letters: skip three regex scans
        }
        String t = normalizedText.strip();
        return EN_STRONG.matcher(t).find() || EN_REQUEST.matcher(t).find() || EN_ALONE.matcher(t).matches();
    }

    private static boolean hasLatinLetter(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                return true;
            }
        }
        return false;
    }
}
