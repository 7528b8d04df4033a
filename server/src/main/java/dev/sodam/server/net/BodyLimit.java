package dev.sodam.server.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Set;

/**
 * Chooses the request-body limit per request: 64 KiB for every API call, more for the few upload
 * paths (an FAQ file of thousands of entries). Sits before the aggregator and, when a request
 * starts, swaps in an aggregator with the limit that path allows; between requests the previous
 * aggregator holds nothing, so the swap loses nothing. An aggregator that refused a body keeps the
 * connection: nothing after that body is served. After a WebSocket upgrade the aggregator is gone and
 * this does nothing.
 */
final class BodyLimit extends ChannelInboundHandlerAdapter {
    static final String AGGREGATOR = "http-aggregator";
    private final int normal;
    private final int upload;
    private final Set<String> uploadPaths;

    BodyLimit(int normal, int upload, Set<String> uploadPaths) {
        this.normal = normal;
        this.upload = upload;
        this.uploadPaths = Set.copyOf(uploadPaths);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request
                && ctx.pipeline().get(AGGREGATOR) instanceof HttpObjectAggregator current
                && !(current instanceof JsonLimitAggregator limit && limit.refusing())) {
            int wanted = uploadPaths.contains(path(request.uri())) ? upload : normal;
            if (current.maxContentLength() != wanted) {
                ctx.pipeline().replace(AGGREGATOR, AGGREGATOR, new JsonLimitAggregator(wanted));
            }
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * The decoded path, or "" when the URI has a malformed %-escape: such a request gets the normal
     * limit and {@link UriCheck}, after the aggregator, answers it 400 (throwing here would drop the
     * connection without an answer).
     */
    private static String path(String uri) {
        try {
            return new QueryStringDecoder(uri).path();
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
