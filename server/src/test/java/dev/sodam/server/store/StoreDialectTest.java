package dev.sodam.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sodam.server.model.Author;
import dev.sodam.server.model.BotTurn;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.ConversationState;
import dev.sodam.server.model.Feedback;
import dev.sodam.server.model.Message;
import dev.sodam.server.model.PageView;
import dev.sodam.server.testing.PostgresTestSupport;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The statements where SQLite's and PostgreSQL's SQL differ ({@link SqlDialect}) or that were rewritten
 * into SQL both accept, run on both stores with the same data and the same expected answers: a JSON tag
 * and a literal-text FAQ search, the last FAQ version, page views of one millisecond in insertion order,
 * a bot turn stored twice, a rating replaced where its message is NULL, the optional-filter feedback
 * search, a message re-sent under its clientMsgId (stored once; a taken seq still fails), a message and its
 * conversation's activity written together (PostgreSQL: one statement) or not at all, which units of a batch
 * changed rows, a visitor's deletion following the foreign keys, the chats each agent holds, counted, the
 * latest accepts (routing's ETA after a restart) and the recorded questions with their locale (the what-if).
 */
class StoreDialectTest {
    private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void sqlite() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            exercise(store);
        }
    }

    @Test
    void postgresql() {
        String url = PostgresTestSupport.createDatabase();
        try (PostgresStore store = PostgresStore.open(PostgresTestSupport.settings(url, 2))) {
            exercise(store);
        } finally {
            PostgresTestSupport.dropDatabase(url);
        }
    }

    @Test
    void anUnreachablePostgresqlStopsStartUpNamingIt() {
        // Port 9 (discard) has no PostgreSQL on this machine: the connection is refused at once.
        String url = "jdbc:postgresql://127.0.0.1:9/sodam";
        assertThatThrownBy(() -> PostgresStore.open(PostgresTestSupport.settings(url, 2)))
                .isInstanceOf(StoreException.class).hasMessageContaining("cannot connect to PostgreSQL at " + url);
    }

    private static <T> T write(Store store, Function<StoreTx, T> unit) {
        Store.Outcome<T> outcome = store.writeBatch(List.of(unit)).get(0);
        if (!outcome.ok()) {
            throw outcome.failure();
        }
        return outcome.value();
    }

    private static StoredFaq faq(String id, String question, List<String> tags, long version) {
        return new StoredFaq(id, "ko", question, List.of(question + "?"), "답변 " + id, tags, true, version, T, null, null);
    }

    private static void exercise(Store store) {
        write(store, tx -> {
            StoreFixtures.oneConversationWithTheBot(tx, T);
            tx.insertStoredFaq(faq("delivery-time", "배송은 얼마나 걸리나요", List.of("delivery", "returns"), 1));
            tx.insertStoredFaq(faq("discount", "50% 할인 쿠폰은 어디서 받나요", List.of("payment"), 1));
            tx.insertFaqRevision(new FaqRevision("delivery-time", 3, "update",
                    faq("delivery-time", "배송", List.of(), 3), null, null, T));
            return null;
        });

        store.read(tx -> {
            assertThat(tx.faqSearch(null, "delivery", null, null)).extracting(StoredFaq::id).containsExactly("delivery-time");
            assertThat(tx.faqSearch(null, "deliver", null, null)).as("a whole tag, not a prefix").isEmpty();
            assertThat(tx.faqSearch(null, null, "배송은", null)).extracting(StoredFaq::id).containsExactly("delivery-time");
            assertThat(tx.faqSearch(null, null, "50%", null)).as("% is plain text").extracting(StoredFaq::id)
                    .containsExactly("discount");
            assertThat(tx.faqSearch(null, null, "_", null)).as("_ is plain text").isEmpty();
            assertThat(tx.faqSearch("ko", null, "DISCOUNT", true)).as("case-insensitive").extracting(StoredFaq::id)
                    .containsExactly("discount");
            assertThat(tx.lastFaqVersion("delivery-time")).as("history beyond the entry's version").isEqualTo(3);
            assertThat(tx.lastFaqVersion("discount")).isEqualTo(1);
            assertThat(tx.lastFaqVersion("none")).isZero();
            return null;
        });

        write(store, tx -> {
            for (String page : List.of("/a", "/b", "/c")) {
                tx.insertPageView("vi_1", new PageView("https://shop.example" + page, page, T));
            }
            tx.putFeedback(new Feedback("fb_1", "demo", "cv_1", null, Feedback.Kind.CSAT, 2, null, T));
            tx.putFeedback(new Feedback("fb_2", "demo", "cv_1", null, Feedback.Kind.CSAT, 5, "좋아요", T.plusSeconds(1)));
            return null;
        });

        store.read(tx -> {
            assertThat(tx.pageViews("vi_1", 2)).extracting(PageView::title).as("newest first, same millisecond")
                    .containsExactly("/c", "/b");
            assertThat(tx.feedback("cv_1")).as("a CSAT given again replaces the first").extracting(Feedback::score)
                    .containsExactly(5);
            assertThat(tx.feedbackSearch(null, null, null, null, null, 10)).hasSize(1);
            assertThat(tx.feedbackSearch("demo", "cv_1", Feedback.Kind.CSAT, T, T.plusSeconds(2), 10)).hasSize(1);
            assertThat(tx.feedbackSearch(null, null, Feedback.Kind.NPS, null, null, 10)).isEmpty();
            assertThat(tx.feedbackSearch(null, null, null, T.plusSeconds(2), null, 10)).isEmpty();
            return null;
        });

        Message first = new Message("m_1", "cv_1", 1, "c-1", new Author(Author.Kind.VISITOR, "vi_1", "방문자"), "안녕",
                T, List.of(), List.of(), null);
        boolean stored = write(store, tx -> tx.insertMessageIfNew(first));
        assertThat(stored).isTrue();
        Message resent = new Message("m_2", "cv_1", 2, "c-1", first.from(), "안녕", T, List.of(), List.of(), null);
        boolean storedAgain = write(store, tx -> tx.insertMessageIfNew(resent));
        assertThat(storedAgain).as("a re-send stores nothing").isFalse();
        Message seqTaken = new Message("m_3", "cv_1", 1, "c-2", first.from(), "둘", T, List.of(), List.of(), null);
        assertThatThrownBy(() -> write(store, tx -> tx.insertMessageIfNew(seqTaken)))
                .as("only the clientMsgId conflict is absorbed").isInstanceOf(StoreException.class);
        Message noClientId = new Message("m_4", "cv_1", 2, null, first.from(), "셋", T, List.of(), List.of(), null);
        boolean storedWithoutId = write(store, tx -> tx.insertMessageIfNew(noClientId));
        assertThat(storedWithoutId).isTrue();
        store.read(tx -> {
            assertThat(tx.messagesAfter("cv_1", 0, 10)).extracting(Message::id).containsExactly("m_1", "m_4");
            return null;
        });

        // A bot turn lives on the message the bot read (V58): a second decision replaces the first, the
        // turn's question is the message's text, and a turn for no stored message is refused.
        write(store, tx -> {
            tx.insertBotTurn(new BotTurn("cv_1", 1, "안녕", "clarify", null, null, 0.4, null, List.of(), T));
            tx.insertBotTurn(new BotTurn("cv_1", 1, "안녕", "answer", null, "delivery", 0.9, "delivery-time",
                    List.of(new BotTurn.Candidate("delivery-time", "배송은 얼마나 걸리나요", 0.9)), T));
            return null;
        });
        store.read(tx -> {
            assertThat(tx.botTurns("cv_1")).singleElement().satisfies(turn -> {
                assertThat(turn.seq()).isEqualTo(1);
                assertThat(turn.question()).isEqualTo("안녕");
                assertThat(turn.decision()).isEqualTo("answer");
                assertThat(turn.faqId()).isEqualTo("delivery-time");
                assertThat(turn.candidates()).hasSize(1);
                assertThat(turn.at()).isEqualTo(T);
            });
            assertThat(tx.botTurns(T, T.plusSeconds(1))).extracting(BotTurn::seq).containsExactly(1L);
            assertThat(tx.botTurns(T.plusSeconds(1), T.plusSeconds(2))).isEmpty();
            // The what-if's questions come with their conversation's locale, the hint the live bot read them with.
            assertThat(tx.recordedQuestions(T, T.plusSeconds(1), 10))
                    .containsExactly(new StoreTx.RecordedQuestion("안녕", "ko", T));
            assertThat(tx.recordedQuestions(T, T.plusSeconds(1), 0)).isEmpty();
            assertThat(tx.messagesAfter("cv_1", 0, 10)).as("a turn changes no message").extracting(Message::text)
                    .containsExactly("안녕", "셋");
            return null;
        });
        assertThatThrownBy(() -> write(store, tx -> {
            tx.insertBotTurn(new BotTurn("cv_1", 99, "?", "handoff", "unsure", null, 0.1, null, List.of(), T));
            return null;
        })).isInstanceOf(StoreException.class).hasMessageContaining("no message cv_1#99");

        // Routing's ETA after a restart: the newest accepts since a moment, oldest first, other kinds left out.
        write(store, tx -> {
            for (int i = 0; i < 4; i++) {
                tx.insertConversationEvent(ConversationEventRow.of("cv_1", "demo", "assigned", T.plusSeconds(10L * i)));
            }
            tx.insertConversationEvent(ConversationEventRow.of("cv_1", "demo", "requeued", T.plusSeconds(35)));
            return null;
        });
        store.read(tx -> {
            assertThat(tx.recentAssignments(T.plusSeconds(5), 2)).containsExactly(T.plusSeconds(20), T.plusSeconds(30));
            assertThat(tx.recentAssignments(T, 10)).hasSize(4).first().isEqualTo(T);
            assertThat(tx.recentAssignments(T.plusSeconds(31), 10)).isEmpty();
            return null;
        });

        // A message with its conversation's activity (one statement on PostgreSQL): both are written, or for
        // a re-send neither; a message for no conversation fails its unit.
        Conversation before = store.read(tx -> tx.conversation("cv_1")).orElseThrow();
        Message fifth = new Message("m_5", "cv_1", 3, "c-5", first.from(), "넷", T.plusSeconds(5), List.of(), List.of(), null);
        Message fifthAgain = new Message("m_6", "cv_1", 4, "c-5", first.from(), "넷", T.plusSeconds(6), List.of(), List.of(), null);
        Message sixth = new Message("m_7", "cv_1", 4, null, first.from(), "다섯", T.plusSeconds(7), List.of(), List.of(), null);
        List<Store.Outcome<Object>> appended = store.writeBatch(List.of(
                tx -> tx.appendMessageIfNew(fifth, before.withMessage(3, "넷", fifth.ts())),
                tx -> tx.appendMessageIfNew(fifthAgain, before.withMessage(4, "넷 또", fifthAgain.ts()))));
        assertThat(appended).extracting(Store.Outcome::value).containsExactly(true, false);
        assertThat(appended).extracting(Store.Outcome::changedRows).as("a re-send changes nothing")
                .containsExactly(true, false);
        assertThat(store.read(tx -> tx.conversation("cv_1")).orElseThrow())
                .as("the re-send's activity is not written").extracting(Conversation::lastSeq, Conversation::preview)
                .containsExactly(3L, "넷");
        write(store, tx -> {
            tx.appendMessage(sixth, before.withMessage(4, "다섯", sixth.ts()));
            return null;
        });
        store.read(tx -> {
            assertThat(tx.messagesAfter("cv_1", 2, 10)).extracting(Message::id).containsExactly("m_5", "m_7");
            Conversation now = tx.conversation("cv_1").orElseThrow();
            assertThat(now.lastSeq()).isEqualTo(4);
            assertThat(now.preview()).isEqualTo("다섯");
            assertThat(now.updatedAt()).isEqualTo(sixth.ts());
            return null;
        });
        Conversation stranger = new Conversation("cv_none", "demo", "vi_1", "방문자", "ko", ConversationState.BOT, null,
                null, 0, "", null, T, T, null, null, false, List.of(), 0);
        Message lost = new Message("m_8", "cv_none", 1, "c-8", first.from(), "?", T, List.of(), List.of(), null);
        assertThatThrownBy(() -> write(store, tx -> tx.appendMessageIfNew(lost, stranger.withMessage(1, "?", T))))
                .isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> write(store, tx -> {
            tx.appendMessage(lost, stranger.withMessage(1, "?", T));
            return null;
        })).isInstanceOf(StoreException.class);

        // Which units changed rows (readiness after a failed write trusts only those): a read, a delete that
        // matches nothing and a unit rolled back do not; an insert does, and so does the unit after a rollback.
        List<Function<StoreTx, Object>> units = List.of(
                tx -> tx.sites().size(),
                tx -> tx.deleteExpiredTokens(T.minusSeconds(86_400)),
                tx -> {
                    tx.insertPageView("vi_1", new PageView("https://shop.example/d", "/d", T));
                    throw new IllegalStateException("rolled back");
                },
                tx -> {
                    tx.insertPageView("vi_1", new PageView("https://shop.example/e", "/e", T));
                    return null;
                });
        assertThat(store.writeBatch(units)).extracting(Store.Outcome::changedRows).containsExactly(false, false, false, true);

        boolean deleted = write(store, tx -> tx.deleteVisitor("vi_1"));
        assertThat(deleted).isTrue();
        store.read(tx -> {
            assertThat(tx.visitor("vi_1")).isEmpty();
            assertThat(tx.conversation("cv_1")).isEmpty();
            assertThat(tx.feedback("cv_1")).isEmpty();
            assertThat(tx.botTurns("cv_1")).isEmpty();
            assertThat(tx.pageViews("vi_1", 10)).isEmpty();
            return null;
        });

        // The transfer dialog's loads: chats held per agent, counted in the database; queued and resolved
        // chats are nobody's load, and an agent holding none is absent.
        write(store, tx -> {
            tx.insertVisitor(new dev.sodam.server.model.Visitor("vi_2", "demo", "손님", "ko", T), "hash-2");
            for (String agent : List.of("ag_1", "ag_2", "ag_3")) {
                tx.insertAgent(new dev.sodam.server.model.Agent(agent, agent + "@shop.test", agent,
                        dev.sodam.server.model.Agent.Role.AGENT, "", T));
            }
            List<String> holders = List.of("ag_1", "ag_1", "ag_2", "QUEUED", "RESOLVED");
            for (int i = 0; i < holders.size(); i++) {
                Conversation chat = new Conversation("cv_load_" + i, "demo", "vi_2", "손님", "ko", ConversationState.BOT,
                        null, null, 0, "", null, T, T, null, null, false, List.of(), 0);
                tx.insertConversation(switch (holders.get(i)) {
                    case "QUEUED" -> chat.withState(ConversationState.QUEUED, T);
                    case "RESOLVED" -> chat.assigned("ag_3", "ag_3", T).withState(ConversationState.RESOLVED, T);
                    default -> chat.assigned(holders.get(i), holders.get(i), T);
                });
            }
            return null;
        });
        store.read(tx -> {
            assertThat(tx.assignedCounts()).isEqualTo(java.util.Map.of("ag_1", 2, "ag_2", 1));
            return null;
        });

        // An agent's welcome.colleagues, read as names only: the accounts and order of every enabled
        // account filtered by site (pending invitations listed), as the hello computed it from agents().
        write(store, tx -> {
            tx.insertSite(new dev.sodam.server.model.Site("shop", "shop", List.of(dev.sodam.server.model.Site.SELF)));
            record Account(String id, String name, String hash, String site) {
            }
            for (Account a : List.of(new Account("ag_wide", "가나다", "$argon2id$x", null),
                    new Account("ag_demo", "이름", "$argon2id$x", "demo"), new Account("ag_demo2", "이름", "$argon2id$x", "demo"),
                    new Account("ag_shop", "상점", "$argon2id$x", "shop"), new Account("ag_off", "꺼짐", "$argon2id$x", null),
                    new Account("ag_invited", "초대", "!invited", "demo"))) {
                tx.insertAgent(new dev.sodam.server.model.Agent(a.id(), a.id() + "@shop.test", a.name(),
                        dev.sodam.server.model.Agent.Role.AGENT, a.hash(), T, a.site()));
            }
            StoredUser off = tx.user("ag_off").orElseThrow();
            assertThat(tx.updateUser(new StoredUser(off.id(), off.email(), off.name(), off.role(), off.siteId(), true,
                    off.maxChats(), off.version(), off.createdAt(), T, off.pending()), off.version(), T)).isTrue();
            return null;
        });
        store.read(tx -> {
            for (String asker : List.of("ag_1", "ag_demo", "ag_shop", "ag_invited")) {
                dev.sodam.server.model.Agent agent = tx.agent(asker).orElseThrow();
                assertThat(tx.colleagueNames(agent.id(), agent.siteId())).as(asker).isEqualTo(tx.agents().stream()
                        .filter(a -> !a.id().equals(agent.id()))
                        .filter(a -> agent.siteId() == null || a.siteId() == null || a.siteId().equals(agent.siteId()))
                        .map(a -> new AgentName(a.id(), a.name())).toList());
            }
            assertThat(tx.colleagueNames("ag_demo", "demo")).extracting(AgentName::id)
                    .as("by name, then id; installation-wide and demo's; the invited too; not shop's, the disabled, oneself")
                    .containsExactly("ag_1", "ag_2", "ag_3", "ag_wide", "ag_demo2", "ag_invited");
            assertThat(tx.colleagueNames("ag_1", null)).extracting(AgentName::id)
                    .containsExactly("ag_2", "ag_3", "ag_wide", "ag_shop", "ag_demo", "ag_demo2", "ag_invited");
            return null;
        });
    }
}
