package dev.sodam.server.admin;

import static dev.sodam.server.testing.Browsers.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.server.testing.Browsers;
import dev.sodam.server.testing.ServerExtension;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WsTestClient;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The admin page's files, gap report and dashboard in Debian Chromium against a real server:
 * an admin imports an Excel CSV (CP949) after reading its dry-run report; reads the gap report
 * after failed questions and makes a draft FAQ entry from it with the agent's answer; opens the
 * dashboard and its charts render (screenshot in the build directory).
 */
class AdminInsightsBrowserTest {
    @TempDir
    static Path files;
    @RegisterExtension
    static final ServerExtension app = ServerExtension.forBrowsers();

    static WebElement testid(SearchContext root, String id) {
        return root.findElement(By.cssSelector("[data-testid='" + id + "']"));
    }

    static List<WebElement> all(SearchContext root, String id) {
        return root.findElements(By.cssSelector("[data-testid='" + id + "']"));
    }

    static void logIn(WebDriver admin) {
        admin.get(app.server().http("/admin"));
        testid(admin, "admin-login-email").sendKeys(TestServer.ADMIN_EMAIL);
        testid(admin, "admin-login-password").sendKeys(TestServer.ADMIN_PASSWORD);
        testid(admin, "admin-login-submit").click();
        waiting(admin).until(d -> all(d, "faq-row").size() >= 92);
    }

    private static Path screenshot(WebDriver driver, String name) throws Exception {
        return Browsers.screenshot(driver, name);
    }

    @Test
    void anAdminChecksAnExcelFileThenImportsAllOfIt() throws Exception {
        String broken = "질문,다르게 묻는 말,답변,언어\r\n"
                + "우산도 파나요?,\"장우산 있어요?\r\n접이식 우산 팔아요?\",\"네, 장우산과 <b>접이식</b> 우산을 팔아요.\",ko\r\n"
                + "비옷도 있나요?,,,ko\r\n";
        Path file = files.resolve("엑셀-faq.csv");
        Files.write(file, broken.getBytes(Charset.forName("x-windows-949")));
        WebDriver admin = Browsers.open();
        try {
            logIn(admin);
            testid(admin, "faq-import").click();
            testid(admin, "import-file").sendKeys(file.toString());
            waiting(admin).until(d -> !all(d, "import-error").isEmpty());
            WebElement error = testid(admin, "import-error");
            assertThat(error.getAttribute("data-line")).isEqualTo("4");
            // The row, the field and the refusal in the page's language (the server's reason, not its English).
            assertThat(error.getText()).contains("4번째 줄", "답변", "입력해 주세요");
            assertThat(testid(admin, "import-summary").getText()).contains("CP949");
            assertThat(testid(admin, "import-confirm").isEnabled()).isFalse();

            // Fixed and chosen again: a clean dry run, then the import itself.
            Files.write(file, broken.replace("비옷도 있나요?,,,ko", "비옷도 있나요?,,\"네, 비옷도 있어요.\",ko")
                    .getBytes(Charset.forName("x-windows-949")));
            ((JavascriptExecutor) admin).executeScript("arguments[0].value = ''", testid(admin, "import-file"));
            testid(admin, "import-file").sendKeys(file.toString());
            waiting(admin).until(d -> all(d, "import-line").size() == 2 && all(d, "import-error").isEmpty());
            assertThat(all(admin, "import-line").get(0).getText()).contains("2번째 줄", "새로 만듦", "우산도 파나요?");
            waiting(admin).until(d -> testid(d, "import-confirm").isEnabled());
            testid(admin, "import-confirm").click();
            waiting(admin).ignoring(StaleElementReferenceException.class).until(d -> all(d, "faq-row").stream()
                    .anyMatch(r -> r.getText().contains("우산도 파나요?")));
            assertThat(testid(admin, "import-dialog").isDisplayed()).isFalse();
            assertThat(testid(admin, "toast").getAttribute("textContent")).contains("새로 2");
            screenshot(admin, "admin-import.png");
        } finally {
            admin.quit();
        }
    }

    @Test
    void aFailedQuestionBecomesADraftAndTheDashboardDrawsItsCharts() throws Exception {
        String answer = "네, 우산꽂이는 생활관에서 팔아요. 색은 흰색과 검은색이에요.";
        try (WsTestClient agent = WsTestClient.connect(app.server().agentUri())) {
            agent.helloAgent(app.server().loginAdmin());
            GapReportApiTest.serve(app.server(), agent, "우산꽂이도 파나요?", "안녕하세요!", answer);
            GapReportApiTest.serve(app.server(), agent, "우산꽂이 판매하시나요?", null, null);
        }
        WebDriver admin = Browsers.open();
        try {
            logIn(admin);
            testid(admin, "nav-gaps").click();
            waiting(admin).until(d -> all(d, "gap-cluster").stream().anyMatch(c -> c.getText().contains("우산꽂이")));
            WebElement cluster = all(admin, "gap-cluster").stream().filter(c -> c.getText().contains("우산꽂이"))
                    .findFirst().orElseThrow();
            assertThat(cluster.getAttribute("data-count")).isEqualTo("2");
            assertThat(cluster.findElements(By.cssSelector("[data-testid='gap-example']"))).hasSize(2);
            assertThat(cluster.getText()).contains(answer).doesNotContain("안녕하세요!");
            cluster.findElement(By.cssSelector("[data-testid='gap-draft']")).click();

            // The draft opens in the FAQ editor, disabled, with the agent's words as its answer.
            waiting(admin).until(d -> testid(d, "faq-answer").getAttribute("value").equals(answer));
            assertThat(testid(admin, "faq-question").getAttribute("value")).contains("우산꽂이");
            assertThat(testid(admin, "faq-paraphrases").getAttribute("value")).contains("우산꽂이");
            assertThat(testid(admin, "faq-enabled").isSelected()).isFalse();
            assertThat(testid(admin, "nav-faq").getAttribute("aria-pressed")).isEqualTo("true");

            testid(admin, "nav-dashboard").click();
            waiting(admin).until(d -> !all(d, "kpi-conversations").isEmpty());
            assertThat(Integer.parseInt(testid(admin, "kpi-conversations").findElement(By.cssSelector(".kpi__value"))
                    .getText())).isEqualTo(2);
            assertThat(testid(admin, "kpi-handoff").getText()).contains("100%");
            for (String chart : List.of("per-day", "per-hour", "handoffs-per-day", "handoff-reasons", "agent-load")) {
                WebElement svg = admin.findElement(By.cssSelector("svg[data-chart='" + chart + "']"));
                assertThat(svg.isDisplayed()).as(chart).isTrue();
                assertThat(svg.getSize().getHeight()).as(chart).isGreaterThan(20);
            }
            assertThat(admin.findElement(By.cssSelector("svg[data-chart='per-hour']")).getAttribute("data-bars")).isEqualTo("24");
            long drawn = admin.findElements(By.cssSelector("svg[data-chart='per-day'] rect.chart__bar")).stream()
                    .filter(r -> Double.parseDouble(r.getAttribute("height")) > 0).count();
            assertThat(drawn).isEqualTo(1);
            Path shot = screenshot(admin, "admin-dashboard.png");
            assertThat(Files.size(shot)).isGreaterThan(10_000);
            assertThat(((JavascriptExecutor) admin).executeScript(
                    "return performance.getEntriesByType('resource').every(e => e.name.startsWith(location.origin))"))
                    .as("nothing is loaded from another origin").isEqualTo(true);
        } finally {
            admin.quit();
        }
    }
}
