package dev.sodam.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian Chromium driven by Selenium, headless and offline, plus the few lookups the browser tests
 * share. Each {@link #open()} is a separate browser profile: separate localStorage, like another person.
 */
public final class Browsers {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private Browsers() {
    }

    /** Fails (never skips) when Chromium is missing, naming what to install. */
    public static void requireChromium() {
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                .as("browser tests need Debian's chromium and chromium-driver (apt-get install chromium "
                        + "chromium-driver); ./sodam test installs them")
                .isTrue();
    }

    public static WebDriver open() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
                "--window-size=1280,900", "--lang=ko-KR");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    /**
     * A wait that retries through stale elements: the widget and console re-render lists when
     * frames arrive, so an element found a moment ago may be gone by the time it is read.
     */
    public static WebDriverWait waiting(WebDriver driver) {
        WebDriverWait wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(50));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }

    /** The widget's shadow root on a page with the script tag. */
    public static SearchContext widget(WebDriver driver) {
        return waiting(driver).until(d -> {
            List<WebElement> hosts = d.findElements(By.id("sodam-widget"));
            return hosts.isEmpty() ? null : hosts.get(0).getShadowRoot();
        });
    }

    /**
     * Opens the widget's panel, or waits for it to open by itself. On a returning visitor's page the
     * loader starts the widget at once (its button marked busy) and the widget replaces the loader's
     * button with its own, restoring a panel left open; a click on the loader's button in between
     * lands on a detached element, and a click after the restore would close the panel again.
     */
    public static void openPanel(WebDriver driver, SearchContext widget) {
        waiting(driver).until(d -> {
            List<WebElement> panels = widget.findElements(By.cssSelector("[data-testid='panel']"));
            if (!panels.isEmpty() && panels.get(0).isDisplayed()) {
                return true;
            }
            WebElement launcher = widget.findElement(By.cssSelector("[data-testid='launcher']"));
            if (launcher.getDomAttribute("aria-busy") == null && !"true".equals(launcher.getDomAttribute("aria-expanded"))) {
                launcher.click();
            }
            return false;
        });
    }

    /** Stored (not pending) messages of a kind in a widget or console. */
    public static List<WebElement> messages(SearchContext root, String kind) {
        return root.findElements(By.cssSelector("[data-testid='message'][data-kind='" + kind + "']:not([data-pending])"));
    }

    /** A message's text as stored in the DOM, visible or not. */
    public static String text(WebElement message) {
        return message.findElement(By.cssSelector("[data-testid='text']")).getDomProperty("textContent");
    }

    /** Clicks the element once it is there, retrying when a re-render replaces it under the click. */
    public static void click(WebDriver driver, String css) {
        waiting(driver).until(d -> {
            d.findElement(By.cssSelector(css)).click();
            return true;
        });
    }

    /** The console's reply box once it is enabled (a chat is open and assigned to this agent). */
    public static WebElement replyBox(WebDriver agent) {
        return waiting(agent).until(d -> {
            List<WebElement> boxes = d.findElements(By.cssSelector("[data-testid='reply-input']"));
            return boxes.isEmpty() || !boxes.get(0).isEnabled() ? null : boxes.get(0);
        });
    }

    /** Runs a script in the page and returns its value. */
    public static Object js(WebDriver driver, String script, Object... args) {
        return ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Logs into the agent console. */
    public static void login(WebDriver agent, TestServer server, String email, String password) {
        agent.get(server.http("/console"));
        agent.findElement(By.cssSelector("[data-testid='login-email']")).sendKeys(email);
        agent.findElement(By.cssSelector("[data-testid='login-password']")).sendKeys(password);
        agent.findElement(By.cssSelector("[data-testid='login-submit']")).click();
        waiting(agent).until(d -> !d.findElement(By.cssSelector("[data-testid='agent-name']")).getText().isBlank());
    }

    /** The element with {@code data-testid="id"} under {@code root}. */
    public static WebElement testid(SearchContext root, String id) {
        return root.findElement(By.cssSelector("[data-testid='" + id + "']"));
    }

    /** Opens an admin page ({@code /admin/users}, …) and logs in as the bootstrap admin. */
    public static void adminLogin(WebDriver admin, TestServer server, String path) {
        admin.get(server.http(path));
        testid(admin, "admin-login-email").sendKeys(TestServer.ADMIN_EMAIL);
        testid(admin, "admin-login-password").sendKeys(TestServer.ADMIN_PASSWORD);
        testid(admin, "admin-login-submit").click();
        waiting(admin).until(d -> testid(d, "admin-name").isDisplayed() && !testid(d, "admin-name").getText().isBlank());
    }

    /** Opens the demo shop, opens the widget and sends a message. */
    public static SearchContext visitorSays(WebDriver visitor, TestServer server, String text) {
        visitor.get(server.http("/demo"));
        SearchContext root = widget(visitor);
        openPanel(visitor, root);
        root.findElement(By.cssSelector("[data-testid='input']")).sendKeys(text);
        root.findElement(By.cssSelector("[data-testid='send']")).click();
        return root;
    }

    /** Saves a screenshot next to the test classes, in server/&lt;target dir&gt;/widget-screenshots/, and returns its path. */
    public static java.nio.file.Path screenshot(WebDriver driver, String name) throws Exception {
        java.nio.file.Path dir = java.nio.file.Path.of(Browsers.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI()).getParent().resolve("widget-screenshots");
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Path file = dir.resolve(name);
        java.nio.file.Files.write(file, ((org.openqa.selenium.TakesScreenshot) driver)
                .getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
        return file;
    }
}
