package dev.sodam.server.admin;

import static dev.sodam.server.testing.Browsers.testid;
import static dev.sodam.server.testing.Browsers.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.server.testing.AdminHttp;
import dev.sodam.server.testing.Browsers;
import dev.sodam.server.testing.ServerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The FAQ editor in Debian Chromium: an admin gives a Korean entry a team and links it to its
 * English counterpart; the editor shows the link both ways and the list filters by team.
 */
class FaqTeamTranslationBrowserTest {
    @RegisterExtension
    static final ServerExtension app = ServerExtension.forBrowsers();

    @Test
    void anAdminLinksATranslationAndFiltersByTeam() throws Exception {
        AdminHttp http = new AdminHttp(app.server());
        String token = app.server().loginAdmin();
        assertThat(http.call("POST", "/api/admin/faq", Map.of("id", "en-gift-wrap", "locale", "en",
                "question", "Do you gift-wrap orders?", "answer", "Yes, for 2,000 won."), token).status()).isEqualTo(201);
        WebDriver admin = Browsers.open();
        try {
            Browsers.adminLogin(admin, app.server(), "/admin");
            waiting(admin).until(d -> d.findElements(By.cssSelector("[data-testid='faq-row']")).size() > 90);
            waiting(admin).until(d -> new Select(testid(d, "faq-team")).getOptions().size() > 1);

            testid(admin, "faq-new").click();
            testid(admin, "faq-question").sendKeys("선물 포장 되나요?");
            testid(admin, "faq-answer").sendKeys("네, 2,000원에 포장해 드려요.");
            new Select(testid(admin, "faq-team")).selectByValue("delivery");
            testid(admin, "faq-translation").sendKeys("en-gift-wrap");
            testid(admin, "faq-save").click();

            // Saved and reopened: the editor names the English entry.
            waiting(admin).ignoring(StaleElementReferenceException.class)
                    .until(d -> testid(d, "faq-translation-question").getText().contains("Do you gift-wrap orders?"));
            assertThat(new Select(testid(admin, "faq-team")).getFirstSelectedOption().getAttribute("value"))
                    .isEqualTo("delivery");

            // The English entry links back.
            testid(admin, "faq-translation-open").click();
            waiting(admin).ignoring(StaleElementReferenceException.class)
                    .until(d -> testid(d, "faq-question").getAttribute("value").equals("Do you gift-wrap orders?")
                            && testid(d, "faq-translation-question").getText().contains("선물 포장 되나요?"));
            assertThat(testid(admin, "faq-translation").getAttribute("value")).startsWith("ko-");

            new Select(testid(admin, "faq-filter-team")).selectByValue("delivery");
            waiting(admin).ignoring(StaleElementReferenceException.class).until(d -> {
                List<WebElement> rows = d.findElements(By.cssSelector("[data-testid='faq-row']"));
                return rows.size() == 1 && rows.get(0).getText().contains("선물 포장 되나요?");
            });
            assertThat(testid(admin, "faq-row-team").getText()).isEqualTo("delivery");
            assertThat(testid(admin, "faq-row-translation").getText()).contains("en-gift-wrap");
            Browsers.screenshot(admin, "admin-faq-team-translation.png");
        } finally {
            admin.quit();
        }
    }
}
