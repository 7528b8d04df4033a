package dev.sodam.server;

import static dev.sodam.server.testing.Browsers.js;
import static dev.sodam.server.testing.Browsers.messages;
import static dev.sodam.server.testing.Browsers.text;
import static dev.sodam.server.testing.Browsers.waiting;
import static dev.sodam.server.testing.Browsers.widget;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.server.testing.Browsers;
import dev.sodam.server.testing.ServerExtension;
import dev.sodam.server.testing.WsTestClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A visitor's burst over the server's real rate limit (a low one here, 5 frames/s with a burst of
 * 10, so the limit is certainly hit however fast the acks come): every message is stored once and
 * in the order it was typed, and the widget shows that order. Real Chromium, real server.
 */
class WidgetRateLimitBrowserTest {

    @RegisterExtension
    static final ServerExtension app = ServerExtension.forBrowsers(
            Map.of("SODAM_RATE_PER_SECOND", "5", "SODAM_RATE_BURST", "10"));

    private static WebElement find(SearchContext root, String testid) {
        return root.findElement(By.cssSelector("[data-testid='" + testid + "']"));
    }

    private static List<String> storedVisitorBodies(String conversationId) throws java.sql.SQLException {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + app.server().dataDir().resolve("sodam.db"));
             PreparedStatement q = db.prepareStatement(
                     "SELECT body FROM messages WHERE conversation_id = ? AND from_kind = 'visitor' ORDER BY seq")) {
            q.setString(1, conversationId);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    @Test
    void aBurstOverTheRateLimitIsStoredInTheOrderItWasTyped() throws Exception {
        WebDriver driver = Browsers.open();
        try (WsTestClient agent = WsTestClient.connect(app.server().agentUri())) {
            driver.get(app.server().http("/demo"));
            SearchContext root = widget(driver);
            waiting(driver).until(d -> find(root, "launcher").isDisplayed());
            find(root, "launcher").click();
            waiting(driver).until(d -> find(root, "panel").isDisplayed());

            // An agent's chat, so no bot answers sit between the visitor's messages.
            find(root, "input").sendKeys("상담원 연결");
            find(root, "send").click();
            waiting(driver).until(d -> messages(root, "visitor").stream().anyMatch(m -> text(m).equals("상담원 연결")));
            waiting(driver).until(d -> "queued".equals(js(d, "return arguments[0].dataset.state",
                    root.findElement(By.cssSelector(".root")))));
            String conversationId = (String) js(driver, "return localStorage.getItem('sodam:demo:conversationId')");
            agent.helloAgent(app.server().loginAdmin());
            agent.send(Map.of("type", "accept", "conversationId", conversationId));
            waiting(driver).until(d -> "assigned".equals(js(d, "return arguments[0].dataset.state",
                    root.findElement(By.cssSelector(".root")))));

            // Count the send frames the page writes: more than the messages means some were refused and re-sent.
            js(driver, """
                    window.__sends = [];
                    const write = WebSocket.prototype.send;
                    WebSocket.prototype.send = function (data) {
                      const f = JSON.parse(data);
                      if (f.type === 'send') window.__sends.push(f.clientMsgId);
                      return write.call(this, data);
                    };
                    """);
            int burst = 30;
            // Typed and sent as fast as the page can: 30 submits in one task.
            js(driver, """
                    const [input, send, n] = arguments;
                    for (let i = 1; i <= n; i++) { input.value = '연속 ' + i; send.click(); }
                    """, find(root, "input"), find(root, "send"), burst);

            new WebDriverWait(driver, Duration.ofSeconds(60), Duration.ofMillis(100))
                    .until(d -> root.findElements(By.cssSelector("[data-pending]")).isEmpty());
            List<String> typed = IntStream.rangeClosed(1, burst).mapToObj(i -> "연속 " + i).toList();
            List<String> stored = storedVisitorBodies(conversationId).stream().filter(b -> b.startsWith("연속 ")).toList();
            assertThat(stored).as("stored in the order typed, each once").containsExactlyElementsOf(typed);
            List<String> shown = messages(root, "visitor").stream().map(Browsers::text).filter(t -> t.startsWith("연속 ")).toList();
            assertThat(shown).as("shown in the order typed").containsExactlyElementsOf(typed);

            @SuppressWarnings("unchecked")
            List<String> sends = (List<String>) js(driver, "return window.__sends");
            assertThat(sends.size()).as("the limit was hit: some sends were refused and went again").isGreaterThan(burst);
            // Paced after a refusal: a handful of refusals, not one per message per retry.
            assertThat(sends.size() - burst).as("refused sends").isLessThanOrEqualTo(burst);
            assertThat(js(driver, "return localStorage.getItem('sodam:demo:outbox')")).isNull();
        } finally {
            driver.quit();
        }
    }
}
