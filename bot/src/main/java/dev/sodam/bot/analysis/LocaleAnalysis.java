package dev.sodam.bot.analysis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * The two analyzers of one locale: a word (morpheme/stem) analyzer and a character n-gram
 * analyzer. Analyzers are thread-safe; so is this record.
 */
public record LocaleAnalysis(String locale, Analyzer words, Analyzer ngrams) {

    /** {@code ko} gets Nori; every other locale the English chain. */
    public static LocaleAnalysis forLocale(String locale) {
        if ("ko".equals(locale)) {
            return new LocaleAnalysis(locale, KoreanAnalysis.wordAnalyzer(), KoreanAnalysis.ngramAnalyzer());
        }
        return new LocaleAnalysis(locale, EnglishAnalysis.wordAnalyzer(), EnglishAnalysis.ngramAnalyzer());
    }

    /** Terms the word analyzer emits for {@code text}. */
    public List<String> wordTerms(String text) {
        return terms(words, text);
    }

    /** Terms the n-gram analyzer emits for {@code text}. */
    public List<String> ngramTerms(String text) {
        return terms(ngrams, text);
    }

    /** Terms {@code analyzer} emits for {@code text}, in order. */
    public static List<String> terms(Analyzer analyzer, String text) {
        List<String> out = new ArrayList<>();
        try (TokenStream ts = analyzer.tokenStream("f", text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                if (term.length() > 0) {
                    out.add(term.toString());
                }
            }
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
