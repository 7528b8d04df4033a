package dev.sodam.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.server.model.Agent;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.ConversationState;
import dev.sodam.server.model.Team;
import dev.sodam.server.model.Visitor;
import dev.sodam.server.model.VisitorProfile;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SQLite writer answers the queue from its copy ({@link QueuedRows}) instead of reading every queued
 * row. Whatever it answers must be what a reader connection, which has no copy, reads from the file: after
 * every kind of write in a random mix of them, after units rolled back to their savepoints, and after
 * writes the copy has no special case for. The copy is checked without the tests' own verification
 * switch ({@code sodam.store.verifyQueueCopy}): each answer is compared here.
 */
class WriterQueueCopyTest {
    private static final Instant T = Instant.parse("2026-11-25T07:00:00.123456789Z");

    @TempDir
    Path dir;

    private SqliteStore store;

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir);
        write(tx -> {
            StoreFixtures.oneConversationWithTheBot(tx, T);
            tx.insertAgent(new Agent("ag_1", "one@sodam.test", "상담원 하나", Agent.Role.AGENT, "x", T));
            tx.insertAgent(new Agent("ag_2", "two@sodam.test", "상담원 둘", Agent.Role.AGENT, "x", T));
            tx.insertTeam(new Team("tm_1", "배송", "Delivery", true, null, List.of("delivery"), List.of()));
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

    private void assertWritersQueueIsTheFiles(String after) {
        List<Conversation> fromFile = store.read(StoreTx::queue);
        assertThat(write(StoreTx::queue)).as("after " + after).isEqualTo(fromFile);
        // A handoff asks for its place and for the latest entry time: the writer answers both from its copy.
        List<String> ids = new ArrayList<>(fromFile.stream().map(Conversation::id).toList());
        ids.add("cv_not_queued");
        List<Integer> places = write(tx -> ids.stream().map(tx::queuePosition).toList());
        assertThat(places).as("places after " + after).isEqualTo(store.read(tx -> ids.stream().map(tx::queuePosition).toList()));
        assertThat(write(StoreTx::latestQueueEntry)).as("latest entry after " + after)
                .isEqualTo(store.read(StoreTx::latestQueueEntry));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 20261125})
    void aRandomMixOfWritesLeavesTheWritersQueueEqualToTheFile(long seed) {
        Random random = new Random(seed);
        List<String> conversations = new ArrayList<>();
        assertWritersQueueIsTheFiles("the start");
        for (int step = 0; step < 300; step++) {
            Instant now = T.plusMillis(step * 7L + random.nextInt(3));
            int kind = random.nextInt(conversations.isEmpty() ? 1 : 11);
            String described;
            if (kind == 0) {
                String id = "cv_" + step;
                String visitor = "vi_" + step;
                boolean queued = random.nextBoolean();
                boolean urgent = random.nextInt(4) == 0;
                write(tx -> {
                    tx.insertVisitor(new Visitor(visitor, "demo", "방문자 " + visitor, "ko", now), "hash-" + visitor);
                    tx.insertConversation(new Conversation(id, "demo", visitor, "방문자", "ko",
                            queued ? ConversationState.QUEUED : ConversationState.BOT, null, null, 0, "",
                            queued ? now : null, now, now, null, null, urgent, List.of(), 0));
                    return null;
                });
                conversations.add(id);
                described = "a new conversation";
            } else {
                String id = conversations.get(random.nextInt(conversations.size()));
                Conversation c = store.read(tx -> tx.conversation(id)).orElse(null);
                if (c == null) {
                    conversations.remove(id);
                    continue;
                }
                described = change(kind, c, now, random);
            }
            assertWritersQueueIsTheFiles(described + " (step " + step + ")");
        }
        assertThat(store.read(StoreTx::queue)).as("the mix queued some").isNotEmpty();
    }

    /** One write of kind 1–10 to {@code c}; returns what it was. */
    private String change(int kind, Conversation c, Instant now, Random random) {
        switch (kind) {
            case 1 -> {
                write(tx -> {
                    tx.updateConversation(c.queued(now));
                    return null;
                });
                return "a handoff";
            }
            case 2 -> {
                String agent = random.nextBoolean() ? "ag_1" : "ag_2";
                write(tx -> {
                    tx.updateConversation(c.assigned(agent, "stale", now));
                    return null;
                });
                return "an assignment";
            }
            case 3 -> {
                write(tx -> {
                    tx.updateConversation(c.requeued(now));
                    return null;
                });
                return "a requeue at the old place";
            }
            case 4 -> {
                write(tx -> {
                    tx.updateConversation(c.withState(ConversationState.RESOLVED, now));
                    return null;
                });
                return "a resolve";
            }
            case 5 -> {
                write(tx -> {
                    tx.updateConversation(c.markedUrgent(!c.urgent()).forTeam(random.nextBoolean() ? null : "tm_1"));
                    return null;
                });
                return "urgency and team";
            }
            case 6 -> {
                write(tx -> {
                    tx.updateActivity(c.withMessage(c.lastSeq() + 1, "메시지 " + now.toEpochMilli(), now.plusNanos(999_999))
                            .aboutTopic("delivery"));
                    return null;
                });
                return "a message";
            }
            case 7 -> {
                write(tx -> {
                    tx.updateLabels(c.id(), List.of("vip"));
                    tx.updateVisitorRead(c.id(), c.lastSeq());
                    return null;
                });
                return "labels and a read mark";
            }
            case 8 -> {
                write(tx -> {
                    tx.updateVisitorProfile(new VisitorProfile(c.visitorId(), "이름 " + now.toEpochMilli(), null, null,
                            Map.of()));
                    return null;
                });
                return "the visitor's new name";
            }
            case 9 -> {
                List<Store.Outcome<Object>> outcomes = store.writeBatch(List.of(
                        tx -> {
                            tx.updateConversation(c.state() == ConversationState.QUEUED
                                    ? c.assigned("ag_1", "x", now) : c.queued(now));
                            tx.queue(); // the copy takes the change in, then the unit is rolled back
                            throw new IllegalStateException("rolled back after its write");
                        },
                        StoreTx::queue));
                assertThat(outcomes.get(0).ok()).isFalse();
                return "a unit rolled back after reading the queue";
            }
            default -> {
                if (random.nextBoolean()) {
                    write(tx -> tx.deleteVisitor(c.visitorId()));
                    return "the visitor's deletion";
                }
                write(tx -> tx.updateUser(new StoredUser("ag_1", "one@sodam.test", "새 이름 " + now.toEpochMilli(),
                        Agent.Role.AGENT, null, false, null, 0, T, T, false), tx.user("ag_1").orElseThrow().version(), now));
                return "an agent's new name";
            }
        }
    }

    /** Whether the writer still holds its copy (asked on the writer's thread, inside a unit). */
    private boolean copyKept() {
        Boolean kept = write(tx -> store.queuedRows().valid());
        return kept;
    }

    @Test
    void aNewVisitorNoLongerDropsTheWritersQueueCopy() {
        write(tx -> {
            tx.updateConversation(tx.conversation("cv_1").orElseThrow().queued(T));
            return null;
        });
        assertThat(write(StoreTx::queue)).hasSize(1);
        assertThat(copyKept()).isTrue();
        // Every new visitor's hello writes their row: in a flash crowd, each emptied the copy.
        write(tx -> {
            tx.insertVisitor(new Visitor("vi_new", "demo", "새 방문자", "ko", T), "hash-new");
            return null;
        });
        assertThat(copyKept()).as("a new visitor has no conversation yet").isTrue();
        write(tx -> tx.updateUser(new StoredUser("ag_1", "one@sodam.test", "새 이름", Agent.Role.AGENT, null, false,
                null, 0, T, T, false), tx.user("ag_1").orElseThrow().version(), T));
        assertThat(copyKept()).as("a write it has no case for drops it").isFalse();
        assertWritersQueueIsTheFiles("the agent's new name");
    }

    @Test
    void aRequeuedChatKeepsItsPlaceAheadOfLaterArrivals() {
        write(tx -> {
            tx.updateConversation(tx.conversation("cv_1").orElseThrow().queued(T));
            return null;
        });
        write(tx -> {
            tx.insertVisitor(new Visitor("vi_2", "demo", "둘", "ko", T), "hash-2");
            tx.insertConversation(new Conversation("cv_2", "demo", "vi_2", "둘", "ko", ConversationState.QUEUED, null,
                    null, 0, "", T.plusSeconds(5), T, T, null, null, false, List.of(), 0));
            return null;
        });
        write(tx -> {
            tx.updateConversation(tx.conversation("cv_1").orElseThrow().assigned("ag_1", "x", T.plusSeconds(6)));
            return null;
        });
        assertThat(write(StoreTx::queue)).extracting(Conversation::id).containsExactly("cv_2");
        write(tx -> {
            tx.updateConversation(tx.conversation("cv_1").orElseThrow().requeued(T.plusSeconds(7)));
            return null;
        });
        assertThat(write(StoreTx::queue)).extracting(Conversation::id).containsExactly("cv_1", "cv_2");
        assertWritersQueueIsTheFiles("the requeue");
    }
}
