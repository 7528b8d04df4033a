package dev.sodam.bot.faq;

import dev.sodam.bot.analysis.LocaleAnalysis;
import dev.sodam.bot.analysis.TermIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.CollectionStatistics;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * In-memory Lucene index of one locale: one document per phrasing (FAQ question, paraphrase or
 * small-talk example) with a word field and a character n-gram field, scored with BM25.
 *
 * <p>Raw BM25 is not comparable across queries, so {@link #search} turns it into a similarity in
 * [0, 1]: {@code score(q, d) / sqrt(self(q) * self(d))}, where {@code self(x)} is the BM25 score
 * text {@code x} would get against a document identical to itself under this index's statistics.
 * Query terms the index has never seen count fully in {@code self(q)}, so chatter made of unknown
 * words gets a low similarity even when one common word matches. Lucene builds the index and its
 * statistics; at build time every term's postings are copied out with their BM25 weights, and a
 * query is scored from those arrays (same formula, no per-query Lucene objects). Thread-safe once built.
 */
public final class FaqIndex {

    static final String F_WORDS = "w";
    static final String F_NGRAMS = "g";
    static final String F_LABEL = "label";
    /** Weight of the n-gram field relative to the word field. */
    static final float NGRAM_BOOST = 0.5f;
    private static final int MAX_TERMS_PER_FIELD = 200;
    /**
     * N-grams in more than this share of the phrasings (and more than {@link #COMMON_MIN_DOCS}) count
     * as common in {@link #search}. Chosen on the train/val splits (retrieval top-1 on val, index of
     * train): 2 % keeps top-1 within one question of the exact sum on CLINC150, BANKING77 and paraKQC
     * and cuts retrieval time by a third; dropping such grams outright instead cost BANKING77 six
     * points, and treating common word terms the same way two.
     */
    static final double COMMON_SHARE = 0.02;
    static final int COMMON_MIN_DOCS = 64;
    private static final float K1 = 1.2f;
    private static final float B = 0.75f;

    private final LocaleAnalysis analysis;
    private final IndexSearcher searcher;
    private final String[] docLabel;
    private final double[] docSelf;
    /** N-gram postings longer than this are walked only for documents rarer terms found (see {@link #search}). */
    private final int commonDf;
    /** Per doc: index of its label in {@link #labelNames}; per doc: 1 / sqrt(self(d)) (0 when self is 0). */
    private int[] docLabelId;
    private double[] docInvSqrtSelf;
    private String[] labelNames;
    /** field → its statistics and postings with precomputed BM25 term weights (see {@link #loadPostings}). */
    private final Map<String, FieldStats> stats = new HashMap<>();

    /**
     * One term's postings: doc ids and, per doc, {@code idf · tf / (tf + k1 · (1 − b + b · len / avgLen))}
     * (Lucene 9's BM25 without the query boost).
     */
    private record Postings(int[] docs, float[] weights) {
    }

    /**
     * Per field: document count, average length, the indexed terms and, per term id, its idf and
     * (once loaded) its postings. Looked up for every query term: {@link TermIds}, not a map (see there).
     */
    private record FieldStats(long docCount, double avgLength, TermIds terms, double[] idf, Postings[] postings) {
        double idfOf(String term) {
            int id = terms.id(term);
            return id >= 0 ? idf[id] : BotMath.idf(docCount, 0);
        }

        /** The postings of {@code term}, null when no phrasing has it. */
        Postings postingsOf(String term) {
            int id = terms.id(term);
            return id >= 0 ? postings[id] : null;
        }
    }

    private FaqIndex(LocaleAnalysis analysis, IndexSearcher searcher, String[] docLabel, double[] docSelf) {
        this.analysis = analysis;
        this.searcher = searcher;
        this.docLabel = docLabel;
        this.docSelf = docSelf;
        this.commonDf = (int) Math.max(COMMON_MIN_DOCS, COMMON_SHARE * docSelf.length);
    }

    /** Indexes {@code docs} in memory. */
    public static FaqIndex build(List<LabelledText> docs, LocaleAnalysis analysis) {
        try {
            Analyzer perField = new PerFieldAnalyzerWrapper(analysis.words(),
                    Map.of(F_NGRAMS, analysis.ngrams()));
            ByteBuffersDirectory dir = new ByteBuffersDirectory();
            IndexWriterConfig cfg = new IndexWriterConfig(perField).setSimilarity(new BM25Similarity(K1, B));
            try (IndexWriter w = new IndexWriter(dir, cfg)) {
                int ord = 0;
                for (LabelledText d : docs) {
                    Document doc = new Document();
                    doc.add(new StoredField(F_LABEL, d.label()));
                    doc.add(new StoredField("ord", ord++));
                    doc.add(new TextField(F_WORDS, d.text(), Field.Store.NO));
                    doc.add(new TextField(F_NGRAMS, d.text(), Field.Store.NO));
                    w.addDocument(doc);
                }
                w.forceMerge(1);
            }
            DirectoryReader reader = DirectoryReader.open(dir);
            IndexSearcher searcher = new IndexSearcher(reader);
            searcher.setSimilarity(new BM25Similarity(K1, B));
            searcher.setQueryCache(null);
            int max = reader.maxDoc();
            String[] labels = new String[max];
            double[] self = new double[max];
            FaqIndex index = new FaqIndex(analysis, searcher, labels, self);
            index.loadStats(F_WORDS);
            index.loadStats(F_NGRAMS);
            StoredFields stored = reader.storedFields();
            Map<String, int[]> lengths = new HashMap<>();
            lengths.put(F_WORDS, new int[max]);
            lengths.put(F_NGRAMS, new int[max]);
            for (int i = 0; i < max; i++) {
                Document doc = stored.document(i);
                labels[i] = doc.get(F_LABEL);
                int ord = doc.getField("ord").numericValue().intValue();
                QueryTerms qt = index.queryTerms(analysis.analyze(docs.get(ord).text()));
                self[i] = index.selfScore(qt);
                lengths.get(F_WORDS)[i] = qt.lengths().get(F_WORDS);
                lengths.get(F_NGRAMS)[i] = qt.lengths().get(F_NGRAMS);
            }
            Map<String, Integer> labelIds = new LinkedHashMap<>();
            index.docLabelId = new int[max];
            index.docInvSqrtSelf = new double[max];
            for (int i = 0; i < max; i++) {
                index.docLabelId[i] = labelIds.computeIfAbsent(labels[i], k -> labelIds.size());
                index.docInvSqrtSelf[i] = self[i] > 0 ? 1.0 / Math.sqrt(self[i]) : 0;
            }
            index.labelNames = labelIds.keySet().toArray(new String[0]);
            index.loadPostings(F_WORDS, lengths.get(F_WORDS));
            index.loadPostings(F_NGRAMS, lengths.get(F_NGRAMS));
            return index;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void loadStats(String field) throws IOException {
        CollectionStatistics cs = searcher.collectionStatistics(field);
        if (cs == null) {
            stats.put(field, new FieldStats(0, 1, new TermIds(List.of()), new double[0], new Postings[0]));
            return;
        }
        List<String> names = new ArrayList<>();
        List<Double> idf = new ArrayList<>();
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            Terms terms = leaf.reader().terms(field);
            if (terms == null) {
                continue;
            }
            TermsEnum te = terms.iterator();
            BytesRef br;
            while ((br = te.next()) != null) {
                names.add(br.utf8ToString());
                idf.add(BotMath.idf(cs.docCount(), te.docFreq()));
            }
        }
        stats.put(field, new FieldStats(cs.docCount(), (double) cs.sumTotalTermFreq() / cs.docCount(),
                new TermIds(names), idf.stream().mapToDouble(Double::doubleValue).toArray(), new Postings[names.size()]));
    }

    /**
     * Copies every term's postings out of the Lucene index with its BM25 weight per document, so a
     * query is scored by walking a few arrays: Lucene's per-query machinery (weights, scorers,
     * input clones) cost about 3 ms per question on a 9,000-phrasing index, this about 20–50 µs.
     */
    private void loadPostings(String field, int[] docLength) throws IOException {
        FieldStats fs = stats.get(field);
        Postings[] out = fs.postings();
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            Terms terms = leaf.reader().terms(field);
            if (terms == null) {
                continue;
            }
            TermsEnum te = terms.iterator();
            BytesRef br;
            PostingsEnum pe = null;
            while ((br = te.next()) != null) {
                String term = br.utf8ToString();
                double idf = fs.idfOf(term);
                pe = te.postings(pe, PostingsEnum.FREQS);
                int[] ds = new int[te.docFreq()];
                float[] ws = new float[ds.length];
                int k = 0;
                for (int d = pe.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = pe.nextDoc()) {
                    int doc = leaf.docBase + d;
                    int tf = pe.freq();
                    double norm = K1 * (1 - B + B * docLength[doc] / Math.max(fs.avgLength(), 1e-9));
                    ds[k] = doc;
                    ws[k] = (float) (idf * tf / (tf + norm));
                    k++;
                }
                out[fs.terms().id(term)] = new Postings(k == ds.length ? ds : Arrays.copyOf(ds, k),
                        k == ws.length ? ws : Arrays.copyOf(ws, k));
            }
        }
    }

    /** Per-thread score accumulators, zeroed again after every search (only the touched entries). */
    private static final class Scratch {
        float[] score = new float[0];
        final int[] touched = new int[4096];
        int nTouched;
        /** More documents matched than {@link #touched} holds: the caller scans every score. */
        boolean overflow;
        final Postings[] common = new Postings[2 * MAX_TERMS_PER_FIELD];
        final float[] commonBoost = new float[2 * MAX_TERMS_PER_FIELD];

        /** Per label: best similarity of the current question (0 = not reached); labels reached. */
        double[] labelBest = new double[0];
        int[] labelsHit = new int[0];

        double[] labels(int count) {
            if (labelBest.length < count) {
                labelBest = new double[count];
                labelsHit = new int[count];
            }
            return labelBest;
        }

        Scratch start(int docs) {
            if (score.length < docs) {
                score = new float[docs];
            }
            nTouched = 0;
            overflow = false;
            return this;
        }

        /** Adds {@code qb ·} weight to every document of {@code p}, remembering new candidates. */
        void walk(Postings p, float qb) {
            int[] ds = p.docs();
            float[] ws = p.weights();
            for (int k = 0; k < ds.length; k++) {
                int d = ds[k];
                if (score[d] == 0f) {
                    if (nTouched < touched.length) {
                        touched[nTouched++] = d;
                    } else {
                        overflow = true;
                    }
                }
                score[d] += qb * ws[k];
            }
        }

        /** Adds {@code p}'s weights to the current candidates only (not after an overflow). */
        void addToCandidates(Postings p, float qb) {
            int[] ds = p.docs();
            float[] ws = p.weights();
            if ((long) nTouched * (32 - Integer.numberOfLeadingZeros(ds.length)) < ds.length) {
                // few candidates: look each one up in the long postings
                for (int i = 0; i < nTouched; i++) {
                    int k = Arrays.binarySearch(ds, touched[i]);
                    if (k >= 0) {
                        score[touched[i]] += qb * ws[k];
                    }
                }
            } else {
                // many candidates: one pass over the postings
                for (int k = 0; k < ds.length; k++) {
                    if (score[ds[k]] != 0f) {
                        score[ds[k]] += qb * ws[k];
                    }
                }
            }
        }
    }

    /**
     * Scratch arrays for concurrent searches: a few slots picked by thread id, taken and put back
     * (a ThreadLocal lookup cost more than the rest of the bookkeeping in the profile); a thread that
     * finds its slot empty, because another thread holds it, makes a new one.
     */
    private static final AtomicReferenceArray<Scratch> SCRATCH = new AtomicReferenceArray<>(16);

    private static int scratchSlot() {
        return (int) (Thread.currentThread().getId() & (SCRATCH.length() - 1));
    }

    /** Analysed query: field → (term → frequency), and field → length. */
    private record QueryTerms(Map<String, Map<String, Integer>> freqs, Map<String, Integer> lengths) {
    }

    private QueryTerms queryTerms(LocaleAnalysis.Analyzed text) {
        Map<String, Map<String, Integer>> freqs = new LinkedHashMap<>();
        Map<String, Integer> lengths = new HashMap<>();
        add(freqs, lengths, F_WORDS, text.words());
        add(freqs, lengths, F_NGRAMS, text.ngrams());
        return new QueryTerms(freqs, lengths);
    }

    private static void add(Map<String, Map<String, Integer>> freqs, Map<String, Integer> lengths,
                            String field, List<String> terms) {
        Map<String, Integer> tf = new LinkedHashMap<>();
        for (String t : terms) {
            if (tf.size() >= MAX_TERMS_PER_FIELD && !tf.containsKey(t)) {
                continue;
            }
            tf.merge(t, 1, Integer::sum);
        }
        freqs.put(field, tf);
        lengths.put(field, terms.size());
    }

    private static float boost(String field) {
        return F_NGRAMS.equals(field) ? NGRAM_BOOST : 1f;
    }

    /** Lucene 9 BM25 idf. */
    private static final class BotMath {
        static double idf(long docCount, long docFreq) {
            return Math.log(1 + (docCount - docFreq + 0.5) / (docFreq + 0.5));
        }
    }

    /** BM25 score of a text against a document identical to itself (Lucene 9 BM25 formula). */
    private double selfScore(QueryTerms q) {
        double total = 0;
        for (Map.Entry<String, Map<String, Integer>> f : q.freqs().entrySet()) {
            String field = f.getKey();
            FieldStats fs = stats.get(field);
            double norm = K1 * (1 - B + B * q.lengths().get(field) / Math.max(fs.avgLength(), 1e-9));
            for (Map.Entry<String, Integer> t : f.getValue().entrySet()) {
                double idf = fs.idfOf(t.getKey());
                int tf = t.getValue();
                total += boost(field) * tf * idf * tf / (tf + norm);
            }
        }
        return total;
    }

    /**
     * Labels matching {@code text}, best first, at most {@code maxLabels}; the similarity of a label
     * is the best similarity of any of its phrasings.
     */
    public List<FaqMatch> search(String text, int maxLabels) {
        return search(analysis.analyze(text), maxLabels);
    }

    /** {@link #search(String, int)} of a question already analysed by this index's {@link LocaleAnalysis}. */
    public List<FaqMatch> search(LocaleAnalysis.Analyzed text, int maxLabels) {
        QueryTerms q = queryTerms(text);
        double selfQ = selfScore(q);
        if (selfQ <= 0) {
            return List.of();
        }
        // BM25 of every document sharing a term with the query (the same sum Lucene computes for a
        // BooleanQuery of boosted SHOULD term clauses), accumulated in place. N-grams in more than
        // commonDf phrasings (English grams such as "_wh", "ing") are added last and only to the
        // documents the other terms already found (by binary search in their postings when the
        // candidates are few): the candidates' scores stay exact, and a document that shares
        // nothing but common grams with the question is not a candidate. A question with no other
        // term walks them fully.
        int slot = scratchSlot();
        Scratch taken = SCRATCH.getAndSet(slot, null);
        Scratch sc = (taken == null ? new Scratch() : taken).start(docLabel.length);
        try {
            return search(q, selfQ, sc, maxLabels);
        } finally {
            SCRATCH.lazySet(slot, sc);
        }
    }

    private List<FaqMatch> search(QueryTerms q, double selfQ, Scratch sc, int maxLabels) {
        int nCommon = 0;
        Postings[] common = sc.common;
        float[] commonBoost = sc.commonBoost;
        for (Map.Entry<String, Map<String, Integer>> f : q.freqs().entrySet()) {
            FieldStats fieldStats = stats.get(f.getKey());
            float boost = boost(f.getKey());
            int fieldCommonDf = F_NGRAMS.equals(f.getKey()) ? commonDf : Integer.MAX_VALUE;
            for (Map.Entry<String, Integer> t : f.getValue().entrySet()) {
                Postings p = fieldStats.postingsOf(t.getKey());
                if (p == null) {
                    continue;
                }
                float qb = boost * t.getValue();
                if (p.docs().length > fieldCommonDf && nCommon < common.length) {
                    common[nCommon] = p;
                    commonBoost[nCommon++] = qb;
                } else {
                    sc.walk(p, qb);
                }
            }
        }
        boolean walkCommon = sc.overflow || sc.nTouched == 0;
        for (int c = 0; c < nCommon; c++) {
            if (walkCommon) {
                sc.walk(common[c], commonBoost[c]); // no candidates yet: the common terms find them
            } else {
                sc.addToCandidates(common[c], commonBoost[c]);
            }
        }
        float[] score = sc.score;
        int[] touched = sc.touched;
        boolean overflow = sc.overflow;
        int nTouched = sc.nTouched;
        // Best similarity per label, only for the labels the question reached (no per-question array
        // of every label: a 1,000-entry FAQ would allocate and scan 1,000 slots per question).
        double[] best = sc.labels(labelNames.length);
        int[] labelsHit = sc.labelsHit;
        int nLabels = 0;
        double invSqrtQ = 1.0 / Math.sqrt(selfQ);
        int n = overflow ? docLabel.length : nTouched;
        for (int i = 0; i < n; i++) {
            int d = overflow ? i : touched[i];
            float v = score[d];
            score[d] = 0f; // leave the scratch array zeroed for the next question
            if (v <= 0f) {
                continue;
            }
            double sim = Math.min(1.0, v * invSqrtQ * docInvSqrtSelf[d]);
            if (!(sim > 0)) {
                continue;
            }
            int l = docLabelId[d];
            if (best[l] == 0) {
                labelsHit[nLabels++] = l;
            }
            if (sim > best[l]) {
                best[l] = sim;
            }
        }
        // The maxLabels best (similarity descending, then label name), by insertion into a short list.
        int k = Math.min(maxLabels, nLabels);
        int[] top = new int[k];
        int filled = 0;
        for (int i = 0; i < nLabels; i++) {
            int l = labelsHit[i];
            if (filled == k && !before(l, top[k - 1], best)) {
                continue;
            }
            int j = filled < k ? filled++ : k - 1;
            while (j > 0 && before(l, top[j - 1], best)) {
                top[j] = top[j - 1];
                j--;
            }
            top[j] = l;
        }
        FaqMatch[] out = new FaqMatch[k];
        for (int i = 0; i < k; i++) {
            out[i] = new FaqMatch(labelNames[top[i]], best[top[i]]);
        }
        for (int i = 0; i < nLabels; i++) {
            best[labelsHit[i]] = 0;
        }
        return List.of(out);
    }

    /** Whether label {@code a} ranks before label {@code b}: higher similarity, then name. */
    private boolean before(int a, int b, double[] best) {
        int c = Double.compare(best[a], best[b]);
        return c != 0 ? c > 0 : labelNames[a].compareTo(labelNames[b]) < 0;
    }
}
