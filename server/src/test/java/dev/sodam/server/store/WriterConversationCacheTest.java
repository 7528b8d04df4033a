package dev.sodam.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.server.model.Agent;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.VisitorProfile;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite writer keeps the conversation rows it read or wrote ({@link RecentConversations}). Whatever it
 * answers must be what a fresh read of the file answers: after each kind of write, after a unit that was
 * rolled back, and after a write the cache has no special case for. The reference is a reader connection
 * ({@link Store#read}), which never sees the writer's cache.
 */
class WriterConversationCacheTest {
    private static final Instant T = Instant.parse("2026-11-23T10:00:00.123456789Z");

    @TempDir
    Path dir;

    private SqliteStore store;

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir);
        write(tx -> {
            StoreFixtures.oneConversationWithTheBot(tx, T);
            tx.insertAgent(new Agent("ag_1", "agent@sodam.test", "상담원", Agent.Role.AGENT, "x", T));
            return null;
        });
    }

    @AfterEach
    void close() {
        store.close();
    }

    private <T> T write(Function<StoreTx, T> unit) {
        return StoreFixtures.write(store, unit);
    }

    private Conversation writersView() {
        return write(tx -> tx.conversation("cv_1").orElseThrow());
    }

    private void assertSameAsAFreshRead(String after) {
        Conversation fresh = store.read(tx -> tx.conversation("cv_1").orElseThrow());
        assertThat(writersView()).as("after " + after).isEqualTo(fresh);
    }

    @Test
    void everyWriteOfAConversationLeavesTheWritersCopyEqualToTheFile() {
        assertSameAsAFreshRead("the insert");
        write(tx -> {
            Conversation c = tx.conversation("cv_1").orElseThrow();
            tx.updateActivity(c.withMessage(1, "안녕하세요", T.plusNanos(999_999)).aboutTopic("delivery"));
            return null;
        });
        assertSameAsAFreshRead("a message (updated_at cut to milliseconds)");
        write(tx -> {
            tx.updateConversation(tx.conversation("cv_1").orElseThrow().assigned("ag_1", "stale name", T));
            return null;
        });
        assertThat(writersView().agentName()).as("the agent's name comes from its row").isEqualTo("상담원");
        assertSameAsAFreshRead("an assignment");
        write(tx -> {
            tx.updateLabels("cv_1", List.of("vip", "refund"));
            tx.updateVisitorRead("cv_1", 1);
            tx.updateVisitorRead("cv_1", 0);
            return null;
        });
        assertSameAsAFreshRead("labels and read receipts");
        write(tx -> {
            tx.updateVisitorProfile(new VisitorProfile("vi_1", "김소담", "kim@example.com", null, Map.of()));
            return null;
        });
        assertThat(writersView().visitorName()).isEqualTo("김소담");
        assertSameAsAFreshRead("the visitor's new name");
        write(tx -> tx.updateUser(new StoredUser("ag_1", "agent@sodam.test", "새 이름", Agent.Role.AGENT, null, false,
                null, 0, T, T, false), tx.user("ag_1").orElseThrow().version(), T));
        assertThat(writersView().agentName()).as("a write the cache has no case for drops it").isEqualTo("새 이름");
        assertSameAsAFreshRead("the agent's new name");
    }

    @Test
    void aUnitRolledBackToItsSavepointLeavesNoTraceInTheWritersCopy() {
        writersView(); // cached
        List<Store.Outcome<Object>> outcomes = store.writeBatch(List.of(tx -> {
            Conversation c = tx.conversation("cv_1").orElseThrow();
            tx.updateActivity(c.withMessage(7, "rolled back", T));
            throw new IllegalStateException("the unit fails after its write");
        }));
        assertThat(outcomes.get(0).ok()).isFalse();
        assertThat(writersView().lastSeq()).isZero();
        assertSameAsAFreshRead("a rolled-back unit");
    }

    @Test
    void aUnitAfterARolledBackOneInTheSameBatchSeesTheFile() {
        writersView();
        List<Store.Outcome<Long>> outcomes = store.writeBatch(List.of(
                tx -> {
                    tx.updateActivity(tx.conversation("cv_1").orElseThrow().withMessage(3, "gone", T));
                    throw new IllegalStateException("rolled back");
                },
                tx -> tx.conversation("cv_1").orElseThrow().lastSeq()));
        assertThat(outcomes.get(1).value()).isZero();
    }
}
