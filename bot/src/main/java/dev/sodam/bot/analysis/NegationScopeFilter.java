package dev.sodam.bot.analysis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ko.POS;
import org.apache.lucene.analysis.ko.tokenattributes.PartOfSpeechAttribute;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.FlagsAttribute;
import org.apache.lucene.util.AttributeSource;

/**
 * Marks the words of a negated event in {@link FlagsAttribute}, leaving every term as it is (the
 * index and the classifier read the same terms with or without it).
 *
 * <ul>
 *   <li>{@link #NEGATED}: the event a negation applies to. Korean (on Nori's tokens, before the POS stop
 *   filter, so the tags and endings are there): the predicate after 안/못 ("안 와요" → 오), the predicate
 *   before 지 않/못하 ("켜지지 않아요" → 켜), and when that predicate is a light verb or suffix (하, 되) the
 *   noun it makes a verb of ("취소 안 했는데" → 취소, "로그인이 안 돼요" → 로그인, "취소하지 않았는데" →
 *   취소). English: the words after not, no, never or an n't word up to a clause boundary (but, and, so
 *   …) and at most {@value #EN_SCOPE} words ("i didn't order this but …" → order, this).</li>
 *   <li>{@link #LIGHT_HA}, {@link #LIGHT_DOE}: on the noun of a negated light verb, which verb it was:
 *   not doing something ("결제 안 했는데": not paying) is another event than its not going through ("결제가
 *   안 돼요"), though the noun is the same word ({@link #event}).</li>
 *   <li>{@link #CONTRASTED}: besides, the negated clause is followed by a contrast and more words: "X
 *   안 했는데 Y", "X 안 했지만 Y", "i didn't X but Y" (English: but; yet or still before a subject) — an event reported as not having happened beside
 *   one that did, the shape of a surprise ("취소 안 했는데 환불됐어요?", "i didn't order this but got
 *   charged"). "환불 아직 안 들어왔어요" or "it says delivered but i didn't get it" have no contrast
 *   after the negation.</li>
 * </ul>
 *
 * <p>The whole stream is read before the first token is returned (a question is at most 500 characters).
 */
public final class NegationScopeFilter extends TokenFilter {

    /** Flag bit: the token is part of a negated event. */
    public static final int NEGATED = 1 << 8;
    /** Flag bit: the token is part of a negated event followed by a contrasting clause. */
    public static final int CONTRASTED = 1 << 9;

    /**
     * Flag bit: the token is the noun of a negated light verb 하 ("결제 안 했는데": not paying); {@link #event}
     * adds the verb.
     */
    public static final int LIGHT_HA = 1 << 10;
    /**
     * Flag bit: the token is the noun of a negated light verb 되 ("결제가 안 돼요": a payment that does not go
     * through); {@link #event} adds the verb.
     */
    public static final int LIGHT_DOE = 1 << 11;

    static final int EN_SCOPE = 3;

    private static final Set<String> KO_LIGHT = Set.of("하", "되");
    /**
     * Korean connective endings of contrast: 는데, 지만, 는데도 and their variants. Not 어도 ("저장하지 않아도
     * 돼요": no need to), which concedes rather than reports.
     */
    private static final Set<String> KO_CONTRAST = Set.of("는데", "ㄴ데", "은데", "던데", "지만", "는데도", "ㄴ데도",
            "은데도");
    private static final Set<String> EN_NEGATIONS = Set.of("not", "no", "never", "cannot", "dont", "didnt", "doesnt",
            "havent", "hasnt", "hadnt", "wasnt", "werent", "isnt", "arent", "cant", "wont", "couldnt", "wouldnt");
    private static final Set<String> EN_BOUNDARIES = Set.of("but", "yet", "though", "although", "however", "still",
            "and", "or", "so", "because", "since", "while", "when", "after", "before", "if", "then");
    /**
     * English words of contrast after a negation: but; yet and still only before a subject ("i did not cancel
     * yet i got refunded"), since the tokenizer drops the full stop of "my card hasn't arrived yet. what do i
     * do?". Not though or although: "it hasn't arrived even though i ordered it" reports what did not happen
     * after all, the shape of an ordinary question.
     */
    private static final Set<String> EN_CONTRAST = Set.of("but", "yet", "still");
    private static final Set<String> EN_ADVERB_CONTRAST = Set.of("yet", "still");
    private static final Set<String> EN_SUBJECTS = Set.of("i", "we", "my", "our", "you", "it", "they", "he", "she",
            "the", "someone", "somebody");

    private final boolean korean;
    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final FlagsAttribute flags = addAttribute(FlagsAttribute.class);
    private final PartOfSpeechAttribute pos;
    private final List<AttributeSource.State> states = new ArrayList<>();
    private final List<String> terms = new ArrayList<>();
    private final List<POS.Tag> tags = new ArrayList<>();
    private int[] marks;
    private int next = -1;

    private NegationScopeFilter(TokenStream in, boolean korean) {
        super(in);
        this.korean = korean;
        this.pos = korean ? addAttribute(PartOfSpeechAttribute.class) : null;
    }

    /** For Nori's tokens, before the POS stop filter. */
    public static NegationScopeFilter korean(TokenStream in) {
        return new NegationScopeFilter(in, true);
    }

    /** For lower-cased English words, before the stop filter. */
    public static NegationScopeFilter english(TokenStream in) {
        return new NegationScopeFilter(in, false);
    }

    @Override
    public boolean incrementToken() throws IOException {
        if (next < 0) {
            while (input.incrementToken()) {
                states.add(captureState());
                terms.add(term.toString());
                tags.add(korean ? pos.getLeftPOS() : null);
            }
            marks = korean ? korean(terms, tags) : english(terms);
            next = 0;
        }
        if (next >= states.size()) {
            return false;
        }
        restoreState(states.get(next));
        flags.setFlags(flags.getFlags() | marks[next]);
        next++;
        return true;
    }

    @Override
    public void reset() throws IOException {
        super.reset();
        states.clear();
        terms.clear();
        tags.clear();
        marks = null;
        next = -1;
    }

    /** The marks of Korean tokens with their left POS tags (see the class comment). */
    static int[] korean(List<String> terms, List<POS.Tag> tags) {
        int n = terms.size();
        int[] marks = new int[n];
        for (int i = 0; i < n; i++) {
            String t = terms.get(i);
            List<Integer> event = new ArrayList<>(3);
            int after;
            if (tags.get(i) == POS.Tag.MAG && (t.equals("안") || t.equals("못"))) {
                int p = i + 1;
                if (p >= n || !predicate(tags.get(p))) {
                    continue;
                }
                event.add(p);
                if (light(terms.get(p), tags.get(p))) {
                    addNounBefore(i - 1, tags, event);
                }
                after = p + 1;
            } else if (tags.get(i) == POS.Tag.VX && (t.equals("않") || t.equals("못하")) && i >= 2
                    && tags.get(i - 1) == POS.Tag.E && terms.get(i - 1).equals("지") && predicate(tags.get(i - 2))) {
                int p = i - 2;
                event.add(p);
                if (tags.get(p) == POS.Tag.VX && p >= 2 && tags.get(p - 1) == POS.Tag.E && predicate(tags.get(p - 2))) {
                    p -= 2; // 켜지지 않아요: 켜(VV) 어 지(VX) 지 않
                    event.add(p);
                }
                if (light(terms.get(p), tags.get(p))) {
                    addNounBefore(p - 1, tags, event);
                }
                after = i + 1;
            } else {
                continue;
            }
            int mark = NEGATED;
            int lightVerb = lightVerbFlag(event, terms, tags);
            int k = after;
            boolean contrast = false;
            while (k < n && tags.get(k) == POS.Tag.E) {
                contrast |= KO_CONTRAST.contains(terms.get(k));
                k++;
            }
            if (contrast && k < n) {
                mark |= CONTRASTED;
            }
            for (int e : event) {
                marks[e] |= mark;
            }
            if (lightVerb != 0) {
                marks[event.get(event.size() - 1)] |= lightVerb;
            }
        }
        return marks;
    }

    /**
     * {@link #LIGHT_HA} or {@link #LIGHT_DOE} when {@code event} ends with the noun of the light verb 하 or 되
     * (its predicate first, the noun last), else 0.
     */
    private static int lightVerbFlag(List<Integer> event, List<String> terms, List<POS.Tag> tags) {
        if (event.size() < 2 || !isNoun(tags.get(event.get(event.size() - 1)))) {
            return 0;
        }
        String verb = terms.get(event.get(event.size() - 2));
        return "하".equals(verb) ? LIGHT_HA : "되".equals(verb) ? LIGHT_DOE : 0;
    }

    /**
     * The event a flagged word term stands for in {@code LocaleAnalysis.Analyzed#negated}: the term, or the
     * noun of a light verb with its verb ("결제하": not paying; "결제되": a payment that does not go through),
     * which are two events though the word is one.
     */
    public static String event(String term, int flags) {
        if ((flags & LIGHT_HA) != 0) {
            return term + "하";
        }
        return (flags & LIGHT_DOE) != 0 ? term + "되" : term;
    }

    /** The marks of lower-cased English words (see the class comment). */
    static int[] english(List<String> terms) {
        int n = terms.size();
        int[] marks = new int[n];
        for (int i = 0; i < n; i++) {
            String t = terms.get(i);
            if (!EN_NEGATIONS.contains(t) && !t.endsWith("n't")) {
                continue;
            }
            int end = i + 1;
            while (end < n && end <= i + EN_SCOPE && !EN_BOUNDARIES.contains(terms.get(end))
                    && !EN_NEGATIONS.contains(terms.get(end)) && !terms.get(end).endsWith("n't")) {
                end++;
            }
            int mark = NEGATED;
            if (end + 1 < n && EN_CONTRAST.contains(terms.get(end))
                    && (!EN_ADVERB_CONTRAST.contains(terms.get(end)) || EN_SUBJECTS.contains(terms.get(end + 1)))) {
                mark |= CONTRASTED;
            }
            for (int k = i + 1; k < end; k++) {
                marks[k] |= mark;
            }
        }
        return marks;
    }

    private static boolean predicate(POS.Tag tag) {
        return tag == POS.Tag.VV || tag == POS.Tag.VA || tag == POS.Tag.VX || tag == POS.Tag.XSV
                || tag == POS.Tag.XSA;
    }

    private static boolean light(String term, POS.Tag tag) {
        return KO_LIGHT.contains(term) || tag == POS.Tag.XSV || tag == POS.Tag.XSA;
    }

    /** The noun before {@code from} (particles skipped), if there is one. */
    private static void addNounBefore(int from, List<POS.Tag> tags, List<Integer> event) {
        int k = from;
        while (k >= 0 && tags.get(k) == POS.Tag.J) {
            k--;
        }
        if (k >= 0 && isNoun(tags.get(k))) {
            event.add(k);
        }
    }

    private static boolean isNoun(POS.Tag tag) {
        return tag == POS.Tag.NNG || tag == POS.Tag.NNP || tag == POS.Tag.SL || tag == POS.Tag.SH || tag == POS.Tag.XR;
    }
}
