package dev.sodam.bench.bot;

import dev.sodam.bot.FaqEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import opennlp.tools.doccat.DoccatFactory;
import opennlp.tools.doccat.DoccatModel;
import opennlp.tools.doccat.DocumentCategorizerME;
import opennlp.tools.doccat.DocumentSample;
import opennlp.tools.util.ObjectStreamUtils;
import opennlp.tools.util.TrainingParameters;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.ko.KoreanAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.QueryBuilder;

/**
 * The textbook answer path a FAQ bot would start from, on the same phrasings as the bot: Lucene's
 * stock analyzer of the language ({@link KoreanAnalyzer} / {@link EnglishAnalyzer}), one document
 * per phrasing, a BM25 boolean query of the question's terms, top 10; and an OpenNLP
 * {@link DocumentCategorizerME} (bag of words, default maxent) over whitespace tokens. No
 * normalisation, n-grams, calibration or decision: the floor a richer bot is compared with.
 */
final class ReferenceBot {

    private final Analyzer analyzer;
    private final IndexSearcher searcher;
    private final DocumentCategorizerME doccat;

    ReferenceBot(String locale, List<FaqEntry> faq) {
        analyzer = "ko".equals(locale) ? new KoreanAnalyzer() : new EnglishAnalyzer();
        List<DocumentSample> samples = new ArrayList<>();
        ByteBuffersDirectory dir = new ByteBuffersDirectory();
        try {
            try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(analyzer))) {
                for (FaqEntry e : faq) {
                    List<String> texts = new ArrayList<>(e.paraphrases());
                    texts.add(e.question());
                    for (String t : texts) {
                        Document d = new Document();
                        d.add(new StoredField("id", e.id()));
                        d.add(new TextField("q", t, Field.Store.NO));
                        w.addDocument(d);
                        samples.add(new DocumentSample(e.id(), tokens(t)));
                    }
                }
            }
            searcher = new IndexSearcher(DirectoryReader.open(dir));
            TrainingParameters params = TrainingParameters.defaultParams();
            params.put(TrainingParameters.CUTOFF_PARAM, 1);
            DoccatModel model = DocumentCategorizerME.train(locale, ObjectStreamUtils.createObjectStream(samples),
                    params, new DoccatFactory());
            doccat = new DocumentCategorizerME(model);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String[] tokens(String text) {
        return text.toLowerCase(java.util.Locale.ROOT).split("\\s+");
    }

    /** The best category of the classifier, after the top-10 retrieval (the id of its best hit). */
    String answer(String question) {
        try {
            Query q = new QueryBuilder(analyzer).createBooleanQuery("q", question);
            String retrieved = null;
            if (q != null) {
                TopDocs top = searcher.search(q, 10);
                if (top.scoreDocs.length > 0) {
                    retrieved = searcher.storedFields().document(top.scoreDocs[0].doc).get("id");
                }
            }
            double[] p = doccat.categorize(tokens(question));
            String best = doccat.getBestCategory(p);
            return retrieved == null ? best : retrieved;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
