package dev.sodam.server.admin;

import static dev.sodam.server.testing.Browsers.testid;
import static dev.sodam.server.testing.Browsers.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.server.testing.Browsers;
import dev.sodam.server.testing.ServerExtension;
import dev.sodam.server.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The users page in Debian Chromium: an admin invites an agent whose name looks like markup, the
 * invitee sets a password through the one-time link and logs into the console, the admin disables
 * the account and reads every step in the audit log, then sets retention and a mask pattern.
 */
class AccessBrowserTest {
    private static final String NAME = "<b id=\"pwned\">새 상담원</b>";

    @RegisterExtension
    static final ServerExtension app = ServerExtension.forBrowsers();

    private static WebElement row(WebDriver driver, String email) {
        return driver.findElement(By.cssSelector("[data-testid='user-row'][data-email='" + email + "']"));
    }

    @Test
    void anAdminInvitesAnAgentWhoSetsAPasswordThenDisablesThemAndReadsTheAuditLog() {
        WebDriver admin = Browsers.open();
        WebDriver invitee = Browsers.open();
        try {
            Browsers.adminLogin(admin, app.server(), "/admin/users");
            waiting(admin).until(d -> !d.findElements(By.cssSelector("[data-testid='user-row']")).isEmpty());

            testid(admin, "invite-email").sendKeys("new.agent@sodam.test");
            testid(admin, "invite-name").sendKeys(NAME);
            testid(admin, "invite-max").sendKeys("2");
            testid(admin, "invite-submit").click();
            waiting(admin).until(d -> testid(d, "invite-link").isDisplayed());
            String text = testid(admin, "invite-link").getText();
            String url = text.substring(text.indexOf("http"));
            assertThat(url).contains("/admin/password#token=inv_");
            waiting(admin).until(d -> row(d, "new.agent@sodam.test").isDisplayed());
            WebElement invited = row(admin, "new.agent@sodam.test");
            assertThat(testid(invited, "user-name").getText()).isEqualTo(NAME);
            assertThat(admin.findElements(By.id("pwned"))).as("a name is text, never markup").isEmpty();
            assertThat(testid(invited, "user-status").getText()).isEqualTo("초대 대기");

            invitee.get(url);
            assertThat(invitee.getCurrentUrl()).as("the token leaves the address bar").doesNotContain("token");
            testid(invitee, "password-new").sendKeys("초대받은-새-비밀번호");
            testid(invitee, "password-repeat").sendKeys("초대받은-새-비밀번호");
            testid(invitee, "password-submit").click();
            waiting(invitee).until(d -> testid(d, "password-done").isDisplayed());
            assertThat(testid(invitee, "password-done-text").getText()).startsWith(NAME);
            Browsers.login(invitee, app.server(), "new.agent@sodam.test", "초대받은-새-비밀번호");

            admin.navigate().refresh();
            waiting(admin).until(d -> testid(row(d, "new.agent@sodam.test"), "user-status").getText().equals("사용 중"));
            testid(row(admin, "new.agent@sodam.test"), "user-toggle").click();
            admin.switchTo().alert().accept();
            waiting(admin).until(d -> testid(row(d, "new.agent@sodam.test"), "user-status").getText().equals("사용 중지"));
            // The invitee's open console is closed and sent back to the login form.
            waiting(invitee).until(d -> d.findElement(By.cssSelector("[data-testid='login-email']")).isDisplayed());

            testid(admin, "tab-audit").click();
            waiting(admin).until(d -> d.findElements(By.cssSelector("[data-testid='audit-row']")).size() >= 3);
            List<String> actions = admin.findElements(By.cssSelector("[data-testid='audit-action-cell']")).stream()
                    .map(WebElement::getText).toList();
            assertThat(actions).contains("user.invite", "user.password_set", "user.disable");
            assertThat(admin.getCurrentUrl()).endsWith("/admin/audit");
            assertThat(((JavascriptExecutor) admin).executeScript("return window.__pwned === undefined")).isEqualTo(true);

            // Privacy: a retention period and a pattern are saved; the try box shows the masking.
            testid(admin, "tab-privacy").click();
            waiting(admin).until(d -> testid(d, "privacy-retention").isDisplayed());
            testid(admin, "privacy-retention").sendKeys("90");
            testid(admin, "privacy-patterns").sendKeys("회원번호\\s*\\d{6}");
            testid(admin, "privacy-save").click();
            waiting(admin).until(d -> testid(d, "toast").getText().contains("저장했어요"));
            testid(admin, "mask-input").sendKeys("010-1234-5678, 4111 1111 1111 1111, 회원번호 123456");
            testid(admin, "mask-submit").click();
            waiting(admin).until(d -> testid(d, "mask-result").isDisplayed());
            assertThat(testid(admin, "mask-result").getText()).isEqualTo("010-****-5678, **** **** **** 1111, **** ******");
        } finally {
            admin.quit();
            invitee.quit();
        }
    }

    @Test
    void theLogoutButtonOfEveryStaffPageRevokesItsTokenOnTheServer() throws Exception {
        WebDriver driver = Browsers.open();
        try {
            for (String page : List.of("/admin/users", "/admin")) {
                Browsers.adminLogin(driver, app.server(), page);
                String token = (String) Browsers.js(driver, "return sessionStorage.getItem('sodam:admin:token')");
                assertThat(app.server().get("/api/account/me", token).statusCode()).as(page + " logged in").isEqualTo(200);
                testid(driver, "logout").click();
                waiting(driver).until(d -> testid(d, "admin-login-email").isDisplayed());
                assertThat(Browsers.js(driver, "return sessionStorage.getItem('sodam:admin:token')")).isNull();
                assertThat(app.server().get("/api/account/me", token).statusCode())
                        .as(page + ": the token no longer works after 로그아웃").isEqualTo(401);
            }
            Browsers.login(driver, app.server(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
            String token = (String) Browsers.js(driver, "return sessionStorage.getItem('sodam:console:token')");
            assertThat(app.server().get("/api/account/me", token).statusCode()).isEqualTo(200);
            testid(driver, "logout").click();
            waiting(driver).until(d -> testid(d, "login-email").isDisplayed());
            assertThat(testid(driver, "login-error").isDisplayed())
                    .as("a logout asked for is not reported as an expired session").isFalse();
            assertThat(app.server().get("/api/account/me", token).statusCode())
                    .as("/console: the token no longer works after 로그아웃").isEqualTo(401);
        } finally {
            driver.quit();
        }
    }

    /**
     * Regression (QA): the staff pages could not be shown in English although every string exists in
     * English; {@code ?lang=en} now chooses it, and the choice holds on the other staff pages.
     */
    @Test
    void aStaffPageAskedForEnglishSpeaksItAndTheOtherStaffPagesFollow() {
        WebDriver driver = Browsers.open();
        try {
            driver.get(app.server().http("/admin?lang=en"));
            waiting(driver).until(d -> "en".equals(Browsers.js(d, "return document.documentElement.lang")));
            assertThat(driver.findElement(By.cssSelector("[data-i18n='admin.login.heading']")).getText())
                    .isEqualTo("Admin sign in");
            driver.get(app.server().http("/console"));
            waiting(driver).until(d -> "en".equals(Browsers.js(d, "return document.documentElement.lang")));
            assertThat(testid(driver, "login-submit").getText()).as("remembered without ?lang").isEqualTo("Sign in");
            driver.get(app.server().http("/admin/users?lang=ko"));
            waiting(driver).until(d -> "ko".equals(Browsers.js(d, "return document.documentElement.lang")));
            assertThat(driver.findElement(By.cssSelector(".brand[data-i18n='access.title']")).getText())
                    .isEqualTo("소담 관리자 · 사용자");
        } finally {
            driver.quit();
        }
    }
}
