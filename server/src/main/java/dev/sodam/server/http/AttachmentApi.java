package dev.sodam.server.http;

import dev.sodam.server.auth.AuthService;
import dev.sodam.server.auth.Principal;
import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.ErrorCode;
import dev.sodam.server.conversation.Replies;
import dev.sodam.server.model.Attachment;
import dev.sodam.server.store.Store;
import dev.sodam.server.store.StoreTx;
import dev.sodam.server.util.Hashing;
import io.netty.buffer.ByteBufUtil;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Images in conversations over HTTP (docs/protocol.md, "Images"): {@code POST /api/attachments}
 * stores one and the message showing it; {@code GET /api/attachments/{id}} serves it to the
 * conversation's participants only. The bearer token is a visitor token or an agent's login token.
 * The type comes from the bytes (png, jpeg, gif, webp), never from a header or a name.
 */
public final class AttachmentApi implements ApiModule {
    private static final Logger log = LoggerFactory.getLogger(AttachmentApi.class);
    public static final String PATH = "/api/attachments";

    private final AuthService auth;
    private final Store store;
    private final ConversationService service;
    private final Executor blocking;

    public AttachmentApi(AuthService auth, Store store, ConversationService service, Executor blocking) {
        this.auth = auth;
        this.store = store;
        this.service = service;
        this.blocking = blocking;
    }

    /** Also answers the browser's CORS preflight ({@code OPTIONS}) on both paths. */
    @Override
    public List<String> routes() {
        return List.of("POST " + PATH, "GET " + PATH + "/{id}");
    }

    @Override
    public boolean handles(String path) {
        return path.equals(PATH) || path.startsWith(PATH + "/");
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        QueryStringDecoder query = new QueryStringDecoder(request.uri());
        String path = query.path();
        if (request.method().equals(HttpMethod.OPTIONS)) {
            // The widget runs on the shop's origin and sends a bearer token: the browser asks first.
            FullHttpResponse preflight = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT,
                    Unpooled.EMPTY_BUFFER);
            cors(preflight);
            preflight.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST");
            preflight.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "Authorization, Content-Type");
            preflight.headers().set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "600");
            HttpResponses.send(ctx, request, preflight, false);
            return;
        }
        boolean upload = path.equals(PATH);
        if (upload != request.method().equals(HttpMethod.POST) || (!upload && !request.method().equals(HttpMethod.GET))) {
            error(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "bad_request",
                    upload ? "use POST to upload an image" : "use GET to read an image");
            return;
        }
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
        byte[] body = upload ? ByteBufUtil.getBytes(request.content()) : null;
        request.retain();
        Executor traced = RequestIds.propagating(blocking, request);
        CompletableFuture<FullHttpResponse> answer = CompletableFuture.supplyAsync(() -> principal(token), traced)
                .thenCompose(caller -> upload ? upload(caller, query, body)
                        : CompletableFuture.supplyAsync(() -> read(caller, path.substring(PATH.length() + 1)), traced));
        answer.whenCompleteAsync((response, failure) -> {
            try {
                if (failure != null) {
                    fail(ctx, request, failure);
                } else {
                    cors(response);
                    HttpResponses.send(ctx, request, response, false);
                }
            } finally {
                request.release();
            }
        }, traced);
    }

    private Principal principal(String token) {
        if (token == null || token.isBlank()) {
            throw new ChatException(ErrorCode.UNAUTHORIZED, "missing bearer token");
        }
        if (token.startsWith("vt_")) {
            return store.read(tx -> tx.visitorByTokenHash(Hashing.sha256Hex(token)))
                    .<Principal>map(Principal.VisitorPrincipal::new)
                    .orElseThrow(() -> new ChatException(ErrorCode.UNAUTHORIZED, "unknown visitor token"));
        }
        return new Principal.AgentPrincipal(auth.authenticate(token));
    }

    private CompletableFuture<FullHttpResponse> upload(Principal caller, QueryStringDecoder query, byte[] body) {
        if (body.length == 0) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "the body must be the image's bytes");
        }
        if (body.length > Attachment.MAX_BYTES) {
            throw new ChatException(ErrorCode.TOO_LARGE, "images are at most " + Attachment.MAX_BYTES / 1024 / 1024 + " MiB");
        }
        String type = Attachment.sniff(body);
        if (type == null) {
            throw new ChatException(ErrorCode.UNSUPPORTED_TYPE, "only PNG, JPEG, GIF and WebP images are accepted");
        }
        String conversationId = param(query, "conversationId");
        String clientMsgId = param(query, "clientMsgId");
        if (clientMsgId != null && clientMsgId.length() > 64) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "'clientMsgId' is longer than 64 characters");
        }
        UploadedImages.Cleaned image = UploadedImages.clean(type, body);
        return Replies.<dev.sodam.server.conversation.Results.Posted>future(reply ->
                service.postAttachment(caller, conversationId, clientMsgId, image.contentType(), image.bytes(), reply))
                .thenApply(posted -> {
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("attachmentId", posted.message().attachment().id());
                    json.put("contentType", posted.message().attachment().contentType());
                    json.put("size", posted.message().attachment().size());
                    json.put("conversationId", posted.message().conversationId());
                    json.put("messageId", posted.message().id());
                    json.put("seq", posted.message().seq());
                    json.put("clientMsgId", posted.message().clientMsgId());
                    return HttpResponses.json(posted.duplicate() ? HttpResponseStatus.OK : HttpResponseStatus.CREATED, json);
                });
    }

    private FullHttpResponse read(Principal caller, String id) {
        StoreTx.StoredAttachment found = service.readAttachment(caller, id);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(found.data()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, found.attachment().contentType());
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "private, no-store");
        response.headers().set(HttpHeaderNames.CONTENT_DISPOSITION, "inline");
        response.headers().set("Content-Security-Policy", "default-src 'none'; sandbox");
        return response;
    }

    private static String param(QueryStringDecoder query, String name) {
        List<String> values = query.parameters().get(name);
        return values == null || values.isEmpty() || values.get(0).isBlank() ? null : values.get(0);
    }

    private static void cors(FullHttpResponse response) {
        response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    }

    private static void error(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
                              String code, String message) {
        FullHttpResponse response = HttpResponses.json(status, HttpResponses.errorBody(request, code, message));
        cors(response);
        HttpResponses.send(ctx, request, response, false);
    }

    private static void fail(ChannelHandlerContext ctx, FullHttpRequest request, Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ChatException refusal) {
            error(ctx, request, HttpResponseStatus.valueOf(refusal.code().httpStatus()), refusal.code().wire(),
                    refusal.getMessage());
        } else {
            log.error("attachment request {} failed", request.uri(), cause);
            error(ctx, request, HttpResponseStatus.INTERNAL_SERVER_ERROR, ErrorCode.INTERNAL.wire(), "internal error");
        }
    }
}
