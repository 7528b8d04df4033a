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
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The agent console's own tools in real browsers: an admin accepts a handed-off chat, writes a
 * private note the visitor never receives, and transfers the chat with a note to 김상담, who gets
 * the whole history and both notes (also after a reload) and answers with a canned response.
 */
class ConsoleBrowserTest {
    private static final String KIM = "kim@sodam.test";
    private static final String KIM_PASSWORD = "kim-password-1";
    private static final String PRIVATE_NOTE = "단골 고객, 지난주에도 배송 지연 문의";
    private static final String TRANSFER_NOTE = "주문번호 1234, 환불 요청 중";
    private static final String VISITOR_ASKS = "주문번호 1234 환불하고 싶어요";
    private static final String ADMIN_REPLY = "확인해 볼게요. 결제 담당 상담원에게 연결해 드릴게요.";

    @RegisterExtension
    static final ServerExtension app = ServerExtension.forBrowsers();
    static String kimId;
    /** A colleague who never logs in: the transfer dialog shows them, greyed, as offline. */
    static String absentId;

    @BeforeAll
    static void start() throws Exception {
        kimId = app.server().createAgent(KIM, "김상담", KIM_PASSWORD);
        absentId = app.server().createAgent("absent@sodam.test", "박부재", "absent-password-1");
    }

    private static WebElement chatPanel(WebDriver agent, String conversationId) {
        return waiting(agent).ignoring(StaleElementReferenceException.class).until(d -> d.findElements(
                        By.cssSelector("[data-testid='chat'][data-conversation-id='" + conversationId + "']"))
                .stream().findFirst().orElse(null));
    }

    private static List<String> noteTexts(WebDriver agent) {
        return agent.findElements(By.cssSelector("[data-testid='chat'] [data-testid='note']")).stream()
                .map(n -> n.findElement(By.cssSelector("[data-testid='note-text']")).getDomProperty("textContent"))
                .toList();
    }

    private static List<String> consoleTexts(WebDriver agent, String kind) {
        return messages(agent.findElement(By.cssSelector("[data-testid='chat']")), kind).stream()
                .map(Browsers::text).toList();
    }

    /** Everything the visitor's page holds as text: the page and the widget's shadow root. */
    private static String visitorPageText(WebDriver visitor) {
        return (String) ((JavascriptExecutor) visitor).executeScript(
                "const host = document.getElementById('sodam-widget');"
                        + "return document.documentElement.textContent + '\\n' + (host && host.shadowRoot ? host.shadowRoot.textContent : '');");
    }

    @Test
    void privateNoteTransferWithNoteAndACannedReply() throws Exception {
        WebDriver admin = Browsers.open();
        WebDriver kim = Browsers.open();
        WebDriver visitor = Browsers.open();
        try {
            // The admin logs in first, so is idle longest and gets the offer.
            Browsers.login(admin, app.server(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
            Browsers.login(kim, app.server(), KIM, KIM_PASSWORD);

            SearchContext widget = Browsers.visitorSays(visitor, app.server(), "상담원 연결");
            String conversationId = waiting(admin).ignoring(StaleElementReferenceException.class)
                    .until(d -> d.findElements(By.cssSelector("[data-testid='offer']")).stream().findFirst()
                            .map(o -> o.getAttribute("data-conversation-id")).orElse(null));
            click(admin, "[data-testid='offer'][data-conversation-id='" + conversationId + "'] [data-testid='offer-accept']");
            waiting(visitor).until(d -> widget.findElement(By.cssSelector("[data-testid='agent-name']")).getText()
                    .contains("admin"));

            // The visitor writes; the admin's chat list says they wait for an answer.
            widget.findElement(By.cssSelector("[data-testid='input']")).sendKeys(VISITOR_ASKS);
            widget.findElement(By.cssSelector("[data-testid='send']")).click();
            chatPanel(admin, conversationId);
            waiting(admin).until(d -> consoleTexts(d, "visitor").contains(VISITOR_ASKS));
            waiting(admin).until(d -> !d.findElements(By.cssSelector("[data-testid='mine-item'][data-conversation-id='"
                    + conversationId + "'] [data-testid='needs-reply']")).isEmpty());

            // A private note: drawn as a note (not a message) in the admin's timeline.
            click(admin, "[data-testid='note-toggle']");
            waiting(admin).until(d -> "true".equals(d.findElement(By.cssSelector("[data-testid='note-toggle']"))
                    .getAttribute("aria-pressed")));
            replyBox(admin).sendKeys(PRIVATE_NOTE, Keys.ENTER);
            waiting(admin).until(d -> noteTexts(d).contains(PRIVATE_NOTE));
            WebElement note = admin.findElement(By.cssSelector("[data-testid='chat'] [data-testid='note']"));
            assertThat(note.getAttribute("data-note-id")).startsWith("n_");
            assertThat(note.getText()).contains("메모");
            assertThat(consoleTexts(admin, "agent")).doesNotContain(PRIVATE_NOTE);

            // Back to replying: the visitor gets this one, and the chat no longer waits.
            click(admin, "[data-testid='note-toggle']");
            replyBox(admin).sendKeys(ADMIN_REPLY, Keys.ENTER);
            waiting(visitor).until(d -> messages(widget, "agent").stream().anyMatch(m -> text(m).equals(ADMIN_REPLY)));
            waiting(admin).until(d -> d.findElements(By.cssSelector("[data-testid='needs-reply']")).isEmpty());

            // Transfer to 김상담 with a note; teams are listed in the console's language.
            click(admin, "[data-testid='transfer']");
            WebElement dialog = waiting(admin).until(d -> d.findElement(By.cssSelector("[data-testid='transfer-dialog']")));
            assertThat(dialog.findElements(By.cssSelector("[data-testid='transfer-team']")).stream()
                    .map(WebElement::getText).toList()).contains("결제/환불", "배송");
            // The dialog asked the server who can take the chat: 김상담 (online) is pickable and listed first,
            // 박부재 (never logged in) is listed after, greyed, offline, and cannot be picked.
            WebElement kimButton = waiting(admin).until(d -> dialog.findElements(By.cssSelector(
                    "[data-testid='transfer-agent'][data-agent-id='" + kimId + "']")).stream().findFirst().orElse(null));
            WebElement absent = dialog.findElement(By.cssSelector(
                    "[data-testid='transfer-agent-unavailable'][data-agent-id='" + absentId + "']"));
            assertThat(absent.getAttribute("data-reason")).isEqualTo("offline");
            assertThat(absent.isEnabled()).isFalse();
            assertThat(absent.getText()).contains("박부재", "오프라인");
            List<String> order = dialog.findElements(By.cssSelector("[data-testid='transfer-agents'] .target")).stream()
                    .map(b -> b.getAttribute("data-agent-id")).toList();
            assertThat(order.indexOf(kimId)).isLessThan(order.indexOf(absentId));
            kimButton.click();
            dialog.findElement(By.cssSelector("[data-testid='transfer-note']")).sendKeys(TRANSFER_NOTE);
            dialog.findElement(By.cssSelector("[data-testid='transfer-confirm']")).click();

            // The admin's tab closes with a toast once the server says the chat is 김상담's.
            waiting(admin).until(d -> d.findElements(By.cssSelector("[data-testid='chat-tab'][data-conversation-id='"
                    + conversationId + "']")).isEmpty());
            waiting(admin).until(d -> d.findElement(By.cssSelector("[data-testid='toast']")).getText().contains("김상담"));
            assertThat(admin.findElements(By.cssSelector("[data-testid='transfer-dialog']"))).isEmpty();

            // The visitor is told, and sees the new agent's name.
            waiting(visitor).until(d -> messages(widget, "system").stream()
                    .anyMatch(m -> text(m).contains("김상담 상담원에게 연결해 드릴게요.")));
            waiting(visitor).until(d -> widget.findElement(By.cssSelector("[data-testid='agent-name']")).getText()
                    .contains("김상담"));

            // 김상담 gets the chat with the whole history and both notes, in time order.
            chatPanel(kim, conversationId);
            waiting(kim).until(d -> consoleTexts(d, "visitor").contains(VISITOR_ASKS)
                    && consoleTexts(d, "agent").contains(ADMIN_REPLY)
                    && consoleTexts(d, "system").stream().anyMatch(t -> t.contains("김상담 상담원에게")));
            waiting(kim).until(d -> noteTexts(d).equals(List.of(PRIVATE_NOTE, TRANSFER_NOTE)));
            assertThat(consoleTexts(kim, "visitor")).contains("상담원 연결");

            // The visitor writes again: 김상담's chat needs a reply; a canned response answers it.
            widget.findElement(By.cssSelector("[data-testid='input']")).sendKeys("네 기다릴게요");
            widget.findElement(By.cssSelector("[data-testid='send']")).click();
            waiting(kim).until(d -> consoleTexts(d, "visitor").contains("네 기다릴게요"));
            waiting(kim).until(d -> !d.findElements(By.cssSelector("[data-testid='needs-reply']")).isEmpty());
            replyBox(kim).sendKeys("/");
            WebElement first = waiting(kim).until(d -> {
                WebElement list = d.findElement(By.cssSelector("[data-testid='canned-list']"));
                List<WebElement> items = list.findElements(By.cssSelector("[data-testid='canned-item']"));
                return list.isDisplayed() && !items.isEmpty() ? items.get(0) : null;
            });
            assertThat(first.getAttribute("data-locale")).as("the chat's language first").isEqualTo("ko");
            replyBox(kim).sendKeys(Keys.ENTER);
            String canned = waiting(kim).until(d -> {
                String value = replyBox(d).getDomProperty("value");
                return value.isEmpty() || value.startsWith("/") ? null : value;
            });
            assertThat(kim.findElement(By.cssSelector("[data-testid='canned-list']")).isDisplayed()).isFalse();
            replyBox(kim).sendKeys(Keys.ENTER);
            waiting(visitor).until(d -> messages(widget, "agent").stream().anyMatch(m -> text(m).equals(canned)));
            waiting(kim).until(d -> d.findElements(By.cssSelector("[data-testid='needs-reply']")).isEmpty());

            // Neither note ever reached the visitor's page.
            String visitorText = visitorPageText(visitor);
            assertThat(visitorText).contains(canned).doesNotContain(PRIVATE_NOTE).doesNotContain(TRANSFER_NOTE);

            // The mute switch and the notes survive a reload (notes come back with the full sync).
            click(kim, "[data-testid='console-mute']");
            waiting(kim).until(d -> "true".equals(d.findElement(By.cssSelector("[data-testid='console-mute']"))
                    .getAttribute("aria-pressed")));
            kim.navigate().refresh();
            chatPanel(kim, conversationId);
            waiting(kim).until(d -> noteTexts(d).equals(List.of(PRIVATE_NOTE, TRANSFER_NOTE)));
            waiting(kim).until(d -> consoleTexts(d, "agent").contains(canned));
            assertThat(kim.findElement(By.cssSelector("[data-testid='console-mute']")).getAttribute("aria-pressed"))
                    .isEqualTo("true");

            // The shortcut help opens with ? and closes with Esc.
            kim.findElement(By.cssSelector("[data-testid='chat'] .messages")).click();
            new Actions(kim).sendKeys("?").perform();
            waiting(kim).until(d -> d.findElement(By.cssSelector("[data-testid='shortcuts']")).isDisplayed());
            new Actions(kim).sendKeys(Keys.ESCAPE).perform();
            waiting(kim).until(d -> !d.findElement(By.cssSelector("[data-testid='shortcuts']")).isDisplayed());

            Path shots = Path.of(System.getProperty("java.io.tmpdir"));
            Files.write(shots.resolve("sodam-console-kim.png"), ((TakesScreenshot) kim).getScreenshotAs(OutputType.BYTES));
            Files.write(shots.resolve("sodam-console-admin.png"), ((TakesScreenshot) admin).getScreenshotAs(OutputType.BYTES));
        } finally {
            admin.quit();
            kim.quit();
            visitor.quit();
        }
    }

    @Test
    void anAgentSendsAnImageThatTheVisitorSees() throws Exception {
        WebDriver admin = Browsers.open();
        WebDriver visitor = Browsers.open();
        try {
            Browsers.login(admin, app.server(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
            SearchContext widget = Browsers.visitorSays(visitor, app.server(), "상담원 연결");
            String id = waiting(admin).until(d -> d.findElements(By.cssSelector("[data-testid='offer']")).stream()
                    .findFirst().map(o -> o.getAttribute("data-conversation-id")).orElse(null));
            click(admin, "[data-testid='offer'][data-conversation-id='" + id + "'] [data-testid='offer-accept']");
            replyBox(admin);

            java.awt.image.BufferedImage picture = new java.awt.image.BufferedImage(40, 30,
                    java.awt.image.BufferedImage.TYPE_INT_RGB);
            picture.setRGB(3, 4, 0x0f766e);
            Path png = Files.createTempFile("sodam-agent-image-", ".png");
            try {
                javax.imageio.ImageIO.write(picture, "png", png.toFile());
                admin.findElement(By.cssSelector("[data-testid='chat'] [data-testid='file']"))
                        .sendKeys(png.toAbsolutePath().toString());
                waiting(admin).until(d -> !d.findElements(By.cssSelector(
                        "[data-testid='chat'] [data-testid='image'][data-loaded='true']")).isEmpty());
                waiting(visitor).until(d -> !widget.findElements(By.cssSelector(
                        "[data-testid='message'][data-kind='agent'] [data-testid='image'][data-loaded='true']")).isEmpty());
                assertThat(admin.findElements(By.cssSelector("[data-testid='chat'] [data-pending]")))
                        .as("the pending line is replaced by the stored message").isEmpty();
            } finally {
                Files.deleteIfExists(png);
            }
        } finally {
            admin.quit();
            visitor.quit();
        }
    }
}
