package dev.sodam.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.AdminHttp;
import dev.sodam.server.testing.RoleTokens;
import dev.sodam.server.testing.ServerExtension;
import dev.sodam.server.testing.WsTestClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The test console's API on a real server with the real bot: a question's decision with its band
 * and the analyzer's terms; a threshold what-if over questions visitors really asked (through
 * sockets); saved thresholds that the bot uses at once; every role but an installation admin refused.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BotConsoleApiTest {
    static final String KNOWN = "배송은 얼마나 걸리나요?";
    /** No letters: the language of the page it was asked on decides how the bot reads it. */
    static final String ORDER_NUMBER = "20261125";

    @RegisterExtension
    static final ServerExtension app = ServerExtension.started().withBot();
    static AdminHttp http;
    static String admin;
    static String agent;
    static String supervisor;
    static String siteAdmin;

    @BeforeAll
    static void start() throws Exception {
        http = new AdminHttp(app.server());
        RoleTokens roles = RoleTokens.create(app.server());
        admin = roles.admin();
        agent = roles.agent();
        supervisor = roles.supervisor();
        siteAdmin = roles.siteAdmin();
        // Recorded questions: what visitors asked, decided by the bot and stored on their messages (V58).
        for (String question : List.of(KNOWN, KNOWN, "환불은 어떻게 하나요?", "우주선 연료는 어디서 사나요?",
                "영업시간이 어떻게 되나요?")) {
            try (WsTestClient visitor = WsTestClient.connect(app.server().visitorUri())) {
                visitor.helloVisitor(null, null, 0);
                visitor.say("q", null, question);
                visitor.await("message", m -> !m.path("from").path("kind").asText().equals("visitor")
                        || visitor.frames("status").stream().anyMatch(s -> s.path("state").asText().equals("queued")));
            }
        }
        // And one from an English page (the widget's hello says "en"): an order number alone.
        try (WsTestClient visitor = WsTestClient.connect(app.server().visitorUri())) {
            visitor.send("{\"type\":\"hello\",\"role\":\"visitor\",\"site\":\"demo\",\"locale\":\"en\"}");
            visitor.await("welcome");
            visitor.say("q", null, ORDER_NUMBER);
            visitor.await("message", m -> !m.path("from").path("kind").asText().equals("visitor")
                    || visitor.frames("status").stream().anyMatch(s -> s.path("state").asText().equals("queued")));
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (http.count("SELECT COUNT(*) FROM messages WHERE bot_decision IS NOT NULL") < 6 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(http.count("SELECT COUNT(*) FROM messages WHERE bot_decision IS NOT NULL")).isEqualTo(6);
    }

    static Map<String, Object> thresholds(double answer, double clarify) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("locale", "ko");
        body.put("answerThreshold", answer);
        body.put("clarifyThreshold", clarify);
        return body;
    }

    @Test
    @Order(1)
    void theConsoleShowsDecisionBandAndTheAnalyzersTerms() throws Exception {
        AdminHttp.Response tried = http.call("POST", "/api/admin/bot/try", Map.of("text", KNOWN, "locale", "ko"), admin);
        assertThat(tried.status()).isEqualTo(200);
        JsonNode json = tried.json();
        assertThat(json.path("decision").asText()).isEqualTo("answer");
        assertThat(json.path("band").asText()).isEqualTo("answer");
        assertThat(json.path("confidence").asDouble()).isGreaterThanOrEqualTo(json.path("thresholds").path("answerThreshold").asDouble());
        assertThat(json.path("candidates").size()).isPositive();
        JsonNode analysis = json.path("analysis");
        assertThat(analysis.path("locale").asText()).isEqualTo("ko");
        List<String> words = new ArrayList<>();
        analysis.path("words").forEach(w -> words.add(w.asText()));
        // Nori splits the question into morphemes: 배송 is a term, the ending 은 is not.
        assertThat(words).contains("배송").doesNotContain("배송은");
        assertThat(analysis.path("ngrams").size()).isPositive();

        JsonNode english = http.call("POST", "/api/admin/bot/try", Map.of("text", "How long does shipping take?"), admin).json();
        assertThat(english.path("analysis").path("locale").asText()).isEqualTo("en");
        List<String> stems = new ArrayList<>();
        english.path("analysis").path("words").forEach(w -> stems.add(w.asText()));
        assertThat(stems).contains("ship");
    }

    @Test
    @Order(2)
    void theWhatIfCountsHowTheRecordedQuestionsWouldChange() throws Exception {
        JsonNode status = http.call("GET", "/api/admin/bot/status", null, admin).json().path("locales").path("ko");
        double answer = status.path("answerThreshold").asDouble();
        double clarify = status.path("clarifyThreshold").asDouble();

        // The thresholds as they are: nothing changes.
        JsonNode same = http.call("POST", "/api/admin/bot/what-if", thresholds(answer, clarify), admin).json();
        assertThat(same.path("questions").asInt()).isEqualTo(5);
        assertThat(same.path("changed").asInt()).isZero();
        assertThat(same.path("before")).isEqualTo(same.path("after"));
        assertThat(same.path("before").path("answer").asInt()).isGreaterThanOrEqualTo(2);

        // Bands at the very top: every answer and clarification would become a handoff.
        JsonNode strict = http.call("POST", "/api/admin/bot/what-if", thresholds(1.0, 1.0), admin).json();
        int before = strict.path("before").path("answer").asInt() + strict.path("before").path("clarify").asInt();
        assertThat(strict.path("changed").asInt()).isEqualTo(before);
        assertThat(strict.path("after").path("handoff").asInt()).isEqualTo(5);
        assertThat(strict.path("changes").path("answer->handoff").asInt()).isEqualTo(strict.path("before").path("answer").asInt());
        JsonNode example = strict.path("examples").get(0);
        assertThat(example.path("text").asText()).isEqualTo(KNOWN);
        assertThat(example.path("times").asInt()).isEqualTo(2);
        assertThat(example.path("before").asText()).isEqualTo("answer");
        assertThat(example.path("after").asText()).isEqualTo("handoff");
        assertThat(strict.path("proposed").path("answerThreshold").asDouble()).isEqualTo(1.0);
        assertThat(strict.path("current").path("answerThreshold").asDouble()).isEqualTo(answer);

    }

    /**
     * Regression: the what-if asked its recorded questions without a language hint, so the order number an
     * English visitor typed was read as Korean (a text without letters reads as the hint, and none meant
     * ko): it was counted in the Korean what-if, which the live bot never did, and missing from the
     * English one. Each question is now asked with its conversation's locale, as the live bot asked it.
     */
    @Test
    @Order(2)
    void theWhatIfAsksEachRecordedQuestionInTheLanguageOfItsPage() throws Exception {
        JsonNode ko = http.call("POST", "/api/admin/bot/what-if", thresholds(1.0, 1.0), admin).json();
        assertThat(ko.path("questions").asInt()).as("the five Korean questions only").isEqualTo(5);
        assertThat(ko.path("examples").findValuesAsText("text")).doesNotContain(ORDER_NUMBER);

        JsonNode status = http.call("GET", "/api/admin/bot/status", null, admin).json().path("locales").path("en");
        Map<String, Object> en = thresholds(status.path("answerThreshold").asDouble(),
                status.path("clarifyThreshold").asDouble());
        en.put("locale", "en");
        JsonNode english = http.call("POST", "/api/admin/bot/what-if", en, admin).json();
        assertThat(english.path("questions").asInt()).as("the order number from the English page").isEqualTo(1);
        assertThat(english.path("changed").asInt()).isZero();
        // Its decision with the live thresholds is the one the live bot stored.
        String stored = http.text("SELECT bot_decision FROM messages WHERE body = '" + ORDER_NUMBER + "'");
        assertThat(english.path("before").path(stored).asInt()).isEqualTo(1);
    }

    @Test
    @Order(3)
    void savedThresholdsAreUsedAtOnceAndAStaleSaveIsRefused() throws Exception {
        assertThat(http.call("GET", "/api/admin/bot/thresholds", null, admin).json().path("version").asLong()).isZero();
        Map<String, Object> strict = thresholds(1.0, 1.0);
        strict.put("version", 0);
        AdminHttp.Response saved = http.call("PUT", "/api/admin/bot/thresholds/ko", strict, admin);
        assertThat(saved.status()).isEqualTo(200);
        assertThat(saved.json().path("version").asLong()).isEqualTo(1);
        assertThat(saved.json().path("locales").path("ko").path("answerThreshold").asDouble()).isEqualTo(1.0);
        // The bot uses them for the very next question, without a rebuild.
        JsonNode asked = http.call("POST", "/api/bot/ask", Map.of("text", KNOWN, "locale", "ko"), admin).json();
        assertThat(asked.path("decision").asText()).isEqualTo("handoff");
        JsonNode ko = http.call("GET", "/api/admin/bot/status", null, admin).json().path("locales").path("ko");
        assertThat(ko.path("source").asText()).isEqualTo("SAVED");
        assertThat(ko.path("answerThreshold").asDouble()).isEqualTo(1.0);
        assertThat(http.count("SELECT COUNT(*) FROM audit_log WHERE action = 'bot.thresholds'")).isEqualTo(1);

        // A second editor who read version 0 is refused and changes nothing.
        Map<String, Object> stale = thresholds(0.5, 0.2);
        stale.put("version", 0);
        AdminHttp.Response conflict = http.call("PUT", "/api/admin/bot/thresholds/ko", stale, admin);
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.code()).isEqualTo("conflict");
        assertThat(http.call("GET", "/api/admin/bot/thresholds", null, admin).json().path("locales").path("ko")
                .path("answerThreshold").asDouble()).isEqualTo(1.0);

        // Removing them: the bot answers again.
        AdminHttp.Response removed = http.call("DELETE", "/api/admin/bot/thresholds/ko?version=1", null, admin);
        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.json().path("locales").has("ko")).isFalse();
        assertThat(http.call("POST", "/api/bot/ask", Map.of("text", KNOWN, "locale", "ko"), admin).json()
                .path("decision").asText()).isEqualTo("answer");
        assertThat(http.call("GET", "/api/admin/bot/status", null, admin).json().path("locales").path("ko")
                .path("source").asText()).isNotEqualTo("SAVED");
    }

    @Test
    @Order(4)
    void badInputIsAClear400AndStoresNothing() throws Exception {
        long settingsBefore = http.count("SELECT COUNT(*) FROM settings");
        String version = http.call("GET", "/api/admin/bot/thresholds", null, admin).json().path("version").asText();
        List<Object[]> cases = List.of(
                new Object[] {"POST", "/api/admin/bot/try", Map.of(), "text"},
                new Object[] {"POST", "/api/admin/bot/try", Map.of("text", "  "), "text"},
                new Object[] {"POST", "/api/admin/bot/try", Map.of("text", "x".repeat(501)), "text"},
                new Object[] {"POST", "/api/admin/bot/try", Map.of("text", "안녕", "locale", "fr"), "locale"},
                new Object[] {"POST", "/api/admin/bot/what-if", Map.of("locale", "ko"), "answerThreshold"},
                new Object[] {"POST", "/api/admin/bot/what-if", thresholds(0.3, 0.5), "clarifyThreshold"},
                new Object[] {"POST", "/api/admin/bot/what-if", Map.of("locale", "fr", "answerThreshold", 0.5,
                        "clarifyThreshold", 0.2), "locale"},
                new Object[] {"POST", "/api/admin/bot/what-if", Map.of("locale", "ko", "answerThreshold", 1.5,
                        "clarifyThreshold", 0.2), "answerThreshold"},
                new Object[] {"POST", "/api/admin/bot/what-if", Map.of("locale", "ko", "answerThreshold", "0.5",
                        "clarifyThreshold", 0.2), "answerThreshold"},
                new Object[] {"POST", "/api/admin/bot/what-if", Map.of("locale", "ko", "answerThreshold", 0.5,
                        "clarifyThreshold", 0.2, "from", "yesterday"), "from"},
                new Object[] {"PUT", "/api/admin/bot/thresholds/ko", Map.of("answerThreshold", 0.5,
                        "clarifyThreshold", 0.2), "version"},
                new Object[] {"PUT", "/api/admin/bot/thresholds/ko", Map.of("answerThreshold", 0.5,
                        "clarifyThreshold", 0.7, "version", Long.parseLong(version)), "clarifyThreshold"},
                new Object[] {"PUT", "/api/admin/bot/thresholds/fr", Map.of("answerThreshold", 0.5,
                        "clarifyThreshold", 0.2, "version", Long.parseLong(version)), "locale"},
                new Object[] {"DELETE", "/api/admin/bot/thresholds/ko", null, "version"},
                new Object[] {"DELETE", "/api/admin/bot/thresholds/ko?version=x", null, "version"});
        for (Object[] c : cases) {
            AdminHttp.Response response = http.call((String) c[0], (String) c[1], c[2], admin);
            assertThat(response.status()).as(c[0] + " " + c[1] + " " + c[2]).isEqualTo(400);
            assertThat(response.code()).isEqualTo("bad_request");
            assertThat(response.json().path("message").asText()).as(c[1] + " " + c[2]).contains((String) c[3]);
        }
        assertThat(http.count("SELECT COUNT(*) FROM settings")).isEqualTo(settingsBefore);
        assertThat(http.text("SELECT version FROM settings WHERE key = 'bot.thresholds'")).isEqualTo(version);
    }

    @Test
    @Order(5)
    void onlyAnInstallationAdminMayUseTheConsole() throws Exception {
        Map<String, Object> save = thresholds(0.9, 0.5);
        save.put("version", 2);
        List<Object[]> calls = List.of(
                new Object[] {"POST", "/api/admin/bot/try", Map.of("text", KNOWN)},
                new Object[] {"POST", "/api/admin/bot/what-if", thresholds(0.9, 0.5)},
                new Object[] {"GET", "/api/admin/bot/thresholds", null},
                new Object[] {"PUT", "/api/admin/bot/thresholds/ko", save},
                new Object[] {"DELETE", "/api/admin/bot/thresholds/ko?version=2", null});
        for (Object[] c : calls) {
            String what = c[0] + " " + c[1];
            assertThat(http.call((String) c[0], (String) c[1], c[2], null).status()).as(what).isEqualTo(401);
            assertThat(http.call((String) c[0], (String) c[1], c[2], "not-a-token").status()).as(what).isEqualTo(401);
            for (String token : List.of(agent, supervisor, siteAdmin)) {
                AdminHttp.Response refused = http.call((String) c[0], (String) c[1], c[2], token);
                assertThat(refused.status()).as(what).isEqualTo(403);
                assertThat(refused.code()).isEqualTo("forbidden");
            }
        }
        assertThat(http.text("SELECT version FROM settings WHERE key = 'bot.thresholds'")).isEqualTo("2");
        assertThat(http.count("SELECT COUNT(*) FROM audit_log WHERE action = 'bot.thresholds'")).isEqualTo(2);
    }
}
