package dev.sodam.server.ws;

import dev.sodam.server.conversation.ErrorCode;
import dev.sodam.server.protocol.ClientFrame;
import dev.sodam.server.protocol.ProtocolException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.time.Clock;

/**
 * Per-connection rate limit on client frames. A frame over the limit is answered with
 * {@code rate_limited} and dropped before it can store anything, so the client may retry it.
 */
public final class RateLimitHandler extends SimpleChannelInboundHandler<ClientFrame> {
    private final TokenBucket bucket;

    public RateLimitHandler(Clock clock, int ratePerSecond, int burst) {
        super(false);
        this.bucket = new TokenBucket(clock, ratePerSecond, burst);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ClientFrame frame) {
        if (bucket.tryTake()) {
            ctx.fireChannelRead(frame);
        } else {
            JsonFrameCodec.reject(ctx, new ProtocolException(ErrorCode.RATE_LIMITED,
                    "too many frames; slow down and retry", frame.ref()));
        }
    }
}
