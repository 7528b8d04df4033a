package dev.sodam.bot.intent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import opennlp.tools.ml.maxent.quasinewton.Function;
import opennlp.tools.ml.model.DataIndexer;

/**
 * The objective OpenNLP's {@code MAXENT_QN} trainer minimises (negative log-likelihood of the
 * indexed events and its gradient, parameter {@code (outcome, predicate)} at
 * {@code outcome · predicates + predicate}), computed to the same bits as OpenNLP's
 * {@code NegLogLikelihood} (one thread) or {@code ParallelNegLogLikelihood} (n threads: the events
 * cut into the same n chunks, each chunk summed alone, the chunks added in order), in an order the
 * memory likes. Same bits means L-BFGS takes the same steps and stops at the same point: the
 * trained model is OpenNLP's, parameter for parameter (RowMajorLikelihoodTest).
 *
 * <p>Why: OpenNLP's version walks event by event and, for each event, every outcome's row, so each
 * of its events × outcomes × predicates reads lands in a different row of the parameter vector
 * (900 outcomes × 48,000 predicates on paraKQC: 350 MB, a cache miss per read). This walks outcome
 * by outcome: one outcome's row of parameters (one double per predicate) stays in cache while every
 * event reads it, and the outcomes split into disjoint ranges for the worker threads, so the
 * gradient needs no per-thread copy. The per-event normaliser (log-sum-exp over outcomes, with
 * {@code StrictMath} as OpenNLP's {@code ArrayMath}) sits between the two outcome passes.
 *
 * <p>Not thread-safe: one instance belongs to one training run.
 */
final class RowMajorLikelihood implements Function {

    private final int[][] contexts;
    private final float[][] values;
    private final int[] outcomeList;
    private final int[] timesSeen;
    private final int outcomes;
    private final int predicates;
    private final int events;
    /** Activation of outcome o for event e at {@code o · events + e}. */
    private final double[] activation;
    private final double[] logNormaliser;
    private final double[] scratch;
    private final double[] gradient;
    /** The point {@link #activation} was computed at (OpenNLP's line search asks for the value, then the gradient, at one point). */
    private final double[] forwardAt;
    private boolean forwardValid;
    private final ExecutorService pool;
    private final int threads;
    /** Event chunks as OpenNLP's ParallelNegLogLikelihood cuts them: chunk t is [chunkStart[t], chunkStart[t + 1]). */
    private final int[] chunkStart;

    /**
     * @param pool         worker threads for {@code threads > 1}; null to compute on the caller's thread
     * @param threads      number of outcome ranges computed in parallel
     * @param openNlpThreads the {@code Threads} setting whose summation order to reproduce
     */
    RowMajorLikelihood(DataIndexer indexer, ExecutorService pool, int threads, int openNlpThreads) {
        this.contexts = indexer.getContexts();
        this.values = indexer.getValues();
        this.outcomeList = indexer.getOutcomeList();
        this.timesSeen = indexer.getNumTimesEventsSeen();
        this.outcomes = indexer.getOutcomeLabels().length;
        this.predicates = indexer.getPredLabels().length;
        this.events = contexts.length;
        this.activation = new double[Math.multiplyExact(outcomes, events)];
        this.logNormaliser = new double[events];
        this.scratch = new double[events];
        this.gradient = new double[Math.multiplyExact(outcomes, predicates)];
        this.forwardAt = new double[gradient.length];
        this.pool = pool;
        this.threads = pool == null ? 1 : Math.max(1, Math.min(threads, outcomes));
        int chunks = Math.max(1, openNlpThreads);
        this.chunkStart = new int[chunks + 1];
        int size = events / chunks;
        for (int t = 0; t < chunks; t++) {
            chunkStart[t] = t * size;
        }
        chunkStart[chunks] = events;
    }

    @Override
    public int getDimension() {
        return gradient.length;
    }

    @Override
    public double valueAt(double[] x) {
        checkDimension(x);
        forward(x);
        double nll = 0;
        for (int t = 0; t + 1 < chunkStart.length; t++) {
            double part = 0;
            for (int e = chunkStart[t]; e < chunkStart[t + 1]; e++) {
                part -= (activation[outcomeList[e] * events + e] - logNormaliser[e]) * timesSeen[e];
            }
            nll += part;
        }
        return nll;
    }

    @Override
    public double[] gradientAt(double[] x) {
        checkDimension(x);
        forward(x);
        inParallel((from, to) -> {
            double[] part = new double[predicates];
            for (int o = from; o < to; o++) {
                int row = o * predicates;
                int act = o * events;
                for (int t = 0; t + 1 < chunkStart.length; t++) {
                    Arrays.fill(part, 0.0);
                    for (int e = chunkStart[t]; e < chunkStart[t + 1]; e++) {
                        double d = StrictMath.exp(activation[act + e] - logNormaliser[e]) - (outcomeList[e] == o ? 1 : 0);
                        double times = timesSeen[e];
                        int[] ctx = contexts[e];
                        float[] val = values == null ? null : values[e];
                        for (int a = 0; a < ctx.length; a++) {
                            part[ctx[a]] += (val == null ? 1.0 : val[a]) * d * times;
                        }
                    }
                    for (int f = 0; f < predicates; f++) {
                        gradient[row + f] = t == 0 ? 0.0 + part[f] : gradient[row + f] + part[f];
                    }
                }
            }
        });
        return gradient;
    }

    /**
     * Activations of every (outcome, event) at {@code x}, then every event's log-sum-exp; kept for
     * the next call at the same point (compared element by element: a copy costs a pass over the
     * parameters, the forward pass costs events × predicates × outcomes reads).
     */
    private void forward(double[] x) {
        if (forwardValid && Arrays.equals(x, forwardAt)) {
            return;
        }
        forwardValid = false;
        inParallel((from, to) -> {
            for (int o = from; o < to; o++) {
                int row = o * predicates;
                int act = o * events;
                for (int e = 0; e < events; e++) {
                    int[] ctx = contexts[e];
                    float[] val = values == null ? null : values[e];
                    double sum = 0;
                    for (int a = 0; a < ctx.length; a++) {
                        sum += (val == null ? 1.0 : val[a]) * x[row + ctx[a]];
                    }
                    activation[act + e] = sum;
                }
            }
        });
        // Log-sum-exp per event, outcome row by outcome row (contiguous reads).
        double[] max = logNormaliser;
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (int o = 0; o < outcomes; o++) {
            int act = o * events;
            for (int e = 0; e < events; e++) {
                max[e] = Math.max(max[e], activation[act + e]);
            }
        }
        double[] sum = scratch;
        Arrays.fill(sum, 0.0);
        for (int o = 0; o < outcomes; o++) {
            int act = o * events;
            for (int e = 0; e < events; e++) {
                double a = activation[act + e];
                if (a != Double.NEGATIVE_INFINITY) {
                    sum[e] += StrictMath.exp(a - max[e]);
                }
            }
        }
        for (int e = 0; e < events; e++) {
            logNormaliser[e] = max[e] + StrictMath.log(sum[e]);
        }
        System.arraycopy(x, 0, forwardAt, 0, x.length);
        forwardValid = true;
    }

    private interface OutcomeRange {
        void run(int from, int to);
    }

    private void inParallel(OutcomeRange task) {
        if (threads == 1) {
            task.run(0, outcomes);
            return;
        }
        List<Future<?>> parts = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            int from = (int) ((long) outcomes * t / threads);
            int to = (int) ((long) outcomes * (t + 1) / threads);
            parts.add(pool.submit(() -> task.run(from, to)));
        }
        try {
            for (Future<?> f : parts) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("training interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("training failed", e.getCause());
        }
    }

    private void checkDimension(double[] x) {
        if (x.length != gradient.length) {
            throw new IllegalArgumentException("x has " + x.length + " dimensions, expected " + gradient.length);
        }
    }
}
