package dev.sodam.server.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.util.List;

/**
 * Takes the handlers that only serve HTTP requests out of a connection's pipeline once it has become a
 * WebSocket, then itself. Most connections are idle widgets: each handler left in place costs its
 * context and state on every one of them (about 250 bytes together; docs/benchmarks.md, scenario a),
 * and none of them would ever see a request again.
 */
final class HttpHandlersTrimmer extends ChannelInboundHandlerAdapter {
    private final List<String> httpOnly;

    /** @param httpOnly the names of the handlers to remove after the WebSocket handshake */
    HttpHandlersTrimmer(List<String> httpOnly) {
        this.httpOnly = httpOnly;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            ChannelPipeline pipeline = ctx.pipeline();
            for (String name : httpOnly) {
                if (pipeline.get(name) != null) {
                    pipeline.remove(name);
                }
            }
            pipeline.remove(this);
        }
        super.userEventTriggered(ctx, event);
    }
}
