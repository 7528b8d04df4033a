package dev.sodam.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.AdminHttp;
import dev.sodam.server.testing.RoleTokens;
import dev.sodam.server.testing.ServerExtension;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An FAQ entry's team, its linked translation and its answer's links over the real server and
 * SQLite file: the list filters by team, a link names both entries (each a new version, so a stale
 * editor of the other side gets 409), bad teams and links are 400 and write nothing, answer links
 * other than http, https and mailto are refused, and only an installation admin may.
 */
class FaqTeamTranslationApiTest {
    @RegisterExtension
    static final ServerExtension app = ServerExtension.started();
    static AdminHttp http;
    static String admin;
    static String agent;
    static String supervisor;
    static String siteAdmin;

    @BeforeAll
    static void start() throws Exception {
        http = new AdminHttp(app.server());
        RoleTokens roles = RoleTokens.create(app.server());
        admin = roles.admin();
        agent = roles.agent();
        supervisor = roles.supervisor();
        siteAdmin = roles.siteAdmin();
    }

    static Map<String, Object> entry(String id, String locale, String question, String team, String translation) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (id != null) {
            body.put("id", id);
        }
        body.put("locale", locale);
        body.put("question", question);
        body.put("answer", "답변: " + question);
        body.put("team", team);
        body.put("translation", translation);
        return body;
    }

    static JsonNode get(String id) throws Exception {
        return http.call("GET", "/api/admin/faq/" + id, null, admin).json();
    }

    static AdminHttp.Response put(String id, Map<String, Object> body, long version) throws Exception {
        body.put("version", version);
        return http.call("PUT", "/api/admin/faq/" + id, body, admin);
    }

    static List<String> ids(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.path("entries").forEach(e -> out.add(e.path("id").asText()));
        return out;
    }

    @Test
    void aTeamFiltersTheListAndALinkNamesBothEntries() throws Exception {
        assertThat(http.call("POST", "/api/admin/faq", entry("gift-wrap-ko", "ko", "선물 포장 되나요?", "delivery", null),
                admin).status()).isEqualTo(201);
        JsonNode en = http.call("POST", "/api/admin/faq", entry("gift-wrap-en", "en", "Do you gift-wrap?", "delivery",
                "gift-wrap-ko"), admin).json();
        // Created already linked: the Korean side names it too, as its own new version.
        assertThat(en.path("translation").asText()).isEqualTo("gift-wrap-ko");
        JsonNode ko = get("gift-wrap-ko");
        assertThat(ko.path("translation").asText()).isEqualTo("gift-wrap-en");
        assertThat(ko.path("version").asLong()).isEqualTo(2);
        assertThat(ko.path("team").asText()).isEqualTo("delivery");
        assertThat(http.count("SELECT COUNT(*) FROM faq_history WHERE entry_id = 'gift-wrap-ko'")).isEqualTo(2);

        JsonNode delivery = http.call("GET", "/api/admin/faq?team=delivery", null, admin).json();
        assertThat(ids(delivery)).containsExactly("gift-wrap-en", "gift-wrap-ko");
        assertThat(ids(http.call("GET", "/api/admin/faq?team=delivery&locale=ko", null, admin).json()))
                .containsExactly("gift-wrap-ko");
        assertThat(http.call("GET", "/api/admin/faq?team=payment", null, admin).json().path("total").asInt()).isZero();
        assertThat(http.call("GET", "/api/admin/faq", null, admin).json().path("total").asInt()).isGreaterThan(2);

        // An editor who read the Korean entry before the link is refused: the link is not undone.
        Map<String, Object> stale = entry(null, "ko", "선물 포장 되나요?", "delivery", null);
        AdminHttp.Response conflict = put("gift-wrap-ko", stale, 1);
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(get("gift-wrap-en").path("translation").asText()).isEqualTo("gift-wrap-ko");

        // A third entry may not take a linked one.
        AdminHttp.Response taken = http.call("POST", "/api/admin/faq", entry("gift-wrap-en2", "en",
                "Can you wrap a present?", null, "gift-wrap-ko"), admin);
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.json().path("message").asText()).contains("already linked to 'gift-wrap-en'");
        assertThat(http.count("SELECT COUNT(*) FROM faq_entries WHERE id = 'gift-wrap-en2'")).isZero();

        // An edit that does not mention team or link (as the public API's replace) keeps both.
        Map<String, Object> plain = new LinkedHashMap<>(Map.of("locale", "ko", "question", "선물 포장 되나요?",
                "answer", "네, 포장해 드려요.", "version", 2));
        AdminHttp.Response kept = http.call("PUT", "/api/admin/faq/gift-wrap-ko", plain, admin);
        assertThat(kept.status()).isEqualTo(200);
        assertThat(kept.json().path("team").asText()).isEqualTo("delivery");
        assertThat(kept.json().path("translation").asText()).isEqualTo("gift-wrap-en");
        assertThat(get("gift-wrap-en").path("translation").asText()).isEqualTo("gift-wrap-ko");

        // Unlinking from one side unlinks both; moving the team filters it elsewhere.
        AdminHttp.Response unlinked = put("gift-wrap-ko", entry(null, "ko", "선물 포장 되나요?", "payment", null), 3);
        assertThat(unlinked.status()).isEqualTo(200);
        assertThat(unlinked.json().path("translation").isNull()).isTrue();
        assertThat(get("gift-wrap-en").path("translation").isNull()).isTrue();
        assertThat(ids(http.call("GET", "/api/admin/faq?team=payment", null, admin).json())).containsExactly("gift-wrap-ko");

        // Link again from the Korean side, then delete the English one: the link goes with it.
        assertThat(put("gift-wrap-ko", entry(null, "ko", "선물 포장 되나요?", "payment", "gift-wrap-en"), 4).status())
                .isEqualTo(200);
        assertThat(get("gift-wrap-en").path("translation").asText()).isEqualTo("gift-wrap-ko");
        long enVersion = get("gift-wrap-en").path("version").asLong();
        assertThat(http.call("DELETE", "/api/admin/faq/gift-wrap-en?version=" + enVersion, null, admin).status())
                .isEqualTo(200);
        assertThat(get("gift-wrap-ko").path("translation").isNull()).isTrue();

        // A team with FAQ entries cannot be deleted from under them.
        long teamVersion = http.call("GET", "/api/admin/teams/payment", null, admin).json().path("version").asLong();
        AdminHttp.Response teamDelete = http.call("DELETE", "/api/admin/teams/payment?version=" + teamVersion, null, admin);
        assertThat(teamDelete.status()).isEqualTo(409);
        assertThat(teamDelete.json().path("message").asText()).contains("FAQ entries");
    }

    @Test
    void badTeamsAndLinksAreA400AndWriteNothing() throws Exception {
        http.call("POST", "/api/admin/faq", entry("returns-ko", "ko", "반품 되나요?", null, null), admin);
        http.call("POST", "/api/admin/faq", entry("returns-ko2", "ko", "교환 되나요?", null, null), admin);
        long history = http.count("SELECT COUNT(*) FROM faq_history");
        long entries = http.count("SELECT COUNT(*) FROM faq_entries");
        List<Object[]> cases = List.of(
                new Object[] {entry(null, "ko", "반품 되나요?", "no-such-team", null), "team"},
                new Object[] {entry(null, "ko", "반품 되나요?", "Bad Team!", null), "team"},
                new Object[] {entry(null, "ko", "반품 되나요?", null, "returns-ko2"), "other language"},
                new Object[] {entry(null, "ko", "반품 되나요?", null, "returns-ko"), "itself"},
                new Object[] {entry(null, "ko", "반품 되나요?", null, "no-such-entry"), "translation"},
                new Object[] {entry(null, "ko", "반품 되나요?", null, "한국어 아이디"), "translation"});
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            Map<String, Object> body = (Map<String, Object>) c[0];
            AdminHttp.Response response = put("returns-ko", body, 1);
            assertThat(response.status()).as(body.toString()).isEqualTo(400);
            assertThat(response.code()).isEqualTo("bad_request");
            assertThat(response.json().path("message").asText()).contains((String) c[1]);
        }
        Map<String, Object> typed = entry(null, "ko", "반품 되나요?", null, null);
        typed.put("team", 7);
        assertThat(put("returns-ko", typed, 1).json().path("message").asText()).contains("'team'");
        assertThat(http.count("SELECT COUNT(*) FROM faq_history")).isEqualTo(history);
        assertThat(http.count("SELECT COUNT(*) FROM faq_entries")).isEqualTo(entries);
        assertThat(get("returns-ko").path("version").asLong()).isEqualTo(1);
        assertThat(http.call("GET", "/api/admin/faq?team=no-such-team", null, admin).json().path("total").asInt()).isZero();
    }

    @Test
    void answerLinksMayOnlyBeHttpHttpsOrMailto() throws Exception {
        String formatted = "반품은 이렇게 해요.\n\n- 상자에 담아 주세요\n- [반품 안내](https://shop.example/returns) 또는 "
                + "[메일](mailto:help@shop.example)";
        Map<String, Object> body = entry("format-ok", "ko", "반품 절차가 궁금해요", null, null);
        body.put("answer", formatted);
        AdminHttp.Response created = http.call("POST", "/api/admin/faq", body, admin);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("answer").asText()).isEqualTo(formatted);
        long entries = http.count("SELECT COUNT(*) FROM faq_entries");
        for (String link : List.of("javascript:alert`1`", "JavaScript:void", "data:text/html;base64,PHNjcmlwdD4=",
                "vbscript:msgbox", "/returns", "ftp://shop.example/x", "mailto:nobody")) {
            Map<String, Object> bad = entry("format-bad", "ko", "반품 절차가 궁금해요?", null, null);
            bad.put("answer", "안내:\n- [여기를 누르세요](" + link + ")");
            AdminHttp.Response refused = http.call("POST", "/api/admin/faq", bad, admin);
            assertThat(refused.status()).as(link).isEqualTo(400);
            assertThat(refused.json().path("message").asText()).contains("'answer'", "http://, https:// or mailto:");
        }
        assertThat(http.count("SELECT COUNT(*) FROM faq_entries")).isEqualTo(entries);
    }

    @Test
    void onlyAnInstallationAdminSeesOrSetsTeamsAndLinks() throws Exception {
        for (String token : List.of(agent, supervisor, siteAdmin)) {
            assertThat(http.call("GET", "/api/admin/faq?team=delivery", null, token).status()).isEqualTo(403);
            assertThat(http.call("POST", "/api/admin/faq", entry("x-" + token.hashCode(), "ko", "질문?", "delivery", null),
                    token).status()).isEqualTo(403);
        }
        assertThat(http.call("GET", "/api/admin/faq?team=delivery", null, null).status()).isEqualTo(401);
        assertThat(http.count("SELECT COUNT(*) FROM faq_entries WHERE id LIKE 'x-%'")).isZero();
    }
}
