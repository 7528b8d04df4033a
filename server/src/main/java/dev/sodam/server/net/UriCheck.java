package dev.sodam.server.net;

import dev.sodam.server.http.HttpResponses;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * Answers a request whose URI cannot be percent-decoded ({@code /%}, {@code ?q=%ZZ}, a cut-off
 * {@code %E0%A4%A}) with 400 {@code bad_request}, before any later handler decodes it. Netty's
 * {@link QueryStringDecoder} throws {@link IllegalArgumentException} for such a URI wherever its path or
 * query is read — the origin guard, the router, an API's path parameters and query — which surfaced as a
 * 500 or as a connection dropped without an answer. Decoding it once here lets every handler after this
 * one decode without guarding each call. Sits after the aggregator, so the refused request's body has
 * been read and the connection can stay open.
 */
@ChannelHandler.Sharable
final class UriCheck extends ChannelInboundHandlerAdapter {
    static final UriCheck INSTANCE = new UriCheck();

    private UriCheck() {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest request && request.decoderResult().isSuccess() && !decodable(request.uri())) {
            try {
                HttpResponses.sendError(ctx, request, HttpResponseStatus.BAD_REQUEST, "bad_request",
                        "the URI has a malformed %-escape: % must be followed by two hex digits (write % itself as %25)",
                        false);
            } finally {
                request.release();
            }
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /** Whether the path and query decode the way every later handler decodes them (the same default decoder). */
    static boolean decodable(String uri) {
        try {
            QueryStringDecoder decoder = new QueryStringDecoder(uri);
            decoder.path();
            decoder.parameters();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
