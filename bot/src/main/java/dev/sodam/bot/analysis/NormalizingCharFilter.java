package dev.sodam.bot.analysis;

import java.io.IOException;
import java.io.Reader;
import org.apache.lucene.analysis.charfilter.BaseCharFilter;

/**
 * A {@link org.apache.lucene.analysis.CharFilter} that applies {@link TextNormalizer} to the whole
 * input. Offsets refer to the normalised text (the bot never highlights, so no correction map).
 */
public final class NormalizingCharFilter extends BaseCharFilter {

    private String normalized;
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
            normalized = TextNormalizer.normalize(sb.toString());
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
}
