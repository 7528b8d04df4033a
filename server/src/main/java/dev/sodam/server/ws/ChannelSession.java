package dev.sodam.server.ws;

import dev.sodam.server.auth.Principal;
import dev.sodam.server.delivery.Session;
import dev.sodam.server.protocol.ServerFrame;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

/** A {@link Session} over a Netty channel. Writes from any thread are queued to the channel's event loop. */
final class ChannelSession implements Session {
    private final Channel channel;
    private final Principal principal;
    private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();

    private final String tokenHash;

    ChannelSession(Channel channel, Principal principal) {
        this(channel, principal, null);
    }

    ChannelSession(Channel channel, Principal principal, String tokenHash) {
        this.channel = channel;
        this.principal = principal;
        this.tokenHash = tokenHash;
    }

    @Override
    public String tokenHash() {
        return tokenHash;
    }

    /** 4401 (application range): the client must log in again rather than reconnect with its token. */
    @Override
    public void close(String reason) {
        channel.writeAndFlush(new io.netty.handler.codec.http.websocketx.CloseWebSocketFrame(4401, reason))
                .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
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
        channel.writeAndFlush(frame);
    }

    @Override
    public void sendJson(String json) {
        channel.writeAndFlush(new TextWebSocketFrame(json));
    }
}
