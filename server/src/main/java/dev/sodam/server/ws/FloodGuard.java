package dev.sodam.server.ws;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.time.Clock;

/**
 * The last line before parsing: data frames beyond a ceiling several times the normal rate limit
 * are dropped unparsed, and a connection that keeps flooding is closed (1008). Honest clients never
 * get here — they meet {@link RateLimitHandler} first, whose {@code rate_limited} error carries the
 * frame's ref so the client can retry — but without this, invalid frames (which never reach that
 * handler) could be sent as fast as the socket allows, each one parsed and answered.
 */
public final class FloodGuard extends ChannelInboundHandlerAdapter {
    /** Multiples of the normal limit before frames are dropped unparsed. */
    static final int CEILING = 4;
    /** Consecutive dropped frames after which the connection is closed. */
    static final int CLOSE_AFTER = 200;

    private final TokenBucket bucket;
    private int dropped;

    public FloodGuard(Clock clock, int ratePerSecond, int burst) {
        this.bucket = new TokenBucket(clock, ratePerSecond * CEILING, burst * CEILING);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame) || !isData((WebSocketFrame) msg)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (bucket.tryTake()) {
            dropped = 0;
            ctx.fireChannelRead(msg);
            return;
        }
        ReferenceCountUtil.release(msg);
        if (++dropped == CLOSE_AFTER) {
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.POLICY_VIOLATION, "flooding"))
                    .addListener(f -> ctx.close());
        }
    }

    private static boolean isData(WebSocketFrame frame) {
        return frame instanceof io.netty.handler.codec.http.websocketx.TextWebSocketFrame
                || frame instanceof io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
    }
}
