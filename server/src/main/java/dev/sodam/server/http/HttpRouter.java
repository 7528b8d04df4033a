package dev.sodam.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.bot.BotDecision;
import dev.sodam.bot.FaqBot;
import dev.sodam.server.admin.AdminApi;
import dev.sodam.server.auth.AuthService;
import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.conversation.ErrorCode;
import dev.sodam.server.model.Agent;
import dev.sodam.server.util.Json;
import dev.sodam.server.workspace.WorkspaceApi;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plain HTTP: the REST API and the browser files. Anything blocking (argon2, SQLite, the bot) runs
 * on the blocking executor; the response is written back from there (Netty queues it to the loop).
 */
@ChannelHandler.Sharable
public final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(HttpRouter.class);
    private static final String CONSOLE_CSP = "default-src 'self'; connect-src 'self' ws: wss:; "
            + "img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'";

    private final AuthService auth;
    private final Supplier<CompletableFuture<FaqBot>> bot;
    private final StaticFiles files;
    private final Executor blocking;
    private final AdminApi admin;
    private final WorkspaceApi workspace;
    private final List<ApiModule> modules;
    private final dev.sodam.server.site.SiteSettingsService siteSettings;
    private final AttachmentApi attachments;

    public HttpRouter(AuthService auth, Supplier<CompletableFuture<FaqBot>> bot, StaticFiles files, Executor blocking) {
        this(auth, bot, files, blocking, null);
    }

    /** With {@code admin} null, {@code /api/admin/*} is not served. */
    public HttpRouter(AuthService auth, Supplier<CompletableFuture<FaqBot>> bot, StaticFiles files, Executor blocking,
                      AdminApi admin) {
        this(auth, bot, files, blocking, admin, null);
    }

    /** With {@code workspace} null, {@code /api/workspace/*} (the console's API) is not served. */
    public HttpRouter(AuthService auth, Supplier<CompletableFuture<FaqBot>> bot, StaticFiles files, Executor blocking,
                      AdminApi admin, WorkspaceApi workspace) {
        this(auth, bot, files, blocking, admin, workspace, List.of());
    }

    /** {@code modules} are asked first, in order, for every path outside the browser files. */
    public HttpRouter(AuthService auth, Supplier<CompletableFuture<FaqBot>> bot, StaticFiles files, Executor blocking,
                      AdminApi admin, WorkspaceApi workspace, List<ApiModule> modules) {
        this(auth, bot, files, blocking, admin, workspace, modules, null, null);
    }

    /** With {@code siteSettings} / {@code attachments} null, site settings / images are not served. */
    public HttpRouter(AuthService auth, Supplier<CompletableFuture<FaqBot>> bot, StaticFiles files, Executor blocking,
                      AdminApi admin, WorkspaceApi workspace, List<ApiModule> modules,
                      dev.sodam.server.site.SiteSettingsService siteSettings, AttachmentApi attachments) {
        this.workspace = workspace;
        this.siteSettings = siteSettings;
        this.attachments = attachments;
        this.auth = auth;
        this.bot = bot;
        this.files = files;
        this.blocking = blocking;
        this.admin = admin;
        this.modules = List.copyOf(modules);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            HttpResponses.sendError(ctx, request, HttpResponseStatus.BAD_REQUEST, "bad_request", "malformed HTTP request", true);
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        HttpMethod method = request.method();
        for (ApiModule module : modules) {
            if (module.handles(path)) {
                module.handle(ctx, request);
                return;
            }
        }
        if (path.startsWith("/api/")) {
            api(ctx, request, path, method);
        } else if (method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD)) {
            file(ctx, request, path);
        } else {
            HttpResponses.sendError(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "bad_request",
                    method + " is not allowed on " + path, false);
        }
    }

    private void api(ChannelHandlerContext ctx, FullHttpRequest request, String path, HttpMethod method) {
        if (admin != null && (path.startsWith(AdminApi.PREFIX) || path.startsWith(dev.sodam.server.admin.AccessApi.ACCOUNT_PREFIX))) {
            admin.handle(ctx, request);
            return;
        }
        if (workspace != null && path.startsWith(WorkspaceApi.PREFIX)) {
            workspace.handle(ctx, request);
            return;
        }
        if (attachments != null && attachments.handles(path)) {
            attachments.handle(ctx, request);
            return;
        }
        if (siteSettings != null && path.startsWith(SITES_PREFIX) && path.endsWith(SETTINGS_SUFFIX)) {
            if (requireMethod(ctx, request, HttpMethod.GET)) {
                publicSettings(ctx, request, path.substring(SITES_PREFIX.length(), path.length() - SETTINGS_SUFFIX.length()));
            }
            return;
        }
        switch (path) {
            case "/api/health" -> {
                if (requireMethod(ctx, request, HttpMethod.GET)) {
                    HttpResponses.sendJson(ctx, request, HttpResponseStatus.OK, Map.of("status", "UP"));
                }
            }
            case "/api/auth/login" -> {
                if (requireMethod(ctx, request, HttpMethod.POST)) {
                    login(ctx, request);
                }
            }
            case "/api/bot/ask" -> {
                if (requireMethod(ctx, request, HttpMethod.POST)) {
                    ask(ctx, request);
                }
            }
            default -> HttpResponses.sendError(ctx, request, HttpResponseStatus.NOT_FOUND, "not_found",
                    "no API at " + path, false);
        }
    }

    private static final String SITES_PREFIX = "/api/sites/";
    private static final String SETTINGS_SUFFIX = "/settings";

    /**
     * A site's widget settings, for anyone: the widget fetches them from the site's own pages (any
     * origin, no credentials), so the answer is public and carries nothing private.
     */
    private void publicSettings(ChannelHandlerContext ctx, FullHttpRequest request, String siteId) {
        if (siteId.isEmpty() || siteId.contains("/")) {
            HttpResponses.sendError(ctx, request, HttpResponseStatus.NOT_FOUND, "not_found", "no such site", false);
            return;
        }
        request.retain();
        CompletableFuture.supplyAsync(() -> siteSettings.publicView(siteId), blocking)
                .whenComplete((view, failure) -> {
                    try {
                        if (failure != null) {
                            fail(ctx, request, failure);
                        } else {
                            FullHttpResponse response = HttpResponses.json(HttpResponseStatus.OK, view);
                            response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
                            response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
                            HttpResponses.send(ctx, request, response, false);
                        }
                    } finally {
                        request.release();
                    }
                });
    }

    private static boolean requireMethod(ChannelHandlerContext ctx, FullHttpRequest request, HttpMethod expected) {
        if (request.method().equals(expected)) {
            return true;
        }
        HttpResponses.sendError(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "bad_request",
                "use " + expected + " for " + new QueryStringDecoder(request.uri()).path(), false);
        return false;
    }

    private void login(ChannelHandlerContext ctx, FullHttpRequest request) {
        JsonNode body = jsonBody(ctx, request);
        if (body == null) {
            return;
        }
        String email = text(body, "email");
        String password = text(body, "password");
        if (email == null || password == null) {
            HttpResponses.sendError(ctx, request, HttpResponseStatus.BAD_REQUEST, "bad_request",
                    "fields 'email' and 'password' are required", false);
            return;
        }
        request.retain();
        String address = ctx.channel().remoteAddress() instanceof java.net.InetSocketAddress socket
                ? socket.getAddress().getHostAddress() : null;
        String userAgent = request.headers().get(HttpHeaderNames.USER_AGENT);
        CompletableFuture.supplyAsync(() -> auth.login(email, password, address, userAgent), blocking)
                .thenCompose(f -> f)
                .whenComplete((login, failure) -> {
                    try {
                        if (failure != null) {
                            fail(ctx, request, failure);
                        } else {
                            Map<String, Object> user = new LinkedHashMap<>();
                            user.put("id", login.agent().id());
                            user.put("name", login.agent().name());
                            user.put("role", login.agent().role().wire());
                            HttpResponses.sendJson(ctx, request, HttpResponseStatus.OK,
                                    Map.of("token", login.token(), "user", user));
                        }
                    } finally {
                        request.release();
                    }
                });
    }

    private void ask(ChannelHandlerContext ctx, FullHttpRequest request) {
        JsonNode body = jsonBody(ctx, request);
        if (body == null) {
            return;
        }
        String text = text(body, "text");
        String locale = Optional.ofNullable(text(body, "locale")).orElse("ko");
        if (text == null || text.isBlank()) {
            HttpResponses.sendError(ctx, request, HttpResponseStatus.BAD_REQUEST, "bad_request",
                    "field 'text' is required", false);
            return;
        }
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
        request.retain();
        CompletableFuture.supplyAsync(() -> auth.authenticate(token), blocking)
                .thenCompose(agent -> bot.get())
                .thenApplyAsync(faqBot -> faqBot.ask(text, locale), blocking)
                .whenComplete((decision, failure) -> {
                    try {
                        if (failure != null) {
                            fail(ctx, request, failure);
                        } else {
                            HttpResponses.sendJson(ctx, request, HttpResponseStatus.OK, decisionBody(decision));
                        }
                    } finally {
                        request.release();
                    }
                });
    }

    /** The wire shape of a bot decision (docs/protocol.md, {@code POST /api/bot/ask}). */
    static Map<String, Object> decisionBody(BotDecision decision) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("decision", decision.decision());
        body.put("confidence", decision.confidence());
        body.put("intent", decision.intent());
        body.put("locale", decision.locale());
        body.put("faqId", decision instanceof BotDecision.Answer a ? a.faqId() : null);
        body.put("answer", decision instanceof BotDecision.Answer a ? a.answer() : null);
        body.put("candidates", decision.candidates().stream()
                .map(c -> Map.of("faqId", c.faqId(), "question", c.question(), "score", c.score()))
                .toList());
        return body;
    }

    private static void fail(ChannelHandlerContext ctx, FullHttpRequest request, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof ChatException refusal) {
            HttpResponses.sendError(ctx, request, HttpResponseStatus.valueOf(refusal.code().httpStatus()),
                    refusal.code().wire(), refusal.getMessage(), false);
        } else {
            log.error("request {} failed", request.uri(), cause);
            HttpResponses.sendError(ctx, request, HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    ErrorCode.INTERNAL.wire(), "internal error", false);
        }
    }

    private static JsonNode jsonBody(ChannelHandlerContext ctx, FullHttpRequest request) {
        try {
            JsonNode node = Json.MAPPER.readTree(HttpResponses.utf8(request.content()));
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (java.io.IOException e) {
            // answered below
        }
        HttpResponses.sendError(ctx, request, HttpResponseStatus.BAD_REQUEST, "bad_request",
                "body must be a JSON object", false);
        return null;
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value != null && value.isTextual() ? value.textValue() : null;
    }

    private void file(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
        if (path.equals("/")) {
            FullHttpResponse redirect = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.FOUND,
                    Unpooled.EMPTY_BUFFER);
            redirect.headers().set(HttpHeaderNames.LOCATION, "/demo");
            HttpResponses.send(ctx, request, redirect, false);
            return;
        }
        Optional<StaticFiles.Asset> found = files.find(path);
        if (found.isEmpty()) {
            HttpResponses.sendError(ctx, request, HttpResponseStatus.NOT_FOUND, "not_found", "no file at " + path, false);
            return;
        }
        StaticFiles.Asset asset = found.get();
        FullHttpResponse response;
        if (asset.etag().equals(request.headers().get(HttpHeaderNames.IF_NONE_MATCH))) {
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED,
                    Unpooled.EMPTY_BUFFER);
        } else {
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    request.method().equals(HttpMethod.HEAD) ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(asset.bytes()));
        }
        if (request.method().equals(HttpMethod.HEAD)) {
            // HEAD reports the length a GET would send.
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, asset.bytes().length);
        }
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, asset.contentType());
        response.headers().set(HttpHeaderNames.ETAG, asset.etag());
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        response.headers().set("Referrer-Policy", "strict-origin-when-cross-origin");
        if (!asset.contentType().startsWith("text/html")) {
            // The widget's modules are imported by pages on other origins.
            response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        }
        if (path.startsWith("/console") || path.startsWith("/admin")) {
            response.headers().set("Content-Security-Policy", CONSOLE_CSP);
        }
        HttpResponses.send(ctx, request, response, false);
    }
}
