package dev.sodam.server.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.ServerExtension;
import dev.sodam.server.testing.WsTestClient;
import dev.sodam.server.util.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Visitor feedback over real sockets and a real SQLite file: 👍/👎 on a bot answer, CSAT and NPS
 * after resolution, who may rate what, who hears of it, and the admin endpoint for every role.
 */
class FeedbackTest {
    @RegisterExtension
    static final ServerExtension app = ServerExtension.started().withBot();
    static String admin;
    static String agent;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        app.server().createAgent("rater@sodam.test", "상담원 평가", "agent-password-1");
        admin = app.server().loginAdmin();
        agent = app.server().login("rater@sodam.test", "agent-password-1");
    }

    static HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.server().http(path))).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String rate(String conversationId, String kind, String messageId, int score, String comment, String ref)
            throws Exception {
        java.util.Map<String, Object> frame = new java.util.LinkedHashMap<>();
        frame.put("type", "rate");
        frame.put("conversationId", conversationId);
        frame.put("kind", kind);
        if (messageId != null) {
            frame.put("messageId", messageId);
        }
        frame.put("score", score);
        if (comment != null) {
            frame.put("comment", comment);
        }
        frame.put("ref", ref);
        return Json.MAPPER.writeValueAsString(frame);
    }

    @Test
    void thumbsOnABotAnswerThenCsatAndNpsAfterResolutionAreStoredAndShown() throws Exception {
        try (WsTestClient visitor = WsTestClient.connect(app.server().visitorUri());
             WsTestClient otherTab = WsTestClient.connect(app.server().visitorUri());
             WsTestClient console = WsTestClient.connect(app.server().agentUri())) {
            String token = visitor.helloVisitor(null, null, 0).get("visitorToken").asText();
            otherTab.helloVisitor(token, null, 0);
            JsonNode ack = visitor.say("f-1", null, "배송은 얼마나 걸리나요?");
            String conversationId = ack.get("conversationId").asText();
            JsonNode answer = visitor.await("message", m -> m.path("from").path("kind").asText().equals("bot"));

            // Thumbs on the visitor's own message is refused; on the bot's answer it is stored and both tabs hear it.
            visitor.send(rate(conversationId, "thumbs", ack.get("messageId").asText(), 1, null, "t-own"));
            assertThat(visitor.await("error", e -> e.path("ref").asText().equals("t-own")).get("code").asText())
                    .isEqualTo("bad_request");
            visitor.send(rate(conversationId, "thumbs", answer.get("messageId").asText(), 0, null, "t-1"));
            visitor.send(rate(conversationId, "thumbs", answer.get("messageId").asText(), 1, null, "t-2"));
            JsonNode rated = otherTab.await("rated", r -> r.path("score").asInt() == 1);
            assertThat(rated.get("kind").asText()).isEqualTo("thumbs");
            assertThat(rated.get("messageId").asText()).isEqualTo(answer.get("messageId").asText());

            // CSAT before the end is refused.
            visitor.send(rate(conversationId, "csat", null, 5, null, "c-early"));
            assertThat(visitor.await("error", e -> e.path("ref").asText().equals("c-early")).get("code").asText())
                    .isEqualTo("conflict");

            console.helloAgent(agent);
            visitor.send("{\"type\":\"handoff\",\"conversationId\":\"" + conversationId + "\"}");
            visitor.await("status", s -> s.path("state").asText().equals("queued"));
            console.send("{\"type\":\"accept\",\"conversationId\":\"" + conversationId + "\"}");
            visitor.await("status", s -> s.path("state").asText().equals("assigned"));
            // An agent cannot rate in the visitor's name.
            console.send(rate(conversationId, "csat", null, 5, null, "agent-rate"));
            assertThat(console.await("error", e -> e.path("ref").asText().equals("agent-rate")).get("code").asText())
                    .isEqualTo("forbidden");
            console.send("{\"type\":\"resolve\",\"conversationId\":\"" + conversationId + "\"}");
            visitor.await("status", s -> s.path("state").asText().equals("resolved"));

            visitor.send(rate(conversationId, "csat", null, 3, "<img src=x onerror=alert(1)>", "c-1"));
            visitor.send(rate(conversationId, "csat", null, 5, "  빠르고 친절했어요  ", "c-2"));
            visitor.send(rate(conversationId, "nps", null, 9, null, "n-1"));
            JsonNode csat = console.await("rated", r -> r.path("kind").asText().equals("csat")
                    && r.path("score").asInt() == 5);
            assertThat(csat.get("comment").asText()).isEqualTo("빠르고 친절했어요");
            console.await("rated", r -> r.path("kind").asText().equals("nps"));

            // The agent's full sync brings the stored feedback (the latest of each), after the messages.
            int before = console.frames("rated").size();
            console.send("{\"type\":\"sync\",\"conversationId\":\"" + conversationId + "\",\"afterSeq\":0}");
            org.awaitility.Awaitility.await().until(() -> console.frames("rated").size() >= before + 3);

            // The admin endpoint: admin only; one row per conversation, kind and message (the last word).
            assertThat(get("/api/admin/feedback?conversationId=" + conversationId, null).statusCode()).isEqualTo(401);
            assertThat(get("/api/admin/feedback?conversationId=" + conversationId, agent).statusCode()).isEqualTo(403);
            assertThat(get("/api/admin/feedback?kind=stars", admin).statusCode()).isEqualTo(400);
            assertThat(get("/api/admin/feedback?from=yesterday", admin).statusCode()).isEqualTo(400);
            HttpResponse<String> listed = get("/api/admin/feedback?site=demo&conversationId=" + conversationId, admin);
            assertThat(listed.statusCode()).isEqualTo(200);
            JsonNode rows = Json.MAPPER.readTree(listed.body()).get("feedback");
            assertThat(rows).hasSize(3);
            java.util.Map<String, JsonNode> byKind = new java.util.HashMap<>();
            rows.forEach(r -> byKind.put(r.get("kind").asText(), r));
            assertThat(byKind.get("thumbs").get("score").asInt()).isEqualTo(1);
            assertThat(byKind.get("thumbs").get("messageId").asText()).isEqualTo(answer.get("messageId").asText());
            assertThat(byKind.get("csat").get("score").asInt()).isEqualTo(5);
            assertThat(byKind.get("nps").get("score").asInt()).isEqualTo(9);
            assertThat(byKind.get("nps").get("siteId").asText()).isEqualTo("demo");
            JsonNode onlyCsat = Json.MAPPER.readTree(get("/api/admin/feedback?kind=csat&conversationId="
                    + conversationId, admin).body()).get("feedback");
            assertThat(onlyCsat).hasSize(1);

            // A reload (resume from 0) shows the visitor their own ratings again.
            try (WsTestClient reloaded = WsTestClient.connect(app.server().visitorUri())) {
                reloaded.helloVisitor(token, conversationId, 0);
                reloaded.await("rated", r -> r.path("kind").asText().equals("thumbs"));
            }
        }
    }
}
