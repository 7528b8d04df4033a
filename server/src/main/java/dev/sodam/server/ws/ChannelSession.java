package dev.sodam.server.ws;

import dev.sodam.server.auth.Principal;
import dev.sodam.server.delivery.Session;
import dev.sodam.server.protocol.ServerFrame;
import io.netty.channel.Channel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Session} over a Netty channel. Writes from any thread are queued to the channel's event loop
 * ({@link LoopWriter}: one task and one flush per channel per burst).
 *
 * <p>A client that stops reading (a frozen tab, a dead mobile link the kernel has not noticed yet)
 * must not make the server buffer its frames without bound. Once more than the connection's high
 * write-buffer water mark ({@code limits.maxOutboundBytes}) is queued, the channel is unwritable:
 * the session then drops that frame and every later one and closes the connection. Nothing is
 * lost: every frame worth keeping is a stored message with a seq, and the client, once it reads
 * again and reconnects, resumes from the last seq it saw. Dropping must stop all later frames too,
 * or the client would see a gap it cannot notice before the close.
 */
final class ChannelSession implements Session {
    private static final Logger log = LoggerFactory.getLogger(ChannelSession.class);

    private final Channel channel;
    private final Principal principal;
    private final AtomicBoolean released = new AtomicBoolean();
    private final AtomicBoolean overflowed = new AtomicBoolean();

    private final String tokenHash;
    /**
     * The highest message seq sent per conversation (see {@link Session#markSent}); made with the first
     * message, as most connections are idle visitors that never get one (docs/benchmarks.md, scenario a).
     */
    private volatile java.util.concurrent.ConcurrentHashMap<String, Long> sent;

    ChannelSession(Channel channel, Principal principal) {
        this(channel, principal, null);
    }

    ChannelSession(Channel channel, Principal principal, String tokenHash) {
        this.channel = channel;
        this.principal = principal;
        this.tokenHash = tokenHash;
    }

    @Override
    public boolean markSent(String conversationId, long seq) {
        boolean[] fresh = new boolean[1];
        sent().compute(conversationId, (id, had) -> {
            fresh[0] = had == null || seq > had;
            return fresh[0] ? seq : had;
        });
        return fresh[0];
    }

    private java.util.concurrent.ConcurrentHashMap<String, Long> sent() {
        java.util.concurrent.ConcurrentHashMap<String, Long> seqs = sent;
        if (seqs == null) {
            synchronized (this) {
                seqs = sent;
                if (seqs == null) {
                    sent = seqs = new java.util.concurrent.ConcurrentHashMap<>(4);
                }
            }
        }
        return seqs;
    }

    @Override
    public long lastSent(String conversationId) {
        java.util.concurrent.ConcurrentHashMap<String, Long> seqs = sent;
        return seqs == null ? 0L : seqs.getOrDefault(conversationId, 0L);
    }

    @Override
    public void forget(String conversationId) {
        java.util.concurrent.ConcurrentHashMap<String, Long> seqs = sent;
        if (seqs != null) {
            seqs.remove(conversationId);
        }
    }

    @Override
    public java.util.Map<String, Long> sentSeqs() {
        java.util.concurrent.ConcurrentHashMap<String, Long> seqs = sent;
        return seqs == null ? java.util.Map.of() : java.util.Map.copyOf(seqs);
    }

    @Override
    public String tokenHash() {
        return tokenHash;
    }

    /** 4401 (application range): the client must log in again rather than reconnect with its token. */
    @Override
    public CompletableFuture<Void> closeForRestart() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        LoopWriter.write(channel, new io.netty.handler.codec.http.websocketx.CloseWebSocketFrame(
                        io.netty.handler.codec.http.websocketx.WebSocketCloseStatus.SERVICE_RESTART,
                        "server restarting; reconnect and resume"),
                f -> {
                    f.channel().close();
                    done.complete(null);
                });
        return done;
    }

    @Override
    public void close(String reason) {
        LoopWriter.write(channel, new io.netty.handler.codec.http.websocketx.CloseWebSocketFrame(4401, reason),
                io.netty.channel.ChannelFutureListener.CLOSE);
    }

    /**
     * True exactly once: whoever sees the session end first (the close handler, or hello finding the
     * channel already closed) unregisters it and reports the disconnect.
     */
    boolean release() {
        return released.compareAndSet(false, true);
    }

    @Override
    public Principal principal() {
        return principal;
    }

    @Override
    public void send(ServerFrame frame) {
        if (admit()) {
            LoopWriter.write(channel, frame);
        }
    }

    @Override
    public void sendJson(String json) {
        if (admit()) {
            LoopWriter.write(channel, json);
        }
    }

    /** Whether this session has given up on its client (see the class comment). */
    boolean overflowed() {
        return overflowed.get();
    }

    private boolean admit() {
        if (overflowed.get()) {
            return false;
        }
        if (channel.isWritable() || !channel.isActive()) {
            // An inactive channel fails the write itself; the close handler unregisters the session.
            return true;
        }
        if (overflowed.compareAndSet(false, true)) {
            log.warn("closing {} ({}): the client stopped reading and more than {} bytes are queued for it; "
                    + "it resumes by seq when it reconnects", channel.remoteAddress(), principal.getClass().getSimpleName(),
                    channel.config().getWriteBufferHighWaterMark());
            channel.close();
        }
        return false;
    }
}
