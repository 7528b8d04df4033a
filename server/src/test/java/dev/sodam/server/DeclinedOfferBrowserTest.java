package dev.sodam.server;

import static dev.sodam.server.testing.Browsers.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.server.testing.Browsers;
import dev.sodam.server.testing.ServerExtension;
import dev.sodam.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;

/**
 * A lone agent declines an offer in a real browser: the offer goes away, the chat stays in the queue list
 * marked "거절함" (the server holds it back from them for routing.declineCooldownSeconds), and the agent
 * can still take it from there; the visitor keeps their place meanwhile.
 */
class DeclinedOfferBrowserTest {
    @RegisterExtension
    static final ServerExtension app = ServerExtension.forBrowsers();

    @Test
    void aDeclinedChatStaysInTheQueueMarkedAndCanBeTakenByHand() {
        WebDriver agent = Browsers.open();
        WebDriver visitor = Browsers.open();
        try {
            Browsers.login(agent, app.server(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
            SearchContext widget = Browsers.visitorSays(visitor, app.server(), "상담원 연결");
            String chat = waiting(agent).ignoring(StaleElementReferenceException.class)
                    .until(d -> d.findElements(By.cssSelector("[data-testid='offer']")).stream().findFirst()
                            .map(o -> o.getAttribute("data-conversation-id")).orElse(null));
            String item = "[data-testid='queue-item'][data-conversation-id='" + chat + "']";
            waiting(agent).until(d -> !d.findElements(By.cssSelector(item)).isEmpty());
            assertThat(agent.findElements(By.cssSelector(item + " [data-testid='declined']"))).isEmpty();

            Browsers.click(agent, "[data-testid='offer'][data-conversation-id='" + chat + "'] [data-testid='offer-decline']");
            waiting(agent).ignoring(StaleElementReferenceException.class)
                    .until(d -> d.findElement(By.cssSelector(item + " [data-testid='declined']")).getText().equals("거절함"));
            // That no new offer follows at once is the server's part (DeclinedOfferTest, with a clock it moves).
            assertThat(agent.findElements(By.cssSelector("[data-testid='offer']"))).isEmpty();
            waiting(visitor).until(d -> widget.findElement(By.cssSelector("[data-testid='status']")).getText()
                    .contains("1"));

            Browsers.click(agent, item + " [data-testid='accept']");
            waiting(visitor).until(d -> widget.findElement(By.cssSelector("[data-testid='agent-name']")).getText()
                    .contains("admin"));
            waiting(agent).until(d -> d.findElements(By.cssSelector(item)).isEmpty());
        } finally {
            agent.quit();
            visitor.quit();
        }
    }
}
