package dev.sodam.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.insight.GapReport;
import dev.sodam.server.testing.ServerExtension;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WsTestClient;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The gap report's "answered with low confidence", against the real bot's calibrated thresholds. */
class GapReportLowConfidenceTest {
    @RegisterExtension
    static final ServerExtension app = ServerExtension.started().withBot();
    static String admin;

    @BeforeAll
    static void logIn() throws Exception {
        admin = app.server().loginAdmin();
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestServer.json(response.body());
    }


    /** "Answered with low confidence" is measured against the language's calibrated line, not a fixed 0.7. */
    @Test
    void lowConfidenceFollowsTheLanguagesCalibratedAnswerThreshold() throws Exception {
        double line = json(app.server().get("/api/admin/bot/status", admin)).at("/locales/ko/answerThreshold").asDouble();
        assertThat(line).isPositive();
        String question = "반품 배송비는 누가 내나요?";
        JsonNode asked = json(app.server().post("/api/bot/ask", "{\"text\":\"" + question + "\",\"locale\":\"ko\"}", admin));
        assertThat(asked.path("decision").asText()).as(asked.toString()).isEqualTo("answer");
        double confidence = asked.path("confidence").asDouble();
        try (WsTestClient visitor = WsTestClient.connect(app.server().visitorUri())) {
            visitor.helloVisitor(null, null, 0);
            visitor.say("low-1", null, question);
            visitor.await("message", m -> "bot".equals(m.path("from").path("kind").asText()));
        }
        java.util.function.Predicate<JsonNode> flagged = report -> {
            for (JsonNode c : report.path("clusters")) {
                for (JsonNode e : c.path("examples")) {
                    if (e.path("text").asText().equals(question) && e.path("reasons").toString().contains("low_confidence")) {
                        return true;
                    }
                }
            }
            return false;
        };
        org.awaitility.Awaitility.await().until(() -> json(app.server().get("/api/admin/gaps?lowConfidence=1", admin)),
                report -> flagged.test(report));
        assertThat(flagged.test(json(app.server().get("/api/admin/gaps", admin))))
                .as("confidence %.3f against the ko line %.3f + %.2f", confidence, line, GapReport.LOW_CONFIDENCE_MARGIN)
                .isEqualTo(confidence < line + GapReport.LOW_CONFIDENCE_MARGIN);
        assertThat(flagged.test(json(app.server().get("/api/admin/gaps?lowConfidence=0", admin)))).isFalse();
    }
}
