package dev.sodam.server;

import static dev.sodam.server.testing.Browsers.messages;
import static dev.sodam.server.testing.Browsers.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.server.testing.Browsers;
import dev.sodam.server.testing.ServerExtension;
import dev.sodam.server.testing.TestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The widget's visitor features in Chromium against a real server: feedback (👍 under a bot
 * answer, CSAT with a comment after the agent resolves the chat; stored and shown in the console),
 * and hostile text (names, attribute values, FAQ answers, messages) shown as text in widget and
 * console with nothing executed; the visitor's own bubble showing the masked text once it is stored.
 */
class WidgetFeaturesBrowserTest {
    @RegisterExtension
    static final ServerExtension app = ServerExtension.forBrowsers();

    private static WebElement find(SearchContext root, String css) {
        return root.findElement(By.cssSelector(css));
    }

    /** The visitor's conversation, as the widget stored it (other tests' chats may be queued too). */
    private static String conversationOf(WebDriver visitor) {
        return waiting(visitor).until(d -> (String) ((org.openqa.selenium.JavascriptExecutor) d)
                .executeScript("return localStorage.getItem('sodam:demo:conversationId')"));
    }

    /** Accepts the offer of that conversation (the console may hold offers of other chats). */
    private static void acceptOffer(WebDriver agent, String conversationId) {
        waiting(agent).ignoring(StaleElementReferenceException.class).until(d -> {
            find(d, "[data-testid='offer'][data-conversation-id='" + conversationId + "'] [data-testid='offer-accept']")
                    .click();
            return true;
        });
    }

    private static List<String> feedbackRows() {
        List<String> rows = new ArrayList<>();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + app.server().dataDir().resolve("sodam.db"));
             Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT kind, score, coalesce(comment, '') FROM feedback ORDER BY kind")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + ":" + rs.getInt(2) + ":" + rs.getString(3));
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    @Test
    void thumbsOnABotAnswerAndCsatAfterResolutionAreStoredAndShownInTheConsole() throws Exception {
        WebDriver visitor = Browsers.open();
        WebDriver admin = Browsers.open();
        try {
            Browsers.login(admin, app.server(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
            SearchContext widget = Browsers.visitorSays(visitor, app.server(), "배송은 얼마나 걸리나요?");
            waiting(visitor).until(d -> !messages(widget, "bot").isEmpty());
            WebElement up = waiting(visitor).until(d -> find(messages(widget, "bot").get(0), "[data-testid='thumbs-up']"));
            assertThat(find(messages(widget, "bot").get(0), "[data-testid='feedback']").getText()).contains("도움이 됐나요?");
            up.click();
            waiting(visitor).until(d -> "true".equals(find(widget, "[data-testid='thumbs-up']").getAttribute("aria-pressed")));
            waiting(visitor).until(d -> feedbackRows().contains("thumbs:1:"));

            // A person, then the end of the chat: the satisfaction card asks, in Korean.
            find(widget, "[data-testid='handoff']").click();
            String conversationId = conversationOf(visitor);
            acceptOffer(admin, conversationId);
            waiting(visitor).until(d -> "assigned".equals(find(widget, ".root").getAttribute("data-state")));
            waiting(admin).until(d -> find(d, "[data-testid='chat']").getAttribute("data-conversation-id")
                    .equals(conversationId));
            // An image from the visitor: uploaded over HTTP, shown in the widget and the console.
            java.awt.image.BufferedImage picture = new java.awt.image.BufferedImage(40, 30,
                    java.awt.image.BufferedImage.TYPE_INT_RGB);
            Path png = app.server().dataDir().resolve("photo.png");
            javax.imageio.ImageIO.write(picture, "png", png.toFile());
            find(widget, "[data-testid='file']").sendKeys(png.toAbsolutePath().toString());
            waiting(visitor).until(d -> !widget.findElements(By.cssSelector(
                    "[data-testid='message'] [data-testid='image'][data-loaded='true']")).isEmpty());
            waiting(admin).until(d -> !d.findElements(By.cssSelector(
                    "[data-testid='chat'] [data-testid='image'][data-loaded='true']")).isEmpty());
            find(admin, "[data-testid='resolve']").click();
            WebElement card = waiting(visitor).until(d -> find(widget, "[data-testid='csat']"));
            assertThat(card.getText()).contains("상담은 만족스러우셨나요?");
            assertThat(find(card, "[data-testid='csat-submit']").isEnabled()).isFalse();
            card.findElements(By.cssSelector("[data-testid='csat-score']")).get(4).click();
            find(card, "[data-testid='csat-comment']").sendKeys("<b>친절</b>했어요");
            find(card, "[data-testid='csat-submit']").click();
            waiting(visitor).until(d -> find(widget, "[data-testid='csat-thanks']").isDisplayed());
            waiting(visitor).until(d -> feedbackRows().contains("csat:5:<b>친절</b>했어요"));

            // The console shows both in the chat view, the comment as text.
            WebElement shown = waiting(admin).until(d -> find(d, "[data-testid='visitor-feedback'] [data-testid='feedback-csat']"));
            assertThat(shown.getText()).contains("5/5").contains("<b>친절</b>했어요");
            assertThat(find(admin, "[data-testid='feedback-thumbs']").getAttribute("data-up")).isEqualTo("1");
            assertThat(admin.findElements(By.cssSelector("[data-testid='visitor-feedback'] b"))).isEmpty();
        } finally {
            visitor.quit();
            admin.quit();
        }
    }

    private static final String PWN = "window.__pwned = (window.__pwned || 0) + 1";

    @Test
    void hostileNamesAttributesFaqAnswersAndMessagesAreShownAsTextAndNothingRuns() throws Exception {
        String admin = app.server().loginAdmin();
        String question = "XSS 시험 질문 <b>굵게</b> 입니다";
        String answer = "<img src=x onerror=\"" + PWN + "\">답변 <script>" + PWN + "</script>";
        java.util.Map<String, Object> faq = new java.util.LinkedHashMap<>();
        faq.put("locale", "ko");
        faq.put("question", question);
        faq.put("answer", answer);
        faq.put("paraphrases", List.of("XSS 시험 질문 굵게"));
        assertThat(app.server().post("/api/admin/faq", dev.sodam.server.util.Json.MAPPER.writeValueAsString(faq), admin)
                .statusCode()).isEqualTo(201);
        WebDriver visitor = Browsers.open();
        WebDriver console = Browsers.open();
        try {
            Browsers.login(console, app.server(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
            visitor.get(app.server().http("/demo"));
            String name = "<img src=x onerror=\"" + PWN + "\">";
            String attribute = "<script>" + PWN + "</script><a href=javascript:alert(1)>x</a>";
            ((org.openqa.selenium.JavascriptExecutor) visitor).executeScript(
                    "Sodam.identify({name: arguments[0], email: 'x@example.com', attributes: {note: arguments[1]}})",
                    name, attribute);
            // The bot learns the new entry in the background: ask until it answers with it.
            SearchContext widget = Browsers.widget(visitor);
            find(widget, "[data-testid='launcher']").click();
            waiting(visitor).until(d -> find(widget, "[data-testid='panel']").isDisplayed());
            waiting(visitor).withTimeout(java.time.Duration.ofSeconds(90)).pollingEvery(java.time.Duration.ofSeconds(3))
                    .until(d -> {
                        if (messages(widget, "bot").stream().anyMatch(m -> Browsers.text(m).equals(answer))) {
                            return true;
                        }
                        find(widget, "[data-testid='input']").sendKeys(question);
                        find(widget, "[data-testid='send']").click();
                        return false;
                    });
            String hostileMessage = "<b>굵게</b><img src=x onerror=\"" + PWN + "\">";
            find(widget, "[data-testid='input']").sendKeys(hostileMessage);
            find(widget, "[data-testid='send']").click();
            waiting(visitor).until(d -> messages(widget, "visitor").stream().anyMatch(m -> Browsers.text(m).equals(hostileMessage)));
            String conversationId = conversationOf(visitor);
            // The visitor asks for a person, unless the bot's own decision on that message has already
            // handed the chat off (the button is hidden from then on).
            waiting(visitor).until(d -> {
                if (!"BOT".equals(conversationState(conversationId))) {
                    return true;
                }
                WebElement handoff = find(widget, "[data-testid='handoff']");
                if (handoff.isDisplayed()) {
                    handoff.click();
                }
                return false;
            });
            // Stored first, so a failure below is the console's, not a lost identify.
            waiting(visitor).until(d -> name.equals(visitorColumn("name",
                    "id = (SELECT visitor_id FROM conversations WHERE id = '" + conversationId + "')")));
            acceptOffer(console, conversationId);
            // The profile re-renders as the visitor frame arrives: look it up afresh on every try.
            waiting(console).withMessage(() -> "the console's chat view: " + chatView(console))
                    .until(d -> find(d, "[data-testid='profile-name']").getText().equals(name)
                    && find(d, "[data-testid='visitor-profile'] [data-testid='profile-attribute']").getText().equals(attribute));
            waiting(console).until(d -> d.findElements(By.cssSelector("[data-testid='chat'] [data-testid='text']")).stream()
                    .map(e -> e.getDomProperty("textContent")).toList().containsAll(List.of(answer, hostileMessage)));

            for (WebDriver page : List.of(visitor, console)) {
                Object pwned = ((org.openqa.selenium.JavascriptExecutor) page).executeScript("return window.__pwned");
                assertThat(pwned).as("nothing executed on " + page.getCurrentUrl()).isNull();
            }
            assertThat(widget.findElements(By.cssSelector("[data-testid='messages'] img, [data-testid='messages'] script,"
                    + " [data-testid='messages'] b"))).isEmpty();
            assertThat(console.findElements(By.cssSelector("[data-testid='chat'] img, [data-testid='chat'] script,"
                    + " [data-testid='chat'] b, [data-testid='chat'] a[href^='javascript']"))).isEmpty();
        } finally {
            visitor.quit();
            console.quit();
        }
    }

    /** What a failed wait on the console shows: the active tab and the chat view's profile, as HTML. */
    private static String chatView(WebDriver console) {
        return String.valueOf(((org.openqa.selenium.JavascriptExecutor) console).executeScript(
                "const tabs = [...document.querySelectorAll('[data-testid=\"chat-tab\"]')].map(t => t.outerHTML);"
                        + "const p = document.querySelector('[data-testid=\"visitor-profile\"]');"
                        + "const chat = document.querySelector('[data-testid=\"chat\"]');"
                        + "return JSON.stringify({tabs, profile: p ? p.outerHTML : null,"
                        + " chat: chat ? chat.getAttribute('data-conversation-id') : null,"
                        + " header: chat ? chat.innerText.slice(0, 300) : null});"));
    }

    private static String conversationState(String conversationId) {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + app.server().dataDir().resolve("sodam.db"));
             java.sql.PreparedStatement s = db.prepareStatement("SELECT state FROM conversations WHERE id = ?")) {
            s.setString(1, conversationId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String visitorColumn(String column, String where) {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + app.server().dataDir().resolve("sodam.db"));
             Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + column + " FROM visitors WHERE " + where)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theVisitorsOwnBubbleShowsTheMaskedTextOnceTheServerStoredIt() {
        WebDriver visitor = Browsers.open();
        try {
            SearchContext widget = Browsers.visitorSays(visitor, app.server(),
                    "배송 언제 와요? 제 번호 010-1234-5678 카드 4111 1111 1111 1111");
            // The bot answers after the echo (seq order), so by then the bubble has had the server's text.
            waiting(visitor).until(d -> !messages(widget, "bot").isEmpty());
            List<WebElement> own = messages(widget, "visitor");
            assertThat(own).hasSize(1);
            assertThat(own.get(0).getDomAttribute("data-seq")).isNotNull();
            assertThat(Browsers.text(own.get(0)))
                    .as("the bubble holds what was stored, not what was typed")
                    .isEqualTo("배송 언제 와요? 제 번호 010-****-5678 카드 **** **** **** 1111");
            assertThat(find(widget, "[data-testid='messages']").getDomProperty("textContent"))
                    .doesNotContain("1234-5678").doesNotContain("4111 1111");
        } finally {
            visitor.quit();
        }
    }

    @Test
    void thePreChatFormNeedsConsentAndWithNoAgentOnlineTheOfflineFormQueuesTheMessage() throws Exception {
        String admin = app.server().loginAdmin();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.util.function.Consumer<String> put = body -> {
            try {
                int status = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                app.server().http("/api/admin/sites/demo/settings")))
                        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                        .header("Authorization", "Bearer " + admin).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
                assertThat(status).isEqualTo(200);
            } catch (java.io.IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        };
        put.accept("{\"prechat\":{\"enabled\":true,\"fields\":[{\"id\":\"name\",\"required\":true},"
                + "{\"id\":\"email\",\"required\":true}]},\"privacy\":{\"ko\":\"이름과 이메일은 답변에만 씁니다.\"},"
                + "\"greeting\":{\"ko\":\"소담 마켓입니다. 반가워요!\"},\"accentColor\":\"#aa3300\","
                + "\"offline\":{\"mode\":\"form\"}}");
        WebDriver visitor = Browsers.open();
        WebDriver console = Browsers.open();
        try {
            visitor.get(app.server().http("/demo"));
            SearchContext widget = Browsers.widget(visitor);
            find(widget, "[data-testid='launcher']").click();
            WebElement form = waiting(visitor).until(d -> find(widget, "[data-testid='prechat']"));
            // The privacy text is filled in once the site's settings arrive.
            waiting(visitor).until(d -> form.getText().contains("이름과 이메일은 답변에만 씁니다."));
            assertThat(find(widget, ".intro").getDomProperty("textContent")).isEqualTo("소담 마켓입니다. 반가워요!");
            assertThat(find(widget, "[data-testid='input']").isDisplayed()).isFalse();
            find(form, "[data-testid='form-name']").sendKeys("<i>이소담</i>");
            find(form, "[data-testid='form-email']").sendKeys("sodam@example.com");
            find(form, "[data-testid='prechat-submit']").click();
            // Without consent nothing is sent and the form says why.
            waiting(visitor).until(d -> find(widget, "[data-testid='form-error']").isDisplayed());
            assertThat(find(form, "[data-testid='consent']").getAttribute("aria-invalid")).isEqualTo("true");
            find(form, "[data-testid='consent']").click();
            find(form, "[data-testid='prechat-submit']").click();
            waiting(visitor).until(d -> find(widget, "[data-testid='input']").isDisplayed());
            // The seed teams have no business hours (always open) and no agent is connected: the
            // visitor hears that nobody is free, not that it is outside consultation hours.
            waiting(visitor).until(d -> find(widget, "[data-testid='status']").getText()
                    .equals("지금 바로 연결할 수 있는 상담원이 없어요. 봇이 먼저 도와드릴게요."));
            waiting(visitor).until(d -> "sodam@example.com".equals(visitorColumn("email", "name = '<i>이소담</i>'")));
            assertThat(visitorColumn("attributes", "name = '<i>이소담</i>'")).contains("privacyConsentAt");

            // Nobody is online: asking for a person opens the offline form; the message waits in the queue.
            find(widget, "[data-testid='handoff']").click();
            WebElement offline = waiting(visitor).until(d -> find(widget, "[data-testid='offline-form']"));
            find(offline, "[data-testid='form-email']").sendKeys("sodam@example.com");
            find(offline, "[data-testid='form-message']").sendKeys("환불 문의 남깁니다. 주문 1234");
            find(offline, "[data-testid='consent']").click();
            find(offline, "[data-testid='offline-submit']").click();
            waiting(visitor).until(d -> find(widget, "[data-testid='status']").getText().contains("메시지를 남겼어요"));
            waiting(visitor).until(d -> "queued".equals(find(widget, ".root").getAttribute("data-state")));

            Browsers.login(console, app.server(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
            WebElement queued = waiting(console).until(d -> d.findElements(By.cssSelector("[data-testid='queue-item']"))
                    .stream().filter(q -> q.getText().contains("환불 문의 남깁니다")).findFirst().orElse(null));
            assertThat(queued.getText()).contains("<i>이소담</i>");
        } finally {
            put.accept("{\"prechat\":{\"enabled\":false},\"accentColor\":\"#0f766e\",\"offline\":{\"mode\":\"chat\"},"
                    + "\"greeting\":{\"ko\":\"안녕하세요! 무엇을 도와드릴까요?\"}}");
            visitor.quit();
            console.quit();
        }
    }
}
