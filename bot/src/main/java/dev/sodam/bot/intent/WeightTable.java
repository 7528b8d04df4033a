package dev.sodam.bot.intent;

import dev.sodam.bot.analysis.TermIds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import opennlp.tools.ml.model.AbstractModel;
import opennlp.tools.ml.model.Context;

/**
 * The scoring table of a trained OpenNLP maximum-entropy model: feature → one sparse row of
 * (class, weight) pairs, so scoring a question is one hash lookup per feature and then one
 * multiply-add per stored pair of each known feature, instead of OpenNLP's generic {@code eval}
 * (which walks {@code Context} objects per feature). The exact table ({@link #fromOpenNlp} with
 * tolerance 0) stores every non-zero weight and gives the model's own {@code eval(context, values)}
 * (see {@code WeightTableTest}).
 *
 * <p>Why sparse: at 1,000 labels a dense row is 1,000 floats per known feature, and reading ~40
 * such rows was most of a decision's classifier time, while a feature matters for a few labels
 * only (its weights for the others sit near one common value). {@link #pruned} stores, per
 * feature, the weights minus that common value ({@code shift}) and drops the differences within a
 * tolerance. Subtracting one constant from a feature's whole row adds the same amount to every
 * label's logit, which the softmax ignores, so only the dropped differences change a probability;
 * the tolerance is chosen on val splits (docs/bot.md section 5).
 *
 * <p>Feature values: every feature of a question weighs {@code 1/sqrt(k)} ({@code k} = number of
 * features of the question, known or not), the bias predicate weighs 1. Immutable and thread-safe.
 */
final class WeightTable {

    private final TermIds featureIndex;
    /** Feature f's pairs are {@code [rowStart[f], rowStart[f + 1])} of {@link #rowClass} / {@link #rowWeight}. */
    private final int[] rowStart;
    /** Class of each stored pair, ascending within a row. */
    private final int[] rowClass;
    /**
     * Weight of each stored pair (minus the row's shift in a pruned table). Floats, not doubles: a
     * question reads one row per known feature; logits are still summed in doubles.
     */
    private final float[] rowWeight;
    /**
     * Rows with more than a third of the classes kept are stored dense instead (the features most
     * questions have: particles, common syllables, whose weights differ for many labels): feature
     * f's row is {@code dense[denseRow[f] * classes …]}, dropped weights 0, and its pair range is
     * empty; -1 for a sparse row. A dense loop over a row is several times cheaper per weight than the
     * scattered one, so at a third of the classes it is the cheaper of the two.
     */
    private final int[] denseRow;
    private final float[] dense;
    /** Weights kept (pairs plus the non-zero weights of dense rows). */
    private final long kept;
    private final double[] bias;
    private final String[] classNames;
    /** Differences from a row's shift up to this were dropped; 0 for the exact table. */
    private final double tolerance;

    private WeightTable(TermIds featureIndex, int[] rowStart, int[] rowClass, float[] rowWeight, int[] denseRow,
                        float[] dense, long kept, double[] bias, String[] classNames, double tolerance) {
        this.featureIndex = featureIndex;
        this.rowStart = rowStart;
        this.rowClass = rowClass;
        this.rowWeight = rowWeight;
        this.denseRow = denseRow;
        this.dense = dense;
        this.kept = kept;
        this.bias = bias;
        this.classNames = classNames;
        this.tolerance = tolerance;
    }

    /**
     * Copies the parameters of a trained OpenNLP maxent model ({@code AbstractModel#getDataStructures()}:
     * {@code Context[]} parameters, predicate → {@code Context} map, outcome names) into an exact
     * table: every non-zero weight, as a float. The predicate {@code biasPredicate} becomes the bias
     * row. Works for models whose {@code eval} is a plain softmax over summed parameters (OpenNLP's
     * {@code MAXENT_QN}).
     */
    static WeightTable fromOpenNlp(AbstractModel model, String biasPredicate) {
        return fromOpenNlp(model, biasPredicate, 0.0);
    }

    /**
     * {@link #fromOpenNlp(AbstractModel, String)} pruned as by {@link #pruned} while copying, without
     * the exact table in between (at 1,000 labels that would be hundreds of MB).
     */
    static WeightTable fromOpenNlp(AbstractModel model, String biasPredicate, double tolerance) {
        checkTolerance(tolerance);
        if (model.getModelType() != AbstractModel.ModelType.MaxentQn) {
            throw new IllegalArgumentException("expected an OpenNLP MAXENT_QN model, got " + model.getModelType());
        }
        Object[] data = model.getDataStructures();
        Map<?, ?> pmap = (Map<?, ?>) data[1];
        String[] outcomes = ((String[]) data[2]).clone();
        int classes = outcomes.length;
        List<String> predicates = new ArrayList<>(pmap.size());
        double[] b = new double[classes];
        RowBuilder rows = new RowBuilder(pmap.size(), classes);
        float[] row = new float[classes];
        float[] sorted = new float[classes];
        for (Map.Entry<?, ?> e : pmap.entrySet()) {
            String predicate = (String) e.getKey();
            Context ctx = (Context) e.getValue();
            int[] outs = ctx.getOutcomes();
            double[] params = ctx.getParameters();
            if (predicate.equals(biasPredicate)) {
                for (int i = 0; i < outs.length; i++) {
                    b[outs[i]] = params[i];
                }
            } else {
                Arrays.fill(row, 0f);
                for (int i = 0; i < outs.length; i++) {
                    row[outs[i]] = (float) params[i];
                }
                predicates.add(predicate);
                rows.add(row, shift(row, sorted, tolerance), tolerance);
            }
        }
        return rows.build(new TermIds(predicates), b, outcomes, tolerance);
    }

    /**
     * This table with every row shifted to its most common value and the differences of at most
     * {@code tolerance} dropped (see the class comment). The shift of a row is the centre of the
     * densest window of width {@code 2 · tolerance} over its weights, so the most weights fall
     * within the tolerance. Tolerance 0 gives this table's weights unchanged.
     */
    WeightTable pruned(double tolerance) {
        checkTolerance(tolerance);
        if (tolerance == 0) {
            return this;
        }
        int classes = classNames.length;
        int features = rowStart.length - 1;
        RowBuilder rows = new RowBuilder(features, classes);
        float[] row = new float[classes];
        float[] sorted = new float[classes];
        for (int f = 0; f < features; f++) {
            if (denseRow[f] >= 0) {
                System.arraycopy(dense, denseRow[f] * classes, row, 0, classes);
            } else {
                Arrays.fill(row, 0f);
                for (int k = rowStart[f]; k < rowStart[f + 1]; k++) {
                    row[rowClass[k]] = rowWeight[k];
                }
            }
            rows.add(row, shift(row, sorted, tolerance), tolerance);
        }
        return rows.build(featureIndex, bias, classNames, tolerance);
    }

    private static void checkTolerance(double tolerance) {
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new IllegalArgumentException("weight tolerance must be finite and >= 0: " + tolerance);
        }
    }

    /** The shift of {@code row}: 0 for the exact table, else {@link #densestCentre} ({@code scratch} is overwritten). */
    private static float shift(float[] row, float[] scratch, double tolerance) {
        if (tolerance == 0) {
            return 0f;
        }
        System.arraycopy(row, 0, scratch, 0, row.length);
        return densestCentre(scratch, tolerance);
    }

    /** Centre of the window {@code [x, x + 2 · tolerance]} holding the most of {@code values} (sorted here). */
    static float densestCentre(float[] values, double tolerance) {
        Arrays.sort(values);
        double width = 2 * tolerance;
        int bestFrom = 0;
        int bestCount = 0;
        int to = 0;
        for (int from = 0; from < values.length; from++) {
            if (to < from) {
                to = from;
            }
            while (to + 1 < values.length && values[to + 1] - values[from] <= width) {
                to++;
            }
            if (to - from + 1 > bestCount) {
                bestCount = to - from + 1;
                bestFrom = from;
            }
        }
        int bestTo = bestFrom + bestCount - 1;
        return (float) ((values[bestFrom] + (double) values[bestTo]) / 2);
    }

    /** Collects rows into the flat arrays; the pair and dense arrays grow as needed. */
    private static final class RowBuilder {
        private final int classes;
        private final int[] start;
        private final int[] denseRow;
        private int rows;
        private int[] cls = new int[1024];
        private float[] w = new float[1024];
        private int size;
        private float[] dense = new float[0];
        private int denseRows;
        private long kept;

        RowBuilder(int features, int classes) {
            this.classes = classes;
            start = new int[features + 1];
            denseRow = new int[features];
        }

        private static boolean keep(float d, double tolerance) {
            return d != 0f && Math.abs(d) > tolerance;
        }

        /**
         * Adds the next row: its weights minus {@code shift} whose size exceeds {@code tolerance}, as
         * pairs, or as a dense row (the others 0) when more than a third of the classes are kept.
         */
        void add(float[] row, float shift, double tolerance) {
            int n = 0;
            for (float x : row) {
                n += keep(x - shift, tolerance) ? 1 : 0;
            }
            kept += n;
            if (3L * n > classes) {
                if ((long) (denseRows + 1) * classes > dense.length) {
                    dense = Arrays.copyOf(dense, Math.max(classes, 2 * dense.length));
                }
                int base = denseRows * classes;
                for (int c = 0; c < classes; c++) {
                    float d = row[c] - shift;
                    dense[base + c] = keep(d, tolerance) ? d : 0f;
                }
                denseRow[rows] = denseRows++;
                start[++rows] = size;
                return;
            }
            denseRow[rows] = -1;
            for (int c = 0; c < row.length; c++) {
                float d = row[c] - shift;
                if (keep(d, tolerance)) {
                    if (size == cls.length) {
                        cls = Arrays.copyOf(cls, size * 2);
                        w = Arrays.copyOf(w, size * 2);
                    }
                    cls[size] = c;
                    w[size++] = d;
                }
            }
            start[++rows] = size;
        }

        WeightTable build(TermIds index, double[] bias, String[] classNames, double tolerance) {
            return new WeightTable(index, Arrays.copyOf(start, rows + 1), Arrays.copyOf(cls, size),
                    Arrays.copyOf(w, size), Arrays.copyOf(denseRow, rows),
                    Arrays.copyOf(dense, denseRows * classes), kept, bias, classNames, tolerance);
        }
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

    /** Stored (class, weight) pairs over all features: features × classes for a dense model. */
    long storedWeights() {
        return kept;
    }

    /** Rows stored dense (see {@link #denseRow}). */
    int denseRows() {
        return classNames.length == 0 ? 0 : dense.length / classNames.length;
    }

    double tolerance() {
        return tolerance;
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
            int id = featureIndex.id(f);
            if (id < 0) {
                continue;
            }
            // Per class the additions come in the same order as in a dense row (a dropped or zero
            // weight adds nothing), so the exact table's logits are those of the dense table it
            // replaced, to the bit.
            int d = denseRow[id];
            if (d >= 0) {
                int base = d * classes;
                for (int c = 0; c < classes; c++) {
                    logits[c] += v * dense[base + c];
                }
            } else {
                for (int k = rowStart[id], end = rowStart[id + 1]; k < end; k++) {
                    logits[rowClass[k]] += v * rowWeight[k];
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
        return "WeightTable[" + featureIndex.size() + " features, " + classNames.length + " classes, "
                + kept + " weights (" + denseRows() + " rows dense), tolerance " + tolerance + "]";
    }
}
