package dev.sodam.server;

import static dev.sodam.server.testing.Browsers.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.server.testing.Browsers;
import dev.sodam.server.testing.ServerExtension;
import dev.sodam.server.testing.WsTestClient;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * An agent's console loses its connection (a laptop asleep, a dead Wi-Fi) for longer than the
 * presence grace: their chat goes back to the queue and a colleague takes it. The frames saying so
 * went to the closed connection; the console must learn it from the welcome when it comes back,
 * not keep showing the chat as its own with a live reply box the server refuses.
 */
class ConsoleReconnectBrowserTest {
    private static final String KIM = "kim@sodam.test";
    private static final String KIM_PASSWORD = "kim-password-1";
    private static final String LEE = "lee@sodam.test";
    private static final String LEE_PASSWORD = "lee-password-1";

    @RegisterExtension
    static final ServerExtension app = ServerExtension.forBrowsers(Map.of("SODAM_PRESENCE_GRACE_SECONDS", "1"));

    /**
     * Runs before the console's scripts: every WebSocket the page opens is kept in
     * {@code window.__sockets}, and while {@code window.__cut} is set a new one goes to a port nobody listens on.
     */
    private static final String SOCKET_SWITCH = """
            (() => {
              const Real = window.WebSocket;
              window.__sockets = [];
              window.__cut = false;
              window.WebSocket = function (url, protocols) {
                const ws = new Real(window.__cut ? 'ws://127.0.0.1:9/ws' : url, protocols);
                window.__sockets.push(ws);
                return ws;
              };
              window.WebSocket.prototype = Real.prototype;
              Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
            })();""";

    @BeforeAll
    static void start() throws Exception {
        app.server().createAgent(KIM, "김상담", KIM_PASSWORD);
        app.server().createAgent(LEE, "이상담", LEE_PASSWORD);
    }

    @Test
    void consoleReconnectingAfterItsChatWasRequeuedAndTakenNoLongerShowsItAsItsOwn() throws Exception {
        ChromeDriver kim = (ChromeDriver) Browsers.open();
        try (WsTestClient visitor = WsTestClient.connect(app.server().visitorUri());
             WsTestClient lee = WsTestClient.connect(app.server().agentUri())) {
            kim.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", SOCKET_SWITCH));
            Browsers.login(kim, app.server(), KIM, KIM_PASSWORD);

            visitor.helloVisitor(null, null, 0);
            String chat = visitor.say("c-1", null, "상담원 연결").path("conversationId").asText();
            waiting(kim).until(d -> {
                d.findElement(By.cssSelector("[data-testid='offer'][data-conversation-id='" + chat
                        + "'] [data-testid='offer-accept']")).click();
                return true;
            });
            waiting(kim).until(d -> !d.findElements(By.cssSelector(
                    "[data-testid='reply-input'][data-conversation-id='" + chat + "']:not([disabled])")).isEmpty());

            // The connection dies and stays down past the grace: the chat is requeued; Lee takes it.
            Browsers.js(kim, "window.__cut = true; window.__sockets.forEach(s => s.close());");
            lee.helloAgent(app.server().login(LEE, LEE_PASSWORD));
            lee.await("offer", f -> f.path("conversationId").asText().equals(chat));
            lee.send(Map.of("type", "accept", "conversationId", chat));
            visitor.await("status", f -> f.path("state").asText().equals("assigned")
                    && f.path("agent").path("name").asText().equals("이상담"));

            // Back online: the console reconnects by itself.
            Browsers.js(kim, "window.__cut = false;");
            waiting(kim).until(d -> "open".equals(d.findElement(By.id("connection")).getAttribute("data-state")));

            waiting(kim).until(d -> d.findElements(By.cssSelector("[data-testid='mine-item']")).isEmpty());
            waiting(kim).until(d -> !d.findElements(By.cssSelector(
                    "[data-testid='reply-input'][data-conversation-id='" + chat + "'][disabled]")).isEmpty());
            assertThat(kim.findElements(By.cssSelector("[data-testid='resolve']"))).isEmpty();
            assertThat(kim.findElement(By.cssSelector("[data-testid='chat']")).getText())
                    .contains("연결이 끊긴 동안 이 상담은 다른 상담원에게 넘어갔거나 종료되었어요");
            assertThat(kim.findElements(By.cssSelector("[data-testid='chat-accept']"))).isEmpty();
        } finally {
            kim.quit();
        }
    }
}
