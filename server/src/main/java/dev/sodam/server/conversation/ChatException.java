package dev.sodam.server.conversation;

/** A refusal with a protocol error code; the request had no effect. */
public final class ChatException extends RuntimeException {
    private final ErrorCode code;

    public ChatException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
