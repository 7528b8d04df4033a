package dev.sodam.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.ServerExtension;
import dev.sodam.server.testing.WsTestClient;
import dev.sodam.server.util.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Regression (QA): the gap report filed a question by its letters alone, so a Korean visitor's
 * "12345" (no letters: the bot reads it in the chat's language) was listed under English, and a
 * Korean question naming a product in Latin letters under English too. It now asks the bot's own rule
 * ({@code FaqBot.localeOf}) with the chat's language as the hint. Real server, sockets and SQLite.
 */
class GapReportLocaleTest {

    @RegisterExtension
    static final ServerExtension app = ServerExtension.started().withBot();

    @Test
    void aQuestionWithoutLettersIsFiledUnderTheChatsLanguage() throws Exception {
        ask("12345");
        ask("Samsung Galaxy Buds2 Pro 캠핑 의자도 파나요?");

        String admin = app.server().loginAdmin();
        JsonNode korean = report("/api/admin/gaps?locale=ko", admin);
        assertThat(questions(korean)).as(korean.toString())
                .contains("12345", "Samsung Galaxy Buds2 Pro 캠핑 의자도 파나요?");
        JsonNode english = report("/api/admin/gaps?locale=en", admin);
        assertThat(english.path("questions").asInt()).as(english.toString()).isZero();
    }

    /** A Korean visitor asks; the bot cannot answer: it offers suggestions or hands the chat to the queue. */
    private static void ask(String question) throws Exception {
        try (WsTestClient visitor = WsTestClient.connect(app.server().visitorUri())) {
            visitor.helloVisitor(null, null, 0);
            visitor.say("q", null, question);
            visitor.await("message", m -> !m.path("from").path("kind").asText().equals("visitor")
                    || visitor.frames("status").stream().anyMatch(s -> s.path("state").asText().equals("queued")));
        }
    }

    private static JsonNode report(String path, String token) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(app.server().http(path))).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body());
    }

    private static List<String> questions(JsonNode report) {
        List<String> out = new ArrayList<>();
        report.path("clusters").forEach(c -> c.path("examples").forEach(e -> out.add(e.path("text").asText())));
        return out;
    }
}
