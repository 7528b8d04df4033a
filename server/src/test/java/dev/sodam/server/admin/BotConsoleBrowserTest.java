package dev.sodam.server.admin;

import static dev.sodam.server.testing.Browsers.testid;
import static dev.sodam.server.testing.Browsers.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.server.testing.Browsers;
import dev.sodam.server.testing.ServerExtension;
import dev.sodam.server.testing.WsTestClient;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The test console in Debian Chromium: a question shows its band and Nori's terms; moving the
 * thresholds previews what changes on the questions visitors really asked; saving makes the bot
 * decide with them at once, and the status line says they were saved by an admin.
 */
class BotConsoleBrowserTest {
    private static final String KNOWN = "배송은 얼마나 걸리나요?";

    @RegisterExtension
    static final ServerExtension app = ServerExtension.forBrowsers();

    @Test
    void anAdminPreviewsAndSavesThresholds() throws Exception {
        for (String question : List.of(KNOWN, KNOWN, "우주선 연료는 어디서 사나요?")) {
            try (WsTestClient visitor = WsTestClient.connect(app.server().visitorUri())) {
                visitor.helloVisitor(null, null, 0);
                visitor.say("q", null, question);
                visitor.await("message", m -> !m.path("from").path("kind").asText().equals("visitor")
                        || visitor.frames("status").stream().anyMatch(s -> s.path("state").asText().equals("queued")));
            }
        }
        WebDriver admin = Browsers.open();
        try {
            Browsers.adminLogin(admin, app.server(), "/admin");
            waiting(admin).until(d -> "ready".equals(testid(d, "bot-status").getAttribute("data-state")));

            testid(admin, "ask-input").sendKeys(KNOWN);
            testid(admin, "ask-submit").click();
            waiting(admin).until(d -> "answer".equals(testid(d, "ask-result").getAttribute("data-band")));
            assertThat(testid(admin, "ask-band").getText()).contains("구간: 답변");
            List<String> tokens = admin.findElements(By.cssSelector("[data-testid='ask-token']")).stream()
                    .map(WebElement::getText).toList();
            assertThat(tokens).contains("배송");
            assertThat(testid(admin, "ask-tokens").getAttribute("data-locale")).isEqualTo("ko");

            // The inputs start at the live thresholds; the strictest ones would hand every question off.
            waiting(admin).until(d -> !testid(d, "whatif-answer").getAttribute("value").isEmpty());
            WebElement answer = testid(admin, "whatif-answer");
            WebElement clarify = testid(admin, "whatif-clarify");
            answer.clear();
            answer.sendKeys("1");
            clarify.clear();
            clarify.sendKeys("1");
            testid(admin, "whatif-preview").click();
            waiting(admin).until(d -> !testid(d, "whatif-summary").getText().isBlank());
            assertThat(testid(admin, "whatif-summary").getText()).contains("받은 질문 3개 중");
            WebElement answers = admin.findElement(By.cssSelector("[data-testid='whatif-row'][data-decision='answer']"));
            assertThat(Integer.parseInt(answers.getAttribute("data-before"))).isGreaterThanOrEqualTo(2);
            assertThat(answers.getAttribute("data-after")).isEqualTo("0");
            assertThat(admin.findElements(By.cssSelector("[data-testid='whatif-example']")).get(0).getText())
                    .contains(KNOWN, "2번");
            Browsers.screenshot(admin, "admin-bot-what-if.png");

            testid(admin, "whatif-save").click();
            waiting(admin).ignoring(StaleElementReferenceException.class)
                    .until(d -> testid(d, "bot-validation").getText().contains("관리자가 저장"));
            WebElement ask = testid(admin, "ask-input");
            ask.clear();
            ask.sendKeys(KNOWN);
            testid(admin, "ask-submit").click();
            waiting(admin).until(d -> "handoff".equals(testid(d, "ask-result").getAttribute("data-decision")));

            // Removing the saved thresholds brings the answer back.
            waiting(admin).until(d -> testid(d, "whatif-reset").isDisplayed());
            testid(admin, "whatif-reset").click();
            waiting(admin).ignoring(StaleElementReferenceException.class)
                    .until(d -> !testid(d, "bot-validation").getText().contains("관리자가 저장"));
            testid(admin, "ask-submit").click();
            waiting(admin).until(d -> "answer".equals(testid(d, "ask-result").getAttribute("data-decision")));
        } finally {
            admin.quit();
        }
    }
}
