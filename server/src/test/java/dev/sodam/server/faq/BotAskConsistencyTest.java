package dev.sodam.server.faq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.bot.BotDecision;
import dev.sodam.bot.BotThresholds;
import dev.sodam.bot.FaqBot;
import dev.sodam.bot.FaqEntry;
import dev.sodam.bot.FaqSeed;
import dev.sodam.bot.HeldOutValidation;
import dev.sodam.bot.SmallTalkIntent;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.util.Json;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/bot/ask} answers exactly what the bot library answers: the server adds nothing,
 * loses nothing and reorders nothing. The library bot is trained here from the same seed entries,
 * in the order the server reads them from its database (locale, then id).
 */
class BotAskConsistencyTest {
    @TempDir
    static Path dataDir;
    static TestServer server;
    static String token;
    static FaqBot library;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dataDir);
        server.awaitBot();
        token = server.loginAdmin();
        Path config = TestServer.repoRoot().resolve("config");
        List<FaqEntry> faq = new ArrayList<>(FaqSeed.load(config.resolve("faq/seed-ko.json")));
        faq.addAll(FaqSeed.load(config.resolve("faq/seed-en.json")));
        faq.sort(Comparator.comparing(FaqEntry::locale).thenComparing(FaqEntry::id));
        List<SmallTalkIntent> intents = SmallTalkIntent.loadAll(config.resolve("bot/intents.json"));
        BotThresholds defaults = new BotThresholds(0.55, 0.30);
        // The server calibrates its thresholds on held-out paraphrases (bot.calibrate, on by default);
        // the library does the same with the same inputs.
        HeldOutValidation.Report calibration = HeldOutValidation.run(faq, intents,
                HeldOutValidation.load(config.resolve("bot/out-of-scope.json")), defaults);
        library = FaqBot.train(faq, intents, defaults).withScales(calibration.scales())
                .withThresholds(calibration.thresholds());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "배송 언제 와요?|ko", "배숑 언제와요|ko", "환불은 언제 되나요|ko", "비밀번호를 잊어버렸어요|ko",
        "결재 취소하고싶어요|ko", "오늘 날씨 어때?|ko", "상담원 연결|ko", "안녕하세요|ko",
        "When will my order arrive?|en", "how do i retrun this|en", "what's the capital of france|en",
        "talk to a human|en", "thanks a lot|en"})
    void theHttpAnswerIsTheLibrarysAnswer(String text, String locale) throws Exception {
        HttpResponse<String> response = server.post("/api/bot/ask",
                Json.MAPPER.writeValueAsString(Map.of("text", text, "locale", locale)), token);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode http = TestServer.json(response.body());
        BotDecision expected = library.ask(text, locale);

        assertThat(http.get("decision").asText()).isEqualTo(expected.decision());
        assertThat(http.get("intent").isNull() ? null : http.get("intent").asText()).isEqualTo(expected.intent());
        assertThat(http.get("locale").asText()).isEqualTo(expected.locale());
        assertThat(http.get("confidence").asDouble()).isCloseTo(expected.confidence(), within(1e-6));
        String faqId = expected instanceof BotDecision.Answer a ? a.faqId() : null;
        assertThat(http.get("faqId").isNull() ? null : http.get("faqId").asText()).isEqualTo(faqId);
        List<String> candidates = new ArrayList<>();
        http.get("candidates").forEach(c -> candidates.add(c.get("faqId").asText()));
        assertThat(candidates).containsExactlyElementsOf(
                expected.candidates().stream().map(dev.sodam.bot.Candidate::faqId).toList());
    }
}
