package dev.sodam.bot.decide;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Explicit requests for a person that hand off whatever the classifier thinks. Matched on the
 * normalised text (lower case, NFKC); Korean triggers also on the text without spaces.
 */
public final class HandoffTriggers {

    private static final List<String> KO = List.of(
            "상담원", "상담사", "상담직원", "사람연결", "사람이랑", "사람하고", "사람과통화", "사람한테",
            "직원연결", "직원이랑", "직원분", "매니저연결", "담당자연결", "담당자랑", "전화상담", "통화하고싶");
    private static final Pattern EN = Pattern.compile(
            "\\b(human|humans|agent|agents|real person|live person|a person|operator|representative|"
                    + "customer service rep|live chat|someone real|speak to someone|talk to someone|"
                    + "real people|staff member)\\b");

    private HandoffTriggers() {
    }

    /** True when {@code normalizedText} asks for a person. */
    public static boolean matches(String normalizedText) {
        String compact = normalizedText.replaceAll("\\s+", "");
        for (String k : KO) {
            if (compact.contains(k)) {
                return true;
            }
        }
        return EN.matcher(normalizedText).find();
    }
}
