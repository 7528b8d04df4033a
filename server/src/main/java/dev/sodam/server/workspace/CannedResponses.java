package dev.sodam.server.workspace;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.conversation.ErrorCode;
import dev.sodam.server.model.Agent;
import dev.sodam.server.model.CannedResponse;
import dev.sodam.server.store.StoreTx;
import dev.sodam.server.util.Ids;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules of canned responses: every agent reads the shared ones and their own; an agent adds and
 * deletes their own; shared ones are managed by supervisors and admins.
 * Adding a response with the same owner, shortcut and language replaces its text.
 */
final class CannedResponses {
    static final int MAX_SHORTCUT = 30;
    static final int MAX_TEXT = 4000;
    private static final Pattern LEADING_SLASHES = Pattern.compile("^/+");

    private CannedResponses() {
    }

    /** Who may manage the shared responses: supervisors and admins. */
    static boolean managesShared(Agent agent) {
        return agent.supervises();
    }

    static List<Map<String, Object>> list(StoreTx tx, Agent agent) {
        return tx.cannedFor(agent.id()).stream().map(CannedResponses::json).toList();
    }

    /** What a POST asks for, validated: the shortcut as stored (no slash, lower case). */
    record Draft(String shortcut, String locale, String text, boolean shared) {
    }

    static Draft draft(JsonNode body) {
        String shortcut = LEADING_SLASHES.matcher(text(body, "shortcut").strip()).replaceFirst("")
                .toLowerCase(Locale.ROOT);
        if (shortcut.isEmpty() || shortcut.codePoints().anyMatch(Character::isWhitespace)) {
            throw bad("field 'shortcut' must be one word, like /배송 (no spaces)");
        }
        if (shortcut.codePointCount(0, shortcut.length()) > MAX_SHORTCUT) {
            throw bad("field 'shortcut' is longer than " + MAX_SHORTCUT + " characters");
        }
        String locale = text(body, "locale");
        if (!locale.equals("ko") && !locale.equals("en")) {
            throw bad("field 'locale' must be ko or en");
        }
        String text = text(body, "text").strip();
        if (text.isEmpty() || text.codePointCount(0, text.length()) > MAX_TEXT) {
            throw bad("field 'text' must have 1 to " + MAX_TEXT + " characters");
        }
        JsonNode scope = body.get("scope");
        String scopeName = scope == null || scope.isNull() ? "personal" : scope.asText("");
        if (!scopeName.equals("personal") && !scopeName.equals("shared")) {
            throw bad("field 'scope' must be personal or shared");
        }
        return new Draft(shortcut, locale, text, scopeName.equals("shared"));
    }

    /** Adds the response, or replaces the text of the one with the same owner, shortcut and language. */
    static Map<String, Object> save(StoreTx tx, Agent agent, Draft draft, Ids ids, Instant now) {
        if (draft.shared() && !managesShared(agent)) {
            throw new ChatException(ErrorCode.FORBIDDEN, "only supervisors and admins manage shared responses");
        }
        String owner = draft.shared() ? null : agent.id();
        String id = tx.cannedByKey(owner, draft.shortcut(), draft.locale()).map(CannedResponse::id)
                .orElseGet(() -> ids.next("cr_"));
        CannedResponse saved = new CannedResponse(id, owner, draft.shortcut(), draft.locale(), draft.text(), now);
        tx.saveCanned(saved);
        return json(saved);
    }

    /** Someone else's own response is reported missing: never a hint that it exists. */
    static Map<String, Object> delete(StoreTx tx, Agent agent, String id) {
        CannedResponse found = tx.canned(id)
                .filter(r -> r.shared() || r.ownerId().equals(agent.id()))
                .orElseThrow(() -> new ChatException(ErrorCode.NOT_FOUND, "no such canned response"));
        if (found.shared() && !managesShared(agent)) {
            throw new ChatException(ErrorCode.FORBIDDEN, "only supervisors and admins manage shared responses");
        }
        tx.deleteCanned(id);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("deleted", true);
        return json;
    }

    static Map<String, Object> json(CannedResponse r) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", r.id());
        json.put("scope", r.shared() ? "shared" : "personal");
        json.put("shortcut", r.shortcut());
        json.put("locale", r.locale());
        json.put("text", r.text());
        json.put("updatedAt", r.updatedAt().toString());
        return json;
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual()) {
            throw bad("field '" + field + "' is required: a string");
        }
        return value.textValue();
    }

    private static ChatException bad(String message) {
        return new ChatException(ErrorCode.BAD_REQUEST, message);
    }
}
