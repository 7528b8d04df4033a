package dev.sodam.server.store;

import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.ConversationState;
import dev.sodam.server.model.Site;
import dev.sodam.server.model.Visitor;
import java.time.Instant;
import java.util.List;

/** Rows the store tests start from. */
final class StoreFixtures {
    private StoreFixtures() {
    }

    /** One unit in a batch of its own; its failure is thrown, as a caller outside a batch expects. */
    static <T> T write(Store store, java.util.function.Function<StoreTx, T> unit) {
        Store.Outcome<T> outcome = store.writeBatch(List.of(unit)).get(0);
        if (!outcome.ok()) {
            throw outcome.failure();
        }
        return outcome.value();
    }

    /** Site {@code demo}, visitor {@code vi_1} and its conversation {@code cv_1}, still with the bot, all created at {@code at}. */
    static void oneConversationWithTheBot(StoreTx tx, Instant at) {
        tx.insertSite(new Site("demo", "demo", List.of(Site.SELF)));
        tx.insertVisitor(new Visitor("vi_1", "demo", "방문자", "ko", at), "hash-1");
        tx.insertConversation(new Conversation("cv_1", "demo", "vi_1", "방문자", "ko", ConversationState.BOT, null,
                null, 0, "", null, at, at, null, null, false, List.of(), 0));
    }
}
