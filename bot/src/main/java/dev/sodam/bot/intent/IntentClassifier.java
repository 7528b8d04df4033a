package dev.sodam.bot.intent;

import dev.sodam.bot.faq.LabelledText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import opennlp.tools.doccat.DoccatFactory;
import opennlp.tools.doccat.DoccatModel;
import opennlp.tools.doccat.DocumentCategorizerME;
import opennlp.tools.doccat.DocumentSample;
import opennlp.tools.util.ObjectStream;
import opennlp.tools.util.ObjectStreamUtils;
import opennlp.tools.util.TrainingParameters;

/**
 * OpenNLP maxent document categorizer over one locale's labels (FAQ ids and small-talk intents),
 * trained in process from the phrasings, no model files.
 *
 * <p>{@link DocumentCategorizerME#categorize(String[])} only evaluates the immutable maxent model
 * with a fresh probability array per call, so one instance is shared by all threads.
 */
public final class IntentClassifier {

    /** Maxent (GIS) iterations. */
    static final int ITERATIONS = 100;

    private final FeatureExtractor features;
    private final DocumentCategorizerME categorizer;
    private final String[] labels;

    private IntentClassifier(FeatureExtractor features, DocumentCategorizerME categorizer) {
        this.features = features;
        this.categorizer = categorizer;
        this.labels = new String[categorizer.getNumberOfCategories()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = categorizer.getCategory(i);
        }
    }

    /** Trains on {@code samples}; needs at least two distinct labels. */
    public static IntentClassifier train(String language, List<LabelledText> samples, FeatureExtractor features) {
        List<DocumentSample> docs = new ArrayList<>(samples.size());
        for (LabelledText s : samples) {
            String[] f = features.features(s.text());
            if (f.length > 0) {
                docs.add(new DocumentSample(s.label(), f));
            }
        }
        if (docs.stream().map(DocumentSample::getCategory).distinct().count() < 2) {
            throw new IllegalArgumentException("intent classifier needs at least two labels for " + language);
        }
        TrainingParameters params = new TrainingParameters();
        params.put(TrainingParameters.ALGORITHM_PARAM, "MAXENT");
        params.put(TrainingParameters.ITERATIONS_PARAM, ITERATIONS);
        params.put(TrainingParameters.CUTOFF_PARAM, 1);
        params.put(TrainingParameters.THREADS_PARAM, 1);
        try (ObjectStream<DocumentSample> stream = ObjectStreamUtils.createObjectStream(docs)) {
            DoccatModel model = DocumentCategorizerME.train(language, stream, params, new DoccatFactory());
            return new IntentClassifier(features, new DocumentCategorizerME(model));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The labels, index-aligned with {@link #classify}. */
    public List<String> labels() {
        return List.of(labels);
    }

    /** Probability per label (index-aligned with {@link #labels()}); uniform when nothing is known. */
    public double[] classify(String text) {
        String[] f = features.features(text);
        if (f.length == 0) {
            double[] uniform = new double[labels.length];
            java.util.Arrays.fill(uniform, 1.0 / labels.length);
            return uniform;
        }
        return categorizer.categorize(f);
    }

    /** Convenience for tests and diagnostics: the feature strings of {@code text}. */
    public String[] features(String text) {
        return features.features(text);
    }
}
