package dev.sodam.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.admin.AdminApi.Answer;
import dev.sodam.server.admin.AdminApi.Call;
import dev.sodam.server.admin.AdminApi.Handler;
import dev.sodam.server.auth.AuthService;
import dev.sodam.server.auth.UserService;
import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.conversation.ErrorCode;
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

    Map<HttpMethod, Handler> adminRoute(List<String> parts) {
        String first = parts.get(0);
        int size = parts.size();
        if (first.equals("users")) {
            if (size == 1) {
                return Map.of(HttpMethod.GET, call -> AdminApi.sync(() -> Answer.ok(Map.of("users",
                                users.list(call.admin()).stream().map(UserService::json).toList()))),
                        HttpMethod.POST, this::createUser);
            }
            String id = parts.get(1);
            if (size == 2) {
                return Map.of(HttpMethod.GET, call -> AdminApi.sync(() -> Answer.ok(UserService.json(users.get(call.admin(), id)))),
                        HttpMethod.PUT, call -> updateUser(call, id));
            }
            if (size == 3 && parts.get(2).equals("reset-password")) {
                return Map.of(HttpMethod.POST, call -> users.resetPassword(call.admin(), id)
                        .thenApply(link -> Answer.ok(linkJson(link.token(), link.expiresAt()))));
            }
            if (size == 3 && parts.get(2).equals("sessions")) {
                return Map.of(HttpMethod.GET, call -> AdminApi.sync(() -> Answer.ok(Map.of("sessions",
                                users.sessions(call.admin(), id).stream().map(s -> sessionJson(s, null)).toList()))),
                        HttpMethod.DELETE, call -> users.revokeSessions(call.admin(), id)
                                .thenApply(count -> Answer.ok(Map.of("revoked", count))));
            }
            return null;
        }
        if (first.equals("teams")) {
            if (size == 1) {
                return Map.of(HttpMethod.GET, call -> AdminApi.sync(() -> Answer.ok(Map.of("teams",
                                teams.list().stream().map(TeamService::json).toList()))),
                        HttpMethod.POST, call -> teams.create(call.admin(), teamDraft(call.body()))
                                .thenApply(t -> new Answer(HttpResponseStatus.CREATED, TeamService.json(t))));
            }
            String id = parts.get(1);
            if (size == 2) {
                return Map.of(HttpMethod.GET, call -> AdminApi.sync(() -> Answer.ok(TeamService.json(teams.get(id)))),
                        HttpMethod.PUT, call -> {
                            JsonNode body = call.body();
                            return teams.update(call.admin(), id, teamDraft(body), AdminApi.version(body.get("version"), "version"))
                                    .thenApply(t -> Answer.ok(TeamService.json(t)));
                        },
                        HttpMethod.DELETE, call -> teams.delete(call.admin(), id, longParam(call, "version"))
                                .thenApply(t -> Answer.ok(Map.of("id", id, "deleted", true))));
            }
            return null;
        }
        if (first.equals("audit") && size == 1) {
            return Map.of(HttpMethod.GET, this::audit);
        }
        if (first.equals("privacy")) {
            if (size == 1) {
                return Map.of(HttpMethod.GET, call -> AdminApi.sync(() -> Answer.ok(privacy.settings())),
                        HttpMethod.PUT, this::updatePrivacy);
            }
            if (size == 2 && parts.get(1).equals("purge")) {
                return Map.of(HttpMethod.POST, call -> privacy.purge(call.admin()).thenApply(Answer::ok));
            }
            if (size == 2 && parts.get(1).equals("mask")) {
                return Map.of(HttpMethod.POST, call -> {
                    String text = AdminApi.text(call.body(), "text");
                    if (text == null) {
                        throw AdminApi.bad("field 'text' is required");
                    }
                    return AdminApi.sync(() -> Answer.ok(Map.of("masked", privacy.mask(text))));
                });
            }
            return null;
        }
        if (first.equals("visitors") && size >= 2) {
            String id = parts.get(1);
            if (size == 2) {
                return Map.of(HttpMethod.DELETE, call -> privacy.delete(call.admin(), id).thenApply(Answer::ok));
            }
            if (size == 3 && parts.get(2).equals("export")) {
                return Map.of(HttpMethod.GET, call -> AdminApi.sync(() -> Answer.ok(privacy.export(call.admin(), id))));
            }
        }
        return null;
    }

    private CompletableFuture<Answer> updatePrivacy(Call call) {
        JsonNode body = call.body();
        JsonNode days = body.get("retentionDays");
        if (days != null && !days.isNull() && !days.isIntegralNumber()) {
            throw AdminApi.bad("field 'retentionDays' must be a whole number of days or null");
        }
        JsonNode version = body.get("version");
        if (version == null || !version.isIntegralNumber() || version.longValue() < 0) {
            throw AdminApi.bad("field 'version' is required: the version you read (0 before the first save)");
        }
        return privacy.update(call.admin(), days == null || days.isNull() ? null : days.intValue(),
                AdminApi.strings(body, "maskPatterns"), version.longValue()).thenApply(Answer::ok);
    }

    private CompletableFuture<Answer> createUser(Call call) {
        JsonNode body = call.body();
        return users.create(call.admin(), userDraft(body)).thenApply(created -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("user", UserService.json(created.view()));
            answer.put("invite", created.inviteToken() == null ? null
                    : linkJson(created.inviteToken(), created.inviteExpiresAt()));
            return new Answer(HttpResponseStatus.CREATED, answer);
        });
    }

    private CompletableFuture<Answer> updateUser(Call call, String id) {
        JsonNode body = call.body();
        long version = AdminApi.version(body.get("version"), "version");
        return users.update(call.admin(), id, userDraft(body), version).thenApply(v -> Answer.ok(UserService.json(v)));
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
            throw AdminApi.bad("field 'disabled' must be true or false");
        }
        JsonNode maxChats = body.get("maxChats");
        if (maxChats != null && !maxChats.isNull() && !maxChats.isIntegralNumber()) {
            throw AdminApi.bad("field 'maxChats' must be a whole number or null");
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
            throw AdminApi.bad("field 'name' must be {\"ko\": …, \"en\": …}");
        }
        JsonNode allAgents = body.get("allAgents");
        if (allAgents != null && !allAgents.isNull() && !allAgents.isBoolean()) {
            throw AdminApi.bad("field 'allAgents' must be true or false");
        }
        JsonNode hours = body.get("hours");
        if (hours != null && !hours.isNull() && !hours.isObject()) {
            throw AdminApi.bad("field 'hours' must be an object or null");
        }
        return new TeamService.Draft(AdminApi.text(body, "id"),
                name == null || name.isNull() ? null : AdminApi.text(name, "ko"),
                name == null || name.isNull() ? null : AdminApi.text(name, "en"),
                allAgents == null || allAgents.isNull() ? null : allAgents.booleanValue(),
                AdminApi.strings(body, "tags"), AdminApi.strings(body, "members"), hours);
    }

    private static Long longParam(Call call, String name) {
        String value = call.param(name);
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw AdminApi.bad("query parameter '" + name + "' must be a whole number");
        }
    }

    // ------------------------------------------------------------------ audit

    private CompletableFuture<Answer> audit(Call call) {
        Agent admin = call.admin();
        String site = blank(call.param("site"));
        if (admin.siteId() != null) {
            if (site != null && !site.equals(admin.siteId())) {
                throw new ChatException(ErrorCode.FORBIDDEN, "you see only site '" + admin.siteId() + "'");
            }
            site = admin.siteId();
        }
        Long limit = longParam(call, "limit");
        if (limit != null && (limit < 1 || limit > AUDIT_LIMIT_MAX)) {
            throw AdminApi.bad("query parameter 'limit' must be 1 to " + AUDIT_LIMIT_MAX);
        }
        String format = blank(call.param("format"));
        if (format != null && !format.equals("csv") && !format.equals("json")) {
            throw AdminApi.bad("query parameter 'format' must be json or csv");
        }
        AuditEntry.Filter filter = new AuditEntry.Filter(blank(call.param("actor")), blank(call.param("action")),
                blank(call.param("type")), blank(call.param("target")), site, day(call.param("from"), "from", false),
                day(call.param("to"), "to", true), limit == null ? 500 : limit.intValue());
        List<AuditEntry> rows = store.read(tx -> tx.audit(filter));
        if ("csv".equals(format)) {
            // UTF-8 with a byte-order mark, so Excel on Korean Windows opens Hangul correctly.
            byte[] csv = ("\uFEFF" + AuditCsv.write(rows)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return AdminApi.sync(() -> Answer.ok(new AdminApi.Download(csv, "text/csv; charset=utf-8", "sodam-audit.csv")));
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
            throw AdminApi.bad("query parameter '" + field + "' must be a date (2026-11-23) or an ISO instant");
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

    Map<HttpMethod, Handler> accountRoute(List<String> parts) {
        String first = parts.get(0);
        if (parts.size() == 1) {
            switch (first) {
                case "me":
                    return Map.of(HttpMethod.GET, call -> AdminApi.sync(() -> {
                        Map<String, Object> me = new LinkedHashMap<>();
                        me.put("id", call.admin().id());
                        me.put("email", call.admin().email());
                        me.put("name", call.admin().name());
                        me.put("role", call.admin().role().wire());
                        me.put("siteId", call.admin().siteId());
                        me.put("session", currentSession(call));
                        return Answer.ok(me);
                    }));
                case "sessions":
                    return Map.of(HttpMethod.GET, call -> AdminApi.sync(() -> {
                        String current = currentSession(call);
                        return Answer.ok(Map.of("sessions", auth.sessions(call.admin().id()).stream()
                                .map(s -> sessionJson(s, current)).toList()));
                    }));
                case "logout":
                    return Map.of(HttpMethod.POST, call -> auth.revokeSession(call.admin().id(), currentSession(call))
                            .thenApply(v -> Answer.ok(Map.of("loggedOut", true))));
                case "password":
                    return Map.of(HttpMethod.POST, call -> {
                        JsonNode body = call.body();
                        return auth.setPassword(AdminApi.text(body, "token"), AdminApi.text(body, "password"), null,
                                call.request().headers().get(HttpHeaderNames.USER_AGENT))
                                .thenApply(login -> Answer.ok(Map.of("token", login.token(), "user", Map.of(
                                        "id", login.agent().id(), "name", login.agent().name(),
                                        "role", login.agent().role().wire()))));
                    });
                default:
                    return null;
            }
        }
        if (parts.size() == 2 && first.equals("sessions")) {
            String id = parts.get(1);
            return Map.of(HttpMethod.DELETE, call -> auth.revokeSession(call.admin().id(), id)
                    .thenApply(v -> Answer.ok(Map.of("id", id, "revoked", true))));
        }
        return null;
    }

    /** The id of the session making the request (from its bearer token). */
    private static String currentSession(Call call) {
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
