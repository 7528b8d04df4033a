package dev.sodam.server.conversation;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A bot decision to make. It runs once, on whichever thread gets to it first: the domain thread that
 * needs the answer for the batch it is about to commit, or a bot executor thread it was handed to
 * ({@link #startElsewhere}) because the batch had more work to do meanwhile. The domain thread would
 * otherwise only wait: making a decision nobody has started costs it the decision's tens of
 * microseconds instead of a wake-up of another thread, and on a busy core another thread may not run
 * for milliseconds (the answer would then miss the commit).
 */
public final class PendingBotAnswer {
    private final Supplier<BotAnswer> decision;
    private final Executor elsewhere;
    private final AtomicBoolean started;
    private final CompletableFuture<BotAnswer> result;

    private PendingBotAnswer(Supplier<BotAnswer> decision, Executor elsewhere, boolean started,
                             CompletableFuture<BotAnswer> result) {
        this.decision = decision;
        this.elsewhere = elsewhere;
        this.started = new AtomicBoolean(started);
        this.result = result;
    }

    /** A decision to make, here or on {@code elsewhere} (the bot executor). */
    public static PendingBotAnswer of(Supplier<BotAnswer> decision, Executor elsewhere) {
        return new PendingBotAnswer(decision, elsewhere, false, new CompletableFuture<>());
    }

    /** An answer known at once (no bot needed, as for an image). */
    public static PendingBotAnswer decided(BotAnswer answer) {
        return new PendingBotAnswer(null, null, true, CompletableFuture.completedFuture(answer));
    }

    /**
     * An answer that can only come later (the first bot is still training): a batch never waits for
     * it, and it is stored in a commit of its own when it comes.
     */
    public static PendingBotAnswer later(CompletableFuture<BotAnswer> answer) {
        return new PendingBotAnswer(null, null, true, answer);
    }

    /**
     * Hands the decision to the bot executor, so it runs beside the rest of the batch; whoever comes
     * first still makes it. Does nothing for an answer that needs no decision.
     */
    void startElsewhere() {
        if (decision == null || started.get()) {
            return;
        }
        try {
            elsewhere.execute(this::run);
        } catch (RejectedExecutionException shuttingDown) {
            // The domain thread makes it when it stores the batch.
        }
    }

    /** Decides, unless another thread already does (or did). */
    public void run() {
        if (decision == null || !started.compareAndSet(false, true)) {
            return;
        }
        try {
            result.complete(decision.get());
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    /** The answer, however and whenever it comes; a failed decision completes it exceptionally. */
    public CompletableFuture<BotAnswer> result() {
        return result;
    }

    /**
     * The answer for a batch: decided here if nobody has started it, else waited for until
     * {@code deadlineNanos} ({@link System#nanoTime}); null when it is not there by then (another
     * thread is slow, the bot is not trained yet) or the decision failed.
     */
    BotAnswer await(long deadlineNanos) {
        run();
        if (result.isDone() || decision == null) {
            return result.isDone() && !result.isCompletedExceptionally() ? result.join() : null;
        }
        try {
            return result.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
