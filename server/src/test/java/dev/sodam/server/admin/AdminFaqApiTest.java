package dev.sodam.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.ServerExtension;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WsTestClient;
import dev.sodam.server.util.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin FAQ API against a real app.server(), a real SQLite file and the real bot: roles, validation
 * that writes nothing, version conflicts, history and restore, and the bot learning an edit at once.
 */
class AdminFaqApiTest {
    @RegisterExtension
    static final ServerExtension app = ServerExtension.started().withBot();
    static String admin;
    static String agent;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        app.server().createAgent("agent@sodam.test", "상담원 김", "agent-password-1");
        admin = app.server().loginAdmin();
        agent = app.server().login("agent@sodam.test", "agent-password-1");
    }

    record Response(int status, JsonNode json) {
        String code() {
            return json.path("code").asText();
        }
    }

    static Response call(String method, String path, Object body, String token) throws Exception {
        String text = body == null ? null : body instanceof String s ? s : Json.MAPPER.writeValueAsString(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.server().http(path)))
                .method(method, text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        return new Response(response.statusCode(), Json.MAPPER.readTree(response.body()));
    }

    static Map<String, Object> draft(String id, String question, String answer) {
        Map<String, Object> draft = new java.util.LinkedHashMap<>();
        if (id != null) {
            draft.put("id", id);
        }
        draft.put("locale", "ko");
        draft.put("question", question);
        draft.put("paraphrases", List.of(question + " 알려주세요"));
        draft.put("answer", answer);
        draft.put("tags", List.of("test"));
        draft.put("enabled", true);
        return draft;
    }

    static Map<String, Object> edit(JsonNode entry, String answer) {
        Map<String, Object> body = Json.MAPPER.convertValue(entry, new com.fasterxml.jackson.core.type.TypeReference<
                Map<String, Object>>() { });
        body.put("answer", answer);
        return body;
    }

    static long count(String sql) throws Exception {
        try (Connection db = TestServer.db(app.server().dataDir());
             Statement statement = db.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String ask(String text) throws Exception {
        Response answer = call("POST", "/api/bot/ask", Map.of("text", text, "locale", "ko"), admin);
        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
        return answer.json().path("answer").asText(null);
    }

    @Test
    void everyEndpointIsForAdminsOnly() throws Exception {
        JsonNode created = call("POST", "/api/admin/faq", draft("roles-probe", "권한 확인용 질문", "권한 확인용 답"), admin).json();
        long version = created.path("version").asLong();
        List<Object[]> endpoints = List.of(
                new Object[] {"GET", "/api/admin/faq?locale=ko", null},
                new Object[] {"GET", "/api/admin/faq/roles-probe", null},
                new Object[] {"POST", "/api/admin/faq", draft("roles-probe-2", "두 번째 질문", "두 번째 답")},
                new Object[] {"PUT", "/api/admin/faq/roles-probe", Map.of("locale", "ko", "question", "권한 확인용 질문",
                        "answer", "바뀐 답", "version", version)},
                new Object[] {"GET", "/api/admin/faq/roles-probe/history", null},
                new Object[] {"POST", "/api/admin/faq/roles-probe/restore", Map.of("version", version)},
                new Object[] {"POST", "/api/admin/faq/bulk", Map.of("ids", List.of("roles-probe"), "enabled", false)},
                new Object[] {"DELETE", "/api/admin/faq/roles-probe", null},
                new Object[] {"GET", "/api/admin/bot/status", null},
                new Object[] {"POST", "/api/admin/bot/rebuild", null});
        long entries = count("SELECT count(*) FROM faq_entries");
        long history = count("SELECT count(*) FROM faq_history");
        for (Object[] e : endpoints) {
            String what = e[0] + " " + e[1];
            Response none = call((String) e[0], (String) e[1], e[2], null);
            assertThat(none.status()).as(what + " without a token").isEqualTo(401);
            assertThat(none.code()).isEqualTo("unauthorized");
            Response bogus = call((String) e[0], (String) e[1], e[2], "at_not-a-token");
            assertThat(bogus.status()).as(what + " with an unknown token").isEqualTo(401);
            Response asAgent = call((String) e[0], (String) e[1], e[2], agent);
            assertThat(asAgent.status()).as(what + " as an agent").isEqualTo(403);
            assertThat(asAgent.code()).isEqualTo("forbidden");
            assertThat(asAgent.json().path("message").asText()).contains("admin");
        }
        assertThat(count("SELECT count(*) FROM faq_entries")).as("refused calls write nothing").isEqualTo(entries);
        assertThat(count("SELECT count(*) FROM faq_history")).isEqualTo(history);

        // The same calls as admin, in order.
        int[] expected = {200, 200, 201, 200, 200, 200, 200, 200, 200, 202};
        for (int i = 0; i < endpoints.size(); i++) {
            Object[] e = endpoints.get(i);
            Response ok = call((String) e[0], (String) e[1], e[2], admin);
            assertThat(ok.status()).as(e[0] + " " + e[1] + " as admin: " + ok.json()).isEqualTo(expected[i]);
        }
        assertThat(call("GET", "/api/admin/faq/roles-probe", null, admin).status()).isEqualTo(404);
        assertThat(call("GET", "/api/admin/nothing-here", null, admin).status()).isEqualTo(404);
        assertThat(call("PATCH", "/api/admin/faq/roles-probe-2", "{}", admin).status()).isEqualTo(405);
    }

    @Test
    void listSearchesAndFiltersByLocaleTagTextAndEnabled() throws Exception {
        JsonNode ko = call("GET", "/api/admin/faq?locale=ko", null, admin).json();
        assertThat(ko.path("total").asInt()).isGreaterThanOrEqualTo(46);
        ko.path("entries").forEach(e -> assertThat(e.path("locale").asText()).isEqualTo("ko"));
        JsonNode delivery = call("GET", "/api/admin/faq?locale=en&tag=delivery", null, admin).json();
        assertThat(delivery.path("total").asInt()).isPositive();
        delivery.path("entries").forEach(e -> assertThat(e.path("tags").toString()).contains("\"delivery\""));
        JsonNode text = call("GET", "/api/admin/faq?q=%EC%86%A1%EC%9E%A5", null, admin).json(); // 송장
        assertThat(text.path("entries").findValuesAsText("id")).contains("ko-delivery-tracking");
        JsonNode first = text.path("entries").get(0);
        assertThat(first.path("version").asLong()).isEqualTo(1);
        assertThat(first.path("enabled").asBoolean()).isTrue();
        assertThat(call("GET", "/api/admin/faq?enabled=false&locale=en", null, admin).json().path("total").asInt())
                .isZero();
        Response badLocale = call("GET", "/api/admin/faq?locale=jp", null, admin);
        assertThat(badLocale.status()).isEqualTo(400);
        assertThat(badLocale.json().path("message").asText()).contains("locale");
        assertThat(call("GET", "/api/admin/faq?enabled=maybe", null, admin).status()).isEqualTo(400);
    }

    @Test
    void badInputGetsAClear400AndWritesNothing() throws Exception {
        JsonNode existing = call("POST", "/api/admin/faq", draft("bad-input-base", "잘못된 입력 기준", "원래 답"), admin).json();
        long entries = count("SELECT count(*) FROM faq_entries");
        long history = count("SELECT count(*) FROM faq_history");
        Map<String, Object> blankQuestion = draft(null, " ", "답");
        Map<String, Object> blankAnswer = draft(null, "질문", "\n\t ");
        Map<String, Object> unknownLocale = draft(null, "질문", "답");
        unknownLocale.put("locale", "jp");
        Map<String, Object> longAnswer = draft(null, "질문", "가".repeat(2_001));
        Map<String, Object> longQuestion = draft(null, "가".repeat(201), "답");
        Map<String, Object> badId = draft("Not An Id!", "질문", "답");
        Map<String, Object> badTags = draft(null, "질문", "답");
        badTags.put("tags", "delivery");
        Map<String, Object> badParaphrase = draft(null, "질문", "답");
        badParaphrase.put("paraphrases", List.of("하나", 2));
        Map<String, Object> badEnabled = draft(null, "질문", "답");
        badEnabled.put("enabled", "yes");
        Object[][] cases = {
                {blankQuestion, "question"}, {blankAnswer, "answer"}, {unknownLocale, "locale"},
                {longAnswer, "too long"}, {longQuestion, "too long"}, {badId, "id"}, {badTags, "tags"},
                {badParaphrase, "paraphrases"}, {badEnabled, "enabled"}, {"not json", "JSON"}, {"[1,2]", "JSON"},
        };
        for (Object[] c : cases) {
            Response response = call("POST", "/api/admin/faq", c[0], admin);
            assertThat(response.status()).as(c[1] + ": " + response.json()).isEqualTo(400);
            assertThat(response.code()).isEqualTo("bad_request");
            assertThat(response.json().path("message").asText()).contains((String) c[1]);
        }
        Response duplicate = call("POST", "/api/admin/faq", draft("bad-input-base", "같은 아이디", "답"), admin);
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.json().path("message").asText()).contains("bad-input-base", "already exists");

        Map<String, Object> noVersion = edit(existing, "새 답");
        noVersion.remove("version");
        Map<String, Object> blankEdit = edit(existing, "");
        Map<String, Object> otherId = edit(existing, "새 답");
        otherId.put("id", "someone-else");
        for (Map<String, Object> body : List.of(noVersion, blankEdit, otherId)) {
            Response response = call("PUT", "/api/admin/faq/bad-input-base", body, admin);
            assertThat(response.status()).as(response.json().toString()).isEqualTo(400);
        }
        assertThat(call("POST", "/api/admin/faq/bad-input-base/restore", Map.of("version", "one"), admin).status())
                .isEqualTo(400);
        assertThat(call("POST", "/api/admin/faq/bulk", Map.of("ids", List.of(), "enabled", true), admin).status())
                .isEqualTo(400);
        assertThat(call("POST", "/api/admin/faq/bulk", Map.of("ids", List.of("bad-input-base")), admin).status())
                .isEqualTo(400);

        assertThat(count("SELECT count(*) FROM faq_entries")).as("nothing half-written").isEqualTo(entries);
        assertThat(count("SELECT count(*) FROM faq_history")).isEqualTo(history);
        JsonNode after = call("GET", "/api/admin/faq/bad-input-base", null, admin).json();
        assertThat(after.path("answer").asText()).isEqualTo("원래 답");
        assertThat(after.path("version").asLong()).isEqualTo(existing.path("version").asLong());
    }

    /**
     * Regression (QA repro 12): a version beyond a long's range was read wrapped (99999999999999999999 as
     * 7766279631452241919) and answered 409 "changed since version 7766279631452241919".
     */
    @Test
    void aVersionBeyondTheRangeOfAWholeNumberIsA400NamingTheField() throws Exception {
        JsonNode existing = call("POST", "/api/admin/faq", draft("huge-version", "아주 큰 버전", "원래 답"), admin).json();
        String huge = "99999999999999999999";
        String edit = "{\"locale\":\"ko\",\"question\":\"q\",\"answer\":\"x\",\"version\":" + huge + "}";
        for (String[] c : new String[][] {{"PUT", "/api/admin/faq/huge-version", edit},
                {"POST", "/api/admin/faq/huge-version/restore", "{\"version\":" + huge + "}"},
                {"PUT", "/api/admin/faq/huge-version", edit.replace(huge, "-" + huge)}}) {
            Response response = call(c[0], c[1], c[2], admin);
            assertThat(response.status()).as(c[0] + " " + c[2] + ": " + response.json()).isEqualTo(400);
            assertThat(response.code()).isEqualTo("bad_request");
            assertThat(response.json().path("message").asText()).contains("'version'").doesNotContain("7766279631452241919");
        }
        JsonNode after = call("GET", "/api/admin/faq/huge-version", null, admin).json();
        assertThat(after.path("version").asLong()).isEqualTo(existing.path("version").asLong());
    }

    /**
     * Regression (QA repro 13): the FAQ limits counted UTF-16 units, so 1,001 emoji were refused as "2002
     * characters; at most 2000" while a chat message's limit counts each emoji once.
     */
    @Test
    void theLengthLimitsCountCharactersSoAnEmojiCountsOnce() throws Exception {
        String emoji = "😀";
        Map<String, Object> atTheLimits = draft(null, emoji.repeat(200), emoji.repeat(2_000));
        atTheLimits.put("paraphrases", List.of()); // the helper's paraphrase is the question and more
        Response fits = call("POST", "/api/admin/faq", atTheLimits, admin);
        assertThat(fits.status()).as(fits.json().toString()).isEqualTo(201);
        Map<String, Object> withParaphrase = draft(null, "이모지 바꿔 말하기", "답");
        withParaphrase.put("paraphrases", List.of(emoji.repeat(200)));
        assertThat(call("POST", "/api/admin/faq", withParaphrase, admin).status()).isEqualTo(201);

        Response answer = call("POST", "/api/admin/faq", draft(null, "이모지 답", emoji.repeat(2_001)), admin);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("message").asText()).contains("'answer'", "(2001 characters; at most 2000)");
        Response question = call("POST", "/api/admin/faq", draft(null, emoji.repeat(201), "답"), admin);
        assertThat(question.json().path("message").asText()).contains("'question'", "(201 characters; at most 200)");
        withParaphrase.put("paraphrases", List.of(emoji.repeat(201)));
        Response paraphrase = call("POST", "/api/admin/faq", withParaphrase, admin);
        assertThat(paraphrase.status()).isEqualTo(400);
        assertThat(paraphrase.json().path("message").asText())
                .as("abbreviated without cutting an emoji in half").contains(emoji.repeat(40) + "…", "(201 characters");
    }

    @Test
    void aStaleEditGets409AndChangesNothing() throws Exception {
        JsonNode v1 = call("POST", "/api/admin/faq", draft(null, "동시 편집 질문", "처음 답"), admin).json();
        String id = v1.path("id").asText();
        assertThat(id).startsWith("ko-");
        Response first = call("PUT", "/api/admin/faq/" + id, edit(v1, "첫 번째 편집"), admin);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().path("version").asLong()).isEqualTo(v1.path("version").asLong() + 1);
        assertThat(first.json().path("updatedBy").path("name").asText()).isEqualTo("admin");

        Response second = call("PUT", "/api/admin/faq/" + id, edit(v1, "두 번째 편집 (낡은 버전)"), admin);
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.code()).isEqualTo("conflict");
        assertThat(second.json().path("message").asText()).contains("version");
        Response staleDelete = call("DELETE", "/api/admin/faq/" + id + "?version=" + v1.path("version").asLong(), null,
                admin);
        assertThat(staleDelete.status()).isEqualTo(409);
        JsonNode now = call("GET", "/api/admin/faq/" + id, null, admin).json();
        assertThat(now.path("answer").asText()).isEqualTo("첫 번째 편집");
        assertThat(now.path("version").asLong()).isEqualTo(first.json().path("version").asLong());
        Map<String, Object> elsewhere = edit(v1, "답");
        elsewhere.remove("id");
        assertThat(call("PUT", "/api/admin/faq/no-such-entry", elsewhere, admin).status()).isEqualTo(404);
    }

    @Test
    void historyRecordsEveryChangeAndRestoreBringsAVersionBack() throws Exception {
        JsonNode seed = call("GET", "/api/admin/faq/ko-gift-wrapping", null, admin).json();
        String original = seed.path("answer").asText();
        JsonNode edited = call("PUT", "/api/admin/faq/ko-gift-wrapping", edit(seed, "선물 포장은 잠시 중단했어요."), admin).json();
        call("POST", "/api/admin/faq/bulk", Map.of("ids", List.of("ko-gift-wrapping"), "enabled", false), admin);

        JsonNode history = call("GET", "/api/admin/faq/ko-gift-wrapping/history", null, admin).json();
        JsonNode versions = history.path("versions");
        assertThat(versions.findValuesAsText("action")).containsExactly("disable", "update", "seed");
        assertThat(versions.get(1).path("by").path("name").asText()).isEqualTo("admin");
        assertThat(versions.get(1).path("at").asText()).isNotBlank();
        assertThat(versions.get(2).path("entry").path("answer").asText()).isEqualTo(original);

        Response restored = call("POST", "/api/admin/faq/ko-gift-wrapping/restore", Map.of("version", 1), admin);
        assertThat(restored.status()).isEqualTo(200);
        assertThat(restored.json().path("answer").asText()).isEqualTo(original);
        assertThat(restored.json().path("enabled").asBoolean()).isTrue();
        assertThat(restored.json().path("version").asLong()).isEqualTo(edited.path("version").asLong() + 2);

        // Deleted entries keep their history and can come back.
        Response deleted = call("DELETE", "/api/admin/faq/ko-gift-wrapping", null, admin);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(call("GET", "/api/admin/faq/ko-gift-wrapping", null, admin).status()).isEqualTo(404);
        JsonNode afterDelete = call("GET", "/api/admin/faq/ko-gift-wrapping/history", null, admin).json();
        assertThat(afterDelete.path("versions").get(0).path("action").asText()).isEqualTo("delete");
        Response back = call("POST", "/api/admin/faq/ko-gift-wrapping/restore",
                Map.of("version", restored.json().path("version").asLong()), admin);
        assertThat(back.status()).isEqualTo(200);
        assertThat(call("GET", "/api/admin/faq/ko-gift-wrapping", null, admin).json().path("answer").asText())
                .isEqualTo(original);
        assertThat(call("POST", "/api/admin/faq/ko-gift-wrapping/restore", Map.of("version", 99), admin).status())
                .isEqualTo(404);
        assertThat(call("GET", "/api/admin/faq/never-existed/history", null, admin).status()).isEqualTo(404);
    }

    @Test
    void bulkChangesAllOrNothingAndTheBotStopsUsingDisabledEntries() throws Exception {
        Response missing = call("POST", "/api/admin/faq/bulk",
                Map.of("ids", List.of("ko-cash-receipt", "no-such-entry"), "enabled", false), admin);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("message").asText()).contains("no-such-entry");
        assertThat(call("GET", "/api/admin/faq/ko-cash-receipt", null, admin).json().path("enabled").asBoolean())
                .as("nothing changed").isTrue();

        Response bulk = call("POST", "/api/admin/faq/bulk",
                Map.of("ids", List.of("ko-cash-receipt", "ko-tax-invoice"), "enabled", false), admin);
        assertThat(bulk.status()).isEqualTo(200);
        assertThat(bulk.json().path("updated").asInt()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode d = call("POST", "/api/bot/ask", Map.of("text", "현금영수증 발급되나요?", "locale", "ko"), admin).json();
            return !"ko-cash-receipt".equals(d.path("faqId").asText(null))
                    && d.path("candidates").findValuesAsText("faqId").stream().noneMatch("ko-cash-receipt"::equals);
        });
        call("POST", "/api/admin/faq/bulk", Map.of("ids", List.of("ko-cash-receipt", "ko-tax-invoice"), "enabled", true),
                admin);
        await().atMost(Duration.ofSeconds(60)).until(() -> "ko-cash-receipt".equals(
                call("POST", "/api/bot/ask", Map.of("text", "현금영수증 발급되나요?", "locale", "ko"), admin)
                        .json().path("faqId").asText(null)));
    }

    @Test
    void anEditedAnswerIsWhatTheBotSaysOnceRetrainedAndNoAskFailsMeanwhile() throws Exception {
        // Start from a quiet bot: no rebuild left over from another test in flight.
        await().atMost(Duration.ofSeconds(20)).until(() -> "ready".equals(
                call("GET", "/api/admin/bot/status", null, admin).json().path("state").asText()));
        JsonNode entry = call("GET", "/api/admin/faq/ko-delivery-time", null, admin).json();
        assertThat(ask("배송 언제 와요?")).isEqualTo(entry.path("answer").asText());
        String fresh = "이번 주는 물류센터 점검으로 출고가 하루 늦어요. 보통 결제 후 2~4 영업일이면 받아보실 수 있어요.";

        AtomicBoolean asking = new AtomicBoolean(true);
        AtomicInteger asked = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        Thread loop = new Thread(() -> {
            while (asking.get()) {
                try {
                    Response r = call("POST", "/api/bot/ask", Map.of("text", "택배 며칠 걸려요?", "locale", "ko"), admin);
                    if (r.status() != 200 || !r.json().path("decision").isTextual()) {
                        failures.add(r.status() + " " + r.json());
                    }
                    asked.incrementAndGet();
                } catch (Exception e) {
                    failures.add(e.toString());
                }
            }
        }, "ask-loop");
        loop.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> asked.get() > 3);
            long editedAt = System.nanoTime();
            Response put = call("PUT", "/api/admin/faq/ko-delivery-time", edit(entry, fresh), admin);
            assertThat(put.status()).isEqualTo(200);
            // The target (the new answer within two seconds) is a speed figure, so it is measured and
            // reported, not asserted: on a loaded CI machine retraining takes longer, and that is no bug.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> fresh.equals(ask("배송 언제 와요?")));
            long millis = (System.nanoTime() - editedAt) / 1_000_000;
            int before = asked.get();
            await().atMost(Duration.ofSeconds(10)).until(() -> asked.get() > before + 3);
            String figure = "edit-then-ask: new answer after " + millis + " ms (target 2000 ms); "
                    + asked.get() + " asks meanwhile";
            System.out.println(figure);
            java.nio.file.Files.createDirectories(Path.of("target-metrics"));
            java.nio.file.Files.writeString(Path.of("target-metrics", "edit-to-answer.txt"), figure + "\n");
        } finally {
            asking.set(false);
            loop.join();
        }
        assertThat(failures).as("no ask failed during the rebuild").isEmpty();
        JsonNode status = call("GET", "/api/admin/bot/status", null, admin).json();
        assertThat(status.path("version").asLong()).isGreaterThan(1);
        assertThat(status.path("entries").asInt()).isGreaterThanOrEqualTo(92);
        assertThat(status.path("trainedAt").asText()).isNotBlank();
        assertThat(status.path("state").asText()).isIn("ready", "rebuilding");
    }

    @Test
    void aVisitorInAConversationGetsTheEditedAnswer() throws Exception {
        JsonNode entry = call("GET", "/api/admin/faq/ko-delivery-fee", null, admin).json();
        String fresh = "이번 달은 모든 주문 배송비가 무료예요 (제주·도서산간 포함).";
        assertThat(call("PUT", "/api/admin/faq/ko-delivery-fee", edit(entry, fresh), admin).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> fresh.equals(ask("배송비 얼마에요?")));

        try (WsTestClient visitor = WsTestClient.connect(app.server().visitorUri())) {
            visitor.helloVisitor(null, null, 0);
            String conversationId = visitor.say("c-fee", null, "배송비 얼마에요?").path("conversationId").asText();
            JsonNode reply = visitor.await("message", m -> "bot".equals(m.path("from").path("kind").asText())
                    && conversationId.equals(m.path("conversationId").asText()));
            assertThat(reply.path("text").asText()).isEqualTo(fresh);
        }
        List<String> seen = new ArrayList<>();
        call("GET", "/api/admin/faq?q=%EB%AC%B4%EB%A3%8C", null, admin).json().path("entries") // 무료
                .forEach(e -> seen.add(e.path("id").asText()));
        assertThat(seen).contains("ko-delivery-fee");
    }
}
