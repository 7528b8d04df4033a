package dev.sodam.server.delivery;

import dev.sodam.server.auth.Principal;
import dev.sodam.server.protocol.ServerFrame;
import java.util.concurrent.CompletableFuture;

/** One authenticated connection, as delivery sees it. Implemented over a Netty channel in {@code ws}. */
public interface Session {

    Principal principal();

    /** Queues a frame for the connection; never blocks, may be called from any thread. */
    void send(ServerFrame frame);

    /** Queues an already serialised frame (fan-out serialises once for all recipients). */
    void sendJson(String json);

    /**
     * Records that message {@code seq} of the conversation goes out on this connection, and answers
     * whether it is new here. With several nodes one message can reach a node twice (the pub/sub copy
     * of a message a catch-up from the store already brought), and a connection must never get one seq
     * twice; so a seq at or below the highest one sent is refused. Sessions that keep no record answer
     * true.
     */
    default boolean markSent(String conversationId, long seq) {
        return true;
    }

    /** The highest seq of the conversation sent on this connection, 0 when none (or not recorded). */
    default long lastSent(String conversationId) {
        return 0;
    }

    /**
     * Drops the record of {@link #markSent} for a conversation this connection is no longer sent messages
     * of. Every agent of a site is sent the messages of every queued chat, so without this each agent's
     * connection kept a seq for every chat it ever saw queued: 1,000 agents and 5,000 chats held five
     * million entries, and G1's young pauses over them were the 60–90 ms tail of scenario b at 5k chats.
     */
    default void forget(String conversationId) {
    }

    /** Every conversation this connection was sent messages of, with the highest seq sent. */
    default java.util.Map<String, Long> sentSeqs() {
        return java.util.Map.of();
    }

    /** SHA-256 of the login token an agent connected with; null for visitors. */
    default String tokenHash() {
        return null;
    }

    /**
     * Ends the connection because this server is going away (WebSocket status 1012, service
     * restart): the client reconnects, to this server once it is back or to another node, and
     * resumes by seq. Completes once the close frame is written (or failed).
     */
    default CompletableFuture<Void> closeForRestart() {
        return CompletableFuture.completedFuture(null);
    }

    /** Ends the connection, telling the client why (its access was taken away). */
    default void close(String reason) {
    }
}
