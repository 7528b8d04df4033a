package dev.sodam.server.faq;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.server.store.StoredFaq;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CSV export read back by the import gives every text as it was, whatever it starts with. */
class FaqFilesRoundTripTest {

    /**
     * Regression: an answer starting {@code '=} was exported unguarded and imported as {@code =…}: the
     * import's undoing of the formula guard took the text's own quote.
     */
    @ParameterizedTest
    @ValueSource(strings = {"'=이건 따옴표 등호로 시작", "=1+1 계산되나요?", "- 아니요", "+82 10", "@멘션", "''=두 따옴표",
        "'그냥 따옴표", "'", "''", "보통 답변"})
    void aCellComesBackAsItWasWritten(String text) {
        StoredFaq entry = new StoredFaq("ko-round-trip", "ko", text, List.of(text, "두 번째 " + text), text, List.of(),
                true, 3, Instant.EPOCH, null, null, null, null);
        FaqFiles.Parsed parsed = FaqFiles.read(FaqFiles.csv(List.of(entry)), "csv");
        assertThat(parsed.problems()).isEmpty();
        FaqFiles.Row row = parsed.rows().get(0);
        assertThat(row.question()).isEqualTo(text);
        assertThat(row.answer()).isEqualTo(text);
        assertThat(row.paraphrases()).containsExactly(text, "두 번째 " + text);
    }
}
