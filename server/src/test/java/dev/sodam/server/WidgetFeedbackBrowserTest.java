package dev.sodam.server;

import static dev.sodam.server.testing.Browsers.messages;
import static dev.sodam.server.testing.Browsers.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.server.testing.Browsers;
import dev.sodam.server.testing.TestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * Feedback as a visitor gives it in Chromium: 👍 under a bot answer, CSAT with a comment after the
 * agent resolves the chat; both stored, and the console shows them in the chat view.
 */
class WidgetFeedbackBrowserTest {
    @TempDir
    static Path dataDir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        Browsers.requireChromium();
        server = TestServer.start(dataDir);
        server.awaitBot();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static WebElement find(SearchContext root, String css) {
        return root.findElement(By.cssSelector(css));
    }

    private static List<String> feedbackRows() {
        List<String> rows = new ArrayList<>();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("sodam.db"));
             Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT kind, score, coalesce(comment, '') FROM feedback ORDER BY kind")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + ":" + rs.getInt(2) + ":" + rs.getString(3));
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    @Test
    void thumbsOnABotAnswerAndCsatAfterResolutionAreStoredAndShownInTheConsole() throws Exception {
        WebDriver visitor = Browsers.open();
        WebDriver admin = Browsers.open();
        try {
            Browsers.login(admin, server, TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
            SearchContext widget = Browsers.visitorSays(visitor, server, "배송은 얼마나 걸리나요?");
            waiting(visitor).until(d -> !messages(widget, "bot").isEmpty());
            WebElement up = waiting(visitor).until(d -> find(messages(widget, "bot").get(0), "[data-testid='thumbs-up']"));
            assertThat(find(messages(widget, "bot").get(0), "[data-testid='feedback']").getText()).contains("도움이 됐나요?");
            up.click();
            waiting(visitor).until(d -> "true".equals(find(widget, "[data-testid='thumbs-up']").getAttribute("aria-pressed")));
            waiting(visitor).until(d -> feedbackRows().contains("thumbs:1:"));

            // A person, then the end of the chat: the satisfaction card asks, in Korean.
            find(widget, "[data-testid='handoff']").click();
            String conversationId = waiting(admin).ignoring(StaleElementReferenceException.class)
                    .until(d -> d.findElements(By.cssSelector("[data-testid='offer']")).stream().findFirst()
                            .map(o -> o.getAttribute("data-conversation-id")).orElse(null));
            find(admin, "[data-testid='offer'][data-conversation-id='" + conversationId + "'] [data-testid='offer-accept']")
                    .click();
            waiting(visitor).until(d -> find(widget, "[data-testid='agent-name']").getText().contains("admin"));
            waiting(admin).until(d -> find(d, "[data-testid='chat']").getAttribute("data-conversation-id")
                    .equals(conversationId));
            find(admin, "[data-testid='resolve']").click();
            WebElement card = waiting(visitor).until(d -> find(widget, "[data-testid='csat']"));
            assertThat(card.getText()).contains("상담은 만족스러우셨나요?");
            assertThat(find(card, "[data-testid='csat-submit']").isEnabled()).isFalse();
            card.findElements(By.cssSelector("[data-testid='csat-score']")).get(4).click();
            find(card, "[data-testid='csat-comment']").sendKeys("<b>친절</b>했어요");
            find(card, "[data-testid='csat-submit']").click();
            waiting(visitor).until(d -> find(widget, "[data-testid='csat-thanks']").isDisplayed());
            waiting(visitor).until(d -> feedbackRows().contains("csat:5:<b>친절</b>했어요"));

            // The console shows both in the chat view, the comment as text.
            WebElement shown = waiting(admin).until(d -> find(d, "[data-testid='visitor-feedback'] [data-testid='feedback-csat']"));
            assertThat(shown.getText()).contains("5/5").contains("<b>친절</b>했어요");
            assertThat(find(admin, "[data-testid='feedback-thumbs']").getAttribute("data-up")).isEqualTo("1");
            assertThat(admin.findElements(By.cssSelector("[data-testid='visitor-feedback'] b"))).isEmpty();
        } finally {
            visitor.quit();
            admin.quit();
        }
    }
}
