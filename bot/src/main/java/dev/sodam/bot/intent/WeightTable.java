package dev.sodam.bot.intent;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Multinomial logistic regression (maximum entropy) over sparse binary features, trained by
 * stochastic gradient descent with L2 regularisation, and scored from a precomputed
 * feature → weight-row table (one hash lookup per feature, then {@code classes} multiply-adds).
 *
 * <p>Each example's feature vector is L2-normalised (every present feature weighs
 * {@code 1/sqrt(k)}), so long and short questions train at the same step size. Training is
 * deterministic (fixed shuffle seed). Immutable and thread-safe once built.
 */
final class SoftmaxModel {

    /** Training settings. */
    record Settings(int epochs, double learningRate, double l2, long seed) {
        /**
         * Chosen on BANKING77 / CLINC150 val: 20 epochs at rate 4 decaying linearly to 0.4; L2 only
         * hurt there (1e-4 cost 3–4 points), so it is off.
         */
        static final Settings DEFAULT = new Settings(20, 4.0, 0.0, 17);

        /** Work budget: examples × classes × epochs beyond which the epoch count shrinks. */
        static final double WORK_BUDGET = 20 * 3.0e6;
        static final int MIN_EPOCHS = 8;

        /**
         * Epochs for {@code n} examples and {@code classes} classes: {@link #epochs()} up to CLINC150's
         * size (15,000 × 150), fewer beyond (never under {@link #MIN_EPOCHS}), so a 900-label FAQ
         * trains in seconds, not a minute. Training cost grows with examples × classes.
         */
        int epochsFor(int n, int classes) {
            double work = (double) n * classes;
            return (int) Math.max(Math.min(epochs, MIN_EPOCHS), Math.min(epochs, Math.round(WORK_BUDGET / work)));
        }
    }

    /** Softmax gradients below this are not applied. */
    private static final double GRAD_EPSILON = 1e-4;

    private final Map<String, Integer> featureIndex;
    /** Row-major weights: feature f, class c at {@code f * classes + c}. */
    private final float[] weights;
    private final float[] bias;
    private final int classes;

    private SoftmaxModel(Map<String, Integer> featureIndex, float[] weights, float[] bias, int classes) {
        this.featureIndex = featureIndex;
        this.weights = weights;
        this.bias = bias;
        this.classes = classes;
    }

    int classes() {
        return classes;
    }

    /** Trains on {@code docs} (feature strings per example) with gold class indexes {@code y}. */
    static SoftmaxModel train(List<String[]> docs, int[] y, int classes, Settings s) {
        Map<String, Integer> index = new HashMap<>();
        int[][] x = new int[docs.size()][];
        for (int i = 0; i < docs.size(); i++) {
            String[] f = docs.get(i);
            int[] ids = new int[f.length];
            for (int k = 0; k < f.length; k++) {
                Integer id = index.get(f[k]);
                if (id == null) {
                    id = index.size();
                    index.put(f[k], id);
                }
                ids[k] = id;
            }
            x[i] = ids;
        }
        int nf = index.size();
        float[] w = new float[nf * classes];
        int epochs = s.epochsFor(docs.size(), classes);
        double[] b = new double[classes];
        double scale = 1.0;
        int n = docs.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom rnd = new SplittableRandom(s.seed());
        double[] logits = new double[classes];
        int[] activeIdx = new int[classes];
        float[] activeGrad = new float[classes];
        long t = 0;
        long total = (long) epochs * n;
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int i = n - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
            }
            for (int oi = 0; oi < n; oi++) {
                int ex = order[oi];
                int[] f = x[ex];
                if (f.length == 0) {
                    t++;
                    continue;
                }
                // Linear decay to 10 % of the initial rate.
                double lr = s.learningRate() * (1.0 - 0.9 * t / (double) total);
                t++;
                double v = 1.0 / Math.sqrt(f.length);
                System.arraycopy(b, 0, logits, 0, classes);
                for (int fid : f) {
                    int base = fid * classes;
                    for (int c = 0; c < classes; c++) {
                        logits[c] += v * scale * w[base + c];
                    }
                }
                softmaxInPlace(logits);
                logits[y[ex]] -= 1.0; // gradient of the loss w.r.t. the logits
                scale *= (1.0 - lr * s.l2());
                if (scale < 1e-6) {
                    for (int k = 0; k < w.length; k++) {
                        w[k] *= (float) scale;
                    }
                    scale = 1.0;
                }
                double step = lr * v / scale;
                // Classes the model already gives (almost) nothing need no update: skipping them
                // halves training time with hundreds of labels and changes nothing measurable.
                int active = 0;
                for (int c = 0; c < classes; c++) {
                    if (Math.abs(logits[c]) >= GRAD_EPSILON) {
                        activeIdx[active] = c;
                        activeGrad[active++] = (float) (step * logits[c]);
                    }
                }
                for (int fid : f) {
                    int base = fid * classes;
                    for (int a = 0; a < active; a++) {
                        w[base + activeIdx[a]] -= activeGrad[a];
                    }
                }
                for (int c = 0; c < classes; c++) {
                    b[c] -= lr * logits[c];
                }
            }
        }
        for (int k = 0; k < w.length; k++) {
            w[k] *= (float) scale;
        }
        float[] bf = new float[classes];
        for (int c = 0; c < classes; c++) {
            bf[c] = (float) b[c];
        }
        return new SoftmaxModel(Map.copyOf(index), w, bf, classes);
    }

    /** Class probabilities for a document's features (unknown features ignored). */
    double[] probabilities(String[] features) {
        double[] logits = new double[classes];
        for (int c = 0; c < classes; c++) {
            logits[c] = bias[c];
        }
        int known = 0;
        int[] ids = new int[features.length];
        for (String f : features) {
            Integer id = featureIndex.get(f);
            if (id != null) {
                ids[known++] = id;
            }
        }
        if (known > 0) {
            // Same normalisation as in training, over all features of the question: unknown
            // features dilute the known ones, so mostly-unknown questions look less certain.
            double v = 1.0 / Math.sqrt(features.length);
            for (int k = 0; k < known; k++) {
                int base = ids[k] * classes;
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
        return "SoftmaxModel[" + featureIndex.size() + " features, " + classes + " classes, "
                + Arrays.hashCode(bias) + "]";
    }
}
