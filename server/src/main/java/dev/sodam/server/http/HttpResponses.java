package dev.sodam.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.util.Json;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writing HTTP responses: JSON bodies, errors in the protocol's error shape, keep-alive handling. */
public final class HttpResponses {
    /** One line per response at DEBUG: method, URI, status, body bytes (the request id is in the MDC). */
    private static final org.slf4j.Logger ACCESS = org.slf4j.LoggerFactory.getLogger("dev.sodam.server.http.access");
    private HttpResponses() {
    }

    public static void sendJson(ChannelHandlerContext ctx, HttpRequest request, HttpResponseStatus status,
                                Object body) {
        sendJson(ctx, request, status, body, false);
    }

    /** An error in the protocol's shape: {@code {"code":"…","message":"…"}}. */
    public static void sendError(ChannelHandlerContext ctx, HttpRequest request, HttpResponseStatus status,
                                 String code, String message, boolean close) {
        sendJson(ctx, request, status, errorBody(request, code, message), close);
    }

    /** A refusal in the protocol's shape, with its {@code reason}, {@code field} and {@code params} when it has them. */
    public static void sendError(ChannelHandlerContext ctx, HttpRequest request, HttpResponseStatus status,
                                 String code, String message, ChatException.Detail detail) {
        sendJson(ctx, request, status, errorBody(request, code, message, detail), false);
    }

    /** {@code {"code","message","requestId"}}: the id to quote when asking what went wrong (always present). */
    public static Map<String, Object> errorBody(HttpRequest request, String code, String message) {
        return errorBody(request, code, message, null);
    }

    /**
     * {@code {"code","message","reason","field","params","requestId"}}: {@code reason} (with {@code field} and
     * {@code params} when there are any) only for a refusal that has one, so a page can say it in its language.
     */
    public static Map<String, Object> errorBody(HttpRequest request, String code, String message,
                                                ChatException.Detail detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        if (detail != null) {
            body.put("reason", detail.reason().wire());
            if (detail.field() != null) {
                body.put("field", detail.field());
            }
            if (!detail.params().isEmpty()) {
                body.put("params", detail.params());
            }
        }
        // A request refused before the router (the WebSocket origin check) gets its id here.
        String id = RequestIds.of(request);
        body.put("requestId", id != null ? id : RequestIds.assign(request));
        return body;
    }

    private static void sendJson(ChannelHandlerContext ctx, HttpRequest request, HttpResponseStatus status,
                                 Object body, boolean close) {
        send(ctx, request, json(status, body), close);
    }

    /** A JSON response not yet sent, for callers that add headers (CORS) first. */
    public static FullHttpResponse json(HttpResponseStatus status, Object body) {
        byte[] bytes;
        try {
            bytes = Json.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(bytes));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        // Data, never a document: should a browser be led to open it, nothing in it may load or frame.
        response.headers().set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
        return response;
    }

    /** A file to download: its bytes, type and the name the browser saves it under (ASCII). */
    public static void sendFile(ChannelHandlerContext ctx, HttpRequest request, HttpResponseStatus status, byte[] bytes,
                                String contentType, String filename) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(bytes));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        response.headers().set(HttpHeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + filename + "\"");
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        send(ctx, request, response, false);
    }

    /** Sends with Content-Length and the right keep-alive behaviour; closes when the client or caller asks. */
    public static void send(ChannelHandlerContext ctx, HttpRequest request, FullHttpResponse response, boolean close) {
        prepare(request, response);
        boolean keepAlive = !close && HttpUtil.isKeepAlive(request);
        if (keepAlive) {
            if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * Sends a last response on this connection ({@code Connection: close}) without closing it: the caller
     * closes once it has read what the client is still sending, since a socket closed with unread bytes
     * is reset, and a reset can destroy the response before the client reads it.
     */
    public static ChannelFuture sendBeforeClosing(ChannelHandlerContext ctx, HttpRequest request,
                                                  FullHttpResponse response) {
        prepare(request, response);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return ctx.writeAndFlush(response);
    }

    /** Content-Length, the headers every response carries, and the access log line. */
    private static void prepare(HttpRequest request, FullHttpResponse response) {
        if (!response.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        }
        response.headers().set("X-Content-Type-Options", "nosniff");
        String id = RequestIds.of(request);
        if (id != null) {
            response.headers().set(RequestIds.HEADER, id);
        }
        if (ACCESS.isDebugEnabled()) {
            ACCESS.debug("{} {} {} {}", request.method(), request.uri(), response.status().code(),
                    response.content().readableBytes());
        }
    }

    public static String utf8(io.netty.buffer.ByteBuf content) {
        return content.toString(StandardCharsets.UTF_8);
    }
}
