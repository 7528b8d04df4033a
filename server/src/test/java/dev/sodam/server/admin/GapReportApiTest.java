package dev.sodam.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.ServerExtension;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WsTestClient;
import dev.sodam.server.util.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The gap report over conversations held through the real server (real sockets, real bot, real
 * SQLite): questions the bot could not answer, grouped by similarity with Nori's terms, each group
 * offering the agent's actual answer; a draft FAQ entry made from a group.
 */
class GapReportApiTest {
    static final String CAMPING_ANSWER = "네, 캠핑관에서 접이식 캠핑 의자를 팔아요. 무게는 2kg이고 색은 세 가지예요.";

    @RegisterExtension
    static final ServerExtension app = ServerExtension.started().withBot();
    static String admin;
    static String agentToken;
    static String supervisor;
    static String otherSiteAdmin;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        app.server().createAgent("agent@sodam.test", "상담원 김", "agent-password-1");
        admin = app.server().loginAdmin();
        agentToken = app.server().login("agent@sodam.test", "agent-password-1");
        // A supervisor, who may not read the reports, and an admin of another site, who reads only that site's.
        app.server().createSite("shop2");
        app.server().createAgent("super@sodam.test", "관리자 최", "super-password-1");
        app.server().createAgent("admin@shop2.test", "가게2 관리자", "shop2-password-1");
        try (Connection db = TestServer.db(app.server().dataDir());
             Statement update = db.createStatement()) {
            update.executeUpdate("UPDATE agents SET role = 'supervisor' WHERE email = 'super@sodam.test'");
            update.executeUpdate("UPDATE agents SET role = 'admin', site_id = 'shop2' WHERE email = 'admin@shop2.test'");
        }
        supervisor = app.server().login("super@sodam.test", "super-password-1");
        otherSiteAdmin = app.server().login("admin@shop2.test", "shop2-password-1");
        try (WsTestClient agent = WsTestClient.connect(app.server().agentUri())) {
            agent.helloAgent(admin);
            // Three ways of asking for camping chairs, answered by a person after a greeting.
            serve(app.server(), agent, "캠핑 의자도 파나요?", "안녕하세요, 상담원 김입니다.", CAMPING_ANSWER);
            serve(app.server(), agent, "캠핑 의자 판매하시나요?", "안녕하세요!", "캠핑 의자는 캠핑관에 있어요.");
            serve(app.server(), agent, "접이식 캠핑 의자 있어요?", null, null);
            // Two about parking, and one the bot answers but the visitor still wants a person.
            serve(app.server(), agent, "매장에 주차장 있나요?", null, null);
            serve(app.server(), agent, "주차장 이용 가능한가요?", null, null);
            serve(app.server(), agent, "배송은 얼마나 걸리나요?", null, null);
        }
    }

    /**
     * A visitor asks; if the bot still holds the chat after its reply, the visitor presses 상담원 연결.
     * The agent accepts and writes the given messages (none: the chat stays queued).
     */
    static void serve(TestServer server, WsTestClient agent, String question, String greeting, String answer)
            throws Exception {
        try (WsTestClient visitor = WsTestClient.connect(server.visitorUri())) {
            visitor.helloVisitor(null, null, 0);
            String id = visitor.say("q", null, question).get("conversationId").asText();
            JsonNode reply = visitor.await("message", m -> !m.path("from").path("kind").asText().equals("visitor")
                    || visitor.frames("status").stream().anyMatch(s -> s.path("state").asText().equals("queued")));
            if (visitor.frames("status").stream().noneMatch(s -> s.path("state").asText().equals("queued"))) {
                assertThat(reply.path("from").path("kind").asText()).isEqualTo("bot");
                visitor.send("{\"type\":\"handoff\",\"conversationId\":\"" + id + "\"}");
            }
            visitor.await("status", s -> s.path("state").asText().equals("queued"));
            if (greeting != null || answer != null) {
                agent.send("{\"type\":\"accept\",\"conversationId\":\"" + id + "\"}");
                visitor.await("status", s -> s.path("state").asText().equals("assigned"));
                if (greeting != null) {
                    agent.say("g-" + id, id, greeting);
                }
                agent.say("a-" + id, id, answer);
                agent.send("{\"type\":\"resolve\",\"conversationId\":\"" + id + "\"}");
                visitor.await("status", s -> s.path("state").asText().equals("resolved"));
            }
        }
    }

    record Response(int status, JsonNode json) {
    }

    static Response call(String method, String path, Object body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.server().http(path)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body)))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), Json.MAPPER.readTree(response.body()));
    }

    static long count(String sql) throws Exception {
        try (Connection db = TestServer.db(app.server().dataDir());
             Statement statement = db.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static JsonNode clusterWith(JsonNode report, String text) {
        for (JsonNode c : report.path("clusters")) {
            for (JsonNode e : c.path("examples")) {
                if (e.path("text").asText().equals(text)) {
                    return c;
                }
            }
        }
        throw new AssertionError("no cluster holds '" + text + "' in " + report);
    }

    static List<String> texts(JsonNode cluster) {
        List<String> out = new ArrayList<>();
        cluster.path("examples").forEach(e -> out.add(e.path("text").asText()));
        return out;
    }

    @Test
    void failedQuestionsAreGroupedWithTheAgentsActualAnswer() throws Exception {
        Response response = call("GET", "/api/admin/gaps?locale=ko", null, admin);
        assertThat(response.status()).as(response.json().toString()).isEqualTo(200);
        JsonNode report = response.json();
        assertThat(report.path("questions").asInt()).isEqualTo(6);

        JsonNode camping = clusterWith(report, "캠핑 의자도 파나요?");
        assertThat(texts(camping)).containsExactlyInAnyOrder("캠핑 의자도 파나요?", "캠핑 의자 판매하시나요?", "접이식 캠핑 의자 있어요?");
        assertThat(camping.path("count").asInt()).isEqualTo(3);
        assertThat(camping.path("terms").toString()).contains("캠핑", "의자");
        // The agent's answer, newest first, and never the greeting that came before it.
        List<String> answers = new ArrayList<>();
        camping.path("agentAnswers").forEach(a -> answers.add(a.path("text").asText()));
        assertThat(answers).containsExactly("캠핑 의자는 캠핑관에 있어요.", CAMPING_ANSWER);
        assertThat(camping.path("agentAnswers").get(0).path("agentName").asText()).isEqualTo("admin");

        JsonNode parking = clusterWith(report, "매장에 주차장 있나요?");
        assertThat(texts(parking)).containsExactlyInAnyOrder("매장에 주차장 있나요?", "주차장 이용 가능한가요?");
        assertThat(parking.path("agentAnswers")).isEmpty();

        // Answered by the bot, then the visitor asked for a person: a gap of its own kind.
        JsonNode delivery = clusterWith(report, "배송은 얼마나 걸리나요?");
        assertThat(delivery.path("count").asInt()).isEqualTo(1);
        assertThat(delivery.path("reasons").path("asked_for_person").asInt()).isEqualTo(1);
        int unsureOrClarified = camping.path("reasons").path("bot_unsure").asInt()
                + camping.path("reasons").path("clarified").asInt() + camping.path("reasons").path("low_confidence").asInt();
        assertThat(unsureOrClarified).isGreaterThanOrEqualTo(3);

        // Largest first; the same data gives the same report.
        assertThat(report.path("clusters").get(0).path("count").asInt()).isEqualTo(3);
        assertThat(call("GET", "/api/admin/gaps?locale=ko", null, admin).json().path("clusters"))
                .isEqualTo(report.path("clusters"));
        // A period before the conversations has none; English has none.
        assertThat(call("GET", "/api/admin/gaps?from=2020-01-01&to=2020-01-31", null, admin).json()
                .path("clusters")).isEmpty();
        assertThat(call("GET", "/api/admin/gaps?locale=en", null, admin).json().path("questions").asInt()).isZero();
    }

    @Test
    void oneClickMakesADisabledDraftWithTheClustersQuestionsAndTheAgentsAnswer() throws Exception {
        JsonNode camping = clusterWith(call("GET", "/api/admin/gaps", null, admin).json(), "캠핑 의자도 파나요?");
        long entries = count("SELECT count(*) FROM faq_entries");
        Response draft = call("POST", "/api/admin/gaps/draft", Map.of("locale", "ko",
                "question", camping.path("label").asText(), "paraphrases", texts(camping),
                "answer", camping.path("agentAnswers").get(1).path("text").asText()), admin);
        assertThat(draft.status()).as(draft.json().toString()).isEqualTo(201);
        assertThat(draft.json().path("enabled").asBoolean()).isFalse();
        assertThat(draft.json().path("answer").asText()).isEqualTo(CAMPING_ANSWER);
        assertThat(draft.json().path("paraphrases")).hasSize(2);
        assertThat(count("SELECT count(*) FROM faq_entries")).isEqualTo(entries + 1);
        JsonNode history = call("GET", "/api/admin/faq/" + draft.json().path("id").asText() + "/history", null, admin).json();
        assertThat(history.path("versions").get(0).path("action").asText()).isEqualTo("create");

        // Without an agent's answer the draft says what to write; it is still disabled.
        Response empty = call("POST", "/api/admin/gaps/draft", Map.of("locale", "ko", "question", "매장에 주차장 있나요?",
                "paraphrases", List.of("주차장 이용 가능한가요?")), admin);
        assertThat(empty.status()).isEqualTo(201);
        assertThat(empty.json().path("answer").asText()).contains("답변을 써 주세요");
    }

    @Test
    void theReportIsForAdminsAndBadInputIsRefusedWithoutWriting() throws Exception {
        long entries = count("SELECT count(*) FROM faq_entries");
        Map<String, Object> draft = Map.of("locale", "ko", "question", "권한 확인", "answer", "답");
        for (String token : new String[] {null, "at_bogus", agentToken, supervisor}) {
            int expected = token == null || token.equals("at_bogus") ? 401 : 403;
            assertThat(call("GET", "/api/admin/gaps", null, token).status()).isEqualTo(expected);
            assertThat(call("POST", "/api/admin/gaps/draft", draft, token).status()).isEqualTo(expected);
            assertThat(call("GET", "/api/admin/analytics", null, token).status()).isEqualTo(expected);
            assertThat(call("GET", "/api/admin/analytics?format=csv&site=shop2", null, token).status()).isEqualTo(expected);
        }
        // Another site's admin reads that site's reports only: every question here was asked on demo.
        assertThat(call("GET", "/api/admin/gaps", null, otherSiteAdmin).json().path("questions").asInt()).isZero();
        assertThat(call("GET", "/api/admin/analytics", null, otherSiteAdmin).json().path("conversations").asInt()).isZero();
        assertThat(call("GET", "/api/admin/gaps?site=demo", null, otherSiteAdmin).status()).isEqualTo(403);
        assertThat(call("GET", "/api/admin/analytics?site=demo", null, otherSiteAdmin).status()).isEqualTo(403);
        assertThat(call("POST", "/api/admin/gaps/draft", draft, otherSiteAdmin).status()).isEqualTo(403);
        Response figures = call("GET", "/api/admin/analytics?site=demo", null, admin);
        assertThat(figures.status()).isEqualTo(200);
        assertThat(figures.json().path("conversations").asInt()).isEqualTo(6);
        assertThat(figures.json().path("handoffs").path("count").asInt()).isEqualTo(6);
        assertThat(call("GET", "/api/admin/analytics?site=shop2", null, admin).json().path("conversations").asInt()).isZero();
        assertThat(call("GET", "/api/admin/analytics?format=xml", null, admin).status()).isEqualTo(400);
        for (String query : List.of("from=2026-12-01&to=2026-11-01", "tz=Mars/Olympus", "locale=jp", "lowConfidence=2",
                "threshold=0", "from=yesterday", "from=2020-01-01&to=2026-01-01")) {
            Response bad = call("GET", "/api/admin/gaps?" + query, null, admin);
            assertThat(bad.status()).as(query).isEqualTo(400);
            assertThat(bad.json().path("code").asText()).isEqualTo("bad_request");
        }
        assertThat(call("POST", "/api/admin/gaps/draft", Map.of("locale", "ko"), admin).status()).isEqualTo(400);
        assertThat(call("POST", "/api/admin/gaps/draft", Map.of("question", "q"), admin).status()).isEqualTo(400);
        assertThat(call("POST", "/api/admin/gaps/draft", Map.of("locale", "ko", "question", "q", "paraphrases", "x"), admin)
                .status()).isEqualTo(400);
        assertThat(call("PUT", "/api/admin/gaps", null, admin).status()).isEqualTo(405);
        assertThat(count("SELECT count(*) FROM faq_entries")).isEqualTo(entries);
    }
}
