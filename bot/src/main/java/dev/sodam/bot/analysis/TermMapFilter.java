package dev.sodam.bot.analysis;

import java.io.IOException;
import java.util.Map;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/** Replaces whole terms found in a map (English typo map: {@code retrun → return}). */
public final class TermMapFilter extends TokenFilter {

    private final Map<String, String> map;
    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);

    public TermMapFilter(TokenStream in, Map<String, String> map) {
        super(in);
        this.map = map;
    }

    @Override
    public boolean incrementToken() throws IOException {
        if (!input.incrementToken()) {
            return false;
        }
        String to = map.get(term.toString());
        if (to != null) {
            term.setEmpty().append(to);
        }
        return true;
    }
}
