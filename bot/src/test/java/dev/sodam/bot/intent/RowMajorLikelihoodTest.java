package dev.sodam.bot.intent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.bot.analysis.LocaleAnalysis;
import dev.sodam.bot.faq.LabelledText;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import opennlp.tools.ml.EventTrainer;
import opennlp.tools.ml.TrainerFactory;
import opennlp.tools.ml.maxent.quasinewton.Function;
import opennlp.tools.ml.maxent.quasinewton.NegLogLikelihood;
import opennlp.tools.ml.maxent.quasinewton.ParallelNegLogLikelihood;
import opennlp.tools.ml.model.AbstractModel;
import opennlp.tools.ml.model.Context;
import opennlp.tools.ml.model.DataIndexer;
import opennlp.tools.ml.model.Event;
import opennlp.tools.ml.model.OnePassRealValueDataIndexer;
import opennlp.tools.util.ObjectStreamUtils;
import opennlp.tools.util.TrainingParameters;
import org.junit.jupiter.api.Test;

/**
 * The classifier trains with {@link RowMajorLikelihood} in place of OpenNLP's
 * {@code NegLogLikelihood}: it must be the same function to the bit (value and gradient at any
 * point, for OpenNLP's one-thread and n-thread versions, on any number of its own threads), so
 * training with it gives exactly the model OpenNLP's own {@code MAXENT_QN} trainer gives.
 */
class RowMajorLikelihoodTest {

    private static final String[][] DATA = {
        {"delivery", "when will my order arrive", "how long does shipping take", "where is my package",
            "my parcel has not arrived yet", "배송 언제 와요", "택배가 아직 안 왔어요"},
        {"refund", "how do i get a refund", "i want my money back", "can i return this item for a refund",
            "환불해 주세요", "환불은 얼마나 걸려요"},
        {"password", "i forgot my password", "how do i reset my password", "cannot log in to my account",
            "비밀번호를 잊어버렸어요"},
        {"greeting", "hello", "hi there", "good morning", "안녕하세요"},
        {"hours", "when are you open", "opening hours", "are you open on sunday"},
    };

    private final FeatureExtractor fx = new FeatureExtractor(LocaleAnalysis.forLocale("en"));

    private List<Event> events() {
        List<Event> out = new ArrayList<>();
        for (String[] row : DATA) {
            for (int i = 1; i < row.length; i++) {
                String[] f = fx.features(row[i]);
                out.add(new Event(row[0], IntentClassifier.context(f), IntentClassifier.values(f)));
            }
        }
        return out;
    }

    private DataIndexer indexer() throws Exception {
        TrainingParameters p = IntentClassifier.Settings.DEFAULT.parameters();
        p.put("sort", true);
        OnePassRealValueDataIndexer indexer = new OnePassRealValueDataIndexer();
        indexer.init(p, new HashMap<>());
        indexer.index(ObjectStreamUtils.createObjectStream(events()));
        return indexer;
    }

    @Test
    void valueAndGradientAreOpenNlpsToTheBit() throws Exception {
        DataIndexer indexer = indexer();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            // OpenNLP's trainer uses NegLogLikelihood with one thread, ParallelNegLogLikelihood with more;
            // the row-major version reproduces each one's summation order, on any number of its own threads.
            List<Function> references = List.of(new NegLogLikelihood(indexer),
                    new ParallelNegLogLikelihood(indexer, 2), new ParallelNegLogLikelihood(indexer, 3));
            for (int r = 0; r < references.size(); r++) {
                Function reference = references.get(r);
                int openNlpThreads = r + 1;
                for (RowMajorLikelihood f : List.of(new RowMajorLikelihood(indexer, null, 1, openNlpThreads),
                        new RowMajorLikelihood(indexer, pool, 3, openNlpThreads))) {
                    assertThat(f.getDimension()).isEqualTo(reference.getDimension());
                    Random random = new Random(7);
                    for (int trial = 0; trial < 4; trial++) {
                        double[] x = new double[f.getDimension()];
                        for (int i = 0; i < x.length; i++) {
                            x[i] = trial == 0 ? 0 : random.nextGaussian() * trial;
                        }
                        assertThat(f.valueAt(x)).isEqualTo(reference.valueAt(x));
                        assertThat(f.gradientAt(x)).isEqualTo(reference.gradientAt(x).clone());
                        // The same array changed in place: the kept forward pass must not be reused.
                        x[trial] += 0.5;
                        assertThat(f.gradientAt(x)).isEqualTo(reference.gradientAt(x).clone());
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void trainsTheModelOpenNlpsOwnTrainerTrains() throws Exception {
        IntentClassifier.Settings settings = IntentClassifier.Settings.DEFAULT.forSize(events().size(), DATA.length);
        EventTrainer stock = TrainerFactory.getEventTrainer(settings.parameters(), null);
        AbstractModel expected = (AbstractModel) stock.train(ObjectStreamUtils.createObjectStream(events()));
        List<LabelledText> samples = new ArrayList<>();
        for (String[] row : DATA) {
            for (int i = 1; i < row.length; i++) {
                samples.add(new LabelledText(row[0], row[i]));
            }
        }
        AbstractModel actual = IntentClassifier.trainOpenNlp("en", samples, fx, IntentClassifier.Settings.DEFAULT);
        assertThat(actual.getNumOutcomes()).isEqualTo(expected.getNumOutcomes());
        // The same parameters, bit for bit: same outcomes, same predicates, same weights.
        Object[] e = expected.getDataStructures();
        Object[] a = actual.getDataStructures();
        assertThat((String[]) a[2]).containsExactly((String[]) e[2]);
        Map<?, ?> ep = (Map<?, ?>) e[1];
        Map<?, ?> ap = (Map<?, ?>) a[1];
        assertThat(ap.keySet()).isEqualTo(ep.keySet());
        for (Object predicate : ep.keySet()) {
            Context ec = (Context) ep.get(predicate);
            Context ac = (Context) ap.get(predicate);
            assertThat(ac.getOutcomes()).as("%s", predicate).containsExactly(ec.getOutcomes());
            assertThat(ac.getParameters()).as("%s", predicate).containsExactly(ec.getParameters());
        }
    }
}
