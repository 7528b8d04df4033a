package dev.sodam.server.site;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.conversation.ChatException.Reason;
import dev.sodam.server.util.Json;
import dev.sodam.server.util.Text;
import java.net.URI;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The settings document of a site (docs/admin.md): validated field by field, unknown fields
 * refused, and completed with the defaults so the widget always gets every field. Immutable: a
 * wrapper around a JSON tree that nobody else holds.
 */
public final class SiteSettings {
    private static final Pattern COLOR = Pattern.compile("#[0-9a-fA-F]{6}");
    private static final Set<String> TOP = Set.of("accentColor", "position", "greeting", "logoUrl", "agentNames",
            "prechat", "privacy", "offline", "nps", "quickReplies");
    private static final Set<String> POSITIONS = Set.of("right", "left");
    private static final Set<String> AGENT_NAMES = Set.of("name", "generic");
    private static final Set<String> OFFLINE_MODES = Set.of("form", "chat");
    private static final Set<String> FIELDS = Set.of("name", "email", "phone");
    private static final int MAX_TEXT = 1000;
    private static final int MAX_QUICK_REPLIES = 6;
    private static final int MAX_QUICK_REPLY = 60;

    private final ObjectNode tree;

    private SiteSettings(ObjectNode tree) {
        this.tree = tree;
    }

    /** The defaults: the look of the demo, no pre-chat form, no offline form, no NPS. */
    public static SiteSettings defaults() {
        ObjectNode t = Json.MAPPER.createObjectNode();
        t.put("accentColor", "#0f766e");
        t.put("position", "right");
        ObjectNode greeting = t.putObject("greeting");
        greeting.put("ko", "안녕하세요! 무엇을 도와드릴까요?");
        greeting.put("en", "Hi! How can we help?");
        t.putNull("logoUrl");
        t.put("agentNames", "name");
        ObjectNode prechat = t.putObject("prechat");
        prechat.put("enabled", false);
        ArrayNode fields = prechat.putArray("fields");
        fields.addObject().put("id", "name").put("required", true);
        fields.addObject().put("id", "email").put("required", true);
        ObjectNode privacy = t.putObject("privacy");
        privacy.put("ko", "상담을 위해 이름과 이메일을 수집하며, 상담 종료 후 1년간 보관합니다.");
        privacy.put("en", "We collect your name and e-mail to answer you and keep them for one year after the chat.");
        privacy.putNull("url");
        // Queue as before unless the site asks for the offline form: existing sites keep their behaviour.
        t.putObject("offline").put("mode", "chat");
        ObjectNode nps = t.putObject("nps");
        nps.put("enabled", false);
        ObjectNode question = nps.putObject("question");
        question.put("ko", "저희를 친구나 동료에게 추천할 가능성은 얼마나 되나요?");
        question.put("en", "How likely are you to recommend us to a friend or colleague?");
        // Buttons under the greeting that send their text, until the visitor has said something.
        ObjectNode quick = t.putObject("quickReplies");
        quick.putArray("ko");
        quick.putArray("en");
        return new SiteSettings(t);
    }

    /** Reads stored JSON (already validated when it was written) over the defaults. */
    public static SiteSettings stored(String json) {
        try {
            return defaults().with(Json.MAPPER.readTree(json));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("corrupt site settings: " + e.getMessage(), e);
        }
    }

    /**
     * These settings with {@code change} applied: every given field replaces the current one (objects
     * field by field). Bad input is a {@code bad_request} naming the field; nothing partial.
     */
    public SiteSettings with(JsonNode change) {
        if (change == null || !change.isObject()) {
            throw ChatException.invalid("settings must be a JSON object", Reason.INVALID, "body");
        }
        ObjectNode next = tree.deepCopy();
        Iterator<Map.Entry<String, JsonNode>> fields = change.properties().iterator();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            switch (key) {
                case "accentColor" -> {
                    String color = text(value, key, 7);
                    if (!COLOR.matcher(color).matches()) {
                        throw ChatException.invalid("'accentColor' must be a colour like #0f766e", Reason.INVALID,
                                key, "value", color);
                    }
                    next.put(key, color.toLowerCase(java.util.Locale.ROOT));
                }
                case "position" -> next.put(key, oneOf(value, key, POSITIONS));
                case "agentNames" -> next.put(key, oneOf(value, key, AGENT_NAMES));
                case "greeting" -> next.set(key, localized(value, key, (ObjectNode) next.get(key)));
                case "logoUrl" -> next.set(key, value.isNull() ? value : Json.MAPPER.getNodeFactory().textNode(url(value, key)));
                case "privacy" -> {
                    ObjectNode privacy = localized(value, key, (ObjectNode) next.get(key), "url");
                    JsonNode link = value.get("url");
                    if (link != null) {
                        privacy.set("url", link.isNull() ? link : Json.MAPPER.getNodeFactory().textNode(url(link, "privacy.url")));
                    }
                    next.set(key, privacy);
                }
                case "offline" -> {
                    only(value, key, Set.of("mode"));
                    ((ObjectNode) next.get(key)).put("mode", oneOf(value.get("mode"), "offline.mode", OFFLINE_MODES));
                }
                case "nps" -> {
                    only(value, key, Set.of("enabled", "question"));
                    ObjectNode nps = (ObjectNode) next.get(key);
                    if (value.has("enabled")) {
                        nps.put("enabled", bool(value.get("enabled"), "nps.enabled"));
                    }
                    if (value.has("question")) {
                        nps.set("question", localized(value.get("question"), "nps.question",
                                (ObjectNode) nps.get("question")));
                    }
                }
                case "prechat" -> next.set(key, prechat(value, (ObjectNode) next.get(key)));
                case "quickReplies" -> next.set(key, quickReplies(value, (ObjectNode) next.get(key)));
                default -> throw ChatException.invalid("unknown setting '" + key + "' (known: " + String.join(", ",
                        TOP.stream().sorted().toList()) + ")", Reason.UNKNOWN, "settings", "value", Text.truncate(key, 40),
                        "known", String.join(", ", TOP.stream().sorted().toList()));
            }
        }
        return new SiteSettings(next);
    }

    /** Per language at most six distinct buttons of 1–60 characters; a language not given stays. */
    private static ObjectNode quickReplies(JsonNode value, ObjectNode current) {
        only(value, "quickReplies", Set.of("ko", "en"));
        ObjectNode out = current.deepCopy();
        for (Map.Entry<String, JsonNode> locale : value.properties()) {
            String field = "quickReplies." + locale.getKey();
            JsonNode list = locale.getValue();
            if (!list.isArray() || list.size() > MAX_QUICK_REPLIES) {
                throw list.isArray()
                        ? ChatException.invalid("'" + field + "' must be a list of at most " + MAX_QUICK_REPLIES
                                + " texts", Reason.TOO_MANY, field, "count", list.size(), "max", MAX_QUICK_REPLIES)
                        : ChatException.invalid("'" + field + "' must be a list of at most " + MAX_QUICK_REPLIES
                                + " texts", Reason.INVALID, field);
            }
            ArrayNode replies = out.putArray(locale.getKey());
            Set<String> seen = new java.util.HashSet<>();
            for (JsonNode item : list) {
                String text = text(item, field, MAX_QUICK_REPLY).strip();
                if (text.isEmpty() || text.contains("\n")) {
                    throw ChatException.invalid("each of '" + field + "' must be one line of 1 to " + MAX_QUICK_REPLY
                            + " characters", text.isEmpty() ? Reason.REQUIRED : Reason.INVALID, field,
                            "max", MAX_QUICK_REPLY);
                }
                if (!seen.add(text)) {
                    throw ChatException.invalid("'" + field + "' lists '" + text + "' twice", Reason.REPEATED, field,
                            "value", text);
                }
                replies.add(text);
            }
        }
        return out;
    }

    private static ObjectNode prechat(JsonNode value, ObjectNode current) {
        only(value, "prechat", Set.of("enabled", "fields"));
        ObjectNode out = current.deepCopy();
        if (value.has("enabled")) {
            out.put("enabled", bool(value.get("enabled"), "prechat.enabled"));
        }
        if (value.has("fields")) {
            JsonNode fields = value.get("fields");
            if (!fields.isArray() || fields.size() > FIELDS.size()) {
                String message = "'prechat.fields' must be a list of at most " + FIELDS.size() + " fields";
                throw fields.isArray()
                        ? ChatException.invalid(message, Reason.TOO_MANY, "prechat.fields", "count", fields.size(),
                                "max", FIELDS.size())
                        : ChatException.invalid(message, Reason.INVALID, "prechat.fields");
            }
            ArrayNode clean = out.putArray("fields");
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (JsonNode f : fields) {
                only(f, "prechat.fields[]", Set.of("id", "required"));
                String id = oneOf(f.get("id"), "prechat.fields[].id", FIELDS);
                if (!seen.add(id)) {
                    throw ChatException.invalid("'prechat.fields' names '" + id + "' twice", Reason.REPEATED,
                            "prechat.fields", "value", id);
                }
                clean.addObject().put("id", id).put("required", f.has("required") && bool(f.get("required"),
                        "prechat.fields[].required"));
            }
        }
        return out;
    }

    private static ObjectNode localized(JsonNode value, String field, ObjectNode current, String... alsoAllowed) {
        java.util.Set<String> allowed = new java.util.HashSet<>(List.of("ko", "en"));
        allowed.addAll(List.of(alsoAllowed));
        only(value, field, allowed);
        ObjectNode out = current.deepCopy();
        for (String locale : List.of("ko", "en")) {
            if (value.has(locale)) {
                String text = text(value.get(locale), field + "." + locale, MAX_TEXT).strip();
                if (text.isEmpty()) {
                    throw ChatException.invalid("'" + field + "." + locale + "' must not be blank", Reason.REQUIRED,
                            field + "." + locale);
                }
                out.put(locale, text);
            }
        }
        return out;
    }

    private static void only(JsonNode value, String field, Set<String> allowed) {
        if (value == null || !value.isObject()) {
            throw ChatException.invalid("'" + field + "' must be an object", Reason.INVALID, field);
        }
        value.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                // Named by the setting it is in ('greeting'), with the part it does not have as the value.
                throw ChatException.invalid("unknown field '" + field + "." + name + "'", Reason.UNKNOWN, field,
                        "value", Text.truncate(name, 40), "known", String.join(", ", allowed.stream().sorted().toList()));
            }
        });
    }

    private static String oneOf(JsonNode value, String field, Set<String> allowed) {
        String text = text(value, field, 32);
        if (!allowed.contains(text)) {
            throw ChatException.invalid("'" + field + "' must be one of " + String.join(", ",
                    allowed.stream().sorted().toList()), Reason.INVALID, field, "value", Text.truncate(text, 40),
                    "known", String.join(", ", allowed.stream().sorted().toList()));
        }
        return text;
    }

    private static boolean bool(JsonNode value, String field) {
        if (value == null || !value.isBoolean()) {
            throw ChatException.invalid("'" + field + "' must be true or false", Reason.INVALID, field);
        }
        return value.booleanValue();
    }

    private static String text(JsonNode value, String field, int max) {
        if (value == null || !value.isTextual()) {
            throw ChatException.invalid("'" + field + "' must be a string", Reason.INVALID, field);
        }
        if (Text.chars(value.textValue()) > max) {
            throw ChatException.invalid("'" + field + "' is longer than " + max + " characters", Reason.TOO_LONG, field,
                    "count", Text.chars(value.textValue()), "max", max);
        }
        return value.textValue();
    }

    /** Only absolute http(s) URLs: a javascript: or data: logo would run or smuggle content. */
    private static String url(JsonNode value, String field) {
        String text = text(value, field, 2000).strip();
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if ((scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null) {
                return uri.toString();
            }
        } catch (java.net.URISyntaxException e) {
            // answered below
        }
        throw ChatException.invalid("'" + field + "' must be an http or https URL", Reason.INVALID, field);
    }

    /** A copy of the document, for answers (callers may add to it). */
    public ObjectNode json() {
        return tree.deepCopy();
    }

    public String toJson() {
        return tree.toString();
    }

    public boolean npsEnabled() {
        return tree.path("nps").path("enabled").asBoolean(false);
    }
}
