package dev.sodam.bot.analysis;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * Replaces whole terms found in a map (English typo map: {@code retrun → return}; Korean domain
 * synonyms: {@code 추적 → 조회}).
 */
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

    /**
     * Reads a {@code from, from2 => to} resource (one rule a line, {@code #} comments) into a map of
     * normalised terms.
     */
    static Map<String, String> load(String resource) {
        Map<String, String> map = new HashMap<>();
        for (String line : Resources.lines(resource)) {
            int arrow = line.indexOf("=>");
            if (arrow < 0) {
                throw new IllegalStateException(resource + ": expected 'from, from2 => to', got: " + line);
            }
            String to = TextNormalizer.normalize(line.substring(arrow + 2).strip());
            for (String from : line.substring(0, arrow).split(",")) {
                String f = TextNormalizer.normalize(from.strip());
                if (!f.isEmpty() && !f.equals(to)) {
                    map.put(f, to);
                }
            }
        }
        return Map.copyOf(map);
    }
}
