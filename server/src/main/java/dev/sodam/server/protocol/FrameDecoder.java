package dev.sodam.server.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.conversation.ErrorCode;
import dev.sodam.server.model.Feedback;
import dev.sodam.server.util.Json;
import dev.sodam.server.util.Text;
import java.util.Set;

/**
 * Parses and validates one client text frame. Every way a frame can be wrong ends in a
 * {@link ProtocolException} with the field at fault named, never in a crash.
 */
public final class FrameDecoder {
    private static final int MAX_ID_CHARS = 64;
    private static final int MAX_REF_CHARS = 64;
    private static final int MAX_URL_CHARS = 2048;
    private static final int MAX_TITLE_CHARS = 300;
    private static final int MAX_LABEL_CHARS = 30;
    /**
     * A BCP 47 language tag as browsers write it ({@code ko}, {@code ko-KR}, {@code zh-Hant-TW}; also
     * {@code ko_KR} as Java and POSIX write it): a 2–3 letter language and optional subtags.
     */
    private static final java.util.regex.Pattern LANGUAGE_TAG =
            java.util.regex.Pattern.compile("[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*");
    /** The longest tag worth reading (BCP 47 recommends supporting 35 characters). */
    private static final int MAX_LOCALE_CHARS = 35;
    private static final Set<String> PRESENCES = Set.of("online", "away", "offline");

    private final int maxTextChars;

    public FrameDecoder(int maxTextChars) {
        this.maxTextChars = maxTextChars;
    }

    public ClientFrame decode(String text) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "frame is not valid JSON", null);
        }
        if (node == null || !node.isObject()) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "frame must be a JSON object", null);
        }
        String ref = optionalString(node, "ref", MAX_REF_CHARS, null);
        String type = optionalString(node, "type", 32, ref);
        if (type == null) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "field 'type' is required", ref);
        }
        return switch (type) {
            case "hello" -> hello(node, ref);
            case "send" -> send(node, ref);
            case "handoff" -> new ClientFrame.Handoff(ref, optionalString(node, "conversationId", MAX_ID_CHARS, ref));
            case "sync" -> new ClientFrame.Sync(ref, requiredString(node, "conversationId", MAX_ID_CHARS, ref),
                    nonNegative(node, "afterSeq", ref, true));
            case "typing" -> new ClientFrame.Typing(ref, requiredString(node, "conversationId", MAX_ID_CHARS, ref),
                    requiredBoolean(node, "on", ref));
            case "read" -> new ClientFrame.Read(ref, requiredString(node, "conversationId", MAX_ID_CHARS, ref),
                    nonNegative(node, "seq", ref, false));
            case "accept" -> new ClientFrame.Accept(ref, requiredString(node, "conversationId", MAX_ID_CHARS, ref));
            case "resolve" -> new ClientFrame.Resolve(ref, requiredString(node, "conversationId", MAX_ID_CHARS, ref));
            case "decline" -> new ClientFrame.Decline(ref, requiredString(node, "conversationId", MAX_ID_CHARS, ref));
            case "presence" -> presence(node, ref);
            case "transfer" -> new ClientFrame.Transfer(ref, requiredString(node, "conversationId", MAX_ID_CHARS, ref),
                    optionalString(node, "toAgentId", MAX_ID_CHARS, ref), optionalString(node, "toTeamId", MAX_ID_CHARS, ref),
                    optionalText(node, "note", ref));
            case "colleagues" -> new ClientFrame.Colleagues(ref,
                    requiredString(node, "conversationId", MAX_ID_CHARS, ref));
            case "note" -> new ClientFrame.Note(ref, requiredString(node, "conversationId", MAX_ID_CHARS, ref),
                    requiredText(node, "text", ref));
            case "rate" -> rate(node, ref);
            case "page" -> page(node, ref);
            case "identify" -> identify(node, ref);
            case "label" -> label(node, ref);
            default -> throw new ProtocolException(ErrorCode.BAD_REQUEST, "unknown type '" + type + "'", ref);
        };
    }

    private ClientFrame hello(JsonNode node, String ref) {
        String role = requiredString(node, "role", 16, ref);
        if (role.equals("agent")) {
            return new ClientFrame.Hello(ref, role, null, null, null, null, 0,
                    requiredString(node, "token", 256, ref));
        }
        if (!role.equals("visitor")) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "field 'role' must be 'visitor' or 'agent'", ref);
        }
        String site = requiredString(node, "site", MAX_ID_CHARS, ref);
        String token = optionalString(node, "visitorToken", 256, ref);
        String locale = visitorLocale(optionalString(node, "locale", MAX_LOCALE_CHARS, ref), ref);
        JsonNode resume = node.get("resume");
        String resumeId = null;
        long lastSeq = 0;
        if (resume != null && !resume.isNull()) {
            if (!resume.isObject()) {
                throw new ProtocolException(ErrorCode.BAD_REQUEST, "field 'resume' must be an object", ref);
            }
            resumeId = requiredString(resume, "conversationId", MAX_ID_CHARS, ref);
            lastSeq = nonNegative(resume, "lastSeq", ref, true);
        }
        return new ClientFrame.Hello(ref, role, site, token, locale, resumeId, lastSeq, null);
    }

    /**
     * The language a visitor is spoken to in, from the hello's language tag (docs/protocol.md, "Visitor"):
     * Korean for {@code ko}, {@code ko-KR}, {@code kor}; English for {@code en-US} and for every other
     * language (Sodam has only these two, and English is the one more visitors of another language read);
     * Korean when there is no tag (Korean first). Something that is not a language tag at all is a
     * broken client, told so with {@code bad_request} instead of guessed at.
     */
    static String visitorLocale(String tag, String ref) {
        if (tag == null) {
            return "ko";
        }
        if (!LANGUAGE_TAG.matcher(tag).matches()) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "field 'locale' must be a language tag such as ko, en "
                    + "or ko-KR", ref);
        }
        String language = tag.split("[-_]", 2)[0].toLowerCase(java.util.Locale.ROOT);
        return language.equals("ko") || language.equals("kor") ? "ko" : "en";
    }

    private static ClientFrame presence(JsonNode node, String ref) {
        String status = requiredString(node, "status", 16, ref);
        if (!PRESENCES.contains(status)) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "field 'status' must be online, away or offline", ref);
        }
        return new ClientFrame.Presence(ref, status);
    }

    /** Limits of identify: few enough and short enough to show in the console's chat view. */
    private static final int MAX_NAME_CHARS = 100;
    private static final int MAX_EMAIL_CHARS = 254;
    private static final int MAX_ATTRIBUTES = 30;
    private static final int MAX_ATTRIBUTE_KEY_CHARS = 64;
    private static final int MAX_ATTRIBUTE_VALUE_CHARS = 500;

    private static ClientFrame identify(JsonNode node, String ref) {
        String name = optionalString(node, "name", MAX_NAME_CHARS, ref);
        name = name == null || name.isBlank() ? null : name.strip();
        String email = optionalString(node, "email", MAX_EMAIL_CHARS, ref);
        email = email == null || email.isBlank() ? null : email.strip();
        if (email != null && (email.indexOf('@') < 1 || email.indexOf('@') == email.length() - 1
                || email.chars().anyMatch(Character::isWhitespace))) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "field 'email' is not an e-mail address", ref);
        }
        String externalId = optionalString(node, "externalId", 128, ref);
        java.util.Map<String, String> attributes = new java.util.LinkedHashMap<>();
        JsonNode attrs = node.get("attributes");
        if (attrs != null && !attrs.isNull()) {
            if (!attrs.isObject()) {
                throw new ProtocolException(ErrorCode.BAD_REQUEST, "field 'attributes' must be an object", ref);
            }
            if (attrs.size() > MAX_ATTRIBUTES) {
                throw new ProtocolException(ErrorCode.BAD_REQUEST,
                        "field 'attributes' has more than " + MAX_ATTRIBUTES + " entries", ref);
            }
            var fields = attrs.properties().iterator();
            while (fields.hasNext()) {
                var entry = fields.next();
                JsonNode value = entry.getValue();
                if (entry.getKey().isBlank() || Text.chars(entry.getKey()) > MAX_ATTRIBUTE_KEY_CHARS) {
                    throw new ProtocolException(ErrorCode.BAD_REQUEST, "attribute names are 1 to "
                            + MAX_ATTRIBUTE_KEY_CHARS + " characters", ref);
                }
                if (value.isNull()) {
                    continue;
                }
                if (!value.isValueNode()) {
                    throw new ProtocolException(ErrorCode.BAD_REQUEST,
                            "attribute '" + entry.getKey() + "' must be a string, number or boolean", ref);
                }
                String text = value.asText();
                if (Text.chars(text) > MAX_ATTRIBUTE_VALUE_CHARS) {
                    throw new ProtocolException(ErrorCode.BAD_REQUEST, "attribute '" + entry.getKey()
                            + "' is longer than " + MAX_ATTRIBUTE_VALUE_CHARS + " characters", ref);
                }
                attributes.put(entry.getKey(), text);
            }
        }
        return new ClientFrame.Identify(ref, name, email, externalId, attributes);
    }

    private ClientFrame rate(JsonNode node, String ref) {
        String conversationId = requiredString(node, "conversationId", MAX_ID_CHARS, ref);
        String kindName = requiredString(node, "kind", 16, ref);
        Feedback.Kind kind = Feedback.Kind.fromWire(kindName);
        if (kind == null) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "field 'kind' must be thumbs, csat or nps", ref);
        }
        String messageId = optionalString(node, "messageId", MAX_ID_CHARS, ref);
        if (kind == Feedback.Kind.THUMBS && messageId == null) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "field 'messageId' is required for thumbs", ref);
        }
        if (kind != Feedback.Kind.THUMBS && messageId != null) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "field 'messageId' is only for thumbs", ref);
        }
        JsonNode score = node.get("score");
        if (score == null || !score.isIntegralNumber() || !score.canConvertToInt() || !kind.allows(score.intValue())) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "field 'score' must be a whole number from "
                    + kind.min() + " to " + kind.max() + " for " + kind.wire(), ref);
        }
        String comment = optionalText(node, "comment", ref);
        if (comment != null && comment.isBlank()) {
            comment = null;
        }
        if (comment != null && kind == Feedback.Kind.THUMBS) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "field 'comment' is only for csat and nps", ref);
        }
        return new ClientFrame.Rate(ref, conversationId, kind.wire(), messageId, score.intValue(),
                comment == null ? null : comment.strip());
    }

    /** A label is one short line: trimmed, 1 to 30 characters, no control characters. */
    private static ClientFrame label(JsonNode node, String ref) {
        String conversationId = requiredString(node, "conversationId", MAX_ID_CHARS, ref);
        String label = requiredString(node, "label", MAX_LABEL_CHARS + 10, ref).strip();
        if (label.isEmpty() || label.codePointCount(0, label.length()) > MAX_LABEL_CHARS
                || label.codePoints().anyMatch(Character::isISOControl)) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST,
                    "field 'label' must be 1 to " + MAX_LABEL_CHARS + " characters on one line", ref);
        }
        return new ClientFrame.Label(ref, conversationId, label, requiredBoolean(node, "on", ref));
    }

    /** Origin and path only: a query string or fragment may hold personal data or tokens, so it is dropped. */
    private static ClientFrame page(JsonNode node, String ref) {
        String url = requiredString(node, "url", MAX_URL_CHARS, ref);
        if (!url.startsWith("https://") && !url.startsWith("http://")) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "field 'url' must be an http(s) URL", ref);
        }
        int cut = url.length();
        for (char c : new char[] {'?', '#'}) {
            int at = url.indexOf(c);
            if (at >= 0 && at < cut) {
                cut = at;
            }
        }
        String title = optionalString(node, "title", MAX_TITLE_CHARS, ref);
        return new ClientFrame.Page(ref, url.substring(0, cut), title == null ? "" : title.strip());
    }

    private ClientFrame send(JsonNode node, String ref) {
        String clientMsgId = requiredString(node, "clientMsgId", MAX_ID_CHARS, ref);
        String conversationId = optionalString(node, "conversationId", MAX_ID_CHARS, ref);
        String value = requiredText(node, "text", ref);
        String faqId = optionalString(node, "faqId", 128, ref);
        JsonNode handoff = node.get("handoff");
        if (handoff != null && !handoff.isNull() && !handoff.isBoolean()) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "field 'handoff' must be true or false", ref);
        }
        return new ClientFrame.Send(ref, clientMsgId, conversationId, value, faqId, handoff != null && handoff.asBoolean());
    }

    /** Message-like text: present, a string, not blank, within the character limit. */
    private String requiredText(JsonNode node, String field, String ref) {
        String value = optionalText(node, field, ref);
        if (value == null) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "field '" + field + "' is required", ref);
        }
        if (value.isBlank()) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "field '" + field + "' must not be blank", ref);
        }
        return value;
    }

    private String optionalText(JsonNode node, String field, String ref) {
        JsonNode text = node.get(field);
        if (text == null || text.isNull()) {
            return null;
        }
        if (!text.isTextual()) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "field '" + field + "' must be a string", ref);
        }
        String value = text.textValue();
        if (value.codePointCount(0, value.length()) > maxTextChars) {
            throw new ProtocolException(ErrorCode.TOO_LARGE,
                    "field '" + field + "' is longer than " + maxTextChars + " characters", ref);
        }
        return value;
    }

    private static String requiredString(JsonNode node, String field, int maxChars, String ref) {
        String value = optionalString(node, field, maxChars, ref);
        if (value == null || value.isEmpty()) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "field '" + field + "' is required", ref);
        }
        return value;
    }

    private static String optionalString(JsonNode node, String field, int maxChars, String ref) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "field '" + field + "' must be a string", ref);
        }
        if (Text.chars(value.textValue()) > maxChars) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST,
                    "field '" + field + "' is longer than " + maxChars + " characters", ref);
        }
        return value.textValue();
    }

    private static long nonNegative(JsonNode node, String field, String ref, boolean defaultZero) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (defaultZero) {
                return 0;
            }
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "field '" + field + "' is required", ref);
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST,
                    "field '" + field + "' must be a whole number >= 0", ref);
        }
        return value.longValue();
    }

    private static boolean requiredBoolean(JsonNode node, String field, String ref) {
        JsonNode value = node.get(field);
        if (value == null || !value.isBoolean()) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "field '" + field + "' must be true or false", ref);
        }
        return value.booleanValue();
    }
}
