package dev.sodam.server;

import static dev.sodam.server.testing.Browsers.messages;
import static dev.sodam.server.testing.Browsers.text;
import static dev.sodam.server.testing.Browsers.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.server.testing.Browsers;
import dev.sodam.server.testing.ServerExtension;
import dev.sodam.server.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * Routing as agents live it, in real browsers: an offer that one agent lets expire goes to the
 * other; an agent who goes offline hands their chat to a colleague; visitors see their place in
 * the queue and then their agent's name, and no message twice.
 */
class RoutingBrowserTest {
    private static final String KIM = "kim@sodam.test";
    private static final String KIM_PASSWORD = "kim-password-1";

    // A short accept window keeps the real-time wait of the timeout short.
    @RegisterExtension
    static final ServerExtension app = ServerExtension.forBrowsers(Map.of("SODAM_OFFER_SECONDS", "3"));

    @BeforeAll
    static void start() throws Exception {
        app.server().createAgent(KIM, "김상담", KIM_PASSWORD);
    }

    private static String offeredConversation(WebDriver agent) {
        return waiting(agent).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> d.findElements(By.cssSelector("[data-testid='offer']")).stream().findFirst()
                        .map(o -> o.getAttribute("data-conversation-id")).orElse(null));
    }

    private static void acceptOffer(WebDriver agent, String conversationId) {
        waiting(agent).ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
            d.findElement(By.cssSelector("[data-testid='offer'][data-conversation-id='" + conversationId
                    + "'] [data-testid='offer-accept']")).click();
            return true;
        });
    }

    private static void assertNoDuplicates(SearchContext widget) {
        List<String> seqs = new ArrayList<>();
        for (WebElement m : widget.findElements(By.cssSelector("[data-testid='message']:not([data-pending])"))) {
            seqs.add(m.getAttribute("data-seq"));
        }
        assertThat(seqs).doesNotHaveDuplicates().isNotEmpty();
    }

    @Test
    void anExpiredOfferMovesOnAndAnAgentGoingOfflineHandsTheirChatOver() {
        WebDriver admin = Browsers.open();
        WebDriver kim = Browsers.open();
        WebDriver first = Browsers.open();
        WebDriver second = Browsers.open();
        try {
            // The admin logs in first, so is idle longest and gets the first offer.
            Browsers.login(admin, app.server(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
            Browsers.login(kim, app.server(), KIM, KIM_PASSWORD);

            SearchContext one = Browsers.visitorSays(first, app.server(), "상담원 연결");
            waiting(first).until(d -> one.findElement(By.cssSelector("[data-testid='status']")).getText().contains("1"));
            String firstChat = offeredConversation(admin);
            assertThat(admin.getTitle()).as("badge while an offer waits").startsWith("(");

            // The admin lets it expire: it moves to Kim, who accepts.
            waiting(admin).until(d -> d.findElements(By.cssSelector("[data-testid='offer']")).isEmpty());
            assertThat(offeredConversation(kim)).isEqualTo(firstChat);
            acceptOffer(kim, firstChat);
            waiting(first).until(d -> one.findElement(By.cssSelector("[data-testid='agent-name']")).getText()
                    .contains("김상담"));

            // A second visitor: the admin now has fewer chats, so gets the offer and accepts.
            SearchContext two = Browsers.visitorSays(second, app.server(), "사람이랑 얘기하고 싶어요");
            String secondChat = offeredConversation(admin);
            assertThat(secondChat).isNotEqualTo(firstChat);
            acceptOffer(admin, secondChat);
            waiting(second).until(d -> two.findElement(By.cssSelector("[data-testid='agent-name']")).getText()
                    .contains("admin"));

            // The admin goes offline: the chat goes back to the queue and is offered to Kim.
            new Select(admin.findElement(By.cssSelector("[data-testid='presence-select']"))).selectByValue("offline");
            assertThat(offeredConversation(kim)).isEqualTo(secondChat);
            acceptOffer(kim, secondChat);
            waiting(second).until(d -> two.findElement(By.cssSelector("[data-testid='agent-name']")).getText()
                    .contains("김상담"));
            waiting(second).until(d -> messages(two, "system").stream()
                    .anyMatch(m -> text(m).contains("다른 상담원을 연결하고 있어요")));
            waiting(kim).until(d -> d.findElement(By.cssSelector("[data-testid='load']")).getText().contains("2"));

            assertNoDuplicates(one);
            assertNoDuplicates(two);
        } finally {
            admin.quit();
            kim.quit();
            first.quit();
            second.quit();
        }
    }
}
