package dev.sodam.bot.analysis;

import java.io.IOException;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionLengthAttribute;

/**
 * Joins every token of its input into one token without separators ("배송", "조회" → "배송조회"), so
 * a following n-gram filter sees the content morphemes of a question as one string whatever the
 * spacing was. No input tokens → no output token.
 */
final class ConcatenatingFilter extends TokenFilter {

    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final OffsetAttribute offset = addAttribute(OffsetAttribute.class);
    private final PositionIncrementAttribute posInc = addAttribute(PositionIncrementAttribute.class);
    private final PositionLengthAttribute posLen = addAttribute(PositionLengthAttribute.class);
    private final StringBuilder joined = new StringBuilder();
    private boolean done;

    ConcatenatingFilter(TokenStream in) {
        super(in);
    }

    @Override
    public boolean incrementToken() throws IOException {
        if (done) {
            return false;
        }
        done = true;
        joined.setLength(0);
        int start = -1;
        int end = 0;
        while (input.incrementToken()) {
            joined.append(term);
            if (start < 0) {
                start = offset.startOffset();
            }
            end = Math.max(end, offset.endOffset());
        }
        if (joined.length() == 0) {
            return false;
        }
        clearAttributes();
        term.setEmpty().append(joined);
        offset.setOffset(start, end);
        posInc.setPositionIncrement(1);
        posLen.setPositionLength(1);
        return true;
    }

    @Override
    public void reset() throws IOException {
        super.reset();
        done = false;
    }
}
