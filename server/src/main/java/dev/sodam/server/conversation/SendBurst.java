package dev.sodam.server.conversation;

/**
 * Brackets what the domain thread sends after a batch commits (acks, replies and the frames of the
 * batch's events), so that the transport may send it as one burst instead of frame by frame. The
 * domain knows nothing of the transport; the server plugs in the WebSocket writer's.
 */
public interface SendBurst {
    /** Sends as it goes: for tests and for a service without connections. */
    SendBurst NONE = new SendBurst() {
        @Override
        public boolean begin() {
            return false;
        }

        @Override
        public void end() {
        }
    };

    /** Starts holding what this thread sends; false when it already was (then the caller must not end it). */
    boolean begin();

    /** Sends what was held since {@link #begin}. */
    void end();
}
