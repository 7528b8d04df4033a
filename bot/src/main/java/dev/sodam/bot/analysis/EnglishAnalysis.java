package dev.sodam.bot.analysis;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.ngram.NGramTokenFilter;
import org.apache.lucene.analysis.pattern.PatternReplaceFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;

/**
 * English analysis chains.
 *
 * <p>Word field: {@link NormalizingCharFilter} → {@link StandardTokenizer} → possessive →
 * lower case → typo map ({@code en-typos.txt}) → {@link NegationScopeFilter} → {@link #STOP_WORDS} (which keep not/no/why/when/how/where) → Porter stemming.
 *
 * <p>N-gram field: the same up to the stop filter, then each word wrapped in {@code _…_} and cut
 * into character 3- and 4-grams (the whole word kept too), so typos such as "retrun" or "wher"
 * still share most grams with the right word.
 */
public final class EnglishAnalysis {

    /**
     * Function words that carry no FAQ meaning. Unlike Lucene's default English set this keeps
     * {@code not} and {@code no}; question words are kept as well.
     */
    public static final CharArraySet STOP_WORDS = CharArraySet.unmodifiableSet(new CharArraySet(List.of(
            "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
            "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this",
            "to", "was", "will", "with", "i", "i'm", "im", "me", "my", "we", "our", "you", "your", "do",
            "does", "did", "am", "been", "being", "so", "just", "please", "pls", "plz", "hey", "um",
            "can", "could", "would", "should", "get", "got"), false));

    /** Whole-word typo map from {@code en-typos.txt} ({@code from, from2 => to}). */
    static final Map<String, String> TYPOS = TermMapFilter.load("en-typos.txt");

    private static final Pattern WORD = Pattern.compile("^(.+)$");

    private EnglishAnalysis() {
    }

    /** The word analyzer. */
    public static Analyzer wordAnalyzer() {
        return new FilterChain(NormalizingCharFilter::new, StandardTokenizer::new,
                ts -> new PorterStemFilter(words(ts, true)));
    }

    /** The character n-gram analyzer (typo-tolerant): 3–4-grams of {@code _word_}. */
    public static Analyzer ngramAnalyzer() {
        return new FilterChain(NormalizingCharFilter::new, StandardTokenizer::new,
                ts -> new NGramTokenFilter(new PatternReplaceFilter(words(ts, false), WORD, "_$1_", false), 3, 4, false));
    }

    /**
     * The part both chains share: possessive → lower case → typo map → ({@code negation}: {@link
     * NegationScopeFilter}, which flags the words of a negated event and leaves the terms alone) → stop words.
     */
    private static TokenStream words(TokenStream tokens, boolean negation) {
        TokenStream ts = new EnglishPossessiveFilter(tokens);
        ts = new LowerCaseFilter(ts);
        ts = new TermMapFilter(ts, TYPOS);
        if (negation) {
            ts = NegationScopeFilter.english(ts);
        }
        return new StopFilter(ts, STOP_WORDS);
    }
}
