package dev.sodam.server.protocol;

import dev.sodam.server.conversation.ErrorCode;

/** A frame that cannot be accepted as it is; becomes an {@code error} frame, the connection stays open. */
public final class ProtocolException extends RuntimeException {
    private final ErrorCode code;
    private final String ref;

    public ProtocolException(ErrorCode code, String message, String ref) {
        super(message, null, false, false);
        this.code = code;
        this.ref = ref;
    }

    public ErrorCode code() {
        return code;
    }

    public String ref() {
        return ref;
    }
}
