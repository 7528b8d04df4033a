package dev.sodam.server.admin;

import static dev.sodam.server.testing.Browsers.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.server.testing.Browsers;
import dev.sodam.server.testing.TestServer;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The admin page's files, gap report and dashboard in Debian Chromium against a real server:
 * an admin imports an Excel CSV (CP949) after reading its dry-run report.
 */
class AdminInsightsBrowserTest {
    @TempDir
    static Path dataDir;
    @TempDir
    static Path files;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        Browsers.requireChromium();
        server = TestServer.start(dataDir);
        server.awaitBot();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static WebElement testid(SearchContext root, String id) {
        return root.findElement(By.cssSelector("[data-testid='" + id + "']"));
    }

    static List<WebElement> all(SearchContext root, String id) {
        return root.findElements(By.cssSelector("[data-testid='" + id + "']"));
    }

    static void logIn(WebDriver admin) {
        admin.get(server.http("/admin"));
        testid(admin, "admin-login-email").sendKeys(TestServer.ADMIN_EMAIL);
        testid(admin, "admin-login-password").sendKeys(TestServer.ADMIN_PASSWORD);
        testid(admin, "admin-login-submit").click();
        waiting(admin).until(d -> all(d, "faq-row").size() >= 92);
    }

    /** Screenshots go next to the test classes: server/<target dir>/widget-screenshots/. */
    static Path screenshot(WebDriver driver, String name) throws Exception {
        Path dir = Path.of(AdminInsightsBrowserTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .getParent().resolve("widget-screenshots");
        Files.createDirectories(dir);
        Path file = dir.resolve(name);
        Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        return file;
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
            assertThat(error.getText()).contains("4번째 줄", "answer");
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
}
