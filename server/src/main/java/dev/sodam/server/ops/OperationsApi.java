package dev.sodam.server.ops;

import dev.sodam.server.http.ApiModule;
import dev.sodam.server.http.HttpResponses;
import dev.sodam.server.http.RequestIds;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * {@code GET /metrics} (Prometheus text format, optionally behind a bearer token) and the health
 * checks {@code GET /api/health/live} and {@code GET /api/health/ready} (503 until ready). The
 * readiness check reads the store, so it runs on the blocking executor.
 */
public final class OperationsApi implements ApiModule {
    public static final String METRICS = "/metrics";
    public static final String LIVE = "/api/health/live";
    public static final String READY = "/api/health/ready";

    private final SodamMetrics metrics;
    private final boolean metricsEnabled;
    private final byte[] metricsToken;
    private final HealthCheck health;
    private final Executor blocking;

    public OperationsApi(SodamMetrics metrics, boolean metricsEnabled, String metricsToken, HealthCheck health,
                         Executor blocking) {
        this.metrics = metrics;
        this.metricsEnabled = metricsEnabled;
        this.metricsToken = metricsToken.getBytes(StandardCharsets.UTF_8);
        this.health = health;
        this.blocking = blocking;
    }

    @Override
    public java.util.List<String> routes() {
        return metricsEnabled ? java.util.List.of("GET " + METRICS, "GET " + LIVE, "GET " + READY)
                : java.util.List.of("GET " + LIVE, "GET " + READY);
    }

    @Override
    public boolean handles(String path) {
        return (metricsEnabled && path.equals(METRICS)) || path.equals(LIVE) || path.equals(READY);
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        String path = new QueryStringDecoder(request.uri()).path();
        if (!request.method().equals(HttpMethod.GET)) {
            HttpResponses.sendError(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "bad_request",
                    "use GET for " + path, false);
            return;
        }
        switch (path) {
            case LIVE -> HttpResponses.sendJson(ctx, request, HttpResponseStatus.OK, Map.of("status", "UP"));
            case READY -> {
                request.retain();
                Executor traced = RequestIds.propagating(blocking, request);
                CompletableFuture.supplyAsync(health::readiness, traced).whenComplete((report, failure) -> {
                    try {
                        boolean up = failure == null && HealthCheck.up(report);
                        HttpResponses.sendJson(ctx, request, up ? HttpResponseStatus.OK
                                : HttpResponseStatus.SERVICE_UNAVAILABLE, failure == null ? report : Map.of("status", "DOWN"));
                    } finally {
                        request.release();
                    }
                });
            }
            default -> scrape(ctx, request);
        }
    }

    private void scrape(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (metricsToken.length > 0) {
            String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
            byte[] given = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
            if (!MessageDigest.isEqual(given, metricsToken)) {
                HttpResponses.sendError(ctx, request, HttpResponseStatus.UNAUTHORIZED, "unauthorized",
                        "metrics need 'Authorization: Bearer <metrics.token>'", false);
                return;
            }
        }
        request.retain();
        Executor traced = RequestIds.propagating(blocking, request);
        CompletableFuture.supplyAsync(metrics::scrape, traced).whenComplete((text, failure) -> {
            try {
                if (failure != null) {
                    HttpResponses.sendError(ctx, request, HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal",
                            "metrics failed", false);
                    return;
                }
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8)));
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
                HttpResponses.send(ctx, request, response, false);
            } finally {
                request.release();
            }
        });
    }
}
