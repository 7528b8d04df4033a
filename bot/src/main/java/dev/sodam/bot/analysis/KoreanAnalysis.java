package dev.sodam.bot.analysis;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.charfilter.MappingCharFilter;
import org.apache.lucene.analysis.charfilter.NormalizeCharMap;
import org.apache.lucene.analysis.ko.KoreanPartOfSpeechStopFilter;
import org.apache.lucene.analysis.ko.KoreanReadingFormFilter;
import org.apache.lucene.analysis.ko.KoreanTokenizer;
import org.apache.lucene.analysis.ko.POS;
import org.apache.lucene.analysis.ko.dict.UserDictionary;
import org.apache.lucene.analysis.ngram.NGramTokenFilter;

/**
 * Korean analysis chains.
 *
 * <p>Word field: {@link NormalizingCharFilter} → typo/synonym {@link MappingCharFilter}
 * ({@code ko-synonyms.txt}: typos, applied to the text) → Nori {@link KoreanTokenizer} (decompound
 * mode DISCARD: a compound gives its parts, an inflected verb its stem; shop user dictionary
 * {@code ko-userdict.txt}) → {@link NegationScopeFilter} (flags the words of a negated event; terms
 * unchanged) → {@link KoreanPartOfSpeechStopFilter} with {@link #STOP_TAGS} →
 * reading form → lower case → {@link #STOP_WORDS} → domain synonyms ({@link #TERMS},
 * {@code ko-terms.txt}: whole terms, 추적 → 조회).
 *
 * <p>N-gram field: the word field's terms joined without spaces ({@link ConcatenatingFilter}) and
 * cut into syllable 2- and 3-grams, so "배송조회어떻게해요" and "배송 조회 어떻게 해요" produce the
 * same grams, and endings and particles (알려주세요, 하고싶어요), which used to make half of a
 * question's grams, make none. {@link #ngrams(List)} computes the same grams from the word terms.
 */
public final class KoreanAnalysis {

    /**
     * Nori's default stop tags minus {@code MAG} (general adverbs: 안, 못, 왜, 잘, 다시 carry meaning
     * in customer questions) plus {@code VCP} (the copula 이다), {@code VX} (auxiliaries: 싶다,
     * 주다 in 알려주세요) and {@code NNB} (bound nouns: 수, 것, 거).
     */
    public static final Set<POS.Tag> STOP_TAGS;

    static {
        EnumSet<POS.Tag> tags = EnumSet.copyOf(KoreanPartOfSpeechStopFilter.DEFAULT_STOP_TAGS);
        tags.remove(POS.Tag.MAG);
        tags.add(POS.Tag.VCP);
        tags.add(POS.Tag.VX);
        tags.add(POS.Tag.NNB);
        STOP_TAGS = Set.copyOf(tags);
    }

    /**
     * Light verbs, pronouns and fillers that survive the POS filter but say nothing about the
     * topic (하다, 되다, 있다; 저, 제, 내; 좀, 혹시). Negation (안, 못) is deliberately absent.
     */
    public static final CharArraySet STOP_WORDS = CharArraySet.unmodifiableSet(new CharArraySet(List.of(
            "하", "되", "있", "싶", "주", "드리", "저", "제", "내", "나", "너", "좀", "혹시", "그냥", "지금", "요",
            "해요", "돼요", "되요", "있어요", "있나요", "하나요", "되나요", "해", "돼", "할", "될",
            // "알려주세요" (tell me) ends every third question and says nothing about its topic.
            "알리", "알려",
            // Demonstratives (왜 이렇게 늦어요, 가격이 왜 이렇게 비싸요) say nothing about the topic either.
            "이렇", "이렇게", "그렇", "그렇게", "저렇게", "이런", "그런"), false));

    /** Token-level domain synonyms from {@code ko-terms.txt} (추적 → 조회, 치수 → 사이즈 …). */
    static final Map<String, String> TERMS = TermMapFilter.load("ko-terms.txt");


    private static final NormalizeCharMap SYNONYMS = loadSynonyms();
    private static final UserDictionary USER_DICT = loadUserDictionary();

    private KoreanAnalysis() {
    }

    /** The word (morpheme) analyzer. */
    public static Analyzer wordAnalyzer() {
        return new FilterChain(KoreanAnalysis::charFilters,
                () -> new KoreanTokenizer(TokenStream.DEFAULT_TOKEN_ATTRIBUTE_FACTORY, USER_DICT,
                        KoreanTokenizer.DecompoundMode.DISCARD, false, true),
                ts -> wordFilters(NegationScopeFilter.korean(ts)));
    }

    /** POS stop tags → reading form → lower case → stop words → domain synonyms. */
    private static TokenStream wordFilters(TokenStream ts) {
        return new TermMapFilter(new StopFilter(new LowerCaseFilter(new KoreanReadingFormFilter(
                new KoreanPartOfSpeechStopFilter(ts, STOP_TAGS))), STOP_WORDS), TERMS);
    }

    /**
     * The character n-gram analyzer (spacing-insensitive): syllable 2–3-grams of the word chain's
     * terms joined without spaces, so endings and particles (알려주세요, 하고싶어요) make no grams.
     */
    public static Analyzer ngramAnalyzer() {
        return new FilterChain(KoreanAnalysis::charFilters,
                () -> new KoreanTokenizer(TokenStream.DEFAULT_TOKEN_ATTRIBUTE_FACTORY, USER_DICT,
                        KoreanTokenizer.DecompoundMode.DISCARD, false, true),
                ts -> new NGramTokenFilter(new ConcatenatingFilter(wordFilters(ts)), MIN_GRAM, MAX_GRAM, false));
    }

    static final int MIN_GRAM = 2;
    static final int MAX_GRAM = 3;

    /**
     * The n-gram field's terms computed from the word field's: the terms joined without spaces, cut
     * into code-point 2- and 3-grams in {@code NGramTokenFilter}'s order (by start, then length).
     * Equal to {@code ngramAnalyzer()}'s output for the same text (AnalyzerContractTest).
     */
    public static List<String> ngrams(List<String> words) {
        if (words.isEmpty()) {
            return List.of();
        }
        String joined = words.size() == 1 ? words.get(0) : String.join("", words);
        int[] cps = joined.codePoints().toArray();
        List<String> out = new ArrayList<>(Math.max(0, 2 * cps.length - MIN_GRAM - 1));
        for (int i = 0; i + MIN_GRAM <= cps.length; i++) {
            for (int n = MIN_GRAM; n <= MAX_GRAM && i + n <= cps.length; n++) {
                out.add(new String(cps, i, n));
            }
        }
        return out;
    }

    /** Normalisation then the typo/synonym map. */
    static Reader charFilters(Reader reader) {
        return new MappingCharFilter(SYNONYMS, new NormalizingCharFilter(reader));
    }

    /** The normalised text after the typo/synonym map (what the tokenizers see). */
    public static String mapped(String text) {
        try (Reader r = charFilters(new StringReader(text))) {
            StringBuilder sb = new StringBuilder();
            char[] buf = new char[256];
            int n;
            while ((n = r.read(buf)) != -1) {
                sb.append(buf, 0, n);
            }
            return sb.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static NormalizeCharMap loadSynonyms() {
        NormalizeCharMap.Builder b = new NormalizeCharMap.Builder();
        for (String line : Resources.lines("ko-synonyms.txt")) {
            int arrow = line.indexOf("=>");
            if (arrow < 0) {
                throw new IllegalStateException("ko-synonyms.txt: expected 'from, from2 => to', got: " + line);
            }
            String to = TextNormalizer.normalize(line.substring(arrow + 2).strip());
            for (String from : line.substring(0, arrow).split(",")) {
                String f = TextNormalizer.normalize(from.strip());
                if (!f.isEmpty() && !f.equals(to)) {
                    b.add(f, to);
                }
            }
        }
        return b.build();
    }

    private static UserDictionary loadUserDictionary() {
        List<String> lines = Resources.lines("ko-userdict.txt");
        try {
            return UserDictionary.open(new StringReader(String.join("\n", lines)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
