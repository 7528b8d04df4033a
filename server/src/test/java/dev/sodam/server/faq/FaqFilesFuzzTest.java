package dev.sodam.server.faq;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.conversation.ErrorCode;

/**
 * Coverage-guided fuzzing of the FAQ import (CSV from Excel in any of its encodings, or JSON): any
 * uploaded bytes give rows and line-numbered problems, or a 400 for an undecodable file; never
 * another exception, and never a row without its required fields.
 */
class FaqFilesFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void anyFileIsRowsAndProblemsOrA400(FuzzedDataProvider data) {
        String format = data.pickValue(new String[] {"csv", "json", ""});
        byte[] bytes = data.consumeRemainingAsBytes();
        try {
            FaqFiles.Parsed parsed = FaqFiles.read(bytes, format.isEmpty() ? null : format);
            assertThat(parsed.rows().size() + parsed.problems().size()).isPositive();
            for (FaqFiles.Row row : parsed.rows()) {
                assertThat(row.line()).isPositive();
            }
        } catch (ChatException refused) {
            assertThat(refused.code()).isEqualTo(ErrorCode.BAD_REQUEST);
        }
    }
}
