package dev.sodam.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.util.Json;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FAQ import and export against a real server, a real SQLite file and the real bot: files as Excel
 * on a Korean Windows writes them (CP949, CRLF, quoted cells with newlines), UTF-8 with a BOM,
 * JSON, broken files that must store nothing, dry runs, stale versions, and one retraining per import.
 */
class FaqImportApiTest {
    @TempDir
    static Path dataDir;
    static TestServer server;
    static String admin;
    static String agent;
    static final HttpClient http = HttpClient.newHttpClient();
    static final Charset CP949 = Charset.forName("x-windows-949");

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dataDir);
        server.createAgent("agent@sodam.test", "상담원 김", "agent-password-1");
        admin = server.loginAdmin();
        agent = server.login("agent@sodam.test", "agent-password-1");
        server.awaitBot();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    record Response(int status, JsonNode json, String contentType, byte[] raw) {
    }

    static Response send(String method, String path, byte[] body, String contentType, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.http(path)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        String type = response.headers().firstValue("content-type").orElse("");
        JsonNode json = type.startsWith("application/json") ? Json.MAPPER.readTree(response.body()) : null;
        return new Response(response.statusCode(), json, type, response.body());
    }

    static Response importFile(byte[] file, String contentType, boolean dryRun) throws Exception {
        return send("POST", "/api/admin/faq/import" + (dryRun ? "?dryRun=true" : ""), file, contentType, admin);
    }

    static long count(String sql) throws Exception {
        try (Connection db = TestServer.db(server.dataDir());
             Statement statement = db.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static JsonNode botStatus() throws Exception {
        return send("GET", "/api/admin/bot/status", null, null, admin).json();
    }

    /**
     * Waits until no rebuild runs or is queued, and returns the bot's version then. A ceiling, not a
     * pause: on a loaded machine a rebuild with its validation can take 15 s, and one may be queued.
     */
    static long settledBotVersion() {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            last[0] = botStatus();
            return last[0].path("state").asText().equals("ready") && !last[0].path("queued").asBoolean();
        });
        return last[0].path("version").asLong();
    }

    static String ask(String text) throws Exception {
        Response answer = send("POST", "/api/bot/ask",
                Json.MAPPER.writeValueAsBytes(Map.of("text", text, "locale", "ko")), "application/json", admin);
        return answer.json().path("answer").asText(null);
    }

    static List<String> errorLines(JsonNode report) {
        List<String> out = new ArrayList<>();
        report.path("errors").forEach(e -> out.add(e.path("line").asInt() + ":" + e.path("field").asText("")));
        return out;
    }

    @Test
    void anExcelCsvFromAKoreanWindowsImportsAndTheBotRetrainsOnce() throws Exception {
        // What Excel writes for "CSV (쉼표로 분리)" on a Korean Windows: CP949, CRLF, Korean headers,
        // a cell with line breaks (paraphrases) and one with commas and quotes (answer), both quoted.
        String csv = "질문,다르게 묻는 말,답변,태그,언어,사용\r\n"
                + "캠핑 의자도 파나요?,\"캠핑 의자 있어요?\r\n접이식 의자 판매하나요?\r\n캠핑용품 의자 사고 싶어요\","
                + "\"네, 캠핑관에서 \"\"접이식 의자\"\"를 팔아요. 무게는 2kg이에요.\",camping,ko,예\r\n"
                + "텐트 설치 서비스도 있나요?,\"텐트 쳐 주나요?\r\n텐트 설치 해주나요\",아니요, 텐트 설치 서비스는 없어요.,camping,ko,아니오\r\n";
        byte[] file = csv.getBytes(CP949);
        long entries = count("SELECT count(*) FROM faq_entries");
        long before = settledBotVersion();

        Response dry = importFile(file, "text/csv", true);
        assertThat(dry.status()).as(dry.json().toString()).isEqualTo(200);
        // The second row's answer has an unquoted comma, so it has one cell too many: reported, line 5.
        assertThat(dry.json().path("encoding").asText()).isEqualTo("CP949");
        assertThat(dry.json().path("dryRun").asBoolean()).isTrue();
        assertThat(dry.json().path("applied").asBoolean()).isFalse();
        // No column is to blame: the field names the part of the file (the row's cells), for the page's wording.
        assertThat(errorLines(dry.json())).containsExactly("5:cells");
        assertThat(count("SELECT count(*) FROM faq_entries")).isEqualTo(entries);

        // The same file, as a real import: refused whole, nothing stored, no retraining.
        Response refused = importFile(file, "text/csv", false);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("code").asText()).isEqualTo("bad_request");
        assertThat(refused.json().path("message").asText()).contains("nothing was imported");
        assertThat(count("SELECT count(*) FROM faq_entries")).isEqualTo(entries);
        assertThat(settledBotVersion()).isEqualTo(before);

        // Fixed as Excel would (the cell quoted): both rows import, the first starting on line 2.
        byte[] fixed = csv.replace("아니요, 텐트 설치 서비스는 없어요.", "\"아니요, 텐트 설치 서비스는 없어요.\"").getBytes(CP949);
        Response dryFixed = importFile(fixed, "text/csv", true);
        assertThat(dryFixed.json().path("ok").asBoolean()).as(dryFixed.json().toString()).isTrue();
        assertThat(dryFixed.json().path("created").asInt()).isEqualTo(2);
        assertThat(dryFixed.json().path("lines").get(0).path("line").asInt()).isEqualTo(2);
        assertThat(dryFixed.json().path("lines").get(1).path("line").asInt()).isEqualTo(5);
        assertThat(count("SELECT count(*) FROM faq_entries")).isEqualTo(entries);

        Response done = importFile(fixed, "text/csv", false);
        assertThat(done.status()).as(done.json().toString()).isEqualTo(200);
        assertThat(done.json().path("applied").asBoolean()).isTrue();
        assertThat(done.json().path("created").asInt()).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM faq_entries")).isEqualTo(entries + 2);
        String id = done.json().path("lines").get(0).path("id").asText();
        JsonNode stored = send("GET", "/api/admin/faq/" + id, null, null, admin).json();
        assertThat(stored.path("paraphrases")).hasSize(3);
        assertThat(stored.path("answer").asText()).isEqualTo("네, 캠핑관에서 \"접이식 의자\"를 팔아요. 무게는 2kg이에요.");
        assertThat(stored.path("tags").get(0).asText()).isEqualTo("camping");
        String second = done.json().path("lines").get(1).path("id").asText();
        assertThat(send("GET", "/api/admin/faq/" + second, null, null, admin).json().path("enabled").asBoolean()).isFalse();

        // One import, one retraining, and the bot answers from it.
        assertThat(settledBotVersion()).isEqualTo(before + 1);
        assertThat(ask("캠핑 의자도 파나요?")).contains("접이식 의자");
    }

    @Test
    void utf8WithBomJsonAndEnglishHeadersAllRoundTripThroughTheExport() throws Exception {
        String csv = "\uFEFFid,locale,question,paraphrases,answer,tags,enabled\n"
                + "ko-import-bom,ko,선물 포장 리본 색을 고를 수 있나요?,리본 색 선택 가능해요?,빨강과 금색 중에 고를 수 있어요.,gift,true\n";
        Response done = importFile(csv.getBytes(StandardCharsets.UTF_8), "text/csv", false);
        assertThat(done.status()).as(done.json().toString()).isEqualTo(200);
        assertThat(done.json().path("encoding").asText()).isEqualTo("UTF-8 (BOM)");
        JsonNode entry = send("GET", "/api/admin/faq/ko-import-bom", null, null, admin).json();
        assertThat(entry.path("question").asText()).isEqualTo("선물 포장 리본 색을 고를 수 있나요?");

        // The CSV export starts with a BOM, names the columns, and guards formula-looking cells.
        send("POST", "/api/admin/faq", Json.MAPPER.writeValueAsBytes(Map.of("id", "ko-formula", "locale", "ko",
                "question", "=1+1 계산되나요?", "answer", "- 아니요, 글자 그대로예요.")), "application/json", admin);
        Response export = send("GET", "/api/admin/faq/export?format=csv&locale=ko", null, null, admin);
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.contentType()).startsWith("text/csv");
        assertThat(export.raw()[0] & 0xFF).isEqualTo(0xEF);
        String text = new String(export.raw(), StandardCharsets.UTF_8);
        assertThat(text).startsWith("\uFEFFid,locale,question,paraphrases,answer,tags,enabled,version,team,translation\r\n");
        assertThat(text).contains("'=1+1 계산되나요?", "'- 아니요");

        // Importing the export changes nothing; so does importing the JSON export.
        Response again = importFile(export.raw(), "text/csv", true);
        assertThat(again.json().path("ok").asBoolean()).as(again.json().toString()).isTrue();
        assertThat(again.json().path("unchanged").asInt()).isEqualTo(again.json().path("rows").asInt()).isGreaterThan(40);
        Response json = send("GET", "/api/admin/faq/export?format=json", null, null, admin);
        assertThat(json.contentType()).startsWith("application/json");
        Response jsonAgain = importFile(json.raw(), null, true);
        assertThat(jsonAgain.json().path("format").asText()).isEqualTo("json");
        assertThat(jsonAgain.json().path("unchanged").asInt()).isEqualTo(jsonAgain.json().path("rows").asInt());

        // An edited answer in the exported JSON is one update, with a new version and history row.
        JsonNode all = Json.MAPPER.readTree(json.raw());
        for (JsonNode e : all.path("entries")) {
            if (e.path("id").asText().equals("ko-import-bom")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) e).put("answer", "빨강, 금색, 은색 중에 고를 수 있어요.");
            }
        }
        Response update = importFile(Json.MAPPER.writeValueAsBytes(all), "application/json", false);
        assertThat(update.status()).as(update.json().toString()).isEqualTo(200);
        assertThat(update.json().path("updated").asInt()).isEqualTo(1);
        JsonNode after = send("GET", "/api/admin/faq/ko-import-bom", null, null, admin).json();
        assertThat(after.path("version").asLong()).isEqualTo(entry.path("version").asLong() + 1);

        // The old export is now stale for that entry: refused with its line, nothing changes.
        Response stale = importFile(json.raw(), null, false);
        assertThat(stale.status()).isEqualTo(400);
        assertThat(errorLines(stale.json())).hasSize(1).allMatch(l -> l.endsWith(":version"));
        assertThat(send("GET", "/api/admin/faq/ko-import-bom", null, null, admin).json().path("answer").asText())
                .startsWith("빨강, 금색, 은색");
    }

    @Test
    void brokenFilesAreReportedLineByLineAndStoreNothing() throws Exception {
        long entries = count("SELECT count(*) FROM faq_entries");
        long history = count("SELECT count(*) FROM faq_history");
        long bot = settledBotVersion();
        String longQuestion = "가".repeat(201);
        String csv = "id,locale,question,answer,enabled,version\n"
                + "ok-row-1,ko,괜찮은 질문,괜찮은 답,true,\n"          // line 2: fine
                + "bad-locale,jp,日本語の質問,答え,,\n"                 // line 3: locale
                + "too-long,ko," + longQuestion + ",답,,\n"            // line 4: question
                + "ok-row-1,ko,같은 아이디,답,,\n"                      // line 5: duplicate id
                + "Bad Id!,ko,아이디가 이상해요,답,,\n"                  // line 6: id
                + "no-answer,ko,답이 없어요,,,\n"                       // line 7: answer
                + "bad-flag,ko,사용 여부가 이상,답,maybe,\n"            // line 8: enabled
                + "bad-version,ko,버전이 이상,답,,zero\n";              // line 9: version
        Response report = importFile(csv.getBytes(StandardCharsets.UTF_8), "text/csv", false);
        assertThat(report.status()).isEqualTo(400);
        assertThat(errorLines(report.json())).containsExactly("3:locale", "4:question", "5:id", "6:id", "7:answer",
                "8:enabled", "9:version");
        assertThat(report.json().path("errors").get(0).path("message").asText()).contains("jp");

        // A quote that is never closed, a header without the needed columns, an empty file,
        // garbage bytes, malformed JSON: each a clear 400, none writes anything.
        Response unclosed = importFile("locale,question,answer\nko,\"닫히지 않은 따옴표,답\nko,다음,답\n"
                .getBytes(StandardCharsets.UTF_8), "text/csv", false);
        assertThat(unclosed.status()).isEqualTo(400);
        assertThat(unclosed.json().path("errors").get(0).path("message").asText()).contains("quote");
        Response noHeader = importFile("ko,질문,답\n".getBytes(StandardCharsets.UTF_8), "text/csv", false);
        assertThat(noHeader.status()).isEqualTo(400);
        assertThat(noHeader.json().path("errors").get(0).path("message").asText()).contains("header");
        Response empty = importFile(new byte[0], "text/csv", false);
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().path("errors").get(0).path("message").asText()).contains("no FAQ entries");
        ByteArrayOutputStream garbage = new ByteArrayOutputStream();
        garbage.write("locale,question,answer\nko,".getBytes(StandardCharsets.UTF_8));
        garbage.write(new byte[] {(byte) 0xFF, (byte) 0xFE, (byte) 0x80, 0x41});
        Response binary = importFile(garbage.toByteArray(), "text/csv", false);
        assertThat(binary.status()).isEqualTo(400);
        assertThat(binary.json().path("message").asText()).contains("neither UTF-8 nor CP949", "line 2");
        Response badJson = importFile("{\"entries\": [\n {\"locale\": \"ko\", \"question\": \"q\", \"answer\": \"a\"},\n {\"locale\": ko}\n]}"
                .getBytes(StandardCharsets.UTF_8), "application/json", false);
        assertThat(badJson.status()).isEqualTo(400);
        assertThat(errorLines(badJson.json())).containsExactly("3:json");
        Response wrongTypes = importFile("[{\"locale\":\"ko\",\"question\":\"q\",\"answer\":\"a\",\"tags\":{\"x\":1}}]"
                .getBytes(StandardCharsets.UTF_8), null, false);
        assertThat(errorLines(wrongTypes.json())).containsExactly("1:tags");
        Response unknownFormat = send("POST", "/api/admin/faq/import?format=xlsx", "x".getBytes(StandardCharsets.UTF_8),
                null, admin);
        assertThat(unknownFormat.status()).isEqualTo(400);

        assertThat(count("SELECT count(*) FROM faq_entries")).isEqualTo(entries);
        assertThat(count("SELECT count(*) FROM faq_history")).isEqualTo(history);
        assertThat(settledBotVersion()).isEqualTo(bot);
    }

    @Test
    void tagsAreSeparatedByCommasAndATagWithASpaceIsRefusedOnItsRowAsInTheEditor() throws Exception {
        long entries = count("SELECT count(*) FROM faq_entries");
        // Line 3 means one tag "배송 조회": once split into two tags here while the editor refused it.
        String csv = "id,locale,question,answer,tags\n"
                + "tags-comma,ko,태그를 쉼표로 나눈 질문,답,\"Delivery, 반품 ，환불、pet-care\"\n"
                + "tags-space,ko,태그에 공백이 있는 질문,답,\"배송 조회, returns\"\n";
        Response refused = importFile(csv.getBytes(StandardCharsets.UTF_8), "text/csv", false);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(errorLines(refused.json())).containsExactly("3:tags");
        JsonNode problem = refused.json().path("errors").get(0);
        assertThat(problem.path("id").asText()).isEqualTo("tags-space");
        assertThat(problem.path("message").asText()).contains("'배송 조회' has a space", "배송-조회", "commas");
        // The reason the editor's refusal has, so the import dialog says it in the page's language.
        assertThat(problem.path("reason").asText()).isEqualTo("tag_has_space");
        assertThat(problem.path("params").path("suggestion").asText()).isEqualTo("배송-조회");
        assertThat(count("SELECT count(*) FROM faq_entries")).isEqualTo(entries);

        // The editor's own answer to the same tag, on the FAQ API: the same refusal.
        Response editor = send("POST", "/api/admin/faq", Json.MAPPER.writeValueAsBytes(Map.of("locale", "ko",
                "question", "편집기에서 공백 태그", "answer", "답", "tags", List.of("배송 조회"))), "application/json", admin);
        assertThat(editor.status()).isEqualTo(400);
        assertThat(editor.json().path("reason").asText()).isEqualTo("tag_has_space");

        // Fixed as the message says: every row imports, tags split at commas (also the Korean IME's ， and 、).
        Response done = importFile(csv.replace("배송 조회", "배송-조회").getBytes(StandardCharsets.UTF_8), "text/csv", false);
        assertThat(done.status()).as(done.json().toString()).isEqualTo(200);
        assertThat(send("GET", "/api/admin/faq/tags-comma", null, null, admin).json().path("tags").toString())
                .isEqualTo("[\"delivery\",\"반품\",\"환불\",\"pet-care\"]");
        assertThat(send("GET", "/api/admin/faq/tags-space", null, null, admin).json().path("tags").toString())
                .isEqualTo("[\"배송-조회\",\"returns\"]");

        // JSON: a tags string splits the same way; an array item with a space is refused on its entry.
        String json = "[{\"id\":\"tags-json-string\",\"locale\":\"en\",\"question\":\"Tags in one string?\","
                + "\"answer\":\"Yes.\",\"tags\":\"gift, wrapping\"},"
                + "{\"id\":\"tags-json-array\",\"locale\":\"en\",\"question\":\"Tags in an array?\","
                + "\"answer\":\"Yes.\",\"tags\":[\"gift wrapping\"]}]";
        Response jsonReport = importFile(json.getBytes(StandardCharsets.UTF_8), "application/json", true);
        assertThat(errorLines(jsonReport.json())).containsExactly("1:tags");
        assertThat(jsonReport.json().path("errors").get(0).path("entry").asInt()).isEqualTo(2);
        assertThat(jsonReport.json().path("errors").get(0).path("reason").asText()).isEqualTo("tag_has_space");
        Response jsonDone = importFile(json.replace("[\"gift wrapping\"]", "[\"gift\", \"wrapping\"]")
                .getBytes(StandardCharsets.UTF_8), "application/json", false);
        assertThat(jsonDone.status()).as(jsonDone.json().toString()).isEqualTo(200);
        assertThat(send("GET", "/api/admin/faq/tags-json-string", null, null, admin).json().path("tags").toString())
                .isEqualTo("[\"gift\",\"wrapping\"]");
    }

    @Test
    void oneLineJsonNamesEachBadEntryAndOneLineEntriesWithoutIdsAllImport() throws Exception {
        long entries = count("SELECT count(*) FROM faq_entries");
        // One line, as many tools write JSON: every entry is on line 1, so each problem names its entry.
        String bad = "{\"entries\":[{\"locale\":\"ko\",\"question\":\"한 줄 질문 하나\",\"answer\":\"답\"},"
                + "{\"id\":\"ko-one-line-bad\",\"locale\":\"jp\",\"question\":\"질문\",\"answer\":\"답\"},"
                + "{\"locale\":\"ko\",\"question\":\"답이 없는 질문\",\"answer\":\"\"}]}";
        Response report = importFile(bad.getBytes(StandardCharsets.UTF_8), "application/json", false);
        assertThat(report.status()).isEqualTo(400);
        List<String> errors = new ArrayList<>();
        report.json().path("errors").forEach(e -> errors.add(e.path("line").asInt() + ":" + e.path("entry").asText()
                + ":" + e.path("id").asText() + ":" + e.path("field").asText("")));
        assertThat(errors).containsExactly("1:2:ko-one-line-bad:locale", "1:3:null:answer");
        assertThat(count("SELECT count(*) FROM faq_entries")).isEqualTo(entries);

        // Entries without ids on one line each get their own generated id (they used to share one key, "line 1").
        String good = "[{\"locale\":\"ko\",\"question\":\"한 줄 파일의 첫 질문\",\"answer\":\"첫 답\"},"
                + "{\"locale\":\"ko\",\"question\":\"한 줄 파일의 둘째 질문\",\"answer\":\"둘째 답\"}]";
        Response stored = importFile(good.getBytes(StandardCharsets.UTF_8), "application/json", false);
        assertThat(stored.status()).isEqualTo(200);
        assertThat(stored.json().path("created").asInt()).isEqualTo(2);
        List<String> lines = new ArrayList<>();
        stored.json().path("lines").forEach(l -> lines.add(l.path("line").asInt() + ":" + l.path("entry").asInt()));
        assertThat(lines).containsExactly("1:1", "1:2");
        assertThat(stored.json().path("lines").get(0).path("id").asText())
                .isNotEqualTo(stored.json().path("lines").get(1).path("id").asText());
        assertThat(count("SELECT count(*) FROM faq_entries")).isEqualTo(entries + 2);
    }

    @Test
    void anUnclosedCsvQuoteIsReportedOnItsLineWithoutJavaWords() throws Exception {
        long entries = count("SELECT count(*) FROM faq_entries");
        String csv = "locale,question,answer\r\nko,하나,답\r\nko,둘,답\r\nko,셋,답\r\nko,\"닫히지 않은 질문,답\r\nko,다음,답\r\n";
        Response report = importFile(csv.getBytes(StandardCharsets.UTF_8), "text/csv", true);
        assertThat(report.status()).isEqualTo(200);
        assertThat(report.json().path("ok").asBoolean()).isFalse();
        JsonNode error = report.json().path("errors").get(0);
        assertThat(error.path("line").asInt()).isEqualTo(5);
        assertThat(error.path("message").asText()).contains("a quote (\") opened here is never closed")
                .doesNotContain("Exception", "org.apache", "startline");
        assertThat(count("SELECT count(*) FROM faq_entries")).isEqualTo(entries);
    }

    @Test
    void aFileLargerThanAnApiBodyIsAcceptedOnlyOnTheImportPath() throws Exception {
        StringBuilder csv = new StringBuilder("locale,question,paraphrases,answer\n");
        for (int i = 0; i < 400; i++) {
            csv.append("ko,대량 가져오기 질문 ").append(i).append(" 입니다,\"다른 말 ").append(i).append("\n또 다른 말 ")
                    .append(i).append("\",대량 가져오기 답변 ").append(i).append(" ").append("내용".repeat(40)).append('\n');
        }
        byte[] file = csv.toString().getBytes(StandardCharsets.UTF_8);
        assertThat(file.length).isGreaterThan(64 * 1024);
        Response dry = importFile(file, "text/csv", true);
        assertThat(dry.status()).isEqualTo(200);
        assertThat(dry.json().path("created").asInt()).isEqualTo(400);
        // Other admin endpoints keep the normal 64 KiB limit.
        Response big = send("POST", "/api/admin/faq", file, "application/json", admin);
        assertThat(big.status()).isEqualTo(413);
    }

    @Test
    void importAndExportAreForAdminsOnly() throws Exception {
        byte[] file = "locale,question,answer\nko,권한 질문,권한 답\n".getBytes(StandardCharsets.UTF_8);
        long entries = count("SELECT count(*) FROM faq_entries");
        for (String token : new String[] {null, "at_not-a-token", agent}) {
            int expected = token == agent ? 403 : 401;
            assertThat(send("POST", "/api/admin/faq/import", file, "text/csv", token).status()).isEqualTo(expected);
            assertThat(send("POST", "/api/admin/faq/import?dryRun=true", file, "text/csv", token).status()).isEqualTo(expected);
            assertThat(send("GET", "/api/admin/faq/export?format=csv", null, null, token).status()).isEqualTo(expected);
            assertThat(send("GET", "/api/admin/faq/export?format=json", null, null, token).status()).isEqualTo(expected);
        }
        assertThat(count("SELECT count(*) FROM faq_entries")).isEqualTo(entries);
        assertThat(send("GET", "/api/admin/faq/export?format=xml", null, null, admin).status()).isEqualTo(400);
        assertThat(send("POST", "/api/admin/faq/import?dryRun=perhaps", file, "text/csv", admin).status()).isEqualTo(400);
        assertThat(send("GET", "/api/admin/faq/import", null, null, admin).status()).isEqualTo(405);
        Response reserved = send("POST", "/api/admin/faq", Json.MAPPER.writeValueAsBytes(Map.of("id", "export",
                "locale", "ko", "question", "q", "answer", "a")), "application/json", admin);
        assertThat(reserved.status()).isEqualTo(400);
    }

    static JsonNode entry(String id) throws Exception {
        return send("GET", "/api/admin/faq/" + id, null, null, admin).json();
    }

    /** Creates an entry through the admin API, with the answer "답변: " + question. */
    static Response create(String id, String locale, String question, String team, String translation) throws Exception {
        return send("POST", "/api/admin/faq", Json.MAPPER.writeValueAsBytes(FaqTeamTranslationApiTest.entry(id, locale,
                question, team, translation)), "application/json", admin);
    }

    @Test
    void teamAndTranslationTravelFromAnExportIntoAFreshInstallation(@TempDir Path freshDir) throws Exception {
        assertThat(create("rt-gift-ko", "ko", "선물 포장 되나요 왕복?", "delivery", null).status()).isEqualTo(201);
        assertThat(create("rt-gift-en", "en", "Do you gift-wrap round trip?", "payment", "rt-gift-ko").status())
                .isEqualTo(201);
        Response csv = send("GET", "/api/admin/faq/export?format=csv&q=rt-gift", null, null, admin);
        String text = new String(csv.raw(), StandardCharsets.UTF_8);
        assertThat(text).contains("rt-gift-ko,ko,선물 포장 되나요 왕복?,,답변: 선물 포장 되나요 왕복?,,true,2,delivery,rt-gift-en\r\n",
                ",payment,rt-gift-ko\r\n");
        Response json = send("GET", "/api/admin/faq/export?format=json&q=rt-gift", null, null, admin);
        JsonNode exported = Json.MAPPER.readTree(json.raw()).path("entries");
        assertThat(exported).hasSize(2);
        exported.forEach(e -> assertThat(e.path("team").asText()).isIn("delivery", "payment"));
        exported.forEach(e -> assertThat(e.path("translation").asText()).startsWith("rt-gift-"));
        // Both exports import back here as unchanged: the team and the link are what they were.
        for (Response file : List.of(csv, json)) {
            Response again = importFile(file.raw(), null, true);
            assertThat(again.json().path("unchanged").asInt()).as(again.json().toString()).isEqualTo(2);
        }

        // A fresh installation (its own database, the same seed teams) takes the CSV: the ids stay,
        // so the link still names the right entry, and the team is found by its id.
        try (TestServer fresh = TestServer.start(freshDir)) {
            String freshAdmin = fresh.loginAdmin();
            HttpResponse<String> imported = http.send(HttpRequest.newBuilder(URI.create(fresh.http("/api/admin/faq/import")))
                    .header("Authorization", "Bearer " + freshAdmin).header("Content-Type", "text/csv")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(csv.raw())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
            assertThat(Json.MAPPER.readTree(imported.body()).path("created").asInt()).isEqualTo(2);
            for (String[] expected : new String[][] {{"rt-gift-ko", "delivery", "rt-gift-en"},
                    {"rt-gift-en", "payment", "rt-gift-ko"}}) {
                HttpResponse<String> got = http.send(HttpRequest.newBuilder(URI.create(fresh.http("/api/admin/faq/"
                        + expected[0]))).header("Authorization", "Bearer " + freshAdmin).build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode stored = Json.MAPPER.readTree(got.body());
                assertThat(stored.path("team").asText()).isEqualTo(expected[1]);
                assertThat(stored.path("translation").asText()).isEqualTo(expected[2]);
            }
        }
    }

    @Test
    void teamsByNameAndLinksWithinTheFileImportAndBadOnesAreReportedLineByLine() throws Exception {
        // Korean headers; a team by its Korean name and one by its English name in another case; the
        // link stated on one side only, to a row of the same file.
        String good = "아이디,언어,질문,답변,팀,번역\n"
                + "in-file-ko,ko,우산 대여 되나요?,네 빌려드려요.,배송,in-file-en\n"
                + "in-file-en,en,Can I borrow an umbrella?,Yes you can.,payments & REFUNDS,\n";
        Response dry = importFile(good.getBytes(StandardCharsets.UTF_8), "text/csv", true);
        assertThat(dry.json().path("ok").asBoolean()).as(dry.json().toString()).isTrue();
        assertThat(dry.json().path("created").asInt()).isEqualTo(2);
        Response done = importFile(good.getBytes(StandardCharsets.UTF_8), "text/csv", false);
        assertThat(done.status()).as(done.json().toString()).isEqualTo(200);
        assertThat(entry("in-file-ko").path("team").asText()).isEqualTo("delivery");
        assertThat(entry("in-file-ko").path("translation").asText()).isEqualTo("in-file-en");
        assertThat(entry("in-file-en").path("team").asText()).isEqualTo("payment");
        assertThat(entry("in-file-en").path("translation").asText()).isEqualTo("in-file-ko");
        assertThat(create("linked-elsewhere-ko", "ko", "다른 데 연결된 질문?", null, null).status()).isEqualTo(201);
        assertThat(create("linked-elsewhere-en", "en", "Linked elsewhere?", null, "linked-elsewhere-ko").status())
                .isEqualTo(201);

        long entries = count("SELECT count(*) FROM faq_entries");
        long history = count("SELECT count(*) FROM faq_history");
        long bot = settledBotVersion();
        String bad = "id,locale,question,answer,team,translation\n"
                + "bad-team,ko,팀이 없는 질문,답,마케팅,\n"                       // line 2: no such team
                + "bad-dangling,ko,없는 번역,답,,no-such-entry\n"                 // line 3: dangling link
                + "bad-self,ko,자기 자신,답,,bad-self\n"                          // line 4: itself
                + "bad-same,ko,같은 언어,답,,in-file-ko\n"                        // line 5: ko to ko
                + "bad-taken,en,Taken already?,a,,linked-elsewhere-ko\n"          // line 6: linked to a third entry
                + "bad-pair-a,en,First claim?,a,,bad-pair-ko\n"                   // line 7: two rows claim one entry
                + "bad-pair-b,en,Second claim?,a,,bad-pair-ko\n"                  // line 8
                + "bad-pair-ko,ko,주인공,답,,\n"                                  // line 9: fine by itself
                + "fine-row,ko,멀쩡한 줄,답,support,\n";                          // line 10: fine
        Response report = importFile(bad.getBytes(StandardCharsets.UTF_8), "text/csv", true);
        assertThat(report.status()).isEqualTo(200);
        assertThat(errorLines(report.json())).as(report.json().toString()).containsExactly("2:team", "3:translation",
                "4:translation", "5:translation", "6:translation", "7:translation", "8:translation");
        List<String> messages = new ArrayList<>();
        report.json().path("errors").forEach(e -> messages.add(e.path("message").asText()));
        assertThat(messages.get(0)).contains("마케팅", "delivery (배송 / Delivery)");
        assertThat(messages.get(1)).contains("no-such-entry", "neither in the FAQ nor in this file");
        assertThat(messages.get(2)).contains("itself");
        assertThat(messages.get(3)).contains("other language");
        assertThat(messages.get(4)).contains("linked-elsewhere-en", "in the FAQ");
        Response refused = importFile(bad.getBytes(StandardCharsets.UTF_8), "text/csv", false);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(errorLines(refused.json())).hasSize(7);
        assertThat(count("SELECT count(*) FROM faq_entries")).isEqualTo(entries);
        assertThat(count("SELECT count(*) FROM faq_history")).isEqualTo(history);
        assertThat(entry("linked-elsewhere-ko").path("translation").asText()).isEqualTo("linked-elsewhere-en");

        // A file from before these columns updates the text and keeps the team and link.
        long koVersion = entry("in-file-ko").path("version").asLong();
        Response old = importFile("id,locale,question,answer\nin-file-ko,ko,우산 대여 되나요?,\"네, 하루 빌려드려요.\"\n"
                .getBytes(StandardCharsets.UTF_8), "text/csv", false);
        assertThat(old.status()).as(old.json().toString()).isEqualTo(200);
        assertThat(old.json().path("updated").asInt()).isEqualTo(1);
        JsonNode kept = entry("in-file-ko");
        assertThat(kept.path("answer").asText()).isEqualTo("네, 하루 빌려드려요.");
        assertThat(kept.path("version").asLong()).isEqualTo(koVersion + 1);
        assertThat(kept.path("team").asText()).isEqualTo("delivery");
        assertThat(kept.path("translation").asText()).isEqualTo("in-file-en");

        // JSON: "translation": null on one side unlinks both; the other side, not in the file, is a
        // second update with its own new version; "team" absent keeps the team.
        long enVersion = entry("in-file-en").path("version").asLong();
        String unlink = "{\"entries\":[{\"id\":\"in-file-ko\",\"locale\":\"ko\",\"question\":\"우산 대여 되나요?\","
                + "\"answer\":\"네, 하루 빌려드려요.\",\"translation\":null}]}";
        Response unlinked = importFile(unlink.getBytes(StandardCharsets.UTF_8), null, false);
        assertThat(unlinked.status()).as(unlinked.json().toString()).isEqualTo(200);
        assertThat(unlinked.json().path("updated").asInt()).isEqualTo(2);
        assertThat(entry("in-file-ko").path("translation").isNull()).isTrue();
        assertThat(entry("in-file-ko").path("team").asText()).isEqualTo("delivery");
        assertThat(entry("in-file-en").path("translation").isNull()).isTrue();
        assertThat(entry("in-file-en").path("version").asLong()).isEqualTo(enVersion + 1);
        assertThat(settledBotVersion()).isGreaterThan(bot);
    }
}
