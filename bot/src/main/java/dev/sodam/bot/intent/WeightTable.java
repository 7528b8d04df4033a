package dev.sodam.bot.intent;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import opennlp.tools.ml.model.AbstractModel;
import opennlp.tools.ml.model.Context;

/**
 * The scoring table of a trained OpenNLP maximum-entropy model: feature → one row of weights (one
 * per class), so scoring a question is one hash lookup per feature and then {@code classes}
 * multiply-adds per known feature, instead of OpenNLP's generic {@code eval} (which walks
 * {@code Context} objects per feature). Probabilities equal the model's own
 * {@code eval(context, values)} for the same context and values (see {@code WeightTableTest}).
 *
 * <p>Feature values: every feature of a question weighs {@code 1/sqrt(k)} ({@code k} = number of
 * features of the question, known or not), the bias predicate weighs 1. Immutable and thread-safe.
 */
final class WeightTable {

    private final Map<String, Integer> featureIndex;
    /** Row-major weights: feature f, class c at {@code f * classes + c}. */
    private final double[] weights;
    private final double[] bias;
    private final String[] classNames;

    private WeightTable(Map<String, Integer> featureIndex, double[] weights, double[] bias, String[] classNames) {
        this.featureIndex = featureIndex;
        this.weights = weights;
        this.bias = bias;
        this.classNames = classNames;
    }

    /**
     * Copies the parameters of a trained OpenNLP maxent model ({@code AbstractModel#getDataStructures()}:
     * {@code Context[]} parameters, predicate → {@code Context} map, outcome names) into a table.
     * The predicate {@code biasPredicate} becomes the bias row. Works for models whose {@code eval}
     * is a plain softmax over summed parameters (OpenNLP's {@code MAXENT_QN}).
     */
    static WeightTable fromOpenNlp(AbstractModel model, String biasPredicate) {
        if (model.getModelType() != AbstractModel.ModelType.MaxentQn) {
            throw new IllegalArgumentException("expected an OpenNLP MAXENT_QN model, got " + model.getModelType());
        }
        Object[] data = model.getDataStructures();
        Map<?, ?> pmap = (Map<?, ?>) data[1];
        String[] outcomes = ((String[]) data[2]).clone();
        int classes = outcomes.length;
        Map<String, Integer> index = new HashMap<>(pmap.size() * 2);
        double[] w = new double[pmap.size() * classes];
        double[] b = new double[classes];
        for (Map.Entry<?, ?> e : pmap.entrySet()) {
            String predicate = (String) e.getKey();
            Context ctx = (Context) e.getValue();
            double[] row;
            int base;
            if (predicate.equals(biasPredicate)) {
                row = b;
                base = 0;
            } else {
                row = w;
                base = index.size() * classes;
                index.put(predicate, index.size());
            }
            int[] outs = ctx.getOutcomes();
            double[] params = ctx.getParameters();
            for (int i = 0; i < outs.length; i++) {
                row[base + outs[i]] = params[i];
            }
        }
        double[] trimmed = index.size() * classes == w.length ? w : Arrays.copyOf(w, index.size() * classes);
        return new WeightTable(Map.copyOf(index), trimmed, b, outcomes);
    }

    int classes() {
        return classNames.length;
    }

    /** Class names, index-aligned with {@link #probabilities}. */
    String[] classNames() {
        return classNames.clone();
    }

    int featureCount() {
        return featureIndex.size();
    }

    /** The value every feature of a question with {@code k} features gets in training and scoring. */
    static float featureValue(int k) {
        return (float) (1.0 / Math.sqrt(k));
    }

    /** Class probabilities for a question's features (unknown features ignored). */
    double[] probabilities(String[] features) {
        int classes = classNames.length;
        double[] logits = bias.clone();
        // Unknown features still count in k: they dilute the known ones, so mostly-unknown
        // questions look less certain.
        double v = featureValue(features.length);
        for (String f : features) {
            Integer id = featureIndex.get(f);
            if (id != null) {
                int base = id * classes;
                for (int c = 0; c < classes; c++) {
                    logits[c] += v * weights[base + c];
                }
            }
        }
        softmaxInPlace(logits);
        return logits;
    }

    private static void softmaxInPlace(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int c = 0; c < z.length; c++) {
            z[c] = Math.exp(z[c] - max);
            sum += z[c];
        }
        for (int c = 0; c < z.length; c++) {
            z[c] /= sum;
        }
    }

    @Override
    public String toString() {
        return "WeightTable[" + featureIndex.size() + " features, " + classNames.length + " classes]";
    }
}
