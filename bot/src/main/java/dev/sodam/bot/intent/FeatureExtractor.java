package dev.sodam.bot.intent;

import dev.sodam.bot.analysis.LocaleAnalysis;
import dev.sodam.bot.analysis.TextNormalizer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a text into the feature strings the classifier sees: analysed words ({@code w:}),
 * word bigrams ({@code b:}), character n-grams inside each word ({@code c:}), and raw tokens
 * ({@code r:}) with their bigrams ({@code rb:}). Thread-safe.
 */
public final class FeatureExtractor {

    private static final int MAX_FEATURES = 400;
    private static final Pattern RAW_SPLIT = Pattern.compile("[^\\p{L}\\p{N}']+");

    private final LocaleAnalysis analysis;

    public FeatureExtractor(LocaleAnalysis analysis) {
        this.analysis = analysis;
    }

    /** Distinct features of {@code text}, in first-seen order. */
    public String[] features(String text) {
        return features(TextNormalizer.normalize(text), analysis.wordTerms(text));
    }

    /** Features of a question already analysed by this extractor's {@link LocaleAnalysis} (no second Nori run). */
    public String[] features(LocaleAnalysis.Analyzed text) {
        return features(text.normalized(), text.words());
    }

    private String[] features(String normalized, List<String> words) {
        Set<String> out = new LinkedHashSet<>();
        String prev = "^";
        for (String w : words) {
            out.add("w:" + w);
            out.add("b:" + prev + "|" + w);
            prev = w;
        }
        if (!words.isEmpty()) {
            out.add("b:" + prev + "|$");
        }
        for (String w : words) {
            if (out.size() >= MAX_FEATURES) {
                break;
            }
            innerGrams(w, out);
        }
        rawTokens(normalized, out);
        return out.toArray(new String[0]);
    }

    /**
     * Raw tokens (normalised, unstemmed, stop words kept) and their bigrams: "my card" vs "a card",
     * "can i" vs "why can't i" carry intent that the retrieval analysis drops.
     */
    private static void rawTokens(String normalized, Set<String> out) {
        String p = "^";
        for (String r : RAW_SPLIT.split(normalized)) {
            if (r.isEmpty()) {
                continue;
            }
            if (out.size() >= 2 * MAX_FEATURES) {
                return;
            }
            out.add("r:" + r);
            out.add("rb:" + p + "|" + r);
            p = r;
        }
        if (!"^".equals(p)) {
            out.add("rb:" + p + "|$");
        }
    }

    /**
     * Character n-grams inside one analysed word: syllable 1–2-grams for Korean (a syllable is
     * already a big unit), 3–4-grams of {@code _word_} otherwise.
     */
    private void innerGrams(String w, Set<String> out) {
        boolean ko = "ko".equals(analysis.locale());
        String s = ko ? w : "_" + w + "_";
        int min = ko ? 1 : 3;
        int max = ko ? 2 : 4;
        int[] cps = s.codePoints().toArray();
        if (cps.length <= min) {
            return;
        }
        for (int n = min; n <= max; n++) {
            for (int i = 0; i + n <= cps.length; i++) {
                out.add("c:" + new String(cps, i, n));
            }
        }
    }
}
