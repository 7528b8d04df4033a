package dev.sodam.server.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WsTestClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A question stored just before the server stopped, whose answer never was (the stop fell between
 * the question's commit and the answer's), is answered after the restart: the visitor who resumes
 * finds the question once and then the bot's turn, not silence.
 */
class UnansweredQuestionTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aQuestionLeftUnansweredByAStopIsAnsweredAfterTheRestart() throws Exception {
        String token;
        String conversationId;
        try (TestServer server = TestServer.start(dir);
             WsTestClient visitor = WsTestClient.connect(server.visitorUri())) {
            token = visitor.helloVisitor(null, null, 0).get("visitorToken").asText();
            conversationId = visitor.say("q1", null, "배송은 얼마나 걸리나요?").get("conversationId").asText();
            visitor.await("message", f -> f.path("seq").asLong() == 2);
        }
        assertThat(lastMessageKind(conversationId)).as("the bot answered the first question").isNotEqualTo("visitor");

        // What a stop between the two commits leaves: the visitor's question as the last message.
        try (Connection db = TestServer.db(dir)) {
            try (PreparedStatement copy = db.prepareStatement("INSERT INTO messages(id, conversation_id, seq, client_msg_id, "
                    + "from_kind, from_id, from_name, body, extras, created_at) SELECT 'ms_unanswered', conversation_id, 3, 'q2', "
                    + "from_kind, from_id, from_name, '환불은 어떻게 하나요?', NULL, created_at + 1 FROM messages "
                    + "WHERE conversation_id = ? AND seq = 1")) {
                copy.setString(1, conversationId);
                assertThat(copy.executeUpdate()).isEqualTo(1);
            }
            try (PreparedStatement last = db.prepareStatement("UPDATE conversations SET last_seq = 3 WHERE id = ? AND state = 'BOT'")) {
                last.setString(1, conversationId);
                assertThat(last.executeUpdate()).as("still with the bot").isEqualTo(1);
            }
        }

        try (TestServer server = TestServer.start(dir);
             WsTestClient visitor = WsTestClient.connect(server.visitorUri())) {
            visitor.helloVisitor(token, conversationId, 2);
            JsonNode question = visitor.await("message", f -> f.path("seq").asLong() == 3);
            assertThat(question.at("/from/kind").asText()).isEqualTo("visitor");
            // The bot's turn: an answer (a bot message after the question) or a handoff to a person.
            await().atMost(WAIT).until(() -> !"visitor".equals(lastMessageKind(conversationId))
                    || !"BOT".equals(state(conversationId)));
            assertThat(visitor.messages(conversationId)).filteredOn(f -> f.path("seq").asLong() == 3).hasSize(1);
            assertThat(botTurnsAbout(conversationId, 3)).as("decided once").isEqualTo(1);
        }
    }

    private String lastMessageKind(String conversationId) throws Exception {
        return one("SELECT m.from_kind FROM messages m JOIN conversations c ON c.id = m.conversation_id "
                + "AND m.seq = c.last_seq WHERE c.id = ?", conversationId);
    }

    private String state(String conversationId) throws Exception {
        return one("SELECT state FROM conversations WHERE id = ?", conversationId);
    }

    private long botTurnsAbout(String conversationId, long seq) throws Exception {
        return Long.parseLong(one("SELECT COUNT(*) FROM messages WHERE bot_decision IS NOT NULL AND conversation_id = ? AND seq = " + seq,
                conversationId));
    }

    private String one(String sql, String conversationId) throws Exception {
        try (Connection db = TestServer.db(dir); PreparedStatement query = db.prepareStatement(sql)) {
            query.setString(1, conversationId);
            try (ResultSet rows = query.executeQuery()) {
                assertThat(rows.next()).as(sql).isTrue();
                return rows.getString(1);
            }
        }
    }
}
