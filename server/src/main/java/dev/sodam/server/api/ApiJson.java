package dev.sodam.server.api;

import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.model.Agent;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.Message;
import dev.sodam.server.model.Team;
import dev.sodam.server.model.Visitor;
import dev.sodam.server.store.IntegrationTx.ApiKey;
import dev.sodam.server.store.IntegrationTx.Cursor;
import dev.sodam.server.store.StoredFaq;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the public API and the webhooks (docs/openapi.yaml), and its page cursors. */
public final class ApiJson {
    private ApiJson() {
    }

    public static Map<String, Object> conversation(Conversation c, String channel) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", c.id());
        json.put("siteId", c.siteId());
        json.put("state", c.state().wire());
        json.put("channel", channel == null ? "web" : channel);
        json.put("visitor", named(c.visitorId(), c.visitorName()));
        json.put("agent", c.agentId() == null ? null : named(c.agentId(), c.agentName()));
        json.put("locale", c.locale());
        json.put("lastSeq", c.lastSeq());
        json.put("preview", c.preview());
        json.put("teamId", c.teamId());
        json.put("topic", c.topic());
        json.put("urgent", c.urgent());
        json.put("waitingSince", c.waitingSince());
        json.put("createdAt", c.createdAt());
        json.put("updatedAt", c.updatedAt());
        return json;
    }

    public static Map<String, Object> message(Message m) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", m.id());
        json.put("conversationId", m.conversationId());
        json.put("seq", m.seq());
        json.put("clientMsgId", m.clientMsgId());
        Map<String, Object> from = new LinkedHashMap<>();
        from.put("kind", m.from().kind().wire());
        from.put("id", m.from().id());
        from.put("name", m.from().name());
        json.put("from", from);
        json.put("text", m.text());
        json.put("createdAt", m.ts());
        // What the bot offered: a channel adapter shows these as quick replies and sends the picked faqId back.
        json.put("suggestions", m.suggestions().stream()
                .map(s -> Map.of("faqId", s.faqId(), "question", s.question())).toList());
        return json;
    }

    public static Map<String, Object> visitor(Visitor v, String channel) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", v.id());
        json.put("siteId", v.siteId());
        json.put("name", v.name());
        json.put("locale", v.locale());
        json.put("channel", channel == null ? "web" : channel);
        json.put("createdAt", v.createdAt());
        return json;
    }

    public static Map<String, Object> team(Team t) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", t.id());
        json.put("name", Map.of("ko", t.nameKo(), "en", t.nameEn()));
        json.put("tags", t.tags());
        json.put("allAgents", t.allAgents());
        return json;
    }

    public static Map<String, Object> agent(Agent a) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", a.id());
        json.put("name", a.name());
        json.put("role", a.role().wire());
        return json;
    }

    public static Map<String, Object> faq(StoredFaq f) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", f.id());
        json.put("locale", f.locale());
        json.put("question", f.question());
        json.put("paraphrases", f.paraphrases());
        json.put("answer", f.answer());
        json.put("tags", f.tags());
        json.put("enabled", f.enabled());
        json.put("team", f.team());
        json.put("translation", f.translation());
        json.put("version", f.version());
        json.put("updatedAt", f.updatedAt());
        return json;
    }

    public static Map<String, Object> apiKey(ApiKey k) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", k.id());
        json.put("siteId", k.siteId());
        json.put("name", k.name());
        json.put("scopes", k.scopes());
        json.put("channel", k.channel());
        json.put("createdAt", k.createdAt());
        json.put("createdBy", k.createdBy());
        json.put("revokedAt", k.revokedAt());
        return json;
    }

    public static Map<String, Object> named(String id, String name) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("name", name);
        return json;
    }

    /** A page: its items and the cursor of the next page (null on the last). */
    public static Map<String, Object> page(List<?> items, String nextCursor) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("items", items);
        json.put("nextCursor", nextCursor);
        return json;
    }

    public static String cursor(Instant createdAt, String id) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((createdAt.toEpochMilli() + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor a client sent back, or null for the first page; 400 when it is not one of ours. */
    public static Cursor parseCursor(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            return new Cursor(Instant.ofEpochMilli(Long.parseLong(text.substring(0, colon))), text.substring(colon + 1));
        } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
            throw ChatException.invalid("query parameter 'cursor' is not a cursor this API gave out",
                    ChatException.Reason.INVALID, "cursor");
        }
    }

    /** The {@code limit} query parameter: 1..100, default 50. */
    public static int limit(String value) {
        if (value == null || value.isBlank()) {
            return 50;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= 1 && parsed <= 100) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ChatException.invalid("query parameter 'limit' must be a whole number from 1 to 100",
                ChatException.Reason.OUT_OF_RANGE, "limit", "min", 1, "max", 100);
    }
}
