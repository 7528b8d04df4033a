package dev.sodam.server.net;

import dev.sodam.server.http.HttpResponses;
import dev.sodam.server.model.Site;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Guards the WebSocket upgrade at {@code /ws}: a browser page may open a visitor socket only from an
 * origin its site allows, and an agent socket only from the server's own origin. Requests without an
 * {@code Origin} header come from non-browser clients, which can forge any header anyway. A refused
 * upgrade gets 403 JSON; other requests pass untouched.
 */
public final class OriginGuard extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final String wsPath;
    private final Function<String, Optional<Site>> sites;
    private final String publicOrigin;

    /**
     * @param sites        site lookup (cached; called on the event loop, so it must not block on I/O for long)
     * @param publicOrigin the configured public origin, or "" when none
     */
    public OriginGuard(String wsPath, Function<String, Optional<Site>> sites, String publicOrigin) {
        super(false);
        this.wsPath = wsPath;
        this.sites = sites;
        this.publicOrigin = publicOrigin;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        if (!uri.path().startsWith(wsPath)) {
            ctx.fireChannelRead(request);
            return;
        }
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        String host = request.headers().get(HttpHeaderNames.HOST);
        List<String> siteParam = uri.parameters().get("site");
        String siteId = siteParam == null || siteParam.isEmpty() ? null : siteParam.get(0);
        if (siteId != null) {
            Optional<Site> site = sites.apply(siteId);
            if (site.isEmpty()) {
                refuse(ctx, request, HttpResponseStatus.NOT_FOUND, "not_found", "unknown site '" + siteId + "'");
                return;
            }
            if (origin != null && !allowed(site.get().allowedOrigins(), origin, host)) {
                refuse(ctx, request, HttpResponseStatus.FORBIDDEN, "forbidden",
                        "origin " + origin + " is not allowed for site '" + siteId + "'");
                return;
            }
            ctx.channel().attr(ChannelAttributes.SITE).set(siteId);
        } else if (origin != null && !isSelf(origin, host)) {
            refuse(ctx, request, HttpResponseStatus.FORBIDDEN, "forbidden",
                    "agent connections are accepted only from the server's own origin");
            return;
        }
        ctx.fireChannelRead(request);
    }

    private boolean allowed(List<String> allowedOrigins, String origin, String host) {
        String normalised = origin.toLowerCase(Locale.ROOT);
        for (String allowed : allowedOrigins) {
            if (allowed.equals(Site.SELF) ? isSelf(origin, host) : allowed.equalsIgnoreCase(normalised)) {
                return true;
            }
        }
        return false;
    }

    /** Same origin: the page was served by this server under the Host it connects to, or the public URL. */
    private boolean isSelf(String origin, String host) {
        String normalised = origin.toLowerCase(Locale.ROOT);
        if (!publicOrigin.isEmpty() && publicOrigin.equals(normalised)) {
            return true;
        }
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        return normalised.equals("http://" + h) || normalised.equals("https://" + h);
    }

    private static void refuse(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
                               String code, String message) {
        try {
            HttpResponses.sendError(ctx, request, status, code, message, true);
        } finally {
            request.release();
        }
    }
}
