package dev.sodam.server.admin;

import static dev.sodam.server.testing.Browsers.messages;
import static dev.sodam.server.testing.Browsers.text;
import static dev.sodam.server.testing.Browsers.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.server.testing.Browsers;
import dev.sodam.server.testing.ServerExtension;
import dev.sodam.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The admin page in Debian Chromium: an admin logs into /admin, writes a Korean FAQ entry no seed
 * entry covers (a refusal on the way is said in Korean), tries it in the test box, and a visitor on
 * /demo gets that answer from the bot. Markup in the answer stays text on both pages.
 */
class AdminBrowserTest {
    private static final String QUESTION = "반려동물 용품도 파나요?";
    private static final String ANSWER = "<img src=x onerror=\"window.__pwned=1\">네, 반려동물 용품관에서 사료·간식·모래를 팔아요.";

    @RegisterExtension
    static final ServerExtension app = ServerExtension.forBrowsers();

    private static WebElement testid(SearchContext root, String id) {
        return root.findElement(By.cssSelector("[data-testid='" + id + "']"));
    }

    @Test
    void anAdminWritesAKoreanFaqAndTheWidgetAnswersWithIt() throws Exception {
        WebDriver admin = Browsers.open();
        WebDriver visitor = Browsers.open();
        try {
            admin.get(app.server().http("/admin"));
            testid(admin, "admin-login-email").sendKeys(TestServer.ADMIN_EMAIL);
            testid(admin, "admin-login-password").sendKeys(TestServer.ADMIN_PASSWORD);
            testid(admin, "admin-login-submit").click();
            waiting(admin).until(d -> d.findElements(By.cssSelector("[data-testid='faq-row']")).size() >= 92);
            waiting(admin).until(d -> "ready".equals(testid(d, "bot-status").getAttribute("data-state")));
            int versionBefore = Integer.parseInt(testid(admin, "bot-status").getAttribute("data-version"));

            // Nothing in the seed answers it yet.
            testid(admin, "ask-input").sendKeys(QUESTION);
            testid(admin, "ask-submit").click();
            waiting(admin).until(d -> !testid(d, "ask-result").getText().isBlank());
            assertThat(testid(admin, "ask-result").getText()).doesNotContain("사료·간식");

            testid(admin, "faq-new").click();
            testid(admin, "faq-question").sendKeys(QUESTION);
            // A paraphrase over 200 characters: the server refuses it, and the Korean page says so in Korean
            // (from the refusal's reason and limit), not with the server's English message.
            String tooLong = "사료".repeat(101);
            testid(admin, "faq-paraphrases").sendKeys(tooLong);
            testid(admin, "faq-answer").sendKeys(ANSWER);
            testid(admin, "faq-tags").sendKeys("pet, 반려동물");
            testid(admin, "faq-save").click();
            waiting(admin).until(d -> testid(d, "faq-error").isDisplayed());
            assertThat(testid(admin, "faq-error").getText()).startsWith("다르게 묻는 말 \"")
                    .contains("200자까지 쓸 수 있어요. 지금 202자예요.").doesNotContain("too long", "characters");
            testid(admin, "faq-paraphrases").clear();
            testid(admin, "faq-paraphrases").sendKeys("강아지 사료도 팔아요?\n고양이 모래 있나요?\n펫 용품 판매하나요?\n반려동물 간식 사고 싶어요");
            // A tag with a space is one tag to the editor, as to the import, and is refused naming it.
            testid(admin, "faq-tags").clear();
            testid(admin, "faq-tags").sendKeys("pet, 반려 동물");
            testid(admin, "faq-save").click();
            waiting(admin).until(d -> testid(d, "faq-error").getText().contains("반려 동물"));
            assertThat(testid(admin, "faq-error").getText()).isEqualTo("태그 \"반려 동물\"에 공백이 있어요. 태그는 쉼표로 "
                    + "나누고, 한 태그 안에서는 공백 대신 -를 써 주세요 (예: 반려-동물).");
            testid(admin, "faq-tags").clear();
            testid(admin, "faq-tags").sendKeys("pet, 반려동물");
            testid(admin, "faq-save").click();

            // The new entry is listed, found by search, and the bot retrains on it.
            waiting(admin).ignoring(StaleElementReferenceException.class).until(d -> d.findElements(
                    By.cssSelector("[data-testid='faq-row']")).stream().anyMatch(r -> r.getText().contains(QUESTION)));
            testid(admin, "faq-search").sendKeys("반려동물");
            waiting(admin).ignoring(StaleElementReferenceException.class).until(d -> {
                List<WebElement> rows = d.findElements(By.cssSelector("[data-testid='faq-row']"));
                return !rows.isEmpty() && rows.stream().allMatch(r -> r.getText().contains("반려동물"));
            });
            String faqId = waiting(admin).ignoring(StaleElementReferenceException.class).until(d ->
                    d.findElement(By.cssSelector("[data-testid='faq-row']")).getAttribute("data-faq-id"));
            assertThat(faqId).startsWith("ko-");
            waiting(admin).until(d -> "ready".equals(testid(d, "bot-status").getAttribute("data-state"))
                    && Integer.parseInt(testid(d, "bot-status").getAttribute("data-version")) > versionBefore);

            // The test box shows the decision, the confidence and the answer, as text.
            WebElement ask = testid(admin, "ask-input");
            ask.clear();
            ask.sendKeys(QUESTION);
            testid(admin, "ask-submit").click();
            waiting(admin).until(d -> "answer".equals(testid(d, "ask-result").getAttribute("data-decision")));
            assertThat(testid(admin, "ask-answer").getText()).isEqualTo(ANSWER);
            assertThat(testid(admin, "ask-decision").getText()).contains("답변", "%");
            assertThat(admin.findElements(By.cssSelector("[data-testid='ask-candidate'][data-faq-id='" + faqId + "']")))
                    .isNotEmpty();

            // A visitor on the demo shop asks, and the widget shows the new answer.
            SearchContext root = Browsers.visitorSays(visitor, app.server(), QUESTION);
            waiting(visitor).until(d -> messages(root, "bot").stream().anyMatch(m -> text(m).equals(ANSWER)));

            Files.write(Path.of(System.getProperty("java.io.tmpdir"), "sodam-admin.png"),
                    ((TakesScreenshot) admin).getScreenshotAs(OutputType.BYTES));
            assertThat(((JavascriptExecutor) admin).executeScript("return window.__pwned === undefined")).isEqualTo(true);
            assertThat(((JavascriptExecutor) visitor).executeScript("return window.__pwned === undefined")).isEqualTo(true);
        } finally {
            admin.quit();
            visitor.quit();
        }
    }
}
