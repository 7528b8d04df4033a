package dev.sodam.server;

import static dev.sodam.server.testing.Browsers.js;
import static dev.sodam.server.testing.Browsers.messages;
import static dev.sodam.server.testing.Browsers.text;
import static dev.sodam.server.testing.Browsers.waiting;
import static dev.sodam.server.testing.Browsers.widget;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sodam.server.testing.Browsers;
import dev.sodam.server.testing.ServerExtension;
import dev.sodam.server.testing.WsTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The visitor widget as a customer's browser runs it: on a page whose CSS attacks it, through a
 * dropped connection in the middle of a burst from both sides, in two tabs, across a reload with an
 * unsent message, in English and Korean, and on a phone-sized screen. Real Chromium, real server.
 */
class WidgetBrowserTest {

    @RegisterExtension
    static final ServerExtension app = ServerExtension.forBrowsers();

    // ---- helpers -------------------------------------------------------------------------------

    private static WebElement find(SearchContext root, String testid) {
        return root.findElement(By.cssSelector("[data-testid='" + testid + "']"));
    }

    /** Clicks the bubble (the loader's, or the widget's) and waits for the panel. */
    private static SearchContext openPanel(WebDriver driver) {
        SearchContext root = widget(driver);
        waiting(driver).ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
            if (!find(root, "launcher").isDisplayed()) {
                return false;
            }
            find(root, "launcher").click();
            return true;
        });
        waiting(driver).until(d -> find(root, "panel").isDisplayed());
        return root;
    }

    private static void say(WebDriver driver, SearchContext root, String text) {
        find(root, "input").sendKeys(text);
        find(root, "send").click();
    }

    private static void awaitStored(WebDriver driver, SearchContext root, String text) {
        waiting(driver).until(d -> messages(root, "visitor").stream().anyMatch(m -> text(m).equals(text)));
    }

    /** Delivered messages in DOM order as "seq|text". */
    private static List<String> shown(SearchContext root) {
        List<String> out = new ArrayList<>();
        for (WebElement m : root.findElements(By.cssSelector("[data-testid='message']:not([data-pending])"))) {
            out.add(m.getDomAttribute("data-seq") + "|" + text(m));
        }
        return out;
    }

    private static List<Long> seqs(SearchContext root) {
        return shown(root).stream().map(s -> Long.parseLong(s.substring(0, s.indexOf('|')))).toList();
    }

    /**
     * left, top, width, height of an element, and its distance to the viewport's right and bottom edges, once its
     * own animations and transitions have ended: the panel rises 8px as it opens, and a box measured mid-rise
     * differs from one measured after (CI saw 3.3px).
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Double> rect(WebDriver driver, WebElement element) {
        waiting(driver).until(d -> Boolean.TRUE.equals(js(driver,
                "return arguments[0].getAnimations().every(a => a.playState === 'finished' || a.playState === 'idle')",
                element)));
        Map<String, Object> raw = (Map<String, Object>) js(driver, """
                const r = arguments[0].getBoundingClientRect();
                const vw = document.documentElement.clientWidth, vh = document.documentElement.clientHeight;
                return {left: r.left, top: r.top, width: r.width, height: r.height,
                        right: vw - r.right, bottom: vh - r.bottom};
                """, element);
        Map<String, Double> out = new LinkedHashMap<>();
        raw.forEach((k, v) -> out.put(k, ((Number) v).doubleValue()));
        return out;
    }

    private static void assertSameBox(Map<String, Double> actual, Map<String, Double> expected, String what) {
        for (String k : List.of("width", "height", "right", "bottom")) {
            assertThat(actual.get(k)).as(what + " " + k + " " + actual + " vs " + expected)
                    .isCloseTo(expected.get(k), within(3.0));
        }
    }

    private static void network(WebDriver driver, boolean online) {
        ChromeDriver chrome = (ChromeDriver) driver;
        chrome.executeCdpCommand("Network.enable", Map.of());
        chrome.executeCdpCommand("Network.emulateNetworkConditions", Map.of(
                "offline", !online, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
    }

    private static String conversationId(WebDriver driver) {
        return (String) js(driver, "return localStorage.getItem('sodam:demo:conversationId')");
    }

    private static int storedCount(String conversationId, String body) throws java.sql.SQLException {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + app.server().dataDir().resolve("sodam.db"));
             PreparedStatement q = db.prepareStatement(
                     "SELECT COUNT(*) FROM messages WHERE conversation_id = ? AND body = ?")) {
            q.setString(1, conversationId);
            q.setString(2, body);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static int lastSeq(String conversationId) {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + app.server().dataDir().resolve("sodam.db"));
             PreparedStatement q = db.prepareStatement("SELECT last_seq FROM conversations WHERE id = ?")) {
            q.setString(1, conversationId);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path screenshot(WebDriver driver, String name) throws Exception {
        return Browsers.screenshot(driver, name);
    }

    // ---- tests ---------------------------------------------------------------------------------

    @Test
    void onAPageWithHostileCssAndATakenSodamNameTheWidgetLooksAsOnTheDemo() throws Exception {
        WebDriver driver = Browsers.open();
        try {
            driver.get(app.server().http("/demo/hostile.html"));
            SearchContext root = widget(driver);
            WebElement bubble = waiting(driver).until(d -> find(root, "launcher"));
            assertThat(bubble.isDisplayed()).as("the bubble is visible despite div { display: none !important }").isTrue();

            // Nothing loaded or stored before the visitor opens the chat.
            assertThat(js(driver, "return localStorage.length + sessionStorage.length")).isEqualTo(0L);
            assertThat(js(driver, "return performance.getEntriesByType('resource')"
                    + ".some(e => e.name.includes('/js/visitor/'))")).isEqualTo(false);

            // The page's own Sodam is untouched; ours is SodamChat.
            assertThat(js(driver, "return window.Sodam.broken === true && !('open' in window.Sodam)")).isEqualTo(true);
            assertThat(js(driver, "return typeof window.SodamChat.open")).isEqualTo("function");
            Map<String, Double> hostileBubble = rect(driver, bubble);

            openPanel(driver);
            Map<String, Double> hostileLauncher = rect(driver, find(root, "launcher"));
            Map<String, Double> hostilePanel = rect(driver, find(root, "panel"));
            assertThat(js(driver, "return getComputedStyle(arguments[0]).fontSize", find(root, "panel")))
                    .as("the page's 40px does not reach in").isEqualTo("14px");
            assertThat(js(driver, "return getComputedStyle(arguments[0]).color", find(root, "input")))
                    .isNotEqualTo("rgb(255, 0, 0)");
            screenshot(driver, "hostile.png");

            // The API works under its other name.
            js(driver, "window.SodamChat.close()");
            waiting(driver).until(d -> !find(root, "panel").isDisplayed());
            js(driver, "window.SodamChat.open()");
            waiting(driver).until(d -> find(root, "panel").isDisplayed());
            say(driver, root, "이상한 페이지에서도 보내져요?");
            awaitStored(driver, root, "이상한 페이지에서도 보내져요?");

            // The same measurements on the normal demo page, as a new visitor.
            js(driver, "localStorage.clear(); sessionStorage.clear()");
            driver.get(app.server().http("/demo"));
            SearchContext demo = widget(driver);
            Map<String, Double> demoBubble = rect(driver, waiting(driver).until(d -> find(demo, "launcher")));
            openPanel(driver);
            assertSameBox(hostileBubble, demoBubble, "bubble");
            assertSameBox(hostileLauncher, rect(driver, find(demo, "launcher")), "launcher");
            assertSameBox(hostilePanel, rect(driver, find(demo, "panel")), "panel");
            assertThat(hostilePanel.get("width")).isCloseTo(372.0, within(1.0));
            screenshot(driver, "demo.png");
        } finally {
            driver.quit();
        }
    }

    @Test
    void aSocketDroppedInTheMiddleOfABurstFromBothSidesLosesAndDuplicatesNothing() throws Exception {
        WebDriver driver = Browsers.open();
        try (WsTestClient agent = WsTestClient.connect(app.server().agentUri())) {
            driver.get(app.server().http("/demo"));
            SearchContext root = openPanel(driver);
            String conversationId = handedToAgent(driver, root, agent);

            // The agent's 25 messages run in the same window as the visitor's 25 and the outage.
            int burst = 25;
            CompletableFuture<Void> agentBurst = CompletableFuture.runAsync(() -> {
                for (int i = 1; i <= burst; i++) {
                    agent.say("a-" + i, conversationId, "상담원 메시지 " + i);
                    try {
                        Thread.sleep(60);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            });
            for (int i = 1; i <= burst; i++) {
                if (i == 8) {
                    network(driver, false);
                    waiting(driver).until(d -> find(root, "banner").isDisplayed());
                    assertThat(find(root, "banner").getText()).isEqualTo("연결이 끊겼어요. 다시 연결하는 중…");
                }
                if (i == 18) {
                    assertThat(root.findElements(By.cssSelector("[data-pending]"))).as("held while offline").isNotEmpty();
                    network(driver, true);
                }
                say(driver, root, "방문자 메시지 " + i);
            }
            agentBurst.get(60, java.util.concurrent.TimeUnit.SECONDS);

            // Everything arrives: the widget shows seq 1..N in order, each once, nothing pending.
            waiting(driver).until(d -> find(root, "banner").getDomProperty("hidden").equals("true"));
            waiting(driver).until(d -> root.findElements(By.cssSelector("[data-pending]")).isEmpty());
            waiting(driver).until(d -> seqs(root).size() >= lastSeq(conversationId));
            int last = lastSeq(conversationId);
            assertThat(seqs(root)).containsExactlyElementsOf(LongStream.rangeClosed(1, last).boxed().toList());
            List<String> texts = shown(root).stream().map(s -> s.substring(s.indexOf('|') + 1)).toList();
            for (int i = 1; i <= burst; i++) {
                String visitorText = "방문자 메시지 " + i;
                String agentText = "상담원 메시지 " + i;
                assertThat(texts.stream().filter(visitorText::equals).count()).as(visitorText).isEqualTo(1);
                assertThat(texts.stream().filter(agentText::equals).count()).as(agentText).isEqualTo(1);
                assertThat(storedCount(conversationId, visitorText)).as("stored once: " + visitorText).isEqualTo(1);
            }
            // Each side's messages in the order they were written.
            List<String> visitorOrder = texts.stream().filter(t -> t.startsWith("방문자 메시지 ")).toList();
            assertThat(visitorOrder).containsExactlyElementsOf(
                    LongStream.rangeClosed(1, burst).mapToObj(i -> "방문자 메시지 " + i).toList());

            // The agent's own view (a sync from 0) agrees with the widget.
            agent.send(Map.of("type", "sync", "conversationId", conversationId, "afterSeq", 0));
            agent.await("message", f -> f.path("conversationId").asText().equals(conversationId)
                    && f.path("seq").asInt() == lastSeq(conversationId));
            assertThat(js(driver, "return localStorage.getItem('sodam:demo:outbox')")).isNull();
        } finally {
            network(driver, true);
            driver.quit();
        }
    }

    @Test
    void twoTabsOfOneVisitorShowTheConversationIdenticallyAndTheClosedOneCountsUnread() throws Exception {
        WebDriver driver = Browsers.open();
        try {
            driver.get(app.server().http("/demo"));
            SearchContext first = openPanel(driver);
            say(driver, first, "배송 언제 와요?");
            awaitStored(driver, first, "배송 언제 와요?");
            waiting(driver).until(d -> !messages(first, "bot").isEmpty());
            String tab1 = driver.getWindowHandle();

            // Tab 2 of the same browser: a returning visitor, so the widget loads and shows the history.
            driver.switchTo().newWindow(WindowType.TAB);
            driver.get(app.server().http("/demo"));
            String tab2 = driver.getWindowHandle();
            String pageTitle = driver.getTitle();
            SearchContext second = widget(driver);
            waiting(driver).until(d -> shown(second).size() >= 2);
            assertThat(find(second, "panel").isDisplayed()).as("closed in the new tab").isFalse();
            assertThat(shown(second)).containsExactlyElementsOf(shownIn(driver, tab1));

            // Tab 1 writes; tab 2 (closed) shows it once, counts the bot's answer and blinks its title.
            driver.switchTo().window(tab1);
            int botBefore = messages(first, "bot").size();
            say(driver, first, "배송비 얼마에요?");
            awaitStored(driver, first, "배송비 얼마에요?");
            waiting(driver).until(d -> messages(first, "bot").size() > botBefore);
            List<String> inTab1 = shown(first);

            driver.switchTo().window(tab2);
            waiting(driver).until(d -> shown(second).size() >= inTab1.size());
            assertThat(shown(second)).containsExactlyElementsOf(inTab1);
            assertThat(shown(second).stream().filter(s -> s.endsWith("|배송비 얼마에요?")).count()).isEqualTo(1);
            waiting(driver).until(d -> find(second, "badge").isDisplayed());
            assertThat(Integer.parseInt(find(second, "badge").getText())).isGreaterThanOrEqualTo(1);
            waiting(driver).until(d -> d.getTitle().matches("\\(\\d+\\) 새 메시지"));
            waiting(driver).until(d -> d.getTitle().equals(pageTitle)); // it alternates

            // Opening the panel clears the badge and gives the page its title back.
            openPanel(driver);
            assertThat(find(second, "badge").isDisplayed()).isFalse();
            Thread.sleep(1200);
            assertThat(driver.getTitle()).isEqualTo(pageTitle);

            // And a message from tab 2 shows once in tab 1.
            say(driver, second, "두 번째 탭에서 보냄");
            awaitStored(driver, second, "두 번째 탭에서 보냄");
            driver.switchTo().window(tab1);
            waiting(driver).until(d -> shown(first).stream().anyMatch(s -> s.endsWith("|두 번째 탭에서 보냄")));
            assertThat(shown(first).stream().filter(s -> s.endsWith("|두 번째 탭에서 보냄")).count()).isEqualTo(1);
            assertThat(seqs(first)).doesNotHaveDuplicates().isSorted();
        } finally {
            driver.quit();
        }
    }

    private static List<String> shownIn(WebDriver driver, String window) {
        String current = driver.getWindowHandle();
        driver.switchTo().window(window);
        List<String> list = shown(widget(driver));
        driver.switchTo().window(current);
        return list;
    }

    @Test
    void aMessageSentOfflineSurvivesAReloadAndIsDeliveredExactlyOnce() throws Exception {
        WebDriver driver = Browsers.open();
        try {
            driver.get(app.server().http("/demo"));
            SearchContext root = openPanel(driver);
            say(driver, root, "안녕하세요");
            awaitStored(driver, root, "안녕하세요");
            String conversationId = conversationId(driver);

            network(driver, false);
            waiting(driver).until(d -> find(root, "banner").isDisplayed());
            String unsent = "오프라인에서 보낸 메시지";
            say(driver, root, unsent);
            waiting(driver).until(d -> root.findElements(By.cssSelector("[data-pending]")).size() == 1);
            assertThat((String) js(driver, "return localStorage.getItem('sodam:demo:outbox')")).contains(unsent);

            network(driver, true);
            driver.navigate().refresh();
            SearchContext reloaded = widget(driver);
            waiting(driver).until(d -> find(reloaded, "panel").isDisplayed()); // it was open before the reload
            awaitStored(driver, reloaded, unsent);
            waiting(driver).until(d -> reloaded.findElements(By.cssSelector("[data-pending]")).isEmpty());
            Thread.sleep(500); // a late duplicate would show up now
            assertThat(shown(reloaded).stream().filter(s -> s.endsWith("|" + unsent)).count()).isEqualTo(1);
            assertThat(seqs(reloaded)).containsExactlyElementsOf(
                    LongStream.rangeClosed(1, lastSeq(conversationId)).boxed().toList());
            assertThat(storedCount(conversationId, unsent)).isEqualTo(1);
            assertThat(js(driver, "return localStorage.getItem('sodam:demo:outbox')")).isNull();
            assertThat(find(reloaded, "banner").isDisplayed()).isFalse();
        } finally {
            driver.quit();
        }
    }

    @Test
    void aMessageTypedOfflineAfterTheAgentResolvedStartsTheNextConversationExactlyOnce() throws Exception {
        WebDriver driver = Browsers.open();
        try (WsTestClient agent = WsTestClient.connect(app.server().agentUri())) {
            driver.get(app.server().http("/demo"));
            SearchContext root = openPanel(driver);
            String first = handedToAgent(driver, root, agent);

            // The visitor goes offline; the agent resolves meanwhile; the visitor writes, then comes back.
            network(driver, false);
            waiting(driver).until(d -> find(root, "banner").isDisplayed());
            agent.send(Map.of("type", "resolve", "conversationId", first));
            agent.await("conversation", f -> f.path("conversation").path("id").asText().equals(first)
                    && f.path("conversation").path("state").asText().equals("resolved"));
            String late = "오프라인에서 보낸 감사 인사";
            say(driver, root, late);
            waiting(driver).until(d -> root.findElements(By.cssSelector("[data-pending]")).size() == 1);
            network(driver, true);

            waiting(driver).until(d -> !first.equals(conversationId(d)) && conversationId(d) != null);
            String second = conversationId(driver);
            awaitStored(driver, root, late);
            waiting(driver).until(d -> root.findElements(By.cssSelector("[data-pending]")).isEmpty());
            Thread.sleep(500); // a late duplicate or refusal would show up now
            assertThat(root.findElements(By.cssSelector("[data-failed]"))).isEmpty();
            assertThat(shown(root).stream().filter(s -> s.endsWith("|" + late)).count()).isEqualTo(1);
            assertThat(storedCount(second, late)).isEqualTo(1);
            assertThat(storedCount(first, late)).isZero();
            assertThat(js(driver, "return localStorage.getItem('sodam:demo:outbox')")).isNull();

            // And it is there after a reload, in the new conversation.
            driver.navigate().refresh();
            SearchContext reloaded = widget(driver);
            awaitStored(driver, reloaded, late);
            assertThat(conversationId(driver)).isEqualTo(second);
            assertThat(shown(reloaded).stream().filter(s -> s.endsWith("|" + late)).count()).isEqualTo(1);
        } finally {
            network(driver, true);
            driver.quit();
        }
    }

    @Test
    void aMessageQueuedOfflineInATabThatWasClosedIsSentByTheOtherTab() throws Exception {
        WebDriver driver = Browsers.open();
        try {
            driver.get(app.server().http("/demo"));
            SearchContext first = openPanel(driver);
            say(driver, first, "안녕하세요");
            awaitStored(driver, first, "안녕하세요");
            String conversationId = conversationId(driver);
            String tab1 = driver.getWindowHandle();
            driver.switchTo().newWindow(WindowType.TAB);
            driver.get(app.server().http("/demo"));
            String tab2 = driver.getWindowHandle();
            SearchContext second = widget(driver);
            waiting(driver).until(d -> !shown(second).isEmpty());
            network(driver, false);

            driver.switchTo().window(tab1);
            network(driver, false);
            waiting(driver).until(d -> find(first, "banner").isDisplayed());
            String unsent = "탭1에서 오프라인으로 보냄";
            say(driver, first, unsent);
            waiting(driver).until(d -> first.findElements(By.cssSelector("[data-pending]")).size() == 1);
            driver.close();

            driver.switchTo().window(tab2);
            waiting(driver).until(d -> second.findElements(By.cssSelector("[data-pending]")).size() == 1);
            network(driver, true);
            awaitStored(driver, second, unsent);
            waiting(driver).until(d -> second.findElements(By.cssSelector("[data-pending]")).isEmpty());
            Thread.sleep(500);
            assertThat(shown(second).stream().filter(s -> s.endsWith("|" + unsent)).count()).isEqualTo(1);
            assertThat(storedCount(conversationId, unsent)).isEqualTo(1);
            assertThat(js(driver, "return localStorage.getItem('sodam:demo:outbox')")).isNull();
        } finally {
            network(driver, true);
            driver.quit();
        }
    }

    @Test
    void theEnglishPageSpeaksEnglishAndSetLocaleSwitchesToKoreanKeepingTheConversation() throws Exception {
        WebDriver driver = Browsers.open();
        try {
            driver.get(app.server().http("/demo/en.html"));
            SearchContext root = widget(driver);
            assertThat(waiting(driver).until(d -> find(root, "launcher")).getDomAttribute("aria-label")).isEqualTo("Open chat");
            // The API is there before the widget module: listeners registered now are kept.
            js(driver, "window.__events = []; window.Sodam.on('open', () => window.__events.push('open'));"
                    + "window.Sodam.on('close', () => window.__events.push('close'));"
                    + "window.__off = window.Sodam.on('message', m => window.__events.push(m.from.kind + ':' + m.text));");
            assertThat(js(driver, "return performance.getEntriesByType('resource')"
                    + ".some(e => e.name.includes('/js/visitor/'))")).isEqualTo(false);
            js(driver, "window.Sodam.open()");
            waiting(driver).until(d -> find(root, "panel").isDisplayed());

            assertThat(root.findElement(By.cssSelector(".title")).getText()).isEqualTo("Sodam chat");
            assertThat(find(root, "input").getDomAttribute("placeholder")).isEqualTo("Type a message…");
            assertThat(find(root, "handoff").getText()).isEqualTo("Talk to a person");
            say(driver, root, "Where is my order?");
            awaitStored(driver, root, "Where is my order?");
            waiting(driver).until(d -> !messages(root, "bot").isEmpty());
            List<String> before = shown(root);

            js(driver, "window.Sodam.setLocale('ko')");
            assertThat(root.findElement(By.cssSelector(".title")).getText()).isEqualTo("소담 상담");
            assertThat(find(root, "input").getDomAttribute("placeholder")).isEqualTo("메시지를 입력하세요");
            assertThat(find(root, "handoff").getText()).isEqualTo("상담원 연결");
            assertThat(find(root, "send").getDomAttribute("aria-label")).isEqualTo("보내기");
            assertThat(find(root, "mute").getDomAttribute("aria-label")).isEqualTo("알림음 끄기");
            assertThat(root.findElement(By.cssSelector(".intro")).getText()).isEqualTo("안녕하세요! 무엇을 도와드릴까요?");
            assertThat(root.findElements(By.cssSelector("[data-testid='action-handoff']")))
                    .allSatisfy(b -> assertThat(b.getText()).isEqualTo("상담원 연결"));
            assertThat(js(driver, "return arguments[0].lang", root.findElement(By.cssSelector(".root")))).isEqualTo("ko");
            // The same messages; the bot's fixed text (a notice code) now reads in Korean, the visitor's stays.
            assertThat(seqs(root)).as("the conversation is kept")
                    .containsExactlyElementsOf(before.stream().map(s -> Long.parseLong(s.substring(0, s.indexOf('|')))).toList());
            assertThat(shown(root)).contains("1|Where is my order?");
            if (before.contains("2|Did you mean one of these?")) {
                assertThat(shown(root)).contains("2|이런 질문을 찾으셨나요?");
            }

            // on('message') saw the new messages; after unsubscribing it sees no more.
            @SuppressWarnings("unchecked")
            List<String> events = (List<String>) js(driver, "return window.__events");
            assertThat(events).startsWith("open").contains("visitor:Where is my order?");
            js(driver, "window.__off(); window.Sodam.close(); window.Sodam.open()");
            say(driver, root, "한국어로 계속할게요");
            awaitStored(driver, root, "한국어로 계속할게요");
            @SuppressWarnings("unchecked")
            List<String> after = (List<String>) js(driver, "return window.__events");
            assertThat(after).doesNotContain("visitor:한국어로 계속할게요").endsWith("close", "open");

            // Mute is remembered (localStorage) across reloads.
            find(root, "mute").click();
            assertThat(find(root, "mute").getDomAttribute("aria-pressed")).isEqualTo("true");
            driver.navigate().refresh();
            SearchContext reloaded = widget(driver);
            waiting(driver).until(d -> find(reloaded, "panel").isDisplayed());
            assertThat(find(reloaded, "mute").getDomAttribute("aria-pressed")).isEqualTo("true");
        } finally {
            driver.quit();
        }
    }

    @Test
    void onAPhoneThePanelFillsTheScreenAndInputsDoNotZoom() throws Exception {
        WebDriver driver = Browsers.open();
        try {
            ((ChromeDriver) driver).executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of(
                    "width", 375, "height", 667, "deviceScaleFactor", 2, "mobile", true));
            driver.get(app.server().http("/demo"));
            SearchContext root = openPanel(driver);
            Map<String, Double> panel = rect(driver, find(root, "panel"));
            assertThat(panel.get("left")).isCloseTo(0.0, within(1.0));
            assertThat(panel.get("top")).isCloseTo(0.0, within(1.0));
            assertThat(panel.get("width")).isCloseTo(375.0, within(1.0));
            assertThat(panel.get("height")).isCloseTo(667.0, within(1.0));
            assertThat(find(root, "launcher").isDisplayed()).as("the panel covers the bubble; close is in the header").isFalse();
            String fontSize = (String) js(driver, "return getComputedStyle(arguments[0]).fontSize", find(root, "input"));
            assertThat(Double.parseDouble(fontSize.replace("px", ""))).isGreaterThanOrEqualTo(16.0);
            say(driver, root, "휴대폰에서 보내요");
            awaitStored(driver, root, "휴대폰에서 보내요");
            Path shot = screenshot(driver, "mobile-375x667.png");
            assertThat(Files.size(shot)).isPositive();
            find(root, "close").click();
            waiting(driver).until(d -> find(root, "launcher").isDisplayed());
        } finally {
            driver.quit();
        }
    }

    /** The visitor asks for a person and {@code agent} (not yet said hello) accepts; the conversation's id. */
    private String handedToAgent(WebDriver driver, SearchContext root, WsTestClient agent) throws Exception {
        say(driver, root, "상담원 연결");
        awaitStored(driver, root, "상담원 연결");
        waiting(driver).until(d -> "queued".equals(js(d, "return arguments[0].dataset.state",
                root.findElement(By.cssSelector(".root")))));
        String conversationId = conversationId(driver);
        agent.helloAgent(app.server().loginAdmin());
        agent.send(Map.of("type", "accept", "conversationId", conversationId));
        waiting(driver).until(d -> "assigned".equals(js(d, "return arguments[0].dataset.state",
                root.findElement(By.cssSelector(".root")))));
        return conversationId;
    }
}
