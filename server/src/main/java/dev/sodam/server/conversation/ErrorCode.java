package dev.sodam.server.conversation;

import java.util.Locale;

/** Error codes of the wire protocol and the HTTP API (docs/protocol.md). */
public enum ErrorCode {
    BAD_REQUEST(400), UNAUTHORIZED(401), FORBIDDEN(403), NOT_FOUND(404), CONFLICT(409), TOO_LARGE(413), UNSUPPORTED_TYPE(415),
    RATE_LIMITED(429), INTERNAL(500);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
