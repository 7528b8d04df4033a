package dev.sodam.server.net;

import dev.sodam.server.http.HttpResponses;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * Netty's aggregator, except that a body over the limit is answered like every other refusal: a 413
 * with the error JSON (code, message, request id) instead of an empty body, as the connection's last
 * response. The connection closes once the refused body has been read to its end (or after
 * {@link #MAX_DISCARDED} more bytes), not at once: closing a socket with the rest of the body still
 * unread makes the kernel reset it, and the reset can destroy the 413 before the client reads it (CI
 * saw the JDK's client report "header parser received no bytes").
 *
 * <p>A request with {@code Expect: 100-continue} whose announced body is over the limit gets the same 413
 * JSON and no {@code 100 Continue}; its client then usually sends no body and closes the connection on
 * seeing {@code Connection: close}, which ends the refusal as well. A request expecting anything else gets a
 * 417 with the error JSON; the connection stays open for the next request.
 */
final class JsonLimitAggregator extends HttpObjectAggregator {
    /** What a refused body may still send before the connection is closed regardless. */
    static final int MAX_DISCARDED = 1 << 20;

    /** The refusal's write, once a body is refused: from then on everything read is dropped. */
    private ChannelFuture refused;
    private long discarded;

    JsonLimitAggregator(int maxContentLength) {
        super(maxContentLength);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (refused != null) {
            boolean end = msg instanceof LastHttpContent || msg instanceof HttpRequest;
            if (msg instanceof HttpContent content) {
                discarded += content.content().readableBytes();
            }
            ReferenceCountUtil.release(msg);
            if (end || discarded > MAX_DISCARDED) {
                closeAfterRefusal();
            }
            return;
        }
        boolean last = msg instanceof LastHttpContent;
        super.channelRead(ctx, msg);
        if (refused != null && last) {
            closeAfterRefusal(); // the chunk that overflowed the limit was the body's last
        }
    }

    /** Whether a body was refused: the connection reads to that body's end, serves nothing more, and closes. */
    boolean refusing() {
        return refused != null;
    }

    private void closeAfterRefusal() {
        refused.addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * No continue response for a request that expects one but announces a body over the limit: the
     * aggregator then refuses it through {@link #handleOversizedMessage}, like the same request without
     * the header. Netty's own answer to it would be a 413 with an empty body.
     */
    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        if (HttpUtil.is100ContinueExpected(start) && isContentLengthInvalid(start, maxContentLength)) {
            return null;
        }
        if (unsupportedExpectation(start) && start instanceof HttpRequest request) {
            // Netty's own 417 has an empty body; like every refusal it gets the error JSON. The aggregator
            // drops the body that follows (a 4xx to an expectation) and serves the connection's next request.
            start.headers().remove(HttpHeaderNames.EXPECT);
            FullHttpResponse failed = HttpResponses.json(HttpResponseStatus.EXPECTATION_FAILED,
                    HttpResponses.errorBody(request, "bad_request", "the Expect header supports only 100-continue"));
            HttpUtil.setContentLength(failed, failed.content().readableBytes());
            return failed;
        }
        return super.newContinueResponse(start, maxContentLength, pipeline);
    }

    /** An {@code Expect} other than 100-continue on HTTP/1.1 (Netty's own check is package-private). */
    private static boolean unsupportedExpectation(HttpMessage message) {
        String expect = message.headers().get(HttpHeaderNames.EXPECT);
        return expect != null && message.protocolVersion().compareTo(HttpVersion.HTTP_1_1) >= 0
                && !HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect);
    }

    /**
     * A body cut off by its client's close has nobody left to answer: the end of a refusal (ours or the
     * client's close), or a tab closed in the middle of an upload. Netty's aggregator reports such a close as
     * a {@code PrematureChannelClosureException}, logged as a WARN with a stack trace every time.
     */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        releaseCurrentMessage();
        ctx.fireChannelInactive();
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        if (oversized instanceof HttpRequest request) {
            refused = HttpResponses.sendBeforeClosing(ctx, request, HttpResponses.json(
                    HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, HttpResponses.errorBody(request, "too_large",
                            "the request body is over " + maxContentLength() + " bytes")));
        } else {
            super.handleOversizedMessage(ctx, oversized);
        }
    }
}
