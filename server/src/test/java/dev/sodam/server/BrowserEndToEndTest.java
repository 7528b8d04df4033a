package dev.sodam.server;

import static dev.sodam.server.testing.Browsers.messages;
import static dev.sodam.server.testing.Browsers.text;
import static dev.sodam.server.testing.Browsers.waiting;
import static dev.sodam.server.testing.Browsers.widget;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.Browsers;
import dev.sodam.server.testing.ServerExtension;
import dev.sodam.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The product path in a real browser: Debian Chromium drives the real demo page with the one
 * script tag and the real agent console, against a real server. Two separate browsers play the
 * visitor and the agent. There is no skip: without Chromium this test fails and says what to install.
 */
class BrowserEndToEndTest {

    @RegisterExtension
    static final ServerExtension app = ServerExtension.forBrowsers();

    private static String seedAnswer(String faqId) throws Exception {
        JsonNode seed = TestServer.json(Files.readString(TestServer.repoRoot().resolve("config/faq/seed-ko.json")));
        for (JsonNode entry : seed.get("entries")) {
            if (entry.get("id").asText().equals(faqId)) {
                return entry.get("answer").asText();
            }
        }
        throw new IllegalStateException("no seed entry " + faqId);
    }

    @Test
    void visitorAsksTheBotIsHandedToAnAgentAndReloadKeepsTheHistoryExactlyOnce() throws Exception {
        String xss = "<img src=x onerror=\"window.__pwned=1\">주문번호 1234";
        WebDriver visitor = Browsers.open();
        WebDriver agent = Browsers.open();
        try {
            // The visitor opens the shop page: one script tag adds the widget.
            SearchContext root = Browsers.visitorSays(visitor, app.server(), "배송 언제 와요?");

            // The FAQ bot answers with the delivery entry, and offers the handoff button.
            String expected = seedAnswer("ko-delivery-time");
            waiting(visitor).until(d -> messages(root, "bot").stream().anyMatch(m -> text(m).equals(expected)));
            assertThat(root.findElements(By.cssSelector("[data-testid='action-handoff']"))).isNotEmpty();

            // 상담원 연결: the conversation is queued and the visitor sees its place.
            root.findElement(By.cssSelector("[data-testid='action-handoff']")).click();
            waiting(visitor).until(d -> root.findElement(By.cssSelector("[data-testid='status']")).getText().contains("1"));
            waiting(visitor).until(d -> messages(root, "system").stream()
                    .anyMatch(m -> text(m).contains("상담원을 연결하고 있어요")));
            root.findElement(By.cssSelector("[data-testid='input']")).sendKeys(xss);
            root.findElement(By.cssSelector("[data-testid='send']")).click();
            waiting(visitor).until(d -> messages(root, "visitor").stream().anyMatch(m -> text(m).equals(xss)));

            // In a second browser the agent logs into the console, sees the chat and accepts it.
            Browsers.login(agent, app.server(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
            // Routing offers the queued chat to the only online agent: an offer card with a countdown.
            String conversationId = waiting(agent).until(d -> d.findElements(By.cssSelector("[data-testid='offer']"))
                    .stream().findFirst().map(o -> o.getAttribute("data-conversation-id")).orElse(null));
            assertThat(conversationId).startsWith("cv_");
            assertThat(agent.getTitle()).as("tab-title badge for the waiting offer").startsWith("(");
            waiting(agent).ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
                d.findElement(By.cssSelector("[data-testid='offer'][data-conversation-id='" + conversationId
                        + "'] [data-testid='offer-accept']")).click();
                return true;
            });

            // The agent sees the history (the markup-like text stays text), replies.
            waiting(agent).until(d -> d.findElements(By.cssSelector("[data-testid='chat'] [data-testid='message']"))
                    .stream().anyMatch(m -> text(m).equals(xss)));
            WebElement reply = waiting(agent).until(d -> {
                List<WebElement> boxes = d.findElements(By.cssSelector("[data-testid='reply-input']"));
                return boxes.isEmpty() || !boxes.get(0).isEnabled() ? null : boxes.get(0);
            });
            reply.sendKeys("안녕하세요, 김소담입니다. 주문번호를 확인할게요.");
            agent.findElement(By.cssSelector("[data-testid='reply-send']")).click();

            // The visitor sees the reply and the agent's name.
            waiting(visitor).until(d -> messages(root, "agent").stream()
                    .anyMatch(m -> text(m).equals("안녕하세요, 김소담입니다. 주문번호를 확인할게요.")));
            waiting(visitor).until(d -> root.findElement(By.cssSelector("[data-testid='agent-name']")).getText()
                    .contains("admin"));
            Files.write(Path.of(System.getProperty("java.io.tmpdir"), "sodam-e2e-visitor.png"),
                    ((TakesScreenshot) visitor).getScreenshotAs(OutputType.BYTES));
            Files.write(Path.of(System.getProperty("java.io.tmpdir"), "sodam-e2e-console.png"),
                    ((TakesScreenshot) agent).getScreenshotAs(OutputType.BYTES));

            // Text is never executed as HTML, on either side.
            assertThat(((JavascriptExecutor) visitor).executeScript("return window.__pwned === undefined")).isEqualTo(true);
            assertThat(((JavascriptExecutor) agent).executeScript("return window.__pwned === undefined")).isEqualTo(true);

            // Reload: the whole history comes back, every message exactly once, in seq order.
            int lastSeq = lastSeq(app.server(), conversationId);
            visitor.navigate().refresh();
            SearchContext reloaded = widget(visitor);
            Browsers.openPanel(visitor, reloaded);
            waiting(visitor).until(d -> reloaded.findElements(
                    By.cssSelector("[data-testid='message']:not([data-pending])")).size() >= lastSeq);
            List<WebElement> all = reloaded.findElements(By.cssSelector("[data-testid='message']:not([data-pending])"));
            List<Long> seqs = new ArrayList<>();
            Set<String> texts = new HashSet<>();
            for (WebElement m : all) {
                seqs.add(Long.parseLong(m.getAttribute("data-seq")));
                texts.add(text(m));
            }
            assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, lastSeq).boxed().toList());
            assertThat(texts).contains("배송 언제 와요?", expected, xss, "안녕하세요, 김소담입니다. 주문번호를 확인할게요.");
        } finally {
            visitor.quit();
            agent.quit();
        }
    }

    private static int lastSeq(TestServer server, String conversationId) throws Exception {
        try (java.sql.Connection db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + server.dataDir().resolve("sodam.db"));
             java.sql.PreparedStatement q = db.prepareStatement("SELECT last_seq FROM conversations WHERE id = ?")) {
            q.setString(1, conversationId);
            try (java.sql.ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
