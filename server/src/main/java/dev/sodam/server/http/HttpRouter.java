package dev.sodam.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.bot.BotDecision;
import dev.sodam.bot.FaqBot;
import dev.sodam.server.admin.AdminApi;
import dev.sodam.server.auth.AuthService;
import dev.sodam.server.http.JsonApi.Answer;
import dev.sodam.server.http.JsonApi.Call;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * Plain HTTP: the REST API and the browser files. Anything blocking (argon2, SQLite, the bot) runs
 * on the blocking executor; the response is written back from there (Netty queues it to the loop).
 */
@ChannelHandler.Sharable
public final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {

    private final AuthService auth;
    private final Supplier<CompletableFuture<FaqBot>> bot;
    private final StaticFiles files;
    private final Executor blocking;
    private final dev.sodam.server.site.SiteSettingsService siteSettings;
    /** Every API, asked in order; the first that claims a path answers it. */
    private final List<ApiModule> modules;

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
        this.siteSettings = siteSettings;
        this.auth = auth;
        this.bot = bot;
        this.files = files;
        this.blocking = blocking;
        List<ApiModule> all = new ArrayList<>(modules);
        if (admin != null) {
            all.addAll(admin.modules());
        }
        if (workspace != null) {
            all.add(workspace.api());
        }
        if (attachments != null) {
            all.add(attachments);
        }
        all.add(core());
        this.modules = List.copyOf(all);
    }

    /** Every API route this router serves, as {@code METHOD /path/{param}} (docs/openapi.yaml documents each). */
    public List<String> routes() {
        return modules.stream().flatMap(m -> m.routes().stream()).toList();
    }

    /** Health, sign-in, the bot's test endpoint and a site's public widget settings. */
    private JsonApi<Void> core() {
        JsonApi<Void> core = new JsonApi<Void>(List.of(), request -> null, blocking)
                .route(HttpMethod.GET, "/api/health", call -> JsonApi.now(() -> Answer.ok(Map.of("status", "UP"))))
                .route(HttpMethod.POST, "/api/auth/login", this::login)
                .route(HttpMethod.POST, "/api/bot/ask", this::ask);
        if (siteSettings != null) {
            core.route(HttpMethod.GET, "/api/sites/{id}/settings", this::publicSettings);
        }
        return core;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        MDC.put(RequestIds.MDC_KEY, RequestIds.assign(request));
        try {
            route(ctx, request);
        } finally {
            MDC.remove(RequestIds.MDC_KEY);
        }
    }

    private void route(ChannelHandlerContext ctx, FullHttpRequest request) {
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
            HttpResponses.sendError(ctx, request, HttpResponseStatus.NOT_FOUND, "not_found", "no API at " + path, false);
        } else if (method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD)) {
            file(ctx, request, path);
        } else {
            HttpResponses.sendError(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "bad_request",
                    method + " is not allowed on " + path, false);
        }
    }

    /**
     * A site's widget settings, for anyone: the widget fetches them from the site's own pages (any
     * origin, no credentials), so the answer is public and carries nothing private.
     */
    private CompletableFuture<Answer> publicSettings(Call<Void> call) {
        return JsonApi.now(() -> Answer.ok(siteSettings.publicView(call.path("id")))
                .with(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN.toString(), "*")
                .with(HttpHeaderNames.CACHE_CONTROL.toString(), "no-cache"));
    }

    private CompletableFuture<Answer> login(Call<Void> call) {
        JsonNode body = call.body();
        String email = text(body, "email");
        String password = text(body, "password");
        if (email == null || password == null) {
            throw JsonApi.bad("fields 'email' and 'password' are required");
        }
        String userAgent = call.request().headers().get(HttpHeaderNames.USER_AGENT);
        return auth.login(email, password, call.remoteAddress(), userAgent).thenApply(login -> {
            Map<String, Object> user = new LinkedHashMap<>();
            user.put("id", login.agent().id());
            user.put("name", login.agent().name());
            user.put("role", login.agent().role().wire());
            // The admin page shows a site's admin only what they may read (their site's reports).
            user.put("siteId", login.agent().siteId());
            return Answer.ok(Map.of("token", login.token(), "user", user));
        });
    }

    private CompletableFuture<Answer> ask(Call<Void> call) {
        auth.authenticate(JsonApi.bearer(call.request()));
        JsonNode body = call.body();
        String text = text(body, "text");
        String locale = localeHint(text(body, "locale"));
        if (text == null || text.isBlank()) {
            throw JsonApi.bad("field 'text' is required");
        }
        return bot.get().thenApplyAsync(faqBot -> Answer.ok(decisionBody(faqBot.ask(text, locale))), blocking);
    }

    /**
     * The language hint of {@code POST /api/bot/ask} (it decides only a text without letters, "👍",
     * "12345"): a language tag reads as its language, like the widget's hello ("ko-KR", "EN" → ko, en);
     * anything else, or none, as {@code ko}. Taken as given, "ko-KR" named no model and the bot answered
     * a Korean caller's "👍" in whichever language came first.
     */
    static String localeHint(String given) {
        if (given == null) {
            return "ko";
        }
        String language = given.strip().toLowerCase(java.util.Locale.ROOT).split("[-_]", 2)[0];
        return language.equals("en") ? "en" : "ko";
    }

    /** The wire shape of a bot decision (docs/protocol.md, {@code POST /api/bot/ask}). */
    public static Map<String, Object> decisionBody(BotDecision decision) {
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

    /** A string field, or null when absent or not a string (login and the bot ask answer 400 for null). */
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
        if (asset.contentType().startsWith("text/html")) {
            PageHeaders.apply(response.headers());
        }
        HttpResponses.send(ctx, request, response, false);
    }
}
