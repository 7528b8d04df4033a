package dev.sodam.server.net;

import dev.sodam.server.http.HttpResponses;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Netty's aggregator, except that a body over the limit is answered like every other refusal: a
 * 413 with the error JSON (code, message, request id) instead of an empty body. The connection is
 * closed after it, as the rest of the body is still on its way.
 */
final class JsonLimitAggregator extends HttpObjectAggregator {
    JsonLimitAggregator(int maxContentLength) {
        super(maxContentLength);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        if (oversized instanceof HttpRequest request) {
            HttpResponses.sendError(ctx, request, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "too_large",
                    "the request body is over " + maxContentLength() + " bytes", true);
        } else {
            super.handleOversizedMessage(ctx, oversized);
        }
    }
}
