package dev.sodam.server.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The conversation preview is made without a regex over the whole text (it runs on the domain thread
 * for every message); it must stay exactly what the regex made: stripped, whitespace runs as one
 * space, cut to 120 characters with an ellipsis.
 */
class PreviewTest {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    /** The definition the preview had before, kept here as the reference. */
    private static String byRegex(String text) {
        String flat = WHITESPACE.matcher(text.strip()).replaceAll(" ");
        return flat.length() <= 120 ? flat : flat.substring(0, 119) + "…";
    }

    @Test
    void shortLongAndWhitespaceOnlyTexts() {
        assertThat(ConversationService.preview("  배송은\n\n 언제\t와요?  ")).isEqualTo("배송은 언제 와요?");
        assertThat(ConversationService.preview(" \u2003 ")).isEmpty();
        String long121 = "가".repeat(121);
        assertThat(ConversationService.preview(long121)).isEqualTo("가".repeat(119) + "…");
        assertThat(ConversationService.preview("가".repeat(120))).isEqualTo("가".repeat(120));
    }

    @Test
    void sameAsTheRegexOnRandomTexts() {
        Random random = new Random(8);
        char[] alphabet = {'a', '가', ' ', '\t', '\n', '\r', '\f', 0x0B, '\u00A0', '\u2003', '\u3000', '.', '😀'};
        for (int n = 0; n < 20_000; n++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(260);
            for (int i = 0; i < length; i++) {
                text.append(alphabet[random.nextInt(alphabet.length)]);
            }
            assertThat(ConversationService.preview(text.toString())).as("%s", text).isEqualTo(byRegex(text.toString()));
        }
    }
}
