package dev.sodam.server.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Calls from many threads released by one signal: the races a test wants to provoke. */
public final class AtOnce {
    private AtOnce() {
    }

    /** The {@code i}-th call of thread {@code thread}. */
    @FunctionalInterface
    public interface Call<T> {
        T call(int thread, int i);
    }

    /**
     * Makes {@code perThread} calls on each of {@code threads} threads, all started by one signal, and
     * returns what they returned (in no particular order) once every thread is done.
     */
    public static <T> List<T> fromThreads(int threads, int perThread, Call<T> call) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<T> all = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            int thread = t;
            pool.execute(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    all.add(call.call(thread, i));
                }
            });
        }
        start.countDown();
        pool.shutdown();
        if (!pool.awaitTermination(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the threads did not finish within 60 s");
        }
        return new ArrayList<>(all);
    }
}
