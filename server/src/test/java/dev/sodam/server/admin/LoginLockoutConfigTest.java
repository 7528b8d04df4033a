package dev.sodam.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.server.testing.AdminHttp;
import dev.sodam.server.testing.MutableClock;
import dev.sodam.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lockout thresholds from the environment reach the real login endpoint: with two failures and
 * a three-minute lock configured, the third try is refused even with the right password, and the
 * account may log in again once the (injected) clock has moved past the lock.
 */
class LoginLockoutConfigTest {
    @TempDir
    Path dataDir;

    @Test
    void configuredThresholdsLockAndUnlockAnAccount() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-23T09:00:00Z"));
        try (TestServer server = TestServer.start(dataDir, Map.of("SODAM_LOGIN_ACCOUNT_FAILURES", "2",
                "SODAM_LOGIN_LOCKOUT_MINUTES", "3", "SODAM_LOGIN_ADDRESS_FAILURES", "100"), clock)) {
            AdminHttp http = new AdminHttp(server);
            Map<String, String> wrong = Map.of("email", TestServer.ADMIN_EMAIL, "password", "wrong-password-1");
            Map<String, String> right = Map.of("email", TestServer.ADMIN_EMAIL, "password", TestServer.ADMIN_PASSWORD);
            assertThat(http.call("POST", "/api/auth/login", wrong, null).status()).isEqualTo(401);
            assertThat(http.call("POST", "/api/auth/login", wrong, null).status()).isEqualTo(401);
            AdminHttp.Response locked = http.call("POST", "/api/auth/login", right, null);
            assertThat(locked.status()).isEqualTo(429);
            assertThat(locked.code()).isEqualTo("rate_limited");
            assertThat(locked.json().path("message").asText()).contains("try again in 180 s");

            clock.advance(Duration.ofMinutes(3).plusSeconds(1));
            assertThat(http.call("POST", "/api/auth/login", right, null).status()).isEqualTo(200);
        }
    }
}
