package dev.sodam.server.net;

import io.netty.util.AttributeKey;

/** Per-connection facts set during the upgrade and read by later handlers. */
public final class ChannelAttributes {
    /** The site a visitor connection was upgraded for ({@code /ws?site=…}); absent for agents. */
    public static final AttributeKey<String> SITE = AttributeKey.valueOf("sodam.site");
    /** Set once the connection is a WebSocket; the heartbeat pings only those. */
    public static final AttributeKey<Boolean> WEBSOCKET = AttributeKey.valueOf("sodam.websocket");

    private ChannelAttributes() {
    }
}
