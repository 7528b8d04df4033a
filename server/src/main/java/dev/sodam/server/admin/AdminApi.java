package dev.sodam.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.auth.AuthService;
import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.conversation.ChatException.Reason;
import dev.sodam.server.conversation.ErrorCode;
import dev.sodam.server.faq.BotEngine;
import dev.sodam.server.faq.FaqFiles;
import dev.sodam.server.faq.FaqService;
import dev.sodam.server.http.ApiModule;
import dev.sodam.server.http.JsonApi;
import dev.sodam.server.http.JsonApi.Answer;
import dev.sodam.server.http.JsonApi.Call;
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
import dev.sodam.server.util.Text;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The admin REST API under {@code /api/admin/} (docs/admin.md): FAQ management and the bot's
 * rebuild status. Admin role only: no or a bad token gets 401, an agent 403, before anything
 * else is read. Everything after routing runs on the blocking executor (token lookup, SQLite
 * reads); writes go to the domain thread through {@link FaqService}. Never blocks an event loop.
 */
public final class AdminApi {
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

    /** The test console's threshold what-if and saved thresholds; null serves neither. */
    private dev.sodam.server.faq.ThresholdTuning tuning;

    /** Serves the test console's what-if and saved thresholds (call before {@link #modules()}). */
    public AdminApi withTuning(dev.sodam.server.faq.ThresholdTuning tuning) {
        this.tuning = tuning;
        return this;
    }

    private JsonApi<Agent> adminApi;
    private JsonApi<Agent> accountApi;

    /**
     * The HTTP modules: {@code /api/admin/} (the admin role; an admin of one site only in
     * {@link #SITE_ADMIN_SECTIONS}) and {@code /api/account/} (any signed-in account; nobody for
     * {@code password}). Built once; their route tables are what docs/openapi.yaml is checked against.
     */
    public synchronized List<ApiModule> modules() {
        if (adminApi == null) {
            adminApi = new JsonApi<Agent>(List.of(PREFIX), request -> admin(JsonApi.bearer(request),
                    section(request, PREFIX)), blocking).internalErrorMessage(NOTHING_CHANGED);
            if (access != null) {
                access.registerAdmin(adminApi);
            }
            registerAdmin(adminApi);
            accountApi = new JsonApi<Agent>(List.of(AccessApi.ACCOUNT_PREFIX), request -> access.caller(
                    section(request, AccessApi.ACCOUNT_PREFIX), JsonApi.bearer(request)), blocking)
                    .internalErrorMessage(NOTHING_CHANGED);
            if (access != null) {
                access.registerAccount(accountApi);
            }
        }
        return List.of(adminApi, accountApi);
    }

    static final String NOTHING_CHANGED = "internal error; nothing was changed";

    /** The first path segment below {@code prefix}: what part of the API a request is for. */
    private static String section(FullHttpRequest request, String prefix) {
        String path = new QueryStringDecoder(request.uri()).path();
        String rest = path.substring(prefix.length());
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    /**
     * Sections an admin scoped to one site may use (each answers only that site's data: the reports
     * are narrowed to it by {@link #reportSite}); every other section holds installation-wide data
     * (the FAQ, the bot, teams) and needs an installation admin.
     */
    static final java.util.Set<String> SITE_ADMIN_SECTIONS = java.util.Set.of("users", "audit", "sites", "visitors",
            "gaps", "analytics");

    private Agent admin(String token, String section) {
        Agent agent = auth.authenticate(token);
        if (agent.role() != Agent.Role.ADMIN) {
            throw new ChatException(ErrorCode.FORBIDDEN, "this needs the admin role");
        }
        if (agent.siteId() != null && !SITE_ADMIN_SECTIONS.contains(section)) {
            throw ChatException.installationOnly("this needs an installation-wide admin; you manage only site '"
                    + agent.siteId() + "'", agent.siteId());
        }
        return agent;
    }

    // ------------------------------------------------------------------ routes

    private void registerAdmin(JsonApi<Agent> api) {
        String faqPath = PREFIX + "faq";
        api.route(HttpMethod.GET, faqPath, this::list)
                .route(HttpMethod.POST, faqPath, this::create)
                .route(HttpMethod.GET, faqPath + "/export", this::export)
                .route(HttpMethod.POST, faqPath + "/import", this::importFile)
                .route(HttpMethod.POST, faqPath + "/bulk", this::bulk)
                .route(HttpMethod.GET, faqPath + "/{id}", call -> sync(() -> Answer.ok(entryJson(faq.get(call.path("id"))))))
                .route(HttpMethod.PUT, faqPath + "/{id}", call -> update(call, call.path("id")))
                .route(HttpMethod.DELETE, faqPath + "/{id}", call -> delete(call, call.path("id")))
                .route(HttpMethod.GET, faqPath + "/{id}/history",
                        call -> sync(() -> Answer.ok(historyJson(call.path("id"), faq.history(call.path("id"))))))
                .route(HttpMethod.POST, faqPath + "/{id}/restore", call -> restore(call, call.path("id")));
        if (sites != null) {
            // A site's admin sees and changes only their own site; another site answers 404.
            api.route(HttpMethod.GET, PREFIX + "sites", call -> sync(() -> Answer.ok(java.util.Map.of("sites",
                            sites.sites(call.caller()).stream().map(AdminApi::siteJson).toList()))))
                    .route(HttpMethod.POST, PREFIX + "sites", call -> sites.create(call.caller(), call.body())
                            .thenApply(site -> new Answer(HttpResponseStatus.CREATED, siteJson(site))))
                    .route(HttpMethod.PUT, PREFIX + "sites/{id}", call -> sites.update(call.caller(), call.path("id"),
                            call.body()).thenApply(site -> Answer.ok(siteJson(site))))
                    .route(HttpMethod.GET, PREFIX + "sites/{id}/settings",
                            call -> sync(() -> Answer.ok(sites.settings(call.caller(), call.path("id")).json())))
                    .route(HttpMethod.PUT, PREFIX + "sites/{id}/settings", call -> sites.updateSettings(call.caller(),
                            call.path("id"), call.body()).thenApply(stored -> Answer.ok(stored.json())));
        }
        if (store != null) {
            api.route(HttpMethod.GET, PREFIX + "feedback", this::feedback);
        }
        if (insights != null) {
            api.route(HttpMethod.GET, PREFIX + "analytics", this::analytics)
                    .route(HttpMethod.GET, PREFIX + "gaps", this::gaps)
                    .route(HttpMethod.POST, PREFIX + "gaps/draft", this::draftFromGap);
        }
        api.route(HttpMethod.GET, PREFIX + "bot/status", call -> sync(() -> Answer.ok(bot.status())))
                .route(HttpMethod.POST, PREFIX + "bot/rebuild", call -> sync(() -> {
                    bot.requestRebuild();
                    return new Answer(HttpResponseStatus.ACCEPTED, bot.status());
                }))
                .route(HttpMethod.POST, PREFIX + "bot/try", this::tryQuestion);
        if (tuning != null) {
            api.route(HttpMethod.POST, PREFIX + "bot/what-if", this::whatIf)
                    .route(HttpMethod.GET, PREFIX + "bot/thresholds", call -> sync(() -> Answer.ok(tuning.saved().json())))
                    .route(HttpMethod.PUT, PREFIX + "bot/thresholds/{locale}", call -> tuning.save(call.caller(),
                                    call.path("locale"), dev.sodam.server.faq.ThresholdTuning.thresholds(call.body()),
                                    savedVersion(call.body().get("version"), "field 'version'"))
                            .thenApply(saved -> Answer.ok(saved.json())))
                    .route(HttpMethod.DELETE, PREFIX + "bot/thresholds/{locale}", call -> tuning.save(call.caller(),
                                    call.path("locale"), null, savedVersion(versionParam(call), "query parameter 'version'"))
                            .thenApply(saved -> Answer.ok(saved.json())));
        }
    }

    /**
     * The test console: what the bot decides for one question, with the band its confidence falls
     * in, the thresholds used and the analyzer's terms (docs/admin.md).
     */
    private CompletableFuture<Answer> tryQuestion(Call<Agent> call) {
        JsonNode body = call.body();
        String text = text(body, "text");
        if (text == null || text.isBlank()) {
            throw ChatException.invalid("field 'text' is required: the question to try", Reason.REQUIRED, "text");
        }
        int chars = Text.chars(text);
        if (chars > TRY_CHARS_MAX) {
            throw ChatException.invalid("field 'text' has more than " + TRY_CHARS_MAX + " characters", Reason.TOO_LONG,
                    "text", "count", chars, "max", TRY_CHARS_MAX);
        }
        String hint = text(body, "locale");
        if (hint != null && !FaqService.LOCALES.contains(hint)) {
            throw ChatException.invalid("field 'locale' must be ko or en", Reason.INVALID, "locale");
        }
        return bot.current().thenApplyAsync(current -> {
            dev.sodam.bot.BotDecision decision = current.ask(text, hint);
            dev.sodam.bot.FaqBot.Analysis analysis = current.analyze(text, hint);
            dev.sodam.bot.BotThresholds thresholds = current.thresholds(decision.locale());
            Map<String, Object> answer = new LinkedHashMap<>(dev.sodam.server.http.HttpRouter.decisionBody(decision));
            answer.put("band", dev.sodam.server.faq.ThresholdTuning.band(decision.confidence(), thresholds));
            answer.put("thresholds", dev.sodam.server.faq.ThresholdTuning.thresholdsJson(thresholds));
            Map<String, Object> tokens = new LinkedHashMap<>();
            tokens.put("locale", analysis.locale());
            tokens.put("normalized", analysis.normalized());
            tokens.put("words", analysis.words());
            tokens.put("ngrams", analysis.ngrams());
            answer.put("analysis", tokens);
            return Answer.ok(answer);
        }, blocking);
    }

    static final int TRY_CHARS_MAX = 500;

    /** The proposed thresholds over the recorded questions of a period (default: the last 30 days). */
    private CompletableFuture<Answer> whatIf(Call<Agent> call) {
        JsonNode body = call.body();
        String locale = tuning.locale(text(body, "locale"));
        dev.sodam.bot.BotThresholds proposed = dev.sodam.server.faq.ThresholdTuning.thresholds(body);
        ReportRange range = ReportRange.parse(text(body, "from"), text(body, "to"), text(body, "tz"),
                java.time.Instant.now(insights == null ? java.time.Clock.systemUTC() : insights.clock()));
        return bot.current().thenApplyAsync(current -> Answer.ok(tuning.whatIf(current, locale, proposed,
                range.from(), range.to())), blocking);
    }

    private static String versionParam(Call<Agent> call) {
        String value = call.param("version");
        if (value == null) {
            throw ChatException.invalid("query parameter 'version' is required: the saved thresholds' version you read",
                    Reason.REQUIRED, "version");
        }
        return value;
    }

    /** A settings version as read: a whole number, 0 when nothing was saved yet. */
    private static long savedVersion(Object value, String what) {
        if (value instanceof JsonNode node && node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= 0) {
            return node.longValue();
        }
        if (value instanceof String text) {
            try {
                long parsed = Long.parseLong(text);
                if (parsed >= 0) {
                    return parsed;
                }
            } catch (NumberFormatException e) {
                // below
            }
        }
        throw ChatException.invalid(what + " is required: the saved thresholds' version you read (0 when none were saved)",
                value == null || value instanceof JsonNode node && node.isNull() ? Reason.REQUIRED : Reason.INVALID,
                "version");
    }

    @FunctionalInterface
    interface Body {
        Answer get();
    }

    static CompletableFuture<Answer> sync(Body body) {
        return CompletableFuture.completedFuture(body.get());
    }

    private CompletableFuture<Answer> list(Call<Agent> call) {
        List<StoredFaq> found = faq.search(call.param("locale"), call.param("tag"), call.param("q"), enabled(call),
                call.param("team"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entries", found.stream().map(AdminApi::entryJson).toList());
        body.put("total", found.size());
        return sync(() -> Answer.ok(body));
    }

    private CompletableFuture<Answer> export(Call<Agent> call) {
        String format = call.param("format") == null ? "csv" : call.param("format");
        if (!format.equals("csv") && !format.equals("json")) {
            throw badParam("query parameter 'format' must be csv or json", "format", format);
        }
        List<StoredFaq> found = faq.search(call.param("locale"), call.param("tag"), call.param("q"), enabled(call),
                call.param("team"));
        String name = "sodam-faq-" + java.time.LocalDate.now(java.time.ZoneOffset.UTC) + "." + format;
        return sync(() -> Answer.ok(format.equals("csv")
                ? new JsonApi.Download(FaqFiles.csv(found), "text/csv; charset=utf-8", name)
                : new JsonApi.Download(FaqFiles.json(found, java.time.Instant.now()), "application/json; charset=utf-8", name)));
    }

    /**
     * The file is the raw request body (CSV or JSON, any of the encodings {@link FaqFiles} reads).
     * A dry run answers 200 with the report; a real import answers 200 when stored, or 400 with the
     * same report (every problem with its line) when nothing was stored.
     */
    private CompletableFuture<Answer> importFile(Call<Agent> call) {
        String dryRunParam = call.param("dryRun");
        if (dryRunParam != null && !dryRunParam.equals("true") && !dryRunParam.equals("false")) {
            throw badParam("query parameter 'dryRun' must be true or false", "dryRun", dryRunParam);
        }
        boolean dryRun = "true".equals(dryRunParam);
        String format = call.param("format");
        if (format == null) {
            String type = call.request().headers().get(HttpHeaderNames.CONTENT_TYPE, "");
            format = type.startsWith("text/csv") ? "csv" : type.startsWith("application/json") ? "json" : null;
        }
        FaqFiles.Parsed parsed = FaqFiles.read(io.netty.buffer.ByteBufUtil.getBytes(call.request().content()), format);
        return faq.importRows(call.caller(), parsed, dryRun).thenApply(report -> {
            Map<String, Object> body = new LinkedHashMap<>();
            if (!report.errors().isEmpty() && !dryRun) {
                body.put("code", ErrorCode.BAD_REQUEST.wire());
                body.put("message", report.errors().size() + " problem(s) in the file; nothing was imported");
                body.put("requestId", dev.sodam.server.http.RequestIds.of(call.request()));
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

    /**
     * The site a report covers: a site's admin always their own (naming another is 403), an
     * installation admin the one named by {@code site}, or every site.
     */
    private static String reportSite(Call<Agent> call) {
        String asked = blankToNull(call.param("site"));
        String own = call.caller().siteId();
        if (own == null) {
            return asked;
        }
        if (asked != null && !asked.equals(own)) {
            throw ChatException.otherSite("you manage only site '" + own + "'; the reports of site '" + asked
                    + "' are not yours to read", own, asked);
        }
        return own;
    }

    private CompletableFuture<Answer> gaps(Call<Agent> call) {
        String site = reportSite(call);
        ReportRange range = ReportRange.parse(call.param("from"), call.param("to"), call.param("tz"),
                insights.clock().instant());
        double threshold = number(call, "threshold", QuestionClusters.DEFAULT_THRESHOLD);
        String locale = call.param("locale");
        GapReport.Report report = call.param("lowConfidence") != null
                ? insights.gaps(range, site, blankToNull(locale),
                        number(call, "lowConfidence", GapReport.DEFAULT_LOW_CONFIDENCE), threshold)
                : insights.gaps(range, site, blankToNull(locale), this::lowConfidence, threshold);
        return sync(() -> Answer.ok(report));
    }

    /** Unsure answers: within the margin above the language's live answer threshold (a fixed cut before the bot is trained). */
    private double lowConfidence(String locale) {
        var status = bot.status().locales().get(locale);
        return status == null ? GapReport.DEFAULT_LOW_CONFIDENCE
                : Math.min(1.0, status.answerThreshold() + GapReport.LOW_CONFIDENCE_MARGIN);
    }

    /** The dashboard's figures as JSON, or with {@code format=csv} as one CSV table to download. */
    private CompletableFuture<Answer> analytics(Call<Agent> call) {
        String format = call.param("format") == null ? "json" : call.param("format");
        if (!format.equals("json") && !format.equals("csv")) {
            throw badParam("query parameter 'format' must be json or csv", "format", format);
        }
        String site = reportSite(call);
        ReportRange range = ReportRange.parse(call.param("from"), call.param("to"), call.param("tz"),
                insights.clock().instant());
        Analytics.Report report = insights.analytics(range, site, blankToNull(call.param("team")));
        return sync(() -> Answer.ok(format.equals("json") ? report : new JsonApi.Download(Analytics.csv(report),
                "text/csv; charset=utf-8", "sodam-analytics-" + java.time.LocalDate.ofInstant(range.from(), range.zone())
                        + "_" + java.time.LocalDate.ofInstant(range.to().minusMillis(1), range.zone()) + ".csv")));
    }

    private CompletableFuture<Answer> draftFromGap(Call<Agent> call) {
        if (call.caller().siteId() != null) {
            // A draft is an FAQ entry, and the FAQ serves every site.
            throw ChatException.installationOnly("a draft becomes an FAQ entry of the whole installation; "
                    + "only an installation admin may make one (you manage site '" + call.caller().siteId() + "')",
                    call.caller().siteId());
        }
        JsonNode body = call.body();
        String locale = text(body, "locale");
        if (locale == null || !FaqService.LOCALES.contains(locale)) {
            throw ChatException.invalid("field 'locale' is required (ko or en)",
                    locale == null ? Reason.REQUIRED : Reason.INVALID, "locale");
        }
        return insights.draft(call.caller(), locale, text(body, "question"), strings(body, "paraphrases"),
                        text(body, "answer"))
                .thenApply(created -> new Answer(HttpResponseStatus.CREATED, entryJson(created)));
    }

    private static double number(Call<Agent> call, String name, double fallback) {
        String value = call.param(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw badParam("query parameter '" + name + "' must be a number", name, value);
        }
    }

    private static Boolean enabled(Call<Agent> call) {
        String enabledParam = call.param("enabled");
        if (enabledParam == null || enabledParam.isBlank()) {
            return null;
        }
        if (!enabledParam.equals("true") && !enabledParam.equals("false")) {
            throw badParam("query parameter 'enabled' must be true or false", "enabled", enabledParam);
        }
        return Boolean.valueOf(enabledParam);
    }

    private CompletableFuture<Answer> create(Call<Agent> call) {
        JsonNode body = call.body();
        return faq.create(call.caller(), draft(body, text(body, "id")))
                .thenApply(created -> new Answer(HttpResponseStatus.CREATED, entryJson(created)));
    }

    private CompletableFuture<Answer> update(Call<Agent> call, String id) {
        JsonNode body = call.body();
        String bodyId = text(body, "id");
        if (bodyId != null && !bodyId.equals(id)) {
            throw ChatException.invalid("the body's id '" + bodyId + "' differs from the path's '" + id
                    + "'; ids cannot be changed", Reason.CANNOT_CHANGE, "id", "value", Text.truncate(bodyId, 40));
        }
        long version = version(body.get("version"), "version");
        return faq.update(call.caller(), id, draft(body, null), version)
                .thenApply(changed -> Answer.ok(entryJson(changed)));
    }

    private CompletableFuture<Answer> delete(Call<Agent> call, String id) {
        String versionParam = call.param("version");
        Long version = null;
        if (versionParam != null) {
            try {
                version = Long.parseLong(versionParam);
            } catch (NumberFormatException e) {
                throw badParam("query parameter 'version' must be a whole number", "version", versionParam);
            }
        }
        return faq.delete(call.caller(), id, version).thenApply(gone -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", gone.id());
            body.put("deleted", true);
            body.put("version", gone.version());
            return Answer.ok(body);
        });
    }

    private CompletableFuture<Answer> bulk(Call<Agent> call) {
        JsonNode body = call.body();
        List<String> ids = strings(body, "ids");
        JsonNode enabled = body.get("enabled");
        if (ids == null) {
            throw ChatException.invalid("field 'ids' is required: an array of entry ids", Reason.REQUIRED, "ids");
        }
        if (enabled == null || !enabled.isBoolean()) {
            throw ChatException.invalid("field 'enabled' is required: true or false",
                    enabled == null || enabled.isNull() ? Reason.REQUIRED : Reason.INVALID, "enabled");
        }
        return faq.setEnabled(call.caller(), ids, enabled.booleanValue()).thenApply(changed -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("updated", changed.size());
            answer.put("entries", changed.stream().map(AdminApi::entryJson).toList());
            return Answer.ok(answer);
        });
    }

    private CompletableFuture<Answer> restore(Call<Agent> call, String id) {
        long version = version(call.body().get("version"), "version");
        return faq.restore(call.caller(), id, version).thenApply(restored -> Answer.ok(entryJson(restored)));
    }

    /** Stored visitor feedback, newest first, filtered by site, conversation, kind and time (docs/admin.md). */
    private CompletableFuture<Answer> feedback(Call<Agent> call) {
        String kindParam = call.param("kind");
        Feedback.Kind kind = kindParam == null || kindParam.isBlank() ? null : Feedback.Kind.fromWire(kindParam);
        if (kindParam != null && !kindParam.isBlank() && kind == null) {
            throw badParam("query parameter 'kind' must be thumbs, csat or nps", "kind", kindParam);
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
                throw ChatException.invalid("query parameter 'limit' must be a whole number from 1 to 5000",
                        Reason.OUT_OF_RANGE, "limit", "min", 1, "max", 5000);
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

    private static java.time.Instant instantParam(Call<Agent> call, String name) {
        String value = blankToNull(call.param(name));
        if (value == null) {
            return null;
        }
        try {
            return java.time.Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw badParam("query parameter '" + name + "' must be an ISO-8601 UTC time such as 2026-11-22T00:00:00Z",
                    name, value);
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

    /** An FAQ entry as a request body gives it (also the public API's); 400 for a field of the wrong type. */
    public static FaqService.Draft draft(JsonNode body, String id) {
        JsonNode enabled = body.get("enabled");
        if (enabled != null && !enabled.isNull() && !enabled.isBoolean()) {
            throw ChatException.invalid("field 'enabled' must be true or false", Reason.INVALID, "enabled");
        }
        return new FaqService.Draft(id, text(body, "locale"), text(body, "question"), strings(body, "paraphrases"),
                text(body, "answer"), strings(body, "tags"),
                enabled == null || enabled.isNull() ? null : enabled.booleanValue(),
                body.has("team") ? text(body, "team") : FaqService.KEEP,
                body.has("translation") ? text(body, "translation") : FaqService.KEEP);
    }

    /** The string {@code field} of {@code body}, null when absent or null; 400 {@code invalid} for any other type. */
    static String text(JsonNode body, String field) {
        return text(body, field, field);
    }

    /** As {@link #text(JsonNode, String)}, naming the field {@code as} in the refusal ({@code name.ko} inside {@code name}). */
    static String text(JsonNode body, String field, String as) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ChatException.invalid("field '" + as + "' must be a string", Reason.INVALID, as);
        }
        return value.textValue();
    }

    static List<String> strings(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw ChatException.invalid("field '" + field + "' must be an array of strings", Reason.INVALID, field);
        }
        List<String> out = new ArrayList<>(value.size());
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw ChatException.invalid("field '" + field + "' must be an array of strings", Reason.INVALID, field);
            }
            out.add(item.textValue());
        }
        return out;
    }

    public static long version(JsonNode value, String field) {
        // canConvertToLong first: longValue() of a number beyond long's range wraps (99999999999999999999
        // became 7766279631452241919, a stale version: a 409 where the input was simply wrong).
        if (value == null || value.isNull()) {
            throw ChatException.invalid("field '" + field + "' is required: the version you read (a whole number, 1 or more)",
                    Reason.REQUIRED, field);
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 1) {
            throw ChatException.invalid("field '" + field + "' must be the version you read: a whole number from 1 to "
                    + Long.MAX_VALUE, Reason.INVALID, field);
        }
        return value.longValue();
    }

    /**
     * A query parameter the pages build (a format, a flag, a date, a number) that cannot be read:
     * {@code invalid}, naming the parameter and the value as sent (cut to 40 characters).
     */
    static ChatException badParam(String message, String name, String value) {
        return ChatException.invalid(message, Reason.INVALID, name, "value", value == null ? null : Text.truncate(value, 40));
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
        json.put("team", f.team());
        json.put("translation", f.translation());
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

    static java.util.Map<String, Object> siteJson(dev.sodam.server.model.Site site) {
        java.util.Map<String, Object> json = new java.util.LinkedHashMap<>();
        json.put("id", site.id());
        json.put("name", site.name());
        json.put("allowedOrigins", site.allowedOrigins());
        return json;
    }
}
