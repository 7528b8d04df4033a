package dev.sodam.server.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Canned responses over HTTP with every role: shared ones (seeded; admins manage them) and each
 * agent's own (nobody else sees or deletes them); bad input changes nothing.
 */
class CannedApiTest {
    @TempDir
    static Path dataDir;
    static TestServer server;
    static String admin;
    static String kim;
    static String lee;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dataDir);
        server.createAgent("kim@sodam.test", "김상담", "kim-password-1");
        server.createAgent("lee@sodam.test", "이상담", "lee-password-1");
        admin = server.loginAdmin();
        kim = server.login("kim@sodam.test", "kim-password-1");
        lee = server.login("lee@sodam.test", "lee-password-1");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static JsonNode call(String method, String path, String body, String token, int status) throws Exception {
        HttpResponse<String> response = server.send(method, "/api/workspace/canned" + path, body, token);
        assertThat(response.statusCode()).as(method + " " + path + " " + body + " → " + response.body()).isEqualTo(status);
        return TestServer.json(response.body());
    }

    private static List<String> keys(String token) throws Exception {
        List<String> out = new ArrayList<>();
        call("GET", "", null, token, 200).get("canned")
                .forEach(c -> out.add(c.get("scope").asText() + ":" + c.get("shortcut").asText() + ":" + c.get("locale").asText()));
        return out;
    }

    @Test
    void sharedForEveryonePersonalForTheirOwner() throws Exception {
        assertThat(keys(kim)).contains("shared:배송:ko", "shared:shipping:en").hasSize(8);

        // Kim's own: the slash and case are normalised; the same shortcut and language replaces the text.
        JsonNode mine = call("POST", "", "{\"shortcut\":\"/Order\",\"locale\":\"en\",\"text\":\"Your order number?\"}", kim, 200);
        assertThat(mine.get("shortcut").asText()).isEqualTo("order");
        assertThat(mine.get("scope").asText()).isEqualTo("personal");
        JsonNode replaced = call("POST", "", "{\"shortcut\":\"order\",\"locale\":\"en\",\"text\":\"Order number, please?\"}", kim, 200);
        assertThat(replaced.get("id").asText()).isEqualTo(mine.get("id").asText());
        assertThat(keys(kim)).startsWith("personal:order:en").hasSize(9);
        assertThat(keys(lee)).doesNotContain("personal:order:en").hasSize(8);

        // Lee can neither see nor delete it; an agent cannot touch shared ones.
        call("DELETE", "/" + mine.get("id").asText(), null, lee, 404);
        String sharedId = call("GET", "", null, kim, 200).get("canned").get(1).get("id").asText();
        assertThat(call("DELETE", "/" + sharedId, null, kim, 403).get("code").asText()).isEqualTo("forbidden");
        call("POST", "", "{\"shortcut\":\"x\",\"locale\":\"ko\",\"text\":\"공용\",\"scope\":\"shared\"}", kim, 403);

        // The admin adds a shared one; everyone sees it; the admin deletes it again.
        JsonNode shared = call("POST", "", "{\"shortcut\":\"교환\",\"locale\":\"ko\",\"text\":\"교환은 수령 후 7일 안에 신청해 주세요.\",\"scope\":\"shared\"}", admin, 200);
        assertThat(keys(lee)).contains("shared:교환:ko");
        call("DELETE", "/" + shared.get("id").asText(), null, admin, 200);
        assertThat(keys(lee)).doesNotContain("shared:교환:ko");
        call("DELETE", "/" + shared.get("id").asText(), null, admin, 404);

        // Kim deletes their own.
        call("DELETE", "/" + mine.get("id").asText(), null, kim, 200);
        assertThat(keys(kim)).hasSize(8);

        // No token, a bad one: 401; bad input: 400 and nothing stored.
        call("GET", "", null, null, 401);
        call("POST", "", "{\"shortcut\":\"a\",\"locale\":\"ko\",\"text\":\"t\"}", "bogus", 401);
        for (String bad : List.of("[1]", "not json", "{\"shortcut\":\"\",\"locale\":\"ko\",\"text\":\"t\"}",
                "{\"shortcut\":\"두 단어\",\"locale\":\"ko\",\"text\":\"t\"}", "{\"shortcut\":\"a\",\"locale\":\"fr\",\"text\":\"t\"}",
                "{\"shortcut\":\"a\",\"locale\":\"ko\",\"text\":\"  \"}", "{\"shortcut\":\"a\",\"locale\":\"ko\"}",
                "{\"shortcut\":\"a\",\"locale\":\"ko\",\"text\":\"" + "가".repeat(4001) + "\"}",
                "{\"shortcut\":\"a\",\"locale\":\"ko\",\"text\":\"t\",\"scope\":\"team\"}")) {
            assertThat(call("POST", "", bad, kim, 400).get("code").asText()).isEqualTo("bad_request");
        }
        assertThat(keys(kim)).hasSize(8);
        call("PUT", "", "{}", kim, 405);
    }
}
