package dev.sodam.bot.analysis;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.charfilter.MappingCharFilter;
import org.apache.lucene.analysis.charfilter.NormalizeCharMap;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.ko.KoreanPartOfSpeechStopFilter;
import org.apache.lucene.analysis.ko.KoreanReadingFormFilter;
import org.apache.lucene.analysis.ko.KoreanTokenizer;
import org.apache.lucene.analysis.ko.POS;
import org.apache.lucene.analysis.ko.dict.UserDictionary;
import org.apache.lucene.analysis.ngram.NGramTokenFilter;
import org.apache.lucene.analysis.pattern.PatternReplaceFilter;

/**
 * Korean analysis chains.
 *
 * <p>Word field: {@link NormalizingCharFilter} → typo/synonym {@link MappingCharFilter}
 * ({@code ko-synonyms.txt}) → Nori {@link KoreanTokenizer} (mixed decompounding, shop user
 * dictionary {@code ko-userdict.txt}) → {@link KoreanPartOfSpeechStopFilter} with
 * {@link #STOP_TAGS} → reading form → lower case → {@link #STOP_WORDS}.
 *
 * <p>N-gram field: the same char filters, then the whole text with whitespace and punctuation
 * removed, cut into syllable 2- and 3-grams, so "배송조회어떻게해요" and "배송 조회 어떻게 해요"
 * produce the same grams.
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
            "해요", "돼요", "되요", "있어요", "있나요", "하나요", "되나요", "해", "돼", "할", "될"), false));

    private static final Pattern NON_CONTENT = Pattern.compile("[\\s\\p{P}\\p{S}]+");

    private static final NormalizeCharMap SYNONYMS = loadSynonyms();
    private static final UserDictionary USER_DICT = loadUserDictionary();

    private KoreanAnalysis() {
    }

    /** The word (morpheme) analyzer. */
    public static Analyzer wordAnalyzer() {
        return new FilterChain(KoreanAnalysis::charFilters,
                () -> new KoreanTokenizer(TokenStream.DEFAULT_TOKEN_ATTRIBUTE_FACTORY, USER_DICT,
                        KoreanTokenizer.DecompoundMode.MIXED, false, true),
                ts -> new StopFilter(new LowerCaseFilter(new KoreanReadingFormFilter(
                        new KoreanPartOfSpeechStopFilter(ts, STOP_TAGS))), STOP_WORDS));
    }

    /** The character n-gram analyzer (spacing-insensitive): syllable 2–3-grams of the text without spaces. */
    public static Analyzer ngramAnalyzer() {
        return new FilterChain(KoreanAnalysis::charFilters, () -> new KeywordTokenizer(256),
                ts -> new NGramTokenFilter(new PatternReplaceFilter(ts, NON_CONTENT, "", true), 2, 3, false));
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
