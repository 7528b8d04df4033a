package dev.sodam.bot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Turns the bot's raw score of its best label (retrieval and classifier combined, with the margin
 * and agreement factors; {@code BotResponder}) into the probability that the label is right, as
 * measured on labelled validation questions of one locale. Without it the raw score's scale depends on
 * the FAQ: the answer threshold chosen on CLINC150 was 0.13 and on banking77-oos 0.51, so an "answer
 * at 0.55" in {@code sodam.yaml} or "confidence 0.3" in the console meant nothing by itself.
 *
 * <p>Fitted by isotonic regression (pool adjacent violators) of "the top label is the gold label" on
 * the raw score — an out-of-scope question's top label is never right —: straight lines through every
 * pooled block's (mean score, share right), constant before the first block and after the last, then
 * mixed with {@value #TIE_BREAK} of the raw score itself so that the curve strictly increases. Strictly increasing keeps the order of
 * any two questions, so a threshold on the calibrated value accepts exactly the questions its raw
 * counterpart did: calibration changes what the number means, never a decision at the threshold
 * calibration chose.
 *
 * <p>Immutable and thread-safe. {@link #IDENTITY} (no validation questions, or calibration off) leaves
 * the raw score as it is.
 */
public final class ConfidenceScale {

    /** Share of the raw score mixed in, so the curve has no flat stretch and no two scores tie. */
    static final double TIE_BREAK = 1e-3;

    /** The raw score unchanged. */
    public static final ConfidenceScale IDENTITY = new ConfidenceScale(new double[] {0, 1}, new double[] {0, 1}, 0);

    /** Knots of the isotonic curve: x strictly increasing from 0 to 1, y non-decreasing, in [0, 1]. */
    private final double[] xs;
    private final double[] ys;
    private final int questions;

    private ConfidenceScale(double[] xs, double[] ys, int questions) {
        this.xs = xs;
        this.ys = ys;
        this.questions = questions;
    }

    /**
     * The scale fitted on scored validation questions ({@code confidence}: the raw score). With no
     * question, {@link #IDENTITY}.
     */
    public static ConfidenceScale fit(List<Calibration.Scored> scored) {
        if (scored.isEmpty()) {
            return IDENTITY;
        }
        List<Calibration.Scored> sorted = new ArrayList<>(scored);
        sorted.sort(Comparator.comparingDouble(s -> clamp(s.confidence())));
        // Questions of equal score form one block (one x per block); a block whose share right is not
        // above its left neighbour's is pooled with it, so the blocks' shares strictly increase.
        int n = sorted.size();
        double[] sumX = new double[n];
        double[] right = new double[n];
        int[] count = new int[n];
        int blocks = 0;
        for (int i = 0; i < n; ) {
            double x = clamp(sorted.get(i).confidence());
            for (; i < n && clamp(sorted.get(i).confidence()) == x; i++) {
                sumX[blocks] += x;
                right[blocks] += sorted.get(i).right() ? 1 : 0;
                count[blocks]++;
            }
            blocks++;
            while (blocks > 1 && right[blocks - 1] * count[blocks - 2] <= right[blocks - 2] * count[blocks - 1]) {
                sumX[blocks - 2] += sumX[blocks - 1];
                right[blocks - 2] += right[blocks - 1];
                count[blocks - 2] += count[blocks - 1];
                sumX[blocks - 1] = 0;
                right[blocks - 1] = 0;
                count[blocks - 1] = 0;
                blocks--;
            }
        }
        // Knots: the blocks' (mean score, share right), constant beyond the first and the last block
        // (no question says more there), from x = 0 to x = 1.
        double[] xs = new double[blocks + 2];
        double[] ys = new double[blocks + 2];
        int k = 0;
        xs[k] = 0;
        ys[k++] = right[0] / count[0];
        for (int b = 0; b < blocks; b++) {
            double x = sumX[b] / count[b];
            if (x <= 0 || x >= 1) {
                continue; // a block at an end: the end knot already has (or gets) its share
            }
            xs[k] = x;
            ys[k++] = right[b] / count[b];
        }
        xs[k] = 1;
        ys[k++] = right[blocks - 1] / count[blocks - 1];
        return new ConfidenceScale(Arrays.copyOf(xs, k), Arrays.copyOf(ys, k), n);
    }

    /** The calibrated value of a raw score, in [0, 1]; strictly increasing in {@code raw} over [0, 1]. */
    public double apply(double raw) {
        double x = clamp(raw);
        if (this == IDENTITY) {
            return x;
        }
        int i = Arrays.binarySearch(xs, x);
        double y;
        if (i >= 0) {
            y = ys[i];
        } else {
            int hi = -i - 1; // xs[0] = 0 <= x <= 1 = xs[last], so 0 < hi < xs.length
            int lo = hi - 1;
            y = ys[lo] + (ys[hi] - ys[lo]) * (x - xs[lo]) / (xs[hi] - xs[lo]);
        }
        return clamp((1 - TIE_BREAK) * y + TIE_BREAK * x);
    }

    /** Whether this is {@link #IDENTITY}. */
    public boolean isIdentity() {
        return this == IDENTITY;
    }

    /** How many validation questions it was fitted on (0 for {@link #IDENTITY}). */
    public int questions() {
        return questions;
    }

    /** The curve's knots as (raw score, share right) pairs, from raw score 0 to 1. */
    public List<double[]> knots() {
        List<double[]> out = new ArrayList<>(xs.length);
        for (int i = 0; i < xs.length; i++) {
            out.add(new double[] {xs[i], ys[i]});
        }
        return out;
    }

    @Override
    public String toString() {
        if (this == IDENTITY) {
            return "ConfidenceScale[identity]";
        }
        StringBuilder sb = new StringBuilder("ConfidenceScale[").append(questions).append(" questions:");
        for (int i = 0; i < xs.length; i++) {
            sb.append(String.format(java.util.Locale.ROOT, " %.3f→%.3f", xs[i], ys[i]));
        }
        return sb.append(']').toString();
    }

    private static double clamp(double v) {
        return v < 0 || Double.isNaN(v) ? 0 : Math.min(1, v);
    }
}
