package dev.sodam.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.auth.AuthService;
import dev.sodam.server.auth.UserService;
import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.conversation.ChatException.Reason;
import dev.sodam.server.http.JsonApi;
import dev.sodam.server.http.JsonApi.Answer;
import dev.sodam.server.http.JsonApi.Call;
import dev.sodam.server.model.Agent;
import dev.sodam.server.privacy.PrivacyService;
import dev.sodam.server.routing.TeamService;
import dev.sodam.server.store.AuditEntry;
import dev.sodam.server.store.SessionInfo;
import dev.sodam.server.store.Store;
import dev.sodam.server.util.Hashing;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Who may do what: accounts and roles, teams, the audit log ({@code /api/admin/users|teams|audit},
 * admins only, a site's admin only for its site), and a signed-in account's own sessions and
 * password links ({@code /api/account/}). Plumbing (token check, executor, errors) is
 * {@link AdminApi}'s. docs/admin.md describes every endpoint.
 */
public final class AccessApi {
    public static final String ACCOUNT_PREFIX = "/api/account/";
    public static final int AUDIT_LIMIT_MAX = 5_000;

    private final AuthService auth;
    private final UserService users;
    private final TeamService teams;
    private final Store store;

    private final PrivacyService privacy;

    public AccessApi(AuthService auth, UserService users, TeamService teams, Store store, PrivacyService privacy) {
        this.auth = auth;
        this.users = users;
        this.teams = teams;
        this.store = store;
        this.privacy = privacy;
    }

    /** The caller of an account endpoint: anyone signed in; nobody needs to be for {@code password}. */
    Agent caller(String section, String token) {
        return section.equals("password") ? null : auth.authenticate(token);
    }

    // ------------------------------------------------------------------ /api/admin/...

    void registerAdmin(JsonApi<Agent> api) {
        String p = AdminApi.PREFIX;
        api.route(HttpMethod.GET, p + "users", call -> AdminApi.sync(() -> Answer.ok(Map.of("users",
                        users.list(call.caller()).stream().map(UserService::json).toList()))))
                .route(HttpMethod.POST, p + "users", this::createUser)
                .route(HttpMethod.GET, p + "users/{id}",
                        call -> AdminApi.sync(() -> Answer.ok(UserService.json(users.get(call.caller(), call.path("id"))))))
                .route(HttpMethod.PUT, p + "users/{id}", call -> updateUser(call, call.path("id")))
                .route(HttpMethod.POST, p + "users/{id}/reset-password", call -> users.resetPassword(call.caller(),
                        call.path("id")).thenApply(link -> Answer.ok(linkJson(link.token(), link.expiresAt()))))
                .route(HttpMethod.GET, p + "users/{id}/sessions", call -> AdminApi.sync(() -> Answer.ok(Map.of("sessions",
                        users.sessions(call.caller(), call.path("id")).stream().map(s -> sessionJson(s, null)).toList()))))
                .route(HttpMethod.DELETE, p + "users/{id}/sessions", call -> users.revokeSessions(call.caller(),
                        call.path("id")).thenApply(count -> Answer.ok(Map.of("revoked", count))))
                .route(HttpMethod.GET, p + "teams", call -> AdminApi.sync(() -> Answer.ok(Map.of("teams",
                        teams.list().stream().map(TeamService::json).toList()))))
                .route(HttpMethod.POST, p + "teams", call -> teams.create(call.caller(), teamDraft(call.body()))
                        .thenApply(t -> new Answer(HttpResponseStatus.CREATED, TeamService.json(t))))
                .route(HttpMethod.GET, p + "teams/{id}",
                        call -> AdminApi.sync(() -> Answer.ok(TeamService.json(teams.get(call.path("id"))))))
                .route(HttpMethod.PUT, p + "teams/{id}", call -> {
                    JsonNode body = call.body();
                    return teams.update(call.caller(), call.path("id"), teamDraft(body),
                            AdminApi.version(body.get("version"), "version")).thenApply(t -> Answer.ok(TeamService.json(t)));
                })
                .route(HttpMethod.DELETE, p + "teams/{id}", call -> teams.delete(call.caller(), call.path("id"),
                        longParam(call, "version")).thenApply(t -> Answer.ok(Map.of("id", call.path("id"), "deleted", true))))
                .route(HttpMethod.GET, p + "audit", this::audit)
                .route(HttpMethod.GET, p + "privacy", call -> AdminApi.sync(() -> Answer.ok(privacy.settings())))
                .route(HttpMethod.PUT, p + "privacy", this::updatePrivacy)
                .route(HttpMethod.POST, p + "privacy/purge", call -> privacy.purge(call.caller()).thenApply(Answer::ok))
                .route(HttpMethod.POST, p + "privacy/mask", call -> {
                    String text = AdminApi.text(call.body(), "text");
                    if (text == null) {
                        throw ChatException.invalid("field 'text' is required", Reason.REQUIRED, "text");
                    }
                    return AdminApi.sync(() -> Answer.ok(Map.of("masked", privacy.mask(text))));
                })
                .route(HttpMethod.DELETE, p + "visitors/{id}",
                        call -> privacy.delete(call.caller(), call.path("id")).thenApply(Answer::ok))
                .route(HttpMethod.GET, p + "visitors/{id}/export",
                        call -> AdminApi.sync(() -> Answer.ok(privacy.export(call.caller(), call.path("id")))));
    }

    private CompletableFuture<Answer> updatePrivacy(Call<Agent> call) {
        JsonNode body = call.body();
        JsonNode days = body.get("retentionDays");
        // canConvertToInt/Long before reading: intValue() and longValue() wrap a number beyond their range
        // (2^32 + 30 days would have been read as 30).
        if (days != null && !days.isNull() && (!days.isIntegralNumber() || !days.canConvertToInt())) {
            throw ChatException.invalid("field 'retentionDays' must be a whole number of days (1 to "
                    + PrivacyService.RETENTION_DAYS_MAX + ") or null", Reason.OUT_OF_RANGE, "retentionDays",
                    "min", 1, "max", PrivacyService.RETENTION_DAYS_MAX);
        }
        JsonNode version = body.get("version");
        if (version == null || !version.isIntegralNumber() || !version.canConvertToLong() || version.longValue() < 0) {
            throw ChatException.invalid("field 'version' is required: the version you read (0 before the first save)",
                    version == null || version.isNull() ? Reason.REQUIRED : Reason.INVALID, "version");
        }
        return privacy.update(call.caller(), days == null || days.isNull() ? null : days.intValue(),
                AdminApi.strings(body, "maskPatterns"), version.longValue()).thenApply(Answer::ok);
    }

    private CompletableFuture<Answer> createUser(Call<Agent> call) {
        JsonNode body = call.body();
        return users.create(call.caller(), userDraft(body)).thenApply(created -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("user", UserService.json(created.view()));
            answer.put("invite", created.inviteToken() == null ? null
                    : linkJson(created.inviteToken(), created.inviteExpiresAt()));
            return new Answer(HttpResponseStatus.CREATED, answer);
        });
    }

    private CompletableFuture<Answer> updateUser(Call<Agent> call, String id) {
        JsonNode body = call.body();
        long version = AdminApi.version(body.get("version"), "version");
        return users.update(call.caller(), id, userDraft(body), version).thenApply(v -> Answer.ok(UserService.json(v)));
    }

    /** A one-time link: the token and the page that uses it (shown once; only its hash is stored). */
    private static Map<String, Object> linkJson(String token, Instant expiresAt) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("token", token);
        json.put("url", "/admin/password#token=" + token);
        json.put("expiresAt", expiresAt);
        return json;
    }

    private static UserService.Draft userDraft(JsonNode body) {
        JsonNode disabled = body.get("disabled");
        if (disabled != null && !disabled.isNull() && !disabled.isBoolean()) {
            throw ChatException.invalid("field 'disabled' must be true or false", Reason.INVALID, "disabled");
        }
        JsonNode maxChats = body.get("maxChats");
        // canConvertToInt before intValue(), which would wrap 2^32 + 3 into 3.
        if (maxChats != null && !maxChats.isNull() && (!maxChats.isIntegralNumber() || !maxChats.canConvertToInt())) {
            throw ChatException.invalid("field 'maxChats' must be a whole number or null", Reason.OUT_OF_RANGE,
                    "maxChats", "min", 1, "max", UserService.MAX_CHATS_LIMIT);
        }
        boolean siteGiven = body.has("siteId");
        String siteId = AdminApi.text(body, "siteId");
        return new UserService.Draft(AdminApi.text(body, "email"), AdminApi.text(body, "name"),
                AdminApi.text(body, "role"), siteGiven && siteId == null ? "" : siteId,
                disabled == null || disabled.isNull() ? null : disabled.booleanValue(),
                maxChats == null || maxChats.isNull() ? null : maxChats.intValue(),
                maxChats != null && maxChats.isNull(), AdminApi.strings(body, "teams"), AdminApi.text(body, "password"));
    }

    private static TeamService.Draft teamDraft(JsonNode body) {
        JsonNode name = body.get("name");
        if (name != null && !name.isNull() && !name.isObject()) {
            throw ChatException.invalid("field 'name' must be {\"ko\": …, \"en\": …}", Reason.INVALID, "name");
        }
        JsonNode allAgents = body.get("allAgents");
        if (allAgents != null && !allAgents.isNull() && !allAgents.isBoolean()) {
            throw ChatException.invalid("field 'allAgents' must be true or false", Reason.INVALID, "allAgents");
        }
        JsonNode hours = body.get("hours");
        if (hours != null && !hours.isNull() && !hours.isObject()) {
            throw ChatException.invalid("field 'hours' must be an object or null", Reason.INVALID, "hours");
        }
        return new TeamService.Draft(AdminApi.text(body, "id"),
                name == null || name.isNull() ? null : AdminApi.text(name, "ko", "name.ko"),
                name == null || name.isNull() ? null : AdminApi.text(name, "en", "name.en"),
                allAgents == null || allAgents.isNull() ? null : allAgents.booleanValue(),
                AdminApi.strings(body, "tags"), AdminApi.strings(body, "members"), hours);
    }

    private static Long longParam(Call<Agent> call, String name) {
        String value = call.param(name);
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw AdminApi.badParam("query parameter '" + name + "' must be a whole number", name, value);
        }
    }

    // ------------------------------------------------------------------ audit

    private CompletableFuture<Answer> audit(Call<Agent> call) {
        Agent admin = call.caller();
        String site = blank(call.param("site"));
        if (admin.siteId() != null) {
            if (site != null && !site.equals(admin.siteId())) {
                throw ChatException.otherSite("you see only site '" + admin.siteId() + "'", admin.siteId(), site);
            }
            site = admin.siteId();
        }
        Long limit = longParam(call, "limit");
        if (limit != null && (limit < 1 || limit > AUDIT_LIMIT_MAX)) {
            throw ChatException.invalid("query parameter 'limit' must be 1 to " + AUDIT_LIMIT_MAX, Reason.OUT_OF_RANGE,
                    "limit", "min", 1, "max", AUDIT_LIMIT_MAX);
        }
        String format = blank(call.param("format"));
        if (format != null && !format.equals("csv") && !format.equals("json")) {
            throw AdminApi.badParam("query parameter 'format' must be json or csv", "format", format);
        }
        AuditEntry.Filter filter = new AuditEntry.Filter(blank(call.param("actor")), blank(call.param("action")),
                blank(call.param("type")), blank(call.param("target")), site, day(call.param("from"), "from", false),
                day(call.param("to"), "to", true), limit == null ? 500 : limit.intValue());
        List<AuditEntry> rows = store.read(tx -> tx.audit(filter));
        if ("csv".equals(format)) {
            // UTF-8 with a byte-order mark, so Excel on Korean Windows opens Hangul correctly.
            byte[] csv = ("\uFEFF" + AuditCsv.write(rows)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return AdminApi.sync(() -> Answer.ok(new JsonApi.Download(csv, "text/csv; charset=utf-8", "sodam-audit.csv")));
        }
        return AdminApi.sync(() -> Answer.ok(Map.of("entries", rows.stream().map(AccessApi::auditJson).toList())));
    }

    /** {@code 2026-11-23} (UTC day; {@code to} includes its whole day) or an ISO instant. */
    private static Instant day(String value, String field, boolean endOfDay) {
        String v = blank(value);
        if (v == null) {
            return null;
        }
        try {
            if (v.length() == 10) {
                LocalDate date = LocalDate.parse(v);
                return (endOfDay ? date.plusDays(1) : date).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw AdminApi.badParam("query parameter '" + field + "' must be a date (2026-11-23) or an ISO instant",
                    field, v);
        }
    }

    static Map<String, Object> auditJson(AuditEntry e) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", e.id());
        json.put("at", e.at());
        json.put("actor", e.actorId() == null ? Map.of("name", e.actorName()) : Map.of("id", e.actorId(), "name",
                e.actorName() == null ? "" : e.actorName()));
        json.put("siteId", e.siteId());
        json.put("action", e.action());
        json.put("type", e.targetType());
        json.put("target", e.targetId());
        json.put("before", tree(e.beforeJson()));
        json.put("after", tree(e.afterJson()));
        return json;
    }

    private static JsonNode tree(String json) {
        if (json == null) {
            return null;
        }
        try {
            return dev.sodam.server.util.Json.MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored audit snapshot is not JSON", e);
        }
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    // ------------------------------------------------------------------ /api/account/...

    void registerAccount(JsonApi<Agent> api) {
        String p = ACCOUNT_PREFIX;
        api.route(HttpMethod.GET, p + "me", call -> AdminApi.sync(() -> {
                    Map<String, Object> me = new LinkedHashMap<>();
                    me.put("id", call.caller().id());
                    me.put("email", call.caller().email());
                    me.put("name", call.caller().name());
                    me.put("role", call.caller().role().wire());
                    me.put("siteId", call.caller().siteId());
                    me.put("session", currentSession(call));
                    return Answer.ok(me);
                }))
                .route(HttpMethod.GET, p + "sessions", call -> AdminApi.sync(() -> {
                    String current = currentSession(call);
                    return Answer.ok(Map.of("sessions", auth.sessions(call.caller().id()).stream()
                            .map(s -> sessionJson(s, current)).toList()));
                }))
                .route(HttpMethod.POST, p + "logout", call -> auth.revokeSession(call.caller().id(), currentSession(call))
                        .thenApply(v -> Answer.ok(Map.of("loggedOut", true))))
                .route(HttpMethod.POST, p + "password", call -> {
                    JsonNode body = call.body();
                    return auth.setPassword(AdminApi.text(body, "token"), AdminApi.text(body, "password"), null,
                            call.request().headers().get(HttpHeaderNames.USER_AGENT))
                            .thenApply(login -> Answer.ok(Map.of("token", login.token(), "user", Map.of(
                                    "id", login.agent().id(), "name", login.agent().name(),
                                    "role", login.agent().role().wire()))));
                })
                .route(HttpMethod.DELETE, p + "sessions/{id}", call -> auth.revokeSession(call.caller().id(),
                        call.path("id")).thenApply(v -> Answer.ok(Map.of("id", call.path("id"), "revoked", true))));
    }

    /** The id of the session making the request (from its bearer token). */
    private static String currentSession(Call<Agent> call) {
        String authorization = call.request().headers().get(HttpHeaderNames.AUTHORIZATION);
        String token = authorization == null ? "" : authorization.substring(Math.min(7, authorization.length())).trim();
        return Hashing.sha256Hex(token).substring(0, SessionInfo.ID_LENGTH);
    }

    private static Map<String, Object> sessionJson(SessionInfo s, String current) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", s.id());
        json.put("createdAt", s.createdAt());
        json.put("expiresAt", s.expiresAt());
        json.put("ip", s.ip());
        json.put("userAgent", s.userAgent());
        json.put("current", s.id().equals(current));
        return json;
    }
}
