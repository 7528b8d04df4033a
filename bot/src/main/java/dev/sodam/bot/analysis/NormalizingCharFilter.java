package dev.sodam.bot.analysis;

import java.io.IOException;
import java.io.Reader;
import org.apache.lucene.analysis.CharFilter;

/**
 * A {@link CharFilter} that applies {@link TextNormalizer} to the whole input. Token offsets are
 * corrected back to the original text ({@link #correct}): every character of the normalised text
 * remembers where it came from, so a token of "ＡＢＣ 😡 배송" maps to the original "ＡＢＣ" and
 * "배송", and an NFKC expansion (U+0676 becomes two characters) never ends past the text.
 */
public final class NormalizingCharFilter extends CharFilter {

    private String normalized;
    /** Offset in the original text of each normalised character; the last entry ends the last one's source. */
    private int[] origin;
    private int pos;

    public NormalizingCharFilter(Reader in) {
        super(in);
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
        if (normalized == null) {
            StringBuilder sb = new StringBuilder();
            char[] buf = new char[1024];
            int n;
            while ((n = input.read(buf)) != -1) {
                sb.append(buf, 0, n);
            }
            TextNormalizer.Mapped mapped = TextNormalizer.normalizeWithOffsets(sb.toString());
            normalized = mapped.text();
            origin = mapped.origin();
            pos = 0;
        }
        if (pos >= normalized.length()) {
            return -1;
        }
        int n = Math.min(len, normalized.length() - pos);
        normalized.getChars(pos, pos + n, cbuf, off);
        pos += n;
        return n;
    }

    @Override
    protected int correct(int currentOff) {
        if (origin == null || currentOff < 0) {
            return currentOff;
        }
        return origin[Math.min(currentOff, origin.length - 1)];
    }
}
