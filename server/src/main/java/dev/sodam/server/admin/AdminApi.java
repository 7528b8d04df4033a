package dev.sodam.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.auth.AuthService;
import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.conversation.ErrorCode;
import dev.sodam.server.faq.BotEngine;
import dev.sodam.server.faq.FaqFiles;
import dev.sodam.server.faq.FaqService;
import dev.sodam.server.http.HttpResponses;
import dev.sodam.server.insight.Analytics;
import dev.sodam.server.insight.GapReport;
import dev.sodam.server.insight.Insights;
import dev.sodam.server.insight.QuestionClusters;
import dev.sodam.server.insight.ReportRange;
import dev.sodam.server.model.Agent;
import dev.sodam.server.model.Feedback;
import dev.sodam.server.store.FaqRevision;
import dev.sodam.server.store.Store;
import dev.sodam.server.store.StoredFaq;
import dev.sodam.server.util.Json;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin REST API under {@code /api/admin/} (docs/admin.md): FAQ management and the bot's
 * rebuild status. Admin role only: no or a bad token gets 401, an agent 403, before anything
 * else is read. Everything after routing runs on the blocking executor (token lookup, SQLite
 * reads); writes go to the domain thread through {@link FaqService}. Never blocks an event loop.
 */
public final class AdminApi {
    private static final Logger log = LoggerFactory.getLogger(AdminApi.class);
    public static final String PREFIX = "/api/admin/";

    private final AuthService auth;
    private final FaqService faq;
    private final BotEngine bot;
    private final Executor blocking;
    /** For the read-only endpoints (feedback); null serves none of them. */
    private final Store store;
    private final AccessApi access;
    /** The gap report and analytics; null serves neither. */
    private final Insights insights;
    /** Site settings; null serves no /sites endpoint. */
    private final dev.sodam.server.site.SiteSettingsService sites;

    public AdminApi(AuthService auth, FaqService faq, BotEngine bot, Executor blocking) {
        this(auth, faq, bot, blocking, null, null);
    }

    public AdminApi(AuthService auth, FaqService faq, BotEngine bot, Executor blocking, Store store) {
        this(auth, faq, bot, blocking, store, null);
    }

    /** With {@code access} null, users, teams, audit and the account endpoints are not served. */
    public AdminApi(AuthService auth, FaqService faq, BotEngine bot, Executor blocking, Store store, AccessApi access) {
        this(auth, faq, bot, blocking, store, access, null);
    }

    /** With {@code insights} null, the gap report and analytics are not served. */
    public AdminApi(AuthService auth, FaqService faq, BotEngine bot, Executor blocking, Store store, AccessApi access,
                    Insights insights) {
        this(auth, faq, bot, blocking, store, access, insights, null);
    }

    /** With {@code sites} null, no /sites endpoint is served. */
    public AdminApi(AuthService auth, FaqService faq, BotEngine bot, Executor blocking, Store store, AccessApi access,
                    Insights insights, dev.sodam.server.site.SiteSettingsService sites) {
        this.sites = sites;
        this.auth = auth;
        this.faq = faq;
        this.bot = bot;
        this.blocking = blocking;
        this.store = store;
        this.access = access;
        this.insights = insights;
    }

    /**
     * One request to an endpoint, once the caller is known. {@code admin} is the caller: an admin
     * under {@link #PREFIX}; any signed-in account (or null where no token is needed) under
     * {@link AccessApi#ACCOUNT_PREFIX}.
     */
    record Call(Agent admin, FullHttpRequest request, QueryStringDecoder query) {
        JsonNode body() {
            try {
                JsonNode node = Json.MAPPER.readTree(HttpResponses.utf8(request.content()));
                if (node != null && node.isObject()) {
                    return node;
                }
            } catch (IOException e) {
                // answered below
            }
            throw bad("body must be a JSON object");
        }

        String param(String name) {
            List<String> values = query.parameters().get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    /** A body that is a file to download rather than JSON. */
    record Download(byte[] bytes, String contentType, String filename) {
    }

    /** What an endpoint answers: a status and a JSON body (or a {@link Download}). */
    record Answer(HttpResponseStatus status, Object body) {
        static Answer ok(Object body) {
            return new Answer(HttpResponseStatus.OK, body);
        }
    }

    @FunctionalInterface
    interface Handler {
        CompletableFuture<Answer> handle(Call call);
    }

    /** Entry point from the HTTP router for every path under {@link #PREFIX}. */
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        QueryStringDecoder query = new QueryStringDecoder(request.uri());
        String path = query.path();
        boolean account = !path.startsWith(PREFIX);
        List<String> parts = Arrays.stream(path.substring(account ? AccessApi.ACCOUNT_PREFIX.length()
                : PREFIX.length()).split("/", -1)).toList();
        Map<HttpMethod, Handler> endpoint = account ? (access == null ? null : access.accountRoute(parts)) : route(parts);
        if (endpoint == null) {
            HttpResponses.sendError(ctx, request, HttpResponseStatus.NOT_FOUND, "not_found", "no API at " + path, false);
            return;
        }
        Handler handler = endpoint.get(request.method());
        if (handler == null) {
            String allowed = endpoint.keySet().stream().map(HttpMethod::name).sorted().collect(Collectors.joining(", "));
            HttpResponses.sendError(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "bad_request",
                    "use " + allowed + " for " + path, false);
            return;
        }
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
        request.retain();
        String section = parts.get(0);
        CompletableFuture.supplyAsync(() -> account ? access.caller(section, token) : admin(token, section), blocking)
                .thenCompose(admin -> handler.handle(new Call(admin, request, query)))
                .whenCompleteAsync((answer, failure) -> {
                    try {
                        if (failure != null) {
                            fail(ctx, request, failure);
                        } else if (answer.body() instanceof Download file) {
                            HttpResponses.sendFile(ctx, request, answer.status(), file.bytes(), file.contentType(),
                                    file.filename());
                        } else {
                            HttpResponses.sendJson(ctx, request, answer.status(), answer.body());
                        }
                    } finally {
                        request.release();
                    }
                }, blocking);
    }

    /**
     * Sections an admin scoped to one site may use (each answers only that site's data); every other
     * section holds installation-wide data (the FAQ, the bot, teams) and needs an installation admin.
     */
    static final java.util.Set<String> SITE_ADMIN_SECTIONS = java.util.Set.of("users", "audit", "sites", "visitors");

    private Agent admin(String token, String section) {
        Agent agent = auth.authenticate(token);
        if (agent.role() != Agent.Role.ADMIN) {
            throw new ChatException(ErrorCode.FORBIDDEN, "this needs the admin role");
        }
        if (agent.siteId() != null && !SITE_ADMIN_SECTIONS.contains(section)) {
            throw new ChatException(ErrorCode.FORBIDDEN,
                    "this needs an installation-wide admin; you manage only site '" + agent.siteId() + "'");
        }
        return agent;
    }

    private static void fail(ChannelHandlerContext ctx, FullHttpRequest request, Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ChatException refusal) {
            HttpResponses.sendError(ctx, request, HttpResponseStatus.valueOf(refusal.code().httpStatus()),
                    refusal.code().wire(), refusal.getMessage(), false);
        } else {
            log.error("admin request {} {} failed", request.method(), request.uri(), cause);
            HttpResponses.sendError(ctx, request, HttpResponseStatus.INTERNAL_SERVER_ERROR, ErrorCode.INTERNAL.wire(),
                    "internal error; nothing was changed", false);
        }
    }

    // ------------------------------------------------------------------ routes

    private Map<HttpMethod, Handler> route(List<String> parts) {
        if (parts.stream().anyMatch(String::isEmpty)) {
            return null;
        }
        String first = parts.get(0);
        if (access != null) {
            Map<HttpMethod, Handler> accessRoute = access.adminRoute(parts);
            if (accessRoute != null) {
                return accessRoute;
            }
        }
        if (first.equals("faq")) {
            if (parts.size() == 1) {
                return Map.of(HttpMethod.GET, this::list, HttpMethod.POST, this::create);
            }
            String id = parts.get(1);
            if (parts.size() == 2) {
                Map<HttpMethod, Handler> entry = new LinkedHashMap<>();
                entry.put(HttpMethod.GET, call -> sync(() -> Answer.ok(entryJson(faq.get(id)))));
                entry.put(HttpMethod.PUT, call -> update(call, id));
                entry.put(HttpMethod.DELETE, call -> delete(call, id));
                if (id.equals("bulk")) {
                    entry.put(HttpMethod.POST, this::bulk);
                }
                if (id.equals("export")) {
                    return Map.of(HttpMethod.GET, this::export);
                }
                if (id.equals("import")) {
                    return Map.of(HttpMethod.POST, this::importFile);
                }
                return entry;
            }
            if (parts.size() == 3 && parts.get(2).equals("history")) {
                return Map.of(HttpMethod.GET, call -> sync(() -> Answer.ok(historyJson(id, faq.history(id)))));
            }
            if (parts.size() == 3 && parts.get(2).equals("restore")) {
                return Map.of(HttpMethod.POST, call -> restore(call, id));
            }
            return null;
        }
        if (first.equals("sites") && parts.size() == 3 && parts.get(2).equals("settings") && sites != null) {
            // Scoped by the site id in the path; which admin may edit which site is a later change (multi-site admins).
            String site = parts.get(1);
            return Map.of(HttpMethod.GET, call -> sync(() -> Answer.ok(sites.settings(site).json())),
                    HttpMethod.PUT, call -> sites.update(call.admin(), site, call.body())
                            .thenApply(stored -> Answer.ok(stored.json())));
        }
        if (first.equals("feedback") && parts.size() == 1 && store != null) {
            return Map.of(HttpMethod.GET, this::feedback);
        }
        if (first.equals("analytics") && parts.size() == 1 && insights != null) {
            return Map.of(HttpMethod.GET, this::analytics);
        }
        if (first.equals("gaps") && parts.size() == 1 && insights != null) {
            return Map.of(HttpMethod.GET, this::gaps);
        }
        if (first.equals("gaps") && parts.size() == 2 && parts.get(1).equals("draft") && insights != null) {
            return Map.of(HttpMethod.POST, this::draftFromGap);
        }
        if (first.equals("bot") && parts.size() == 2) {
            if (parts.get(1).equals("status")) {
                return Map.of(HttpMethod.GET, call -> sync(() -> Answer.ok(bot.status())));
            }
            if (parts.get(1).equals("rebuild")) {
                return Map.of(HttpMethod.POST, call -> sync(() -> {
                    bot.requestRebuild();
                    return new Answer(HttpResponseStatus.ACCEPTED, bot.status());
                }));
            }
        }
        return null;
    }

    @FunctionalInterface
    interface Body {
        Answer get();
    }

    static CompletableFuture<Answer> sync(Body body) {
        return CompletableFuture.completedFuture(body.get());
    }

    private CompletableFuture<Answer> list(Call call) {
        List<StoredFaq> found = faq.search(call.param("locale"), call.param("tag"), call.param("q"), enabled(call));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entries", found.stream().map(AdminApi::entryJson).toList());
        body.put("total", found.size());
        return sync(() -> Answer.ok(body));
    }

    private CompletableFuture<Answer> export(Call call) {
        String format = call.param("format") == null ? "csv" : call.param("format");
        if (!format.equals("csv") && !format.equals("json")) {
            throw bad("query parameter 'format' must be csv or json");
        }
        List<StoredFaq> found = faq.search(call.param("locale"), call.param("tag"), call.param("q"), enabled(call));
        String name = "sodam-faq-" + java.time.LocalDate.now(java.time.ZoneOffset.UTC) + "." + format;
        return sync(() -> Answer.ok(format.equals("csv")
                ? new Download(FaqFiles.csv(found), "text/csv; charset=utf-8", name)
                : new Download(FaqFiles.json(found, java.time.Instant.now()), "application/json; charset=utf-8", name)));
    }

    /**
     * The file is the raw request body (CSV or JSON, any of the encodings {@link FaqFiles} reads).
     * A dry run answers 200 with the report; a real import answers 200 when stored, or 400 with the
     * same report (every problem with its line) when nothing was stored.
     */
    private CompletableFuture<Answer> importFile(Call call) {
        String dryRunParam = call.param("dryRun");
        if (dryRunParam != null && !dryRunParam.equals("true") && !dryRunParam.equals("false")) {
            throw bad("query parameter 'dryRun' must be true or false");
        }
        boolean dryRun = "true".equals(dryRunParam);
        String format = call.param("format");
        if (format == null) {
            String type = call.request().headers().get(HttpHeaderNames.CONTENT_TYPE, "");
            format = type.startsWith("text/csv") ? "csv" : type.startsWith("application/json") ? "json" : null;
        }
        FaqFiles.Parsed parsed = FaqFiles.read(io.netty.buffer.ByteBufUtil.getBytes(call.request().content()), format);
        return faq.importRows(call.admin(), parsed, dryRun).thenApply(report -> {
            Map<String, Object> body = new LinkedHashMap<>();
            if (!report.errors().isEmpty() && !dryRun) {
                body.put("code", ErrorCode.BAD_REQUEST.wire());
                body.put("message", report.errors().size() + " problem(s) in the file; nothing was imported");
            }
            body.put("dryRun", report.dryRun());
            body.put("applied", report.applied());
            body.put("ok", report.errors().isEmpty());
            body.put("format", parsed.format());
            body.put("encoding", parsed.encoding());
            body.put("rows", parsed.rows().size());
            body.put("created", report.count("create"));
            body.put("updated", report.count("update"));
            body.put("unchanged", report.count("unchanged"));
            body.put("lines", report.lines());
            body.put("errors", report.errors());
            return new Answer(report.errors().isEmpty() || dryRun ? HttpResponseStatus.OK
                    : HttpResponseStatus.BAD_REQUEST, body);
        });
    }

    private CompletableFuture<Answer> gaps(Call call) {
        ReportRange range = ReportRange.parse(call.param("from"), call.param("to"), call.param("tz"),
                insights.clock().instant());
        double low = number(call, "lowConfidence", GapReport.DEFAULT_LOW_CONFIDENCE);
        double threshold = number(call, "threshold", QuestionClusters.DEFAULT_THRESHOLD);
        String locale = call.param("locale");
        GapReport.Report report = insights.gaps(range, blankToNull(call.param("site")),
                blankToNull(locale), low, threshold);
        return sync(() -> Answer.ok(report));
    }

    /** The dashboard's figures as JSON, or with {@code format=csv} as one CSV table to download. */
    private CompletableFuture<Answer> analytics(Call call) {
        String format = call.param("format") == null ? "json" : call.param("format");
        if (!format.equals("json") && !format.equals("csv")) {
            throw bad("query parameter 'format' must be json or csv");
        }
        ReportRange range = ReportRange.parse(call.param("from"), call.param("to"), call.param("tz"),
                insights.clock().instant());
        Analytics.Report report = insights.analytics(range, blankToNull(call.param("site")), blankToNull(call.param("team")));
        return sync(() -> Answer.ok(format.equals("json") ? report : new Download(Analytics.csv(report),
                "text/csv; charset=utf-8", "sodam-analytics-" + java.time.LocalDate.ofInstant(range.from(), range.zone())
                        + "_" + java.time.LocalDate.ofInstant(range.to().minusMillis(1), range.zone()) + ".csv")));
    }

    private CompletableFuture<Answer> draftFromGap(Call call) {
        JsonNode body = call.body();
        String locale = text(body, "locale");
        if (locale == null || !FaqService.LOCALES.contains(locale)) {
            throw bad("field 'locale' is required (ko or en)");
        }
        return insights.draft(call.admin(), locale, text(body, "question"), strings(body, "paraphrases"),
                        text(body, "answer"))
                .thenApply(created -> new Answer(HttpResponseStatus.CREATED, entryJson(created)));
    }

    private static double number(Call call, String name, double fallback) {
        String value = call.param(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw bad("query parameter '" + name + "' must be a number");
        }
    }

    private static Boolean enabled(Call call) {
        String enabledParam = call.param("enabled");
        if (enabledParam == null || enabledParam.isBlank()) {
            return null;
        }
        if (!enabledParam.equals("true") && !enabledParam.equals("false")) {
            throw bad("query parameter 'enabled' must be true or false");
        }
        return Boolean.valueOf(enabledParam);
    }

    private CompletableFuture<Answer> create(Call call) {
        JsonNode body = call.body();
        return faq.create(call.admin(), draft(body, text(body, "id")))
                .thenApply(created -> new Answer(HttpResponseStatus.CREATED, entryJson(created)));
    }

    private CompletableFuture<Answer> update(Call call, String id) {
        JsonNode body = call.body();
        String bodyId = text(body, "id");
        if (bodyId != null && !bodyId.equals(id)) {
            throw bad("the body's id '" + bodyId + "' differs from the path's '" + id + "'; ids cannot be changed");
        }
        long version = version(body.get("version"), "version");
        return faq.update(call.admin(), id, draft(body, null), version)
                .thenApply(changed -> Answer.ok(entryJson(changed)));
    }

    private CompletableFuture<Answer> delete(Call call, String id) {
        String versionParam = call.param("version");
        Long version = null;
        if (versionParam != null) {
            try {
                version = Long.parseLong(versionParam);
            } catch (NumberFormatException e) {
                throw bad("query parameter 'version' must be a whole number");
            }
        }
        return faq.delete(call.admin(), id, version).thenApply(gone -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", gone.id());
            body.put("deleted", true);
            body.put("version", gone.version());
            return Answer.ok(body);
        });
    }

    private CompletableFuture<Answer> bulk(Call call) {
        JsonNode body = call.body();
        List<String> ids = strings(body, "ids");
        JsonNode enabled = body.get("enabled");
        if (ids == null) {
            throw bad("field 'ids' is required: an array of entry ids");
        }
        if (enabled == null || !enabled.isBoolean()) {
            throw bad("field 'enabled' is required: true or false");
        }
        return faq.setEnabled(call.admin(), ids, enabled.booleanValue()).thenApply(changed -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("updated", changed.size());
            answer.put("entries", changed.stream().map(AdminApi::entryJson).toList());
            return Answer.ok(answer);
        });
    }

    private CompletableFuture<Answer> restore(Call call, String id) {
        long version = version(call.body().get("version"), "version");
        return faq.restore(call.admin(), id, version).thenApply(restored -> Answer.ok(entryJson(restored)));
    }

    /** Stored visitor feedback, newest first, filtered by site, conversation, kind and time (docs/admin.md). */
    private CompletableFuture<Answer> feedback(Call call) {
        String kindParam = call.param("kind");
        Feedback.Kind kind = kindParam == null || kindParam.isBlank() ? null : Feedback.Kind.fromWire(kindParam);
        if (kindParam != null && !kindParam.isBlank() && kind == null) {
            throw bad("query parameter 'kind' must be thumbs, csat or nps");
        }
        java.time.Instant from = instantParam(call, "from");
        java.time.Instant to = instantParam(call, "to");
        int limit = 500;
        String limitParam = call.param("limit");
        if (limitParam != null) {
            try {
                limit = Integer.parseInt(limitParam);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > 5000) {
                throw bad("query parameter 'limit' must be a whole number from 1 to 5000");
            }
        }
        int max = limit;
        List<Feedback> found = store.read(tx -> tx.feedbackSearch(blankToNull(call.param("site")),
                blankToNull(call.param("conversationId")), kind, from, to, max));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("feedback", found.stream().map(AdminApi::feedbackJson).toList());
        body.put("total", found.size());
        return sync(() -> Answer.ok(body));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static java.time.Instant instantParam(Call call, String name) {
        String value = blankToNull(call.param(name));
        if (value == null) {
            return null;
        }
        try {
            return java.time.Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw bad("query parameter '" + name + "' must be an ISO-8601 UTC time such as 2026-11-22T00:00:00Z");
        }
    }

    static Map<String, Object> feedbackJson(Feedback f) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", f.id());
        json.put("siteId", f.siteId());
        json.put("conversationId", f.conversationId());
        json.put("messageId", f.messageId());
        json.put("kind", f.kind().wire());
        json.put("score", f.score());
        json.put("comment", f.comment());
        json.put("createdAt", f.createdAt().toString());
        return json;
    }

    // ------------------------------------------------------------------ JSON in and out

    private static FaqService.Draft draft(JsonNode body, String id) {
        JsonNode enabled = body.get("enabled");
        if (enabled != null && !enabled.isNull() && !enabled.isBoolean()) {
            throw bad("field 'enabled' must be true or false");
        }
        return new FaqService.Draft(id, text(body, "locale"), text(body, "question"), strings(body, "paraphrases"),
                text(body, "answer"), strings(body, "tags"),
                enabled == null || enabled.isNull() ? null : enabled.booleanValue());
    }

    static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw bad("field '" + field + "' must be a string");
        }
        return value.textValue();
    }

    static List<String> strings(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw bad("field '" + field + "' must be an array of strings");
        }
        List<String> out = new ArrayList<>(value.size());
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw bad("field '" + field + "' must be an array of strings");
            }
            out.add(item.textValue());
        }
        return out;
    }

    static long version(JsonNode value, String field) {
        if (value == null || !value.isIntegralNumber() || value.longValue() < 1) {
            throw bad("field '" + field + "' is required: the version you read (a whole number, 1 or more)");
        }
        return value.longValue();
    }

    static ChatException bad(String message) {
        return new ChatException(ErrorCode.BAD_REQUEST, message);
    }

    static Map<String, Object> entryJson(StoredFaq f) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", f.id());
        json.put("locale", f.locale());
        json.put("question", f.question());
        json.put("paraphrases", f.paraphrases());
        json.put("answer", f.answer());
        json.put("tags", f.tags());
        json.put("enabled", f.enabled());
        json.put("version", f.version());
        json.put("updatedAt", f.updatedAt());
        json.put("updatedBy", who(f.updatedBy(), f.updatedByName()));
        return json;
    }

    private static Map<String, Object> who(String id, String name) {
        if (id == null) {
            return null;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("name", name);
        return json;
    }

    private static Map<String, Object> historyJson(String id, List<FaqRevision> revisions) {
        List<Map<String, Object>> versions = new ArrayList<>(revisions.size());
        for (FaqRevision r : revisions) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("version", r.version());
            json.put("action", r.action());
            json.put("at", r.changedAt());
            json.put("by", who(r.changedBy(), r.changedByName()));
            json.put("entry", entryJson(r.snapshot()));
            versions.add(json);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("versions", versions);
        return body;
    }
}
