package dev.sodam.bot.analysis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.FlagsAttribute;

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

    /**
     * One question analysed once: its normalised text, word terms and n-gram terms, which retrieval
     * and the classifier both read (Nori used to run once for each), and the events a negation applies
     * to ({@link NegationScopeFilter}: {@code negated}, and {@code contrasted} when a contrasting clause
     * follows, "취소 안 했는데 환불됐어요"): word terms, or a light verb's noun with its verb ({@link
     * NegationScopeFilter#event}: 취소하, 결제되).
     */
    public record Analyzed(String normalized, List<String> words, List<String> ngrams, List<String> negated,
                           List<String> contrasted) {
        public Analyzed {
            words = List.copyOf(words);
            ngrams = List.copyOf(ngrams);
            negated = List.copyOf(negated);
            contrasted = List.copyOf(contrasted);
        }

        /** Without negated words. */
        public Analyzed(String normalized, List<String> words, List<String> ngrams) {
            this(normalized, words, ngrams, List.of(), List.of());
        }
    }

    /** {@link #analyze(String, String)} with the text normalised here. */
    public Analyzed analyze(String text) {
        return analyze(text, TextNormalizer.normalize(text));
    }

    /**
     * Analyses {@code text} once. Korean n-grams are computed from the word terms (the n-gram
     * analyzer is the word chain plus {@link KoreanAnalysis#ngrams}), so Nori runs once; English
     * runs its two cheap standard-tokenizer chains.
     *
     * @param normalized {@code TextNormalizer.normalize(text)}, when the caller already has it
     */
    public Analyzed analyze(String text, String normalized) {
        List<String> w = new ArrayList<>();
        List<String> negated = new ArrayList<>(0);
        List<String> contrasted = new ArrayList<>(0);
        try (TokenStream ts = words.tokenStream("f", text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            FlagsAttribute flags = ts.addAttribute(FlagsAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                if (term.length() > 0) {
                    String t = term.toString();
                    w.add(t);
                    int f = flags.getFlags();
                    if ((f & NegationScopeFilter.NEGATED) != 0) {
                        negated.add(NegationScopeFilter.event(t, f));
                    }
                    if ((f & NegationScopeFilter.CONTRASTED) != 0) {
                        contrasted.add(NegationScopeFilter.event(t, f));
                    }
                }
            }
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> g = "ko".equals(locale) ? KoreanAnalysis.ngrams(w) : ngramTerms(text);
        return new Analyzed(normalized, w, g, negated, contrasted);
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
