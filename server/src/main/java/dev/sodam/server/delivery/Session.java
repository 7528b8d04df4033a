package dev.sodam.server.delivery;

import dev.sodam.server.auth.Principal;
import dev.sodam.server.protocol.ServerFrame;

/** One authenticated connection, as delivery sees it. Implemented over a Netty channel in {@code ws}. */
public interface Session {

    Principal principal();

    /** Queues a frame for the connection; never blocks, may be called from any thread. */
    void send(ServerFrame frame);

    /** Queues an already serialised frame (fan-out serialises once for all recipients). */
    void sendJson(String json);

    /** SHA-256 of the login token an agent connected with; null for visitors. */
    default String tokenHash() {
        return null;
    }

    /** Ends the connection, telling the client why (its access was taken away). */
    default void close(String reason) {
    }
}
