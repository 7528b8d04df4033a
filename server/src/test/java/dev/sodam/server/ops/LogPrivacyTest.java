package dev.sodam.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.AdminHttp;
import dev.sodam.server.testing.AdminHttp.Response;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WsTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Passwords, tokens and visitors' personal data never reach the log (issue 11): a real server runs
 * with every Sodam logger at DEBUG and every line it logs — message, arguments, MDC, exceptions with
 * their causes — is kept, while the test logs in right and wrong, sets passwords through invite and
 * reset links, creates an API key, chats with resident registration, phone and card numbers, identifies
 * a visitor and sends broken frames and bodies that carry secrets. None of those strings may appear.
 *
 * <p>The one deliberate exception is not exercised here: with no {@code SODAM_BOOTSTRAP_ADMIN}, the
 * first start prints the demo agent's generated one-time password once (README).
 */
class LogPrivacyTest {
    @TempDir
    Path dataDir;

    /** Keeps every event with everything a layout could print of it. */
    static final class Recorder extends AppenderBase<ILoggingEvent> {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        protected void append(ILoggingEvent event) {
            StringBuilder line = new StringBuilder(event.getLoggerName()).append(' ').append(event.getFormattedMessage())
                    .append(' ').append(event.getMDCPropertyMap());
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
                for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
                    line.append(' ').append(frame.getSTEAsString());
                }
            }
            lines.add(line.toString());
        }
    }

    @Test
    void passwordsTokensAndPersonalDataNeverReachTheLog() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger sodam = context.getLogger("dev.sodam");
        Level before = sodam.getLevel();
        Recorder recorder = new Recorder();
        recorder.setContext(context);
        recorder.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(recorder);
        sodam.setLevel(Level.DEBUG);
        List<String> secrets = new ArrayList<>(List.of(TestServer.ADMIN_PASSWORD));
        try (TestServer server = TestServer.start(dataDir)) {
            AdminHttp api = new AdminHttp(server);
            String admin = server.loginAdmin();
            secrets.add(admin);

            // Accounts: a password set by an admin, a wrong one, an invite and a reset link and what they set.
            Response created = api.call("POST", "/api/admin/users", Map.of("email", "privacy@log.test", "name", "개인정보 상담원",
                    "role", "agent", "password", "agent-secret-pw-71"), admin);
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            secrets.add("agent-secret-pw-71");
            String agentId = created.json().path("user").path("id").asText();
            assertThat(api.call("POST", "/api/auth/login", Map.of("email", "privacy@log.test",
                    "password", "wrong-secret-pw-93"), null).status()).isEqualTo(401);
            secrets.add("wrong-secret-pw-93");
            String agent = server.login("privacy@log.test", "agent-secret-pw-71");
            secrets.add(agent);
            Response invited = api.call("POST", "/api/admin/users", Map.of("email", "invitee@log.test", "name", "초대",
                    "role", "agent"), admin);
            String invite = invited.json().path("invite").path("token").asText();
            secrets.add(invite);
            assertThat(api.call("POST", "/api/account/password", Map.of("token", invite,
                    "password", "invite-secret-pw-52"), null).status()).isEqualTo(200);
            secrets.add("invite-secret-pw-52");
            Response reset = api.call("POST", "/api/admin/users/" + agentId + "/reset-password", null, admin);
            String resetLink = reset.json().path("token").asText();
            secrets.add(resetLink);
            Response set = api.call("POST", "/api/account/password", Map.of("token", resetLink,
                    "password", "reset-secret-pw-38"), null);
            assertThat(set.status()).as(set.body()).isEqualTo(200);
            secrets.add("reset-secret-pw-38");
            String agentAgain = server.login("privacy@log.test", "reset-secret-pw-38");
            secrets.add(agentAgain);
            Response key = api.call("POST", "/api/admin/api-keys", Map.of("site", "demo", "name", "log key",
                    "scopes", List.of("read")), admin);
            assertThat(key.status()).as(key.body()).isEqualTo(201);
            secrets.add(key.json().path("secret").asText());

            // Bodies that fail to parse or validate, carrying a password: the error is logged, not the body.
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> broken = http.send(HttpRequest.newBuilder(URI.create(server.http("/api/auth/login")))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"privacy@log.test\",\"password\":\"broken-body-pw-64\""))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(broken.statusCode()).isEqualTo(400);
            secrets.add("broken-body-pw-64");
            assertThat(api.call("POST", "/api/account/password", Map.of("token", "ot_forged-link-value-5521",
                    "password", "forged-link-pw-27"), null).status()).isEqualTo(401);
            secrets.addAll(List.of("ot_forged-link-value-5521", "forged-link-pw-27"));

            // A visitor's words, identity and numbers; an agent's reply; frames that are refused.
            try (WsTestClient visitor = WsTestClient.connect(server.visitorUri());
                 WsTestClient console = WsTestClient.connect(server.agentUri())) {
                JsonNode welcome = visitor.helloVisitor(null, null, 0);
                secrets.add(welcome.path("visitorToken").asText());
                String conversation = visitor.say("p-1", null, "제 주민번호는 900101-1234567 이고 전화는 010-1234-5678 이에요")
                        .path("conversationId").asText();
                visitor.say("p-2", conversation, "카드 4111 1111 1111 1111 로 결제했는데 상담원 연결해 주세요");
                visitor.send(Map.of("type", "identify", "name", "김비밀숨김", "email", "hidden.person@private.test",
                        "attributes", Map.of("address", "서울시 비밀구 숨김로 77")));
                visitor.send("{\"type\":\"send\",\"clientMsgId\":\"p-3\",\"text\":\"깨진 프레임 010-5555-7777\"");
                visitor.await("error");
                visitor.send(Map.of("type", "handoff", "conversationId", conversation));
                visitor.await("status", s -> "queued".equals(s.path("state").asText()));
                console.helloAgent(agentAgain);
                console.send(Map.of("type", "accept", "conversationId", conversation));
                visitor.await("status", s -> "assigned".equals(s.path("state").asText()));
                console.say("a-1", conversation, "고객님 주소 서울시 비밀구 숨김로 77 맞으시죠");
                visitor.await("message", m -> "a-1".equals(m.path("clientMsgId").asText()));
            }
            try (WsTestClient stranger = WsTestClient.connect(server.agentUri())) {
                stranger.send("{\"type\":\"hello\",\"role\":\"agent\",\"token\":\"at_stolen-token-value-8812\"}");
                stranger.await("error");
            }
            secrets.addAll(List.of("900101-1234567", "010-1234-5678", "4111 1111 1111 1111", "4111111111111111",
                    "김비밀숨김", "hidden.person@private.test", "비밀구", "010-5555-7777", "at_stolen-token-value-8812",
                    "주민번호", "카드"));
        } finally {
            sodam.setLevel(before);
            root.detachAppender(recorder);
        }

        List<String> lines = recorder.lines;
        assertThat(lines).as("the server logged while the test ran").isNotEmpty();
        assertThat(String.join("\n", lines)).as("the log saw the server start").contains("listening on");
        for (String secret : secrets) {
            assertThat(secret).isNotBlank();
            assertThat(lines).as("no log line contains %s", secret).noneMatch(line -> line.contains(secret));
        }
    }
}
