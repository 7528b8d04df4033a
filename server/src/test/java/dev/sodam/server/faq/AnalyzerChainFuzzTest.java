package dev.sodam.server.faq;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import dev.sodam.bot.analysis.EnglishAnalysis;
import dev.sodam.bot.analysis.KoreanAnalysis;
import java.io.IOException;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;

/**
 * Coverage-guided fuzzing of the bot's analysis chains with what visitors type (any Unicode, broken
 * surrogates, jamo, emoji, very long words): every chain consumes the text without an exception,
 * and every token is non-empty with offsets that IndexWriter accepts (non-negative, start ≤ end,
 * starts never going back) and that lie inside the original text.
 *
 * <p>The first fuzzing run found offsets ending beyond the original text: NFKC turns U+0676 into
 * two characters and the normalising char filter did not correct offsets. It now maps every
 * normalised character back to its origin; the input is kept as a regression case under
 * AnalyzerChainFuzzTestInputs.
 */
class AnalyzerChainFuzzTest {
    private static final List<Analyzer> CHAINS = List.of(KoreanAnalysis.wordAnalyzer(), KoreanAnalysis.ngramAnalyzer(),
            EnglishAnalysis.wordAnalyzer(), EnglishAnalysis.ngramAnalyzer());

    @FuzzTest(maxDuration = "10s")
    void everyChainTokenisesAnyText(@NotNull String text) throws IOException {
        for (int c = 0; c < CHAINS.size(); c++) {
            String where = "chain " + c + " on " + text.codePoints().mapToObj(Integer::toHexString).toList();
            try (TokenStream tokens = CHAINS.get(c).tokenStream("text", text)) {
                CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
                OffsetAttribute offset = tokens.addAttribute(OffsetAttribute.class);
                tokens.reset();
                int lastStart = 0;
                while (tokens.incrementToken()) {
                    String token = where + " token '" + term + "' " + offset.startOffset() + "-" + offset.endOffset();
                    assertThat(term.length()).as(token).isPositive();
                    assertThat(offset.startOffset()).as(token).isBetween(0, offset.endOffset());
                    assertThat(offset.startOffset()).as(token).isGreaterThanOrEqualTo(lastStart);
                    assertThat(offset.endOffset()).as(token).isLessThanOrEqualTo(text.length());
                    lastStart = offset.startOffset();
                }
                tokens.end();
            }
        }
    }
}
