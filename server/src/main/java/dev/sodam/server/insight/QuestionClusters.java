package dev.sodam.server.insight;

import dev.sodam.bot.analysis.LocaleAnalysis;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Groups similar questions, deterministically. Each question becomes a TF-IDF vector of the
 * terms the bot's own analyzer gives it (Nori morphemes for Korean, stems for English, so
 * "환불하고 싶어요" and "환불 되나요" share 환불); then, in the order given, each question joins the
 * cluster whose centroid is most similar (cosine) if that similarity reaches the threshold, or
 * starts a new cluster. Greedy and single-pass: the same input always gives the same clusters,
 * and it costs O(questions × clusters).
 */
public final class QuestionClusters {
    public static final double DEFAULT_THRESHOLD = 0.35;
    private static final Map<String, LocaleAnalysis> ANALYSIS = new ConcurrentHashMap<>();

    private QuestionClusters() {
    }

    /** One group: the indexes of its members in the input order, and its strongest terms. */
    public record Cluster(List<Integer> members, List<String> terms, int medoid) {
    }

    /** The analyzer chain of a locale, built once (Nori loads its dictionary). */
    static LocaleAnalysis analysis(String locale) {
        return ANALYSIS.computeIfAbsent("ko".equals(locale) ? "ko" : "en", LocaleAnalysis::forLocale);
    }

    /** Clusters {@code texts}, all of one locale; clusters come out largest first (ties: earliest first). */
    public static List<Cluster> cluster(List<String> texts, String locale, double threshold) {
        LocaleAnalysis analysis = analysis(locale);
        List<Map<String, Double>> counts = new ArrayList<>(texts.size());
        Map<String, Integer> documentFrequency = new HashMap<>();
        // The analyzer dominates the cost (about half a millisecond a Korean question), and visitors
        // repeat the same short questions: each distinct text is analysed once.
        Map<String, List<String>> analysed = new HashMap<>();
        for (String text : texts) {
            List<String> terms = analysed.computeIfAbsent(text, t -> {
                List<String> words = analysis.wordTerms(t);
                return words.isEmpty() ? analysis.ngramTerms(t) : words;
            });
            Map<String, Double> tf = new LinkedHashMap<>();
            terms.forEach(t -> tf.merge(t, 1.0, Double::sum));
            tf.keySet().forEach(t -> documentFrequency.merge(t, 1, Integer::sum));
            counts.add(tf);
        }
        int n = texts.size();
        List<Map<String, Double>> vectors = new ArrayList<>(n);
        for (Map<String, Double> tf : counts) {
            Map<String, Double> v = new LinkedHashMap<>();
            tf.forEach((term, f) -> v.put(term, f * (1 + Math.log((1.0 + n) / (1.0 + documentFrequency.get(term))))));
            vectors.add(normalized(v));
        }
        List<List<Integer>> groups = new ArrayList<>();
        List<Map<String, Double>> sums = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Double> v = vectors.get(i);
            int best = -1;
            double bestScore = threshold;
            for (int c = 0; c < groups.size(); c++) {
                double score = dot(v, normalized(sums.get(c)));
                if (score >= bestScore && !v.isEmpty()) {
                    best = c;
                    bestScore = score;
                }
            }
            if (best < 0) {
                groups.add(new ArrayList<>(List.of(i)));
                sums.add(new LinkedHashMap<>(v));
            } else {
                groups.get(best).add(i);
                Map<String, Double> sum = sums.get(best);
                v.forEach((term, w) -> sum.merge(term, w, Double::sum));
            }
        }
        List<Cluster> clusters = new ArrayList<>(groups.size());
        for (int c = 0; c < groups.size(); c++) {
            Map<String, Double> centroid = normalized(sums.get(c));
            List<Integer> members = groups.get(c);
            int medoid = members.get(0);
            double medoidScore = -1;
            for (int m : members) {
                double score = dot(vectors.get(m), centroid);
                if (score > medoidScore + 1e-12) {
                    medoid = m;
                    medoidScore = score;
                }
            }
            List<String> terms = centroid.entrySet().stream()
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .limit(5).map(Map.Entry::getKey).toList();
            clusters.add(new Cluster(List.copyOf(members), terms, medoid));
        }
        clusters.sort(Comparator.comparingInt((Cluster c) -> -c.members().size())
                .thenComparingInt(c -> c.members().get(0)));
        return clusters;
    }

    private static Map<String, Double> normalized(Map<String, Double> v) {
        double norm = Math.sqrt(v.values().stream().mapToDouble(w -> w * w).sum());
        if (norm == 0) {
            return v;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        v.forEach((term, w) -> out.put(term, w / norm));
        return out;
    }

    private static double dot(Map<String, Double> a, Map<String, Double> b) {
        Map<String, Double> small = a.size() <= b.size() ? a : b;
        Map<String, Double> large = small == a ? b : a;
        double sum = 0;
        for (Map.Entry<String, Double> e : small.entrySet()) {
            Double w = large.get(e.getKey());
            if (w != null) {
                sum += e.getValue() * w;
            }
        }
        return sum;
    }
}
