package dev.sodam.server;

import static dev.sodam.server.testing.Browsers.click;
import static dev.sodam.server.testing.Browsers.messages;
import static dev.sodam.server.testing.Browsers.replyBox;
import static dev.sodam.server.testing.Browsers.text;
import static dev.sodam.server.testing.Browsers.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.server.testing.Browsers;
import dev.sodam.server.testing.ServerExtension;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WsTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The agent's workspace in real browsers: the context packet beside a chat from the bot (the
 * bot's decision, FAQ candidates, the page the visitor is on) with its one-click draft; canned
 * responses kept on the server (an old personal list moves there; an admin adds a shared one that
 * the {@code /} search finds); labels in the chat header and the chat list; read receipts that follow
 * the visitor live; the supervisor view (queue, waiting times, each agent's load and state).
 */
class WorkspaceBrowserTest {
    private static final String KIM = "kim@sodam.test";
    private static final String KIM_PASSWORD = "kim-password-1";

    @RegisterExtension
    static final ServerExtension app = ServerExtension.forBrowsers();
    static String kimId;

    @BeforeAll
    static void start() throws Exception {
        kimId = app.server().createAgent(KIM, "김상담", KIM_PASSWORD);
    }

    /** The visitor asks the bot, then for a person; the admin accepts the offer. Returns the conversation id. */
    private static String handedOffAndAccepted(WebDriver admin, WebDriver visitor, SearchContext[] widgetOut) {
        SearchContext widget = Browsers.visitorSays(visitor, app.server(), "배송 언제 와요?");
        waiting(visitor).until(d -> !messages(widget, "bot").isEmpty());
        widget.findElement(By.cssSelector("[data-testid='input']")).sendKeys("상담원 연결");
        widget.findElement(By.cssSelector("[data-testid='send']")).click();
        String id = waiting(admin).until(d -> d.findElements(By.cssSelector("[data-testid='offer']")).stream()
                .findFirst().map(o -> o.getAttribute("data-conversation-id")).orElse(null));
        click(admin, "[data-testid='offer'][data-conversation-id='" + id + "'] [data-testid='offer-accept']");
        waiting(visitor).until(d -> widget.findElement(By.cssSelector("[data-testid='agent-name']")).getText()
                .contains("admin"));
        widgetOut[0] = widget;
        return id;
    }

    private static List<String> cannedKeys(String token) throws Exception {
        List<String> keys = new java.util.ArrayList<>();
        TestServer.json(app.server().get("/api/workspace/canned", token).body()).get("canned").forEach(c ->
                keys.add(c.get("scope").asText() + ":" + c.get("shortcut").asText() + ":" + c.get("locale").asText()));
        return keys;
    }

    @Test
    void contextPacketAndDraftThenCannedResponsesFromTheServer() throws Exception {
        WebDriver admin = Browsers.open();
        WebDriver kim = Browsers.open();
        WebDriver visitor = Browsers.open();
        try {
            // 김상담 used the console before canned responses moved to the server: one of their own is in localStorage.
            kim.get(app.server().http("/console"));
            ((JavascriptExecutor) kim).executeScript("localStorage.setItem(arguments[0], arguments[1])",
                    "sodam:console:canned:" + kimId,
                    "[{\"shortcut\":\"교환\",\"locale\":\"ko\",\"text\":\"교환은 수령 후 7일 안에 신청해 주세요.\"},"
                            + "{\"shortcut\":\"인사\",\"locale\":\"ko\",\"text\":\"안녕하세요, 소담 상담원입니다. 무엇을 도와드릴까요?\"}]");
            Browsers.login(admin, app.server(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
            Browsers.login(kim, app.server(), KIM, KIM_PASSWORD);
            SearchContext[] widgetOut = new SearchContext[1];
            String id = handedOffAndAccepted(admin, visitor, widgetOut);
            SearchContext widget = widgetOut[0];

            WebElement panel = waiting(admin).until(d -> d.findElements(By.cssSelector(
                    "[data-testid='context-panel'][data-conversation-id='" + id + "'][data-state='ready']"))
                    .stream().findFirst().orElse(null));
            WebElement intent = panel.findElement(By.cssSelector("[data-testid='context-intent']"));
            assertThat(intent.getAttribute("data-decision")).isEqualTo("handoff");
            assertThat(panel.findElement(By.cssSelector("[data-testid='context-confidence']")).getText()).endsWith("%");
            List<WebElement> candidates = panel.findElements(By.cssSelector("[data-testid='context-candidate']"));
            assertThat(candidates).isNotEmpty();
            assertThat(candidates.get(0).getAttribute("data-faq-id")).as("the question's, not the request's")
                    .isEqualTo("ko-delivery-time");
            assertThat(candidates.get(0).findElement(By.cssSelector("[data-testid='context-score']")).getText()).endsWith("%");
            assertThat(panel.findElement(By.cssSelector("[data-testid='context-transcript']")).getText())
                    .contains("배송 언제 와요?");
            WebElement page = panel.findElement(By.cssSelector("[data-testid='context-page']"));
            assertThat(page.getAttribute("data-url")).isEqualTo(app.server().http("/demo"));
            assertThat(page.getText()).contains("소담 마켓");
            assertThat(panel.findElement(By.cssSelector("[data-testid='context-sentiment']")).getAttribute("data-sentiment"))
                    .isEqualTo("neutral");

            // One click puts the best answer into the reply box, as a draft: nothing reaches the visitor.
            replyBox(admin).sendKeys("안녕하세요! ");
            click(admin, "[data-testid='context-insert-best']");
            String draft = replyBox(admin).getDomProperty("value");
            assertThat(draft).startsWith("안녕하세요!\n").contains("영업일");
            assertThat(messages(widget, "agent")).isEmpty();
            replyBox(admin).sendKeys(Keys.ENTER);
            String sent = draft.strip();
            waiting(visitor).until(d -> messages(widget, "agent").stream().anyMatch(m -> text(m).strip().equals(sent)));

            Files.write(Path.of(System.getProperty("java.io.tmpdir")).resolve("sodam-console-context.png"),
                    ((TakesScreenshot) admin).getScreenshotAs(OutputType.BYTES));

            // Canned responses: 김상담's own moved to the server (the old default did not: it is shared now).
            String kimToken = app.server().login(KIM, KIM_PASSWORD);
            waiting(kim).until(d -> {
                try {
                    return cannedKeys(kimToken).contains("personal:교환:ko");
                } catch (Exception e) {
                    return false;
                }
            });
            assertThat(cannedKeys(kimToken)).doesNotContain("personal:인사:ko").contains("shared:인사:ko");
            waiting(kim).until(d -> ((JavascriptExecutor) d).executeScript(
                    "return localStorage.getItem(arguments[0])", "sodam:console:canned:" + kimId) == null);

            // The admin adds a shared response in the manager; every agent gets it.
            click(admin, "[data-testid='canned-manage']");
            WebElement dialog = waiting(admin).until(d -> d.findElement(By.cssSelector("[data-testid='canned-dialog']")));
            dialog.findElement(By.cssSelector("[data-testid='canned-shortcut']")).sendKeys("/반품");
            dialog.findElement(By.cssSelector("[data-testid='canned-text']")).sendKeys("반품은 마이페이지에서 신청하실 수 있어요.");
            new org.openqa.selenium.support.ui.Select(dialog.findElement(By.cssSelector("[data-testid='canned-scope']")))
                    .selectByValue("shared");
            dialog.findElement(By.cssSelector("[data-testid='canned-add']")).click();
            waiting(admin).until(d -> !d.findElements(By.cssSelector(
                    "[data-testid='canned-row'][data-shortcut='반품'][data-scope='shared']")).isEmpty());
            assertThat(cannedKeys(kimToken)).contains("shared:반품:ko");
            click(admin, "[data-testid='dialog-close']");

            // "/반" finds it in the reply box; Enter inserts it; it is sent only with the next Enter.
            replyBox(admin).sendKeys("/반");
            waiting(admin).until(d -> d.findElements(By.cssSelector("[data-testid='canned-item']")).stream()
                    .anyMatch(i -> "반품".equals(i.getAttribute("data-shortcut"))));
            replyBox(admin).sendKeys(Keys.ENTER);
            waiting(admin).until(d -> replyBox(d).getDomProperty("value").equals("반품은 마이페이지에서 신청하실 수 있어요."));
            replyBox(admin).sendKeys(Keys.ENTER);
            waiting(visitor).until(d -> messages(widget, "agent").stream()
                    .anyMatch(m -> text(m).equals("반품은 마이페이지에서 신청하실 수 있어요.")));

            // Labels: added in the chat header, shown in the chat list, removed again.
            WebElement labelBox = waiting(admin).until(d -> d.findElement(By.cssSelector("[data-testid='label-input']")));
            labelBox.sendKeys("환불 문의", Keys.ENTER);
            waiting(admin).until(d -> !d.findElements(By.cssSelector(
                    "[data-testid='mine-item'][data-conversation-id='" + id + "'] [data-testid='item-label'][data-label='환불 문의']")).isEmpty());
            click(admin, "[data-testid='labels'] [data-testid='label'][data-label='환불 문의'] [data-testid='label-remove']");
            waiting(admin).until(d -> d.findElements(By.cssSelector("[data-testid='item-label']")).isEmpty()
                    && d.findElements(By.cssSelector("[data-testid='labels'] [data-testid='label']")).isEmpty());

            // Read receipts: the visitor has the chat open, so a new reply is marked read, live.
            replyBox(admin).sendKeys("주문번호를 알려주시겠어요?", Keys.ENTER);
            WebElement asked = waiting(admin).until(d -> d.findElements(By.cssSelector(
                    "[data-testid='chat'] [data-testid='message'][data-kind='agent']:not([data-pending])")).stream()
                    .filter(m -> text(m).equals("주문번호를 알려주시겠어요?")).findFirst().orElse(null));
            String askedSeq = asked.getAttribute("data-seq");
            waiting(admin).until(d -> !d.findElements(By.cssSelector("[data-testid='chat'] [data-testid='message'][data-seq='"
                    + askedSeq + "'][data-read] [data-testid='read-mark']")).isEmpty());

            // Supervisor view: a second visitor waits; the admin sees the queue, the wait growing and 김상담's load.
            WebElement overview = waiting(admin).until(d -> d.findElement(By.cssSelector("[data-testid='supervisor']")));
            assertThat(overview.isDisplayed()).isTrue();
            assertThat(kim.findElement(By.cssSelector("[data-testid='supervisor']")).isDisplayed())
                    .as("agents have no supervisor view").isFalse();
            try (WsTestClient second = WsTestClient.connect(app.server().visitorUri())) {
                second.helloVisitor(null, null, 0);
                String waitingId = second.say("s-1", null, "상담원 연결").get("conversationId").asText();
                WebElement row = waiting(admin).until(d -> d.findElements(By.cssSelector(
                        "[data-testid='sv-waiting-item'][data-conversation-id='" + waitingId + "']")).stream().findFirst().orElse(null));
                assertThat(admin.findElement(By.cssSelector("[data-testid='sv-queue-length']")).getText()).isEqualTo("1");
                int firstSeconds = Integer.parseInt(row.getAttribute("data-seconds"));
                waiting(admin).until(d -> Integer.parseInt(d.findElement(By.cssSelector("[data-testid='sv-waiting-item']"))
                        .getAttribute("data-seconds")) > firstSeconds);
                WebElement kimRow = admin.findElement(By.cssSelector("[data-testid='agent-row'][data-agent-id='" + kimId + "']"));
                assertThat(kimRow.getAttribute("data-status")).isEqualTo("online");
                assertThat(kimRow.findElement(By.cssSelector("[data-testid='agent-load']")).getText()).isEqualTo("0 / 3");

                // 김상담 takes it: the queue empties and their load goes up, live.
                click(kim, "[data-testid='offer'][data-conversation-id='" + waitingId + "'] [data-testid='offer-accept']");
                waiting(admin).until(d -> d.findElement(By.cssSelector("[data-testid='sv-queue-length']")).getText().equals("0")
                        && d.findElements(By.cssSelector("[data-testid='sv-waiting-item']")).isEmpty());
                waiting(admin).until(d -> d.findElement(By.cssSelector("[data-testid='agent-row'][data-agent-id='" + kimId
                        + "'] [data-testid='agent-load']")).getText().equals("1 / 3"));
                Files.write(Path.of(System.getProperty("java.io.tmpdir")).resolve("sodam-console-supervisor.png"),
                        ((TakesScreenshot) admin).getScreenshotAs(OutputType.BYTES));
            }
        } finally {
            admin.quit();
            kim.quit();
            visitor.quit();
        }
    }
}
