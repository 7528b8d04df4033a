package dev.sodam.server.net;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * Keeps connections honest, driven by the {@code IdleStateHandler} in front of the pipeline.
 * <ul>
 *   <li>Nothing read for half the idle timeout: a WebSocket gets a ping. Browsers answer with a pong,
 *       which counts as reading. This matters for connections that only receive (a busy agent):
 *       the server writes to them all the time, so a ping on write-idle alone would never come.</li>
 *   <li>Still nothing read for the other half: the peer is presumed dead and the connection is
 *       closed, which unregisters its session. Plain HTTP keep-alive connections close at once.</li>
 *   <li>Nothing written for the ping interval: a ping, so proxies keep a quiet socket open.</li>
 * </ul>
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
            if (websocket && idle.isFirst()) {
                ctx.writeAndFlush(new PingWebSocketFrame());
            } else {
                ctx.close();
            }
        } else if (idle.state() == IdleState.WRITER_IDLE && websocket) {
            ctx.writeAndFlush(new PingWebSocketFrame());
        }
    }
}
