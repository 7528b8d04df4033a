package dev.sodam.server.admin;

import static dev.sodam.server.testing.Browsers.testid;
import static dev.sodam.server.testing.Browsers.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.server.testing.RoleTokens;
import dev.sodam.server.testing.Browsers;
import dev.sodam.server.testing.ServerExtension;
import dev.sodam.server.testing.WsTestClient;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * The admin page for an admin of one site, in Debian Chromium: it opens on that site's dashboard
 * (the FAQ and the bot, which serve every site, are not offered), the site cannot be changed, and
 * the gap report lists that site's failed questions only, without the installation's draft button.
 */
class SiteAdminReportsBrowserTest {
    @RegisterExtension
    static final ServerExtension app = ServerExtension.forBrowsers();

    static void ask(String site, String question) throws Exception {
        SiteScopedReportsApiTest.askOn(app.server(), site, question);
    }

    @Test
    void aSiteAdminReadsTheirSitesDashboardAndGaps() throws Exception {
        RoleTokens.create(app.server());
        ask("demo", "우주선 연료는 어디서 사나요?");
        ask("shop2", "공룡 알은 어디서 팔아요?");

        WebDriver admin = Browsers.open();
        try {
            admin.get(app.server().http("/admin"));
            testid(admin, "admin-login-email").sendKeys("admin@shop2.test");
            testid(admin, "admin-login-password").sendKeys("shop2-password-1");
            testid(admin, "admin-login-submit").click();
            waiting(admin).until(d -> testid(d, "dashboard-view").isDisplayed()
                    && !d.findElements(By.cssSelector("[data-testid='kpi-conversations']")).isEmpty());
            assertThat(testid(admin, "kpi-conversations").getText()).contains("1");
            assertThat(testid(admin, "nav-faq").isDisplayed()).isFalse();
            assertThat(testid(admin, "bot-status").isDisplayed()).isFalse();
            assertThat(testid(admin, "dash-site").getAttribute("value")).isEqualTo("shop2");
            assertThat(testid(admin, "dash-site").getAttribute("readonly")).isNotNull();
            Browsers.screenshot(admin, "admin-site-dashboard.png");

            testid(admin, "nav-gaps").click();
            testid(admin, "gaps-load").click();
            // Opening the tab loads the report and so does the button: the list may be drawn twice, so it
            // is read in one script, never element by element (CI: a stale element between find and read).
            @SuppressWarnings("unchecked")
            List<String> examples = waiting(admin).until(d -> {
                List<String> texts = (List<String>) Browsers.js(d, "return [...document.querySelectorAll("
                        + "\"[data-testid='gap-example']\")].map(e => e.textContent)");
                return texts.isEmpty() ? null : texts;
            });
            assertThat(examples).anyMatch(e -> e.contains("공룡 알은 어디서 팔아요?"));
            assertThat(examples).noneMatch(e -> e.contains("우주선"));
            assertThat(Browsers.js(admin, "return [...document.querySelectorAll(\"[data-testid='gap-draft']\")]"
                    + ".every(button => !button.checkVisibility())")).as("no draft button shown").isEqualTo(true);
            // Still signed in: nothing on the page asked for what the site's admin may not read.
            assertThat(testid(admin, "admin-name").getText()).isEqualTo("가게2 관리자");
        } finally {
            admin.quit();
        }
    }
}
