package dev.sodam.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WsTestClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public API and its keys on a real server: who may create and revoke keys, scopes, another
 * site's data answered as missing, a posted message going through the chat like any other,
 * cursor pages, and bad input answered with 4xx JSON.
 */
class PublicApiTest {
    @TempDir
    static Path dataDir;
    static TestServer server;
    static String admin;
    static String agent;
    static String reader;
    static String writer;
    static String otherSite;
    static String otherAdmin;
    static final List<String> conversations = new ArrayList<>();
    static final List<WsTestClient> visitors = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dataDir);
        server.createAgent("agent@sodam.test", "상담원 김", "agent-password-1");
        server.createSite("other");
        admin = server.loginAdmin();
        agent = server.login("agent@sodam.test", "agent-password-1");
        reader = server.createApiKey(admin, "demo", "[\"read\"]", null);
        writer = server.createApiKey(admin, "demo", "[\"read\",\"write\"]", null);
        otherSite = server.createApiKey(admin, "other", "[\"read\",\"write\"]", null);
        HttpResponse<String> user = server.send("POST", "/api/admin/users", "{\"email\":\"admin@other.test\","
                + "\"name\":\"다른 가게 관리자\",\"role\":\"admin\",\"siteId\":\"other\",\"password\":\"other-password-1\"}", admin);
        assertThat(user.statusCode()).as(user.body()).isEqualTo(201);
        otherAdmin = server.login("admin@other.test", "other-password-1");
        for (int i = 0; i < 3; i++) {
            WsTestClient visitor = WsTestClient.connect(server.visitorUri());
            visitor.helloVisitor(null, null, 0);
            conversations.add(visitor.say("v" + i, null, "안녕하세요 " + i).get("conversationId").asText());
            visitors.add(visitor);
        }
    }

    @AfterAll
    static void stop() {
        visitors.forEach(WsTestClient::close);
        if (server != null) {
            server.close();
        }
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("application/json");
        return TestServer.json(response.body());
    }

    static void assertError(HttpResponse<String> response, int status, String code) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(json(response).get("code").asText()).isEqualTo(code);
        assertThat(json(response).get("message").asText()).isNotBlank();
    }

    @Test
    void onlyAdminsManageKeysAndTheSecretIsShownOnceAndStoredHashed() throws Exception {
        String body = "{\"name\":\"crm\",\"scopes\":[\"read\"]}";
        assertError(server.send("POST", "/api/admin/api-keys", body, null), 401, "unauthorized");
        assertError(server.send("POST", "/api/admin/api-keys", body, agent), 403, "forbidden");
        assertError(server.send("GET", "/api/admin/api-keys", null, agent), 403, "forbidden");
        assertError(server.send("GET", "/api/admin/api-keys", null, reader), 401, "unauthorized");
        HttpResponse<String> created = server.send("POST", "/api/admin/api-keys", body, admin);
        assertThat(created.statusCode()).isEqualTo(201);
        String secret = json(created).get("secret").asText();
        String id = json(created).at("/key/id").asText();
        assertThat(secret).startsWith(id + ".");
        HttpResponse<String> listed = server.send("GET", "/api/admin/api-keys?site=demo", null, admin);
        assertThat(listed.body()).contains(id).doesNotContain(secret.substring(id.length() + 1));
        assertThat(TestServer.storedText(dataDir))
                .doesNotContain(secret.substring(id.length() + 1));
        assertThat(server.send("GET", "/api/v1/teams", null, secret).statusCode()).isEqualTo(200);
        assertError(server.send("DELETE", "/api/admin/api-keys/" + id, null, agent), 403, "forbidden");
        assertThat(server.send("DELETE", "/api/admin/api-keys/" + id, null, admin).statusCode()).isEqualTo(200);
        assertError(server.send("GET", "/api/v1/teams", null, secret), 401, "unauthorized");
        assertError(server.send("DELETE", "/api/admin/api-keys/" + id, null, admin), 404, "not_found");
        assertError(server.send("POST", "/api/admin/api-keys", "{\"name\":\"x\",\"scopes\":[\"admin\"]}", admin),
                400, "bad_request");
        assertError(server.send("POST", "/api/admin/api-keys", "{\"site\":\"nope\",\"name\":\"x\",\"scopes\":[\"read\"]}",
                admin), 404, "not_found");
    }

    @Test
    void anotherSitesAdminNeitherSeesNorTouchesThisSitesKeysAndWebhooks() throws Exception {
        assertError(server.send("GET", "/api/admin/api-keys?site=demo", null, otherAdmin), 403, "forbidden");
        assertError(server.send("POST", "/api/admin/api-keys", "{\"site\":\"demo\",\"name\":\"x\",\"scopes\":[\"read\"]}",
                otherAdmin), 403, "forbidden");
        assertError(server.send("GET", "/api/admin/webhooks?site=demo", null, otherAdmin), 403, "forbidden");
        JsonNode own = json(server.send("GET", "/api/admin/api-keys", null, otherAdmin));
        own.get("items").forEach(k -> assertThat(k.get("siteId").asText()).isEqualTo("other"));
        String demoKeyId = reader.substring(0, reader.indexOf('.'));
        assertError(server.send("DELETE", "/api/admin/api-keys/" + demoKeyId, null, otherAdmin), 404, "not_found");
        assertThat(server.send("GET", "/api/v1/teams", null, reader).statusCode()).isEqualTo(200);
        assertThat(json(server.send("GET", "/api/v1/agents", null, reader)).get("items").findValuesAsText("name"))
                .contains("상담원 김").doesNotContain("다른 가게 관리자");
        assertThat(json(server.send("GET", "/api/v1/agents", null, otherSite)).get("items").findValuesAsText("name"))
                .contains("다른 가게 관리자");
    }

    @Test
    void keysAreNeededAndScopesHold() throws Exception {
        assertError(server.send("GET", "/api/v1/conversations", null, null), 401, "unauthorized");
        assertError(server.send("GET", "/api/v1/conversations", null, "ak_nope.secret"), 401, "unauthorized");
        assertError(server.send("GET", "/api/v1/conversations", null, agent), 401, "unauthorized");
        String id = conversations.get(0);
        assertError(server.send("POST", "/api/v1/conversations/" + id + "/messages", "{\"text\":\"hi\"}", reader),
                403, "forbidden");
        assertThat(server.send("GET", "/api/v1/conversations/" + id, null, reader).statusCode()).isEqualTo(200);
    }

    @Test
    void anotherSitesKeySeesNothingOfThisSite() throws Exception {
        String id = conversations.get(1);
        assertError(server.send("GET", "/api/v1/conversations/" + id, null, otherSite), 404, "not_found");
        assertError(server.send("GET", "/api/v1/conversations/" + id + "/messages", null, otherSite), 404, "not_found");
        assertError(server.send("POST", "/api/v1/conversations/" + id + "/messages", "{\"text\":\"x\"}", otherSite),
                404, "not_found");
        assertThat(json(server.send("GET", "/api/v1/conversations", null, otherSite)).get("items")).isEmpty();
        assertThat(json(server.send("GET", "/api/v1/visitors", null, otherSite)).get("items")).isEmpty();
        String visitorId = json(server.send("GET", "/api/v1/conversations/" + id, null, reader)).at("/visitor/id").asText();
        assertError(server.send("GET", "/api/v1/visitors/" + visitorId, null, otherSite), 404, "not_found");
        assertThat(server.send("GET", "/api/v1/visitors/" + visitorId, null, reader).statusCode()).isEqualTo(200);
    }

    @Test
    void aPostedMessageTakesTheNextSeqReachesTheVisitorAndIsNotRepeated() throws Exception {
        String id = conversations.get(2);
        WsTestClient visitor = visitors.get(2);
        String body = "{\"text\":\"주문하신 상품이 발송되었어요.\",\"clientMsgId\":\"order-42\",\"authorName\":\"주문 알림\"}";
        HttpResponse<String> posted = server.send("POST", "/api/v1/conversations/" + id + "/messages", body, writer);
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);
        JsonNode message = json(posted);
        assertThat(message.at("/from/name").asText()).isEqualTo("주문 알림");
        JsonNode delivered = visitor.await("message", f -> f.path("messageId").asText().equals(message.get("id").asText()));
        assertThat(delivered.get("seq").asLong()).isEqualTo(message.get("seq").asLong());
        HttpResponse<String> again = server.send("POST", "/api/v1/conversations/" + id + "/messages", body, writer);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).get("id").asText()).isEqualTo(message.get("id").asText());
        JsonNode all = json(server.send("GET", "/api/v1/conversations/" + id + "/messages", null, reader)).get("items");
        List<Long> seqs = new ArrayList<>();
        all.forEach(m -> seqs.add(m.get("seq").asLong()));
        for (int i = 0; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).isEqualTo(i + 1L);
        }
        assertThat(all.findValuesAsText("clientMsgId")).containsOnlyOnce("order-42");
    }

    @Test
    void pagesFollowTheCursorWithoutOverlap() throws Exception {
        JsonNode first = json(server.send("GET", "/api/v1/conversations?limit=2", null, reader));
        assertThat(first.get("items")).hasSize(2);
        String cursor = first.get("nextCursor").asText();
        JsonNode second = json(server.send("GET", "/api/v1/conversations?limit=2&cursor=" + cursor, null, reader));
        Set<String> seen = new HashSet<>();
        first.get("items").forEach(c -> seen.add(c.get("id").asText()));
        second.get("items").forEach(c -> assertThat(seen.add(c.get("id").asText())).isTrue());
        assertThat(seen).containsAll(conversations);
        assertThat(second.get("nextCursor").isNull()).isTrue();
        JsonNode bots = json(server.send("GET", "/api/v1/conversations?state=bot&channel=web", null, reader));
        bots.get("items").forEach(c -> assertThat(c.get("state").asText()).isEqualTo("bot"));
        JsonNode summary = json(server.send("GET", "/api/v1/reports/summary", null, reader));
        assertThat(summary.at("/counts/conversationsStarted").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(summary.at("/counts/messagesFromVisitor").asLong()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void badInputIsAnswered4xxJson() throws Exception {
        String id = conversations.get(0);
        assertError(server.send("GET", "/api/v1/conversations?limit=0", null, reader), 400, "bad_request");
        assertError(server.send("GET", "/api/v1/conversations?limit=abc", null, reader), 400, "bad_request");
        assertError(server.send("GET", "/api/v1/conversations?cursor=abc", null, reader), 400, "bad_request");
        assertError(server.send("GET", "/api/v1/conversations?state=open", null, reader), 400, "bad_request");
        assertError(server.send("GET", "/api/v1/conversations/" + id + "/messages?after=-1", null, reader), 400,
                "bad_request");
        assertError(server.send("GET", "/api/v1/reports/summary?from=yesterday", null, reader), 400, "bad_request");
        assertError(server.send("POST", "/api/v1/conversations/" + id + "/messages", "not json", writer), 400,
                "bad_request");
        assertError(server.send("POST", "/api/v1/conversations/" + id + "/messages", "{\"text\":7}", writer), 400,
                "bad_request");
        assertError(server.send("POST", "/api/v1/conversations/" + id + "/messages", "{\"text\":\" \"}", writer), 400,
                "bad_request");
        assertError(server.send("POST", "/api/v1/conversations/" + id + "/messages",
                "{\"text\":\"" + "가".repeat(4001) + "\"}", writer), 413, "too_large");
        assertError(server.send("GET", "/api/v1/nothing", null, reader), 404, "not_found");
        assertError(server.send("DELETE", "/api/v1/conversations", null, reader), 405, "bad_request");
        assertError(server.send("GET", "/api/v1/conversations/cv_missing", null, reader), 404, "not_found");
    }
}
