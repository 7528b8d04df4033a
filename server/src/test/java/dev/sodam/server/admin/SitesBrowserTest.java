package dev.sodam.server.admin;

import static dev.sodam.server.testing.Browsers.testid;
import static dev.sodam.server.testing.Browsers.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.Browsers;
import dev.sodam.server.testing.ServerExtension;
import dev.sodam.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.WebDriver;

/**
 * The sites page in Chromium: an admin adds a site with its origins and sees the script tag to
 * paste; a site's greeting and quick replies set on the page are what its widget shows. A hostile
 * site name stays text.
 */
class SitesBrowserTest {
    private static final String NAME = "<img src=x onerror=alert(1)>북쪽 가게";

    @RegisterExtension
    static final ServerExtension app = ServerExtension.forBrowsers();

    @Test
    void anAdminAddsASiteAndSetsItsGreetingAndQuickReplies() throws Exception {
        WebDriver admin = Browsers.open();
        WebDriver visitor = Browsers.open();
        try {
            Browsers.adminLogin(admin, app.server(), "/admin/sites");
            waiting(admin).until(d -> d.findElements(By.cssSelector("[data-testid='site-row'][data-site-id='demo']")).size() == 1);

            testid(admin, "site-id").sendKeys("north");
            testid(admin, "site-name").sendKeys(NAME);
            testid(admin, "site-origins").clear();
            testid(admin, "site-origins").sendKeys("self\nhttps://north.example");
            testid(admin, "site-save").click();
            waiting(admin).until(d -> d.findElements(By.cssSelector("[data-testid='site-row'][data-site-id='north']")).size() == 1);
            assertThat(admin.findElement(By.cssSelector("[data-testid='site-row'][data-site-id='north']")).getText())
                    .contains(NAME, "self, https://north.example");
            assertThat(testid(admin, "site-tag").getText()).contains("data-site=\"north\"");
            assertThat(testid(admin, "site-id").isEnabled()).as("the key never changes").isFalse();

            waiting(admin).until(d -> testid(d, "site-settings-title").getText().contains("north"));

            // The demo site's widget settings, edited here, are what its widget shows.
            admin.findElement(By.cssSelector("[data-testid='site-row'][data-site-id='demo'] [data-testid='site-edit']")).click();
            waiting(admin).until(d -> testid(d, "site-settings-title").getText().contains("demo")
                    && !testid(d, "site-greeting-ko").getDomProperty("value").isEmpty());
            testid(admin, "site-greeting-ko").clear();
            testid(admin, "site-greeting-ko").sendKeys("소담 마켓에 오신 걸 환영해요");
            testid(admin, "site-quick-ko").sendKeys("배송은 얼마나 걸리나요?\n상담원 연결");
            testid(admin, "site-settings-save").click();
            waiting(admin).until(d -> {
                try {
                    JsonNode view = TestServer.json(app.server().get("/api/sites/demo/settings", null).body());
                    return view.at("/quickReplies/ko").size() == 2;
                } catch (Exception e) {
                    return false;
                }
            });
            assertThat(Browsers.js(admin, "return document.querySelectorAll('img[onerror]').length")).isEqualTo(0L);

            visitor.get(app.server().http("/demo"));
            SearchContext widget = Browsers.widget(visitor);
            widget.findElement(By.cssSelector("[data-testid='launcher']")).click();
            waiting(visitor).until(d -> widget.findElements(By.cssSelector("[data-testid='quick-reply']")).size() == 2);
            waiting(visitor).until(d -> "소담 마켓에 오신 걸 환영해요".equals(
                    widget.findElement(By.cssSelector(".intro")).getText()));
        } finally {
            admin.quit();
            visitor.quit();
        }
    }
}
