package dev.sodam.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WsTestClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A visitor's hello names a language tag; Sodam speaks Korean and English (docs/protocol.md, "Visitor"):
 * other languages get English and the welcome says so, tags as browsers write them keep working, and a
 * value that is no language tag is {@code bad_request}. A real server, real sockets, a real SQLite file.
 */
class VisitorLocaleTest {
    @TempDir
    static Path dataDir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dataDir);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static String hello(String localeJson) {
        return "{\"type\":\"hello\",\"role\":\"visitor\",\"site\":\"demo\",\"ref\":\"h1\""
                + (localeJson == null ? "" : ",\"locale\":" + localeJson) + "}";
    }

    static String stored(String sql, String id) throws Exception {
        try (Connection db = TestServer.db(dataDir); PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setString(1, id);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @Test
    void aFrenchVisitorIsSpokenToInEnglishAndTheWelcomeSaysSo() throws Exception {
        try (WsTestClient visitor = WsTestClient.connect(server.visitorUri())) {
            visitor.send(hello("\"fr-FR\""));
            JsonNode welcome = visitor.await("welcome");
            assertThat(welcome.path("locale").asText()).isEqualTo("en");
            String conversationId = visitor.say("c-1", null, "talk to a human").path("conversationId").asText();
            // Stored as English, so the bot and every system notice of this conversation speak English.
            assertThat(stored("SELECT locale FROM conversations WHERE id = ?", conversationId)).isEqualTo("en");
            JsonNode notice = visitor.await("message", m -> m.path("from").path("kind").asText().equals("system")
                    || m.path("from").path("kind").asText().equals("bot"));
            assertThat(notice.path("text").asText()).matches("\\P{IsHangul}+");
        }
    }

    @Test
    void tagsAsBrowsersWriteThemKeepWorking() throws Exception {
        String[][] cases = {{"\"ko-KR\"", "ko"}, {"\"KO\"", "ko"}, {"\"ko_KR\"", "ko"}, {"\"en-US\"", "en"},
                {"\"zh-Hant-TW\"", "en"}, {"\"ja\"", "en"}, {null, "ko"}, {"null", "ko"}};
        for (String[] c : cases) {
            try (WsTestClient visitor = WsTestClient.connect(server.visitorUri())) {
                visitor.send(hello(c[0]));
                JsonNode welcome = visitor.await("welcome");
                assertThat(welcome.path("locale").asText()).as(c[0]).isEqualTo(c[1]);
                String token = welcome.path("visitorToken").asText();
                assertThat(token).isNotBlank();
            }
        }
    }

    @Test
    void aLocaleThatIsNoLanguageTagIsABadRequestAndAProperHelloStillWorks() throws Exception {
        try (WsTestClient visitor = WsTestClient.connect(server.visitorUri())) {
            for (String bad : new String[] {"\"\"", "\"12\"", "\"<b>\"", "\"ko KR\"", "\"k\"", "7",
                    "\"" + "ko-" + "x".repeat(40) + "\""}) {
                int before = visitor.frames("error").size();
                visitor.send(hello(bad));
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> visitor.frames("error").size() > before);
                JsonNode error = visitor.frames("error").get(before);
                assertThat(error.path("code").asText()).as(bad).isEqualTo("bad_request");
                assertThat(error.path("ref").asText()).isEqualTo("h1");
            }
            assertThat(visitor.frames("welcome")).isEmpty();
            visitor.send(hello("\"en\""));
            assertThat(visitor.await("welcome").path("locale").asText()).isEqualTo("en");
        }
    }

    @Test
    void aReturningVisitorKeepsTheLanguageTheyWereStoredWith() throws Exception {
        String token;
        try (WsTestClient first = WsTestClient.connect(server.visitorUri())) {
            first.send(hello("\"ko\""));
            token = first.await("welcome").path("visitorToken").asText();
        }
        try (WsTestClient again = WsTestClient.connect(server.visitorUri())) {
            again.send("{\"type\":\"hello\",\"role\":\"visitor\",\"site\":\"demo\",\"locale\":\"fr\",\"visitorToken\":\""
                    + token + "\"}");
            assertThat(again.await("welcome").path("locale").asText()).isEqualTo("ko");
        }
    }
}
