package dev.sodam.server.conversation;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** Adapters for {@link Reply}, for callers that do not need commit-order callbacks. */
public final class Replies {
    private Replies() {
    }

    /** A reply that completes a future (the future completes on the domain thread). */
    public static <T> Reply<T> into(CompletableFuture<T> future) {
        return new Reply<>() {
            @Override
            public void ok(T value) {
                future.complete(value);
            }

            @Override
            public void fail(ChatException error) {
                future.completeExceptionally(error);
            }
        };
    }

    /** Runs {@code call} with a future-backed reply and returns the future. */
    public static <T> CompletableFuture<T> future(Consumer<Reply<T>> call) {
        CompletableFuture<T> future = new CompletableFuture<>();
        call.accept(into(future));
        return future;
    }
}
