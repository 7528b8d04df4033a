package dev.sodam.server.conversation;

import dev.sodam.server.util.Text;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A refusal with a protocol error code; the request had no effect. A refusal an admin page can
 * cause also carries a {@link Reason}: the message is English for logs and API users, and the
 * reason lets a Korean page say the same thing in Korean (docs/protocol.md, "HTTP errors").
 */
public final class ChatException extends RuntimeException {
    private final ErrorCode code;
    private final transient Detail detail;

    /**
     * Why a value was refused, as a stable key the admin pages translate ({@code reason} on the wire).
     * Keys are added, never renamed: a page that does not know one shows the English message.
     */
    public enum Reason {
        /** The field is missing or blank. */
        REQUIRED,
        /** Longer than {@code max} characters ({@code count} given). */
        TOO_LONG,
        /** Shorter than {@code min} characters ({@code count} given). */
        TOO_SHORT,
        /** More than {@code max} items ({@code count} given). */
        TOO_MANY,
        /** A number outside {@code min}–{@code max}. */
        OUT_OF_RANGE,
        /** Not of the form the field needs (an address, a colour, an id); {@code value} when short. */
        INVALID,
        /** A tag with a space inside ({@code value}); tags are separated by commas. */
        TAG_HAS_SPACE,
        /** A link in an answer to something other than http, https or mailto ({@code value}). */
        UNSAFE_LINK,
        /** Names a team, site, user or entry that does not exist ({@code value}). */
        UNKNOWN,
        /** The value is taken already ({@code value}): an id, an email address. */
        DUPLICATE,
        /** A list or file names the same thing twice ({@code value}). */
        REPEATED,
        /** Changed by someone else since {@code version} was read ({@code current} is the version now). */
        STALE,
        /**
         * A report's period that cannot be: {@code from} not before {@code to} (field {@code from}), or
         * longer than {@code max} days ({@code count} asked for).
         */
        BAD_RANGE,
        /**
         * Two of a team's opening hours overlap: {@code day} {@code value} and {@code otherDay} {@code other}
         * (day keys mon..sun, ranges as written).
         */
        OVERLAP,
        /** A value that is fixed once made (an id, an account's email, a site key; {@code value} as sent). */
        CANNOT_CHANGE,
        /** (403) An admin of one site ({@code site}) named another ({@code value}). */
        FORBIDDEN_SITE,
        /** (403) Installation-wide data (the FAQ, the bot, teams, new sites) and an admin of one site ({@code site}). */
        INSTALLATION_ONLY,
        /** (409) Still used by {@code count} records of the kind {@code field} names (a team's conversations, entries). */
        IN_USE,
        /** (409) An admin's own account: not disabled, nor its role or site changed, by that admin. */
        OWN_ACCOUNT;

        /** The key on the wire: {@code too_long}. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A reason with the field it concerns (null: the request as a whole) and its numbers or value. */
    public record Detail(Reason reason, String field, Map<String, Object> params) {
        public Detail {
            params = params == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(params));
        }
    }

    public ChatException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public ChatException(ErrorCode code, String message, Detail detail) {
        super(message, null, false, false);
        this.code = code;
        this.detail = detail;
    }

    /**
     * A {@code bad_request} with its reason; {@code params} are name, value pairs
     * ({@code "max", 200, "count", 231}).
     */
    public static ChatException invalid(String message, Reason reason, String field, Object... params) {
        return refused(ErrorCode.BAD_REQUEST, message, reason, field, params);
    }

    /** A refusal with any code and its reason; {@code params} as for {@link #invalid}. */
    public static ChatException refused(ErrorCode code, String message, Reason reason, String field,
                                        Object... params) {
        if (params.length % 2 != 0) {
            throw new IllegalArgumentException("params are name, value pairs");
        }
        Map<String, Object> named = new LinkedHashMap<>();
        for (int i = 0; i < params.length; i += 2) {
            if (params[i + 1] != null) {
                named.put((String) params[i], params[i + 1]);
            }
        }
        return new ChatException(code, message, new Detail(reason, field, named));
    }

    /**
     * 403 for an admin of one site ({@code ownSite}) who names another ({@code named}): the page says
     * which site is theirs. The named site is cut to 40 characters, as any value sent back.
     */
    public static ChatException otherSite(String message, String ownSite, String named) {
        return refused(ErrorCode.FORBIDDEN, message, Reason.FORBIDDEN_SITE, "site", "site", ownSite,
                "value", named == null ? null : Text.truncate(named, 40));
    }

    /** 403 for an admin of one site ({@code ownSite}) who touches installation-wide data. */
    public static ChatException installationOnly(String message, String ownSite) {
        return refused(ErrorCode.FORBIDDEN, message, Reason.INSTALLATION_ONLY, null, "site", ownSite);
    }

    public ErrorCode code() {
        return code;
    }

    /** The reason, field and numbers of the refusal, or null when it has none. */
    public Detail detail() {
        return detail;
    }
}
