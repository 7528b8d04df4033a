package dev.sodam.server;

import static dev.sodam.server.testing.Browsers.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.server.testing.Browsers;
import dev.sodam.server.testing.ServerExtension;
import dev.sodam.server.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * Regression in a real browser: an agent set away by the server after letting two offers run out
 * (routing.awayAfterMissedOffers) saw only "자리 비움" and no more offers, and not why. The console now
 * says so at the top of the chat area with an "온라인" button, also after the page is reloaded, and that
 * button brings the offers back.
 */
class MissedOffersAwayBrowserTest {
    // A one-second accept window keeps the real-time wait for two missed offers short.
    @RegisterExtension
    static final ServerExtension app = ServerExtension.forBrowsers(Map.of("SODAM_OFFER_SECONDS", "1"));

    private static final String NOTICE = "[data-testid='away-notice']";

    @Test
    void anAgentSetAwayForMissedOffersSeesWhyAndComesBackOnlineFromTheNotice() {
        WebDriver agent = Browsers.open();
        WebDriver visitor = Browsers.open();
        try {
            Browsers.login(agent, app.server(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
            assertThat(agent.findElement(By.cssSelector(NOTICE)).isDisplayed()).isFalse();
            Browsers.visitorSays(visitor, app.server(), "상담원 연결");

            // Nobody answers the offer, twice: the server sets the agent away and the console says why.
            WebElement notice = waiting(agent).ignoring(StaleElementReferenceException.class)
                    .until(d -> d.findElements(By.cssSelector(NOTICE)).stream().filter(WebElement::isDisplayed)
                            .findFirst().orElse(null));
            assertThat(notice.getAttribute("role")).isEqualTo("alert");
            assertThat(notice.findElement(By.cssSelector("[data-testid='away-notice-text']")).getText())
                    .isEqualTo("응답이 없어 자리 비움으로 바뀌었어요. 다시 상담을 받으려면 '온라인'을 누르세요.");
            assertThat(agent.findElement(By.cssSelector("[data-testid='presence-select']")).getAttribute("value"))
                    .isEqualTo("away");
            assertThat(agent.findElements(By.cssSelector("[data-testid='offer']"))).isEmpty();

            // A reload (within the presence grace) used to show "away" without the notice: only the frame
            // of the change carried the reason. The frame a connecting console gets carries it now.
            agent.navigate().refresh();
            WebElement again = waiting(agent).ignoring(StaleElementReferenceException.class)
                    .until(d -> d.findElements(By.cssSelector(NOTICE)).stream().filter(WebElement::isDisplayed)
                            .findFirst().orElse(null));
            assertThat(again.findElement(By.cssSelector("[data-testid='away-notice-text']")).getText())
                    .isEqualTo("응답이 없어 자리 비움으로 바뀌었어요. 다시 상담을 받으려면 '온라인'을 누르세요.");
            waiting(agent).until(d -> "away".equals(
                    d.findElement(By.cssSelector("[data-testid='presence-select']")).getAttribute("value")));

            // The button the notice names: back online, the notice goes and the chat is offered again.
            Browsers.click(agent, "[data-testid='away-notice-online']");
            waiting(agent).until(d -> !d.findElement(By.cssSelector(NOTICE)).isDisplayed());
            waiting(agent).until(d -> "online".equals(
                    d.findElement(By.cssSelector("[data-testid='presence-select']")).getAttribute("value")));
            waiting(agent).until(d -> !d.findElements(By.cssSelector("[data-testid='offer']")).isEmpty());
        } finally {
            agent.quit();
            visitor.quit();
        }
    }
}
