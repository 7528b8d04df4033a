package dev.sodam.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * A part of the HTTP API that owns a path prefix (the public v1 API, the integration admin API,
 * operations endpoints). The router asks each module in order; the first that claims a path answers it.
 */
public interface ApiModule {

    /** Whether this module answers {@code path} (any method). */
    boolean handles(String path);

    /** Answers the request; must not block the event loop. */
    void handle(ChannelHandlerContext ctx, FullHttpRequest request);

    /** Every route this module serves, as {@code METHOD /path/{param}} (checked against docs/openapi.yaml). */
    java.util.List<String> routes();
}
