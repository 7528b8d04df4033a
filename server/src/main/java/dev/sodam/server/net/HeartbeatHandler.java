package dev.sodam.server.net;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * Keeps connections honest, driven by the {@code IdleStateHandler} in front of the pipeline: after a
 * write-idle period a WebSocket gets a ping (browsers answer with a pong, which counts as reading);
 * after a read-idle period the peer is presumed dead and the connection is closed, which unregisters
 * its session. Plain HTTP keep-alive connections are closed when idle.
 */
public final class HeartbeatHandler extends ChannelDuplexHandler {

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (!(event instanceof IdleStateEvent idle)) {
            super.userEventTriggered(ctx, event);
            return;
        }
        boolean websocket = Boolean.TRUE.equals(ctx.channel().attr(ChannelAttributes.WEBSOCKET).get());
        if (idle.state() == IdleState.READER_IDLE) {
            ctx.close();
        } else if (idle.state() == IdleState.WRITER_IDLE && websocket) {
            ctx.writeAndFlush(new PingWebSocketFrame());
        }
    }
}
