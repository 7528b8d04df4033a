package dev.sodam.server.testing;

import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.Replies;

/** Waiting for the domain thread in tests, without sleeping. */
public final class DomainThread {
    private DomainThread() {
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
