package dev.sodam.server;

import static dev.sodam.server.testing.Browsers.click;
import static dev.sodam.server.testing.Browsers.js;
import static dev.sodam.server.testing.Browsers.messages;
import static dev.sodam.server.testing.Browsers.replyBox;
import static dev.sodam.server.testing.Browsers.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.Browsers;
import dev.sodam.server.testing.ServerExtension;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WsTestClient;
import dev.sodam.server.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Promise 4 against a corpus of XSS payloads (server/src/test/resources/security/xss-corpus.txt,
 * OWASP filter-evasion patterns and more): sent as visitor messages, the visitor's name and
 * attributes, an FAQ question and answer, a formatted FAQ answer (paragraphs, a list, links whose
 * text and address carry payloads), agent messages, a private note, a label and a canned response,
 * then rendered by the real widget, console and admin pages in Chromium. Answer links to
 * {@code javascript:} or {@code data:} are refused when the entry is saved.
 *
 * <p>Every page gets a trap before its own scripts run: {@code alert}, {@code confirm},
 * {@code prompt} and {@code window.__xssHit} record a call, and Content-Security-Policy violations
 * are recorded too (on the console, where CSP would block an injected handler, the violation is
 * the evidence that one was injected). After rendering, the DOM including shadow roots is searched
 * for what only parsed HTML could produce: inline event-handler attributes, {@code javascript:}
 * URLs, frames, objects, inline scripts and unknown elements. All must be empty, and the payloads
 * must be visible as text.
 */
class XssCorpusBrowserTest {
    private static final Path CORPUS = TestServer.repoRoot().resolve("server/src/test/resources/security/xss-corpus.txt");

    /** Installed with CDP before any page script: records every would-be execution. */
    private static final String TRAP = """
            window.__xss = [];
            window.__xssHit = (what) => window.__xss.push('hit:' + what);
            for (const name of ['alert', 'confirm', 'prompt', 'print']) {
              window[name] = (...args) => { window.__xss.push(name + ':' + args.join(',')); };
            }
            document.addEventListener('securitypolicyviolation',
                (e) => window.__xss.push('csp:' + e.violatedDirective + ':' + (e.sample || e.blockedURI)), true);
            """;

    /** What only HTML parsed from text would put in the page. */
    private static final String DOM_FINDINGS = """
            const findings = [];
            const scan = (root) => {
              for (const el of root.querySelectorAll('*')) {
                for (const a of el.attributes) {
                  const name = a.name.toLowerCase();
                  const value = a.value.replace(/[\\s\\u0000-\\u001f]+/g, '').toLowerCase();
                  if (name.startsWith('on')) findings.push(el.tagName + '[' + name + ']');
                  if (['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'background', 'dynsrc'].includes(name)
                      && (value.startsWith('javascript:') || value.startsWith('vbscript:') || value.startsWith('data:text/html'))) {
                    findings.push(el.tagName + '[' + name + '=' + a.value.slice(0, 40) + ']');
                  }
                }
                if (['IFRAME', 'FRAME', 'FRAMESET', 'OBJECT', 'EMBED', 'BASE', 'ISINDEX', 'KEYGEN', 'MARQUEE'].includes(el.tagName)) {
                  findings.push(el.tagName);
                }
                if (el.tagName === 'SCRIPT' && (!el.src || new URL(el.src).origin !== location.origin)) {
                  findings.push('SCRIPT ' + (el.src || el.textContent.slice(0, 40)));
                }
                if (el instanceof HTMLUnknownElement) findings.push('unknown <' + el.tagName.toLowerCase() + '>');
                if (el.shadowRoot) scan(el.shadowRoot);
              }
            };
            scan(document);
            return findings;
            """;

    /** Paragraphs, a list and links, every part carrying a payload; the javascript: one has parens, so it stays text. */
    private static final String FORMATTED_ANSWER = String.join("\n",
            "기린 서식 점검: <img src=x onerror=alert('fmt-p')>",
            "둘째 줄 <svg onload=alert('fmt-line')>",
            "",
            "- 목록 <script>alert('fmt-li')</script>",
            "- [링크 <img src=x onerror=alert('fmt-link')>](https://shop.example/?q=\"><svg/onload=alert`fmt-href`>)",
            "- [막힌 링크](javascript:alert(1))",
            "",
            "끝 <iframe src=javascript:alert('fmt-end')>");

    @RegisterExtension
    static final ServerExtension app = ServerExtension.forBrowsers();

    @Test
    void noPayloadRunsInTheWidgetTheConsoleOrTheAdminPages() throws Exception {
        TestServer server = app.server();
        List<String> corpus = Files.readAllLines(CORPUS).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        assertThat(corpus).hasSizeGreaterThan(80);
        List<String> chunks = chunks(corpus, 3_900);
        String adminToken = server.loginAdmin();

        // An FAQ entry whose question and answer carry payloads, and a canned response.
        String faqQuestion = "<img src=x onerror=alert('faq-question')> 코끼리 보안 점검 안내";
        String faqAnswer = chunks(corpus, 1_990).get(0);
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("id", "ko-xss-probe");
        entry.put("locale", "ko");
        entry.put("question", faqQuestion);
        entry.put("paraphrases", List.of("코끼리 보안 점검 알려주세요", "코끼리 보안 점검은 어떻게 하나요"));
        entry.put("answer", faqAnswer);
        entry.put("tags", List.of("security")); // tags accept only letters, digits, '-' and '_'
        entry.put("enabled", true);
        var created = server.post("/api/admin/faq", Json.MAPPER.writeValueAsString(entry), adminToken);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        // A formatted answer: payloads in a paragraph, list items and a link's text and address.
        Map<String, Object> formatted = new LinkedHashMap<>(entry);
        formatted.put("id", "ko-xss-format");
        formatted.put("question", "기린 서식 점검 안내");
        formatted.put("paraphrases", List.of("기린 서식 점검 알려주세요", "기린 서식 점검은 어떻게 하나요"));
        formatted.put("answer", FORMATTED_ANSWER);
        var formattedCreated = server.post("/api/admin/faq", Json.MAPPER.writeValueAsString(formatted), adminToken);
        assertThat(formattedCreated.statusCode()).as(formattedCreated.body()).isEqualTo(201);
        for (String unsafe : List.of("[열기](javascript:alert`link`)", "[열기](JAVASCRIPT:alert`link`)",
                "[열기](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "[열기](vbscript:msgbox)")) {
            Map<String, Object> refused = new LinkedHashMap<>(formatted);
            refused.put("id", "ko-xss-refused");
            refused.put("answer", "안내\n\n- " + unsafe);
            var answer = server.post("/api/admin/faq", Json.MAPPER.writeValueAsString(refused), adminToken);
            assertThat(answer.statusCode()).as(unsafe).isEqualTo(400);
            assertThat(TestServer.json(answer.body()).path("message").asText()).contains("http://, https:// or mailto:");
        }
        String canned = chunks.get(1);
        var cannedCreated = server.post("/api/workspace/canned", Json.MAPPER.writeValueAsString(Map.of(
                "shortcut", "xss", "locale", "ko", "text", canned, "scope", "shared")), adminToken);
        assertThat(cannedCreated.statusCode()).as(cannedCreated.body()).isIn(200, 201);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> {
            JsonNode answer = TestServer.json(server.post("/api/bot/ask", Json.MAPPER.writeValueAsString(Map.of(
                    "text", "코끼리 보안 점검 안내해 주세요", "locale", "ko")), adminToken).body());
            JsonNode other = TestServer.json(server.post("/api/bot/ask", Json.MAPPER.writeValueAsString(Map.of(
                    "text", "기린 서식 점검 안내해 주세요", "locale", "ko")), adminToken).body());
            return "ko-xss-probe".equals(answer.path("faqId").asText()) && "answer".equals(answer.path("decision").asText())
                    && "ko-xss-format".equals(other.path("faqId").asText());
        });

        WebDriver visitor = trapped();
        WebDriver console = trapped();
        WebDriver admin = trapped();
        List<String> places = new ArrayList<>();
        try {
            // The visitor: the FAQ answer first (after two unanswerable messages the bot hands off),
            // then payloads as messages, as their name and attributes.
            SearchContext widget = Browsers.visitorSays(visitor, server, "코끼리 보안 점검 안내해 주세요");
            waiting(visitor).until(d -> !messages(widget, "bot").isEmpty());
            assertThat(Browsers.text(messages(widget, "bot").get(0))).isEqualTo(faqAnswer);
            places.add("FAQ answer (widget, console transcript, admin)");
            typeInWidget(widget, "기린 서식 점검 안내해 주세요");
            WebElement formattedAnswer = waiting(visitor).until(d -> messages(widget, "bot").stream()
                    .filter(m -> !m.findElements(By.cssSelector("[data-testid='text'] ul")).isEmpty()).findFirst().orElse(null));
            assertThat(formattedAnswer.findElements(By.cssSelector("[data-testid='text'] > p"))).hasSize(2);
            assertThat(formattedAnswer.findElements(By.cssSelector("[data-testid='text'] li"))).hasSize(3);
            List<WebElement> links = formattedAnswer.findElements(By.cssSelector("[data-testid='text'] a"));
            assertThat(links).hasSize(1);
            assertThat(links.get(0).getDomProperty("textContent")).isEqualTo("링크 <img src=x onerror=alert('fmt-link')>");
            assertThat(links.get(0).getDomProperty("href")).startsWith("https://shop.example/?q=");
            assertThat(links.get(0).getDomAttribute("rel")).isEqualTo("noopener noreferrer");
            assertThat(Browsers.text(formattedAnswer)).contains("[막힌 링크](javascript:alert(1))",
                    "<script>alert('fmt-li')</script>");
            places.add("formatted FAQ answer: paragraphs, list, link text and address (widget, console, admin)");
            js(visitor, "Sodam.identify(arguments[0])", Map.of(
                    "name", "<img src=x onerror=alert('name')>김방문",
                    "attributes", Map.of("plan", "<svg onload=alert('attribute')>", "memo", corpus.get(3))));
            for (String chunk : chunks) {
                WebElement input = widget.findElement(By.cssSelector("[data-testid='input']"));
                js(visitor, "arguments[0].value = arguments[1];"
                        + "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));", input, chunk);
                widget.findElement(By.cssSelector("[data-testid='send']")).click();
                waiting(visitor).until(d -> messages(widget, "visitor").stream().anyMatch(m -> Browsers.text(m).equals(chunk)));
            }
            places.add("visitor messages (widget, console)");
            places.add("visitor name and attributes (console)");
            typeInWidget(widget, "상담원 연결");

            // The agent: accepts in the console; messages, a note and a label arrive over a second connection.
            Browsers.login(console, server, TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
            String id = waiting(console).until(d -> d.findElements(By.cssSelector("[data-testid='offer']")).stream()
                    .findFirst().map(o -> o.getAttribute("data-conversation-id")).orElse(null));
            click(console, "[data-testid='offer'][data-conversation-id='" + id + "'] [data-testid='offer-accept']");
            try (WsTestClient agent = WsTestClient.connect(server.agentUri())) {
                agent.helloAgent(adminToken);
                for (int i = 0; i < chunks.size(); i++) {
                    assertThat(agent.say("xss-agent-" + i, id, chunks.get(i)).path("seq").asLong()).isPositive();
                }
                agent.send(Map.of("type", "note", "conversationId", id, "text", chunks.get(0)));
                agent.await("note");
                agent.send(Map.of("type", "label", "conversationId", id, "label", "<svg onload=alert('label')>", "on", true));
                agent.await("conversation", c -> c.path("conversation").path("labels").size() > 0);
            }
            places.add("agent messages (console, widget)");
            places.add("private note (console)");
            places.add("label (console)");
            waiting(visitor).until(d -> messages(widget, "agent").stream().anyMatch(m -> Browsers.text(m).equals(chunks.get(0))));
            WebElement chat = waiting(console).until(d -> d.findElements(By.cssSelector(
                    "[data-testid='chat'][data-conversation-id='" + id + "']")).stream().findFirst().orElse(null));
            waiting(console).until(d -> messages(chat, "agent").size() >= chunks.size()
                    && !chat.findElements(By.cssSelector("[data-testid='note']")).isEmpty()
                    && !d.findElements(By.cssSelector("[data-testid='label']")).isEmpty());
            waiting(console).until(d -> d.findElements(By.cssSelector("[data-testid='visitor-profile']")).stream()
                    .anyMatch(p -> p.getText().contains("김방문")));
            waiting(console).until(d -> d.findElements(By.cssSelector(
                    "[data-testid='context-panel'][data-conversation-id='" + id + "'][data-state='ready']")).size() == 1);
            replyBox(console).sendKeys("/xss");
            waiting(console).until(d -> d.findElements(By.cssSelector("[data-testid='canned-item']")).stream()
                    .anyMatch(item -> item.getText().contains("onerror")));
            places.add("canned response (console)");

            // The admin pages: the FAQ list and the test box show the question and the answer.
            admin.get(server.http("/admin"));
            admin.findElement(By.cssSelector("[data-testid='admin-login-email']")).sendKeys(TestServer.ADMIN_EMAIL);
            admin.findElement(By.cssSelector("[data-testid='admin-login-password']")).sendKeys(TestServer.ADMIN_PASSWORD);
            admin.findElement(By.cssSelector("[data-testid='admin-login-submit']")).click();
            waiting(admin).until(d -> d.findElements(By.cssSelector("[data-testid='faq-row'][data-faq-id='ko-xss-probe']"))
                    .stream().anyMatch(r -> r.getText().contains("onerror")));
            admin.findElement(By.cssSelector("[data-testid='ask-input']")).sendKeys("코끼리 보안 점검 안내해 주세요");
            admin.findElement(By.cssSelector("[data-testid='ask-submit']")).click();
            waiting(admin).until(d -> faqAnswer.equals(d.findElement(By.cssSelector("[data-testid='ask-answer']"))
                    .getDomProperty("textContent")));
            places.add("FAQ question (admin list, console candidates)");
            WebElement ask = admin.findElement(By.cssSelector("[data-testid='ask-input']"));
            ask.clear();
            ask.sendKeys("기린 서식 점검 안내해 주세요");
            admin.findElement(By.cssSelector("[data-testid='ask-submit']")).click();
            waiting(admin).until(d -> d.findElements(By.cssSelector("[data-testid='ask-answer'] li")).size() == 3);
            admin.findElement(By.cssSelector("[data-testid='faq-row'][data-faq-id='ko-xss-format']")).click();
            waiting(admin).until(d -> d.findElements(By.cssSelector("[data-testid='faq-answer-preview'] li")).size() == 3
                    && d.findElements(By.cssSelector("[data-testid='history-row'] li")).size() == 3);

            Map<String, List<String>> executions = new LinkedHashMap<>();
            Map<String, List<String>> injected = new LinkedHashMap<>();
            for (Map.Entry<String, WebDriver> page : Map.of("widget", visitor, "console", console, "admin", admin).entrySet()) {
                executions.put(page.getKey(), strings(js(page.getValue(), "return window.__xss")));
                injected.put(page.getKey(), strings(js(page.getValue(), DOM_FINDINGS)));
            }
            String figure = String.format(java.util.Locale.ROOT,
                    "xss corpus: %d payloads in %d places, rendered in widget, console and admin; executions %s; injected elements %s%n",
                    corpus.size(), places.size(), executions, injected);
            System.out.print(figure);
            Files.createDirectories(Path.of("target-metrics"));
            Files.writeString(Path.of("target-metrics", "xss-corpus.txt"), figure + String.join("\n", places) + "\n");
            assertThat(executions).allSatisfy((page, calls) -> assertThat(calls).as("executions in the " + page).isEmpty());
            assertThat(injected).allSatisfy((page, found) -> assertThat(found).as("HTML injected into the " + page).isEmpty());
        } finally {
            visitor.quit();
            console.quit();
            admin.quit();
        }
    }

    /** The check above is only worth something if it sees an injection: inject one on purpose. */
    @Test
    void theTrapAndTheScanCatchAnInjectionWhenThereIsOne() {
        WebDriver driver = trapped();
        try {
            // A page without a policy, like many shops the widget runs on: the handler runs into the trap.
            driver.get("data:text/html,<p>shop</p>");
            js(driver, "const d = document.createElement('div'); document.body.append(d);"
                    + "d.innerHTML = \"<img src=x onerror=alert('control')>\";");
            waiting(driver).until(d -> !strings(js(d, "return window.__xss")).isEmpty());
            assertThat(strings(js(driver, "return window.__xss"))).containsExactly("alert:control");
            assertThat(strings(js(driver, DOM_FINDINGS))).containsExactly("IMG[onerror]");

            // Behind Sodam's page policy the handler cannot run: the violation report is the evidence.
            driver.get(app.server().http("/console"));
            js(driver, "const d = document.createElement('div'); document.body.append(d);"
                    + "d.innerHTML = \"<img src=x onerror=alert('control')>\";");
            waiting(driver).until(d -> !strings(js(d, "return window.__xss")).isEmpty());
            assertThat(strings(js(driver, "return window.__xss"))).singleElement().asString().startsWith("csp:script-src");
        } finally {
            driver.quit();
        }
    }

    /** A browser whose every page starts with the trap. */
    private static WebDriver trapped() {
        WebDriver driver = Browsers.open();
        ((ChromeDriver) driver).executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", TRAP));
        return driver;
    }

    private static void typeInWidget(SearchContext widget, String text) {
        widget.findElement(By.cssSelector("[data-testid='input']")).sendKeys(text);
        widget.findElement(By.cssSelector("[data-testid='send']")).click();
    }

    /** The corpus joined by newlines into messages of at most {@code max} characters. */
    private static List<String> chunks(List<String> corpus, int max) {
        List<String> out = new ArrayList<>();
        StringBuilder chunk = new StringBuilder();
        for (String payload : corpus) {
            if (chunk.length() + payload.length() + 1 > max) {
                out.add(chunk.toString());
                chunk.setLength(0);
            }
            chunk.append(chunk.length() == 0 ? "" : "\n").append(payload);
        }
        out.add(chunk.toString());
        return out;
    }

    private static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(item -> out.add(String.valueOf(item)));
        }
        return out;
    }
}
