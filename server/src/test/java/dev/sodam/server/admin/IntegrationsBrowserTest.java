package dev.sodam.server.admin;

import static dev.sodam.server.testing.Browsers.testid;
import static dev.sodam.server.testing.Browsers.waiting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.Browsers;
import dev.sodam.server.testing.ServerExtension;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WebhookReceiver;
import dev.sodam.server.testing.WsTestClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The integrations pane in Debian Chromium: an admin creates an API key whose name looks like
 * markup (shown as text; the key is shown once and works), revokes it (it stops working), creates a
 * webhook to a real receiver, reads its delivery log, redelivers an event, edits its URL and events,
 * and disables it.
 */
class IntegrationsBrowserTest {
    private static final String NAME = "<img src=x id=\"pwned\" onerror=\"window.__pwned=1\">CRM";

    @RegisterExtension
    static final ServerExtension app = ServerExtension.forBrowsers(Map.of("SODAM_WEBHOOKS_ALLOW_PRIVATE", "true"));
    static WebhookReceiver receiver;

    @BeforeAll
    static void receiver() throws Exception {
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void close() {
        receiver.close();
    }

    private static WebElement keyRow(WebDriver driver) {
        return driver.findElements(By.cssSelector("[data-testid='key-row']")).stream()
                .filter(r -> testid(r, "key-name").getText().equals(NAME)).findFirst().orElseThrow();
    }

    private static WebElement hookRow(WebDriver driver) {
        return testid(driver, "hook-row");
    }

    /** The one-time secret at the end of a "copy it now" box. */
    private static String secretIn(WebElement box) {
        String text = box.getText();
        return text.substring(text.lastIndexOf(' ') + 1);
    }

    @Test
    void anAdminManagesKeysAndWebhooksAndReadsTheDeliveryLog() throws Exception {
        TestServer server = app.server();
        String token = server.loginAdmin();
        WebDriver admin = Browsers.open();
        try {
            Browsers.adminLogin(admin, server, "/admin/integrations");
            waiting(admin).until(d -> testid(d, "key-table").isDisplayed());

            // A key: shown once, its name is text, it works until it is revoked.
            testid(admin, "key-name").sendKeys(NAME);
            testid(admin, "key-scopes").findElement(By.cssSelector("input[value='write']")).click();
            testid(admin, "key-create").click();
            waiting(admin).until(d -> testid(d, "key-secret").isDisplayed());
            String secret = secretIn(testid(admin, "key-secret"));
            assertThat(secret).startsWith("ak_");
            waiting(admin).until(d -> keyRow(d).isDisplayed());
            assertThat(admin.findElements(By.id("pwned"))).as("a key name is text, never markup").isEmpty();
            assertThat(server.get("/api/v1/conversations", secret).statusCode()).isEqualTo(200);
            testid(keyRow(admin), "key-revoke").click();
            admin.switchTo().alert().accept();
            waiting(admin).until(d -> testid(keyRow(d), "key-status").getText().equals("폐기됨"));
            assertThat(server.get("/api/v1/conversations", secret).statusCode()).as("revoked").isEqualTo(401);

            // A webhook: the signing secret once, then events arrive and show in its log.
            testid(admin, "hook-url").sendKeys(receiver.url());
            testid(admin, "hook-events").findElement(By.cssSelector("input[value='conversation.created']")).click();
            testid(admin, "hook-save").click();
            waiting(admin).until(d -> testid(d, "hook-secret").isDisplayed());
            assertThat(secretIn(testid(admin, "hook-secret"))).startsWith("whsec_");
            waiting(admin).until(d -> testid(hookRow(d), "hook-url-text").getText().equals(receiver.url()));
            try (WsTestClient visitor = WsTestClient.connect(server.visitorUri())) {
                visitor.helloVisitor(null, null, 0);
                visitor.say("i1", null, "안녕하세요");
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> receiver.deliveries().size() == 1);
            String eventId = receiver.deliveries().get(0).json().get("id").asText();
            testid(hookRow(admin), "hook-log").click();
            waiting(admin).until(d -> testid(d, "delivery-status").getText().equals("delivered"));
            assertThat(testid(admin, "delivery-row").getAttribute("data-type")).isEqualTo("conversation.created");
            testid(admin, "delivery-redeliver").click();
            await().atMost(Duration.ofSeconds(60)).until(() -> receiver.deliveries().size() == 2);
            assertThat(receiver.deliveries().get(1).json().get("id").asText()).as("the same event again").isEqualTo(eventId);

            // Edited: another URL and event; then disabled.
            testid(hookRow(admin), "hook-edit").click();
            testid(admin, "hook-url").clear();
            testid(admin, "hook-url").sendKeys(receiver.url() + "?v=2");
            testid(admin, "hook-events").findElement(By.cssSelector("input[value='conversation.created']")).click();
            testid(admin, "hook-events").findElement(By.cssSelector("input[value='csat.created']")).click();
            testid(admin, "hook-save").click();
            waiting(admin).until(d -> testid(hookRow(d), "hook-url-text").getText().endsWith("?v=2"));
            testid(hookRow(admin), "hook-toggle").click();
            waiting(admin).until(d -> testid(hookRow(d), "hook-status").getText().equals("사용 중지"));
            JsonNode stored = TestServer.json(server.get("/api/admin/webhooks", token).body()).at("/items/0");
            assertThat(stored.get("url").asText()).endsWith("?v=2");
            assertThat(stored.get("events").toString()).isEqualTo("[\"csat.created\"]");
            assertThat(stored.get("enabled").asBoolean()).isFalse();
            assertThat(Browsers.js(admin, "return window.__pwned === undefined")).isEqualTo(true);
        } finally {
            admin.quit();
        }
    }
}
