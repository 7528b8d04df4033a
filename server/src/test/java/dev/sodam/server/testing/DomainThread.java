package dev.sodam.server.testing;

import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.Replies;
import java.util.concurrent.CountDownLatch;

/** Waiting for the domain thread in tests, without sleeping. */
public final class DomainThread {
    private DomainThread() {
    }

    /**
     * Holds the domain thread (a command that waits) until the returned latch is released, so the
     * commands sent meanwhile form one batch.
     */
    public static CountDownLatch hold(ConversationService service) {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch held = new CountDownLatch(1);
        service.execute(tx -> {
            held.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }, Replies.of(done -> { }, error -> { }));
        try {
            held.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return release;
    }

    /**
     * Returns once every event of the calls answered so far has been published, and the commands
     * those listeners issued in turn (a requeue, a notice) have run: a reply completes before its
     * batch's events go out, and a no-op submitted afterwards runs in a later batch.
     */
    public static void settle(ConversationService service) {
        for (int i = 0; i < 3; i++) {
            Replies.<Void>future(r -> service.execute(tx -> null, r)).join();
        }
    }
}
