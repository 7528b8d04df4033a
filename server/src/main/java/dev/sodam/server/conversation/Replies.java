package dev.sodam.server.conversation;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** Adapters for {@link Reply}, for callers that do not need commit-order callbacks. */
public final class Replies {
    private Replies() {
    }

    /** A reply that completes a future (the future completes on the domain thread). */
    public static <T> Reply<T> into(CompletableFuture<T> future) {
        return of(future::complete, future::completeExceptionally);
    }

    /** A reply from two callbacks. */
    public static <T> Reply<T> of(Consumer<T> ok, Consumer<ChatException> fail) {
        return new Reply<>() {
            @Override
            public void ok(T value) {
                ok.accept(value);
            }

            @Override
            public void fail(ChatException error) {
                fail.accept(error);
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
