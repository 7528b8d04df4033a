package dev.sodam.server.auth;

import dev.sodam.server.audit.Audit;
import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.conversation.ChatException.Reason;
import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.ErrorCode;
import dev.sodam.server.conversation.Replies;
import dev.sodam.server.model.Agent;
import dev.sodam.server.model.Team;
import dev.sodam.server.store.SessionInfo;
import dev.sodam.server.store.Store;
import dev.sodam.server.store.StoreTx;
import dev.sodam.server.store.StoredUser;
import dev.sodam.server.util.Hashing;
import dev.sodam.server.util.Ids;
import dev.sodam.server.util.Text;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * Administering accounts: create (with a password or as an invite), edit name, role, site, chat
 * limit, teams and disabled (with a version check), reset a password, list and revoke sessions.
 * Every write is one unit on the domain thread with its audit row; after the commit, access that
 * was taken away is taken away at once (cached tokens forgotten, live connections closed).
 *
 * <p>Site scoping: an admin with a site sees and manages only that site's accounts; accounts of
 * other sites and installation-wide accounts are "not found" to them, so nothing about them leaks.
 */
public final class UserService {
    public static final Duration INVITE_TTL = Duration.ofDays(7);
    public static final Duration RESET_TTL = Duration.ofHours(24);
    public static final int NAME_MAX = 100;
    public static final int EMAIL_MAX = 200;
    public static final int MAX_CHATS_LIMIT = 50;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    /** Stored instead of a hash until an invite is used: never an argon2 hash, so nothing matches it. */
    private static final String NO_PASSWORD = "!no-password";

    /** What an admin submits; null fields keep their value on edit. */
    public record Draft(String email, String name, String role, String siteId, Boolean disabled, Integer maxChats,
                        boolean clearMaxChats, List<String> teams, String password) {
    }

    /** An account with its explicit team memberships. */
    public record View(StoredUser user, List<String> teams) {
    }

    /** A created account and, for an invite, the one-time link token (shown once). */
    public record Created(View view, String inviteToken, Instant inviteExpiresAt) {
    }

    /** A one-time password link (shown once). */
    public record Link(String token, Instant expiresAt) {
    }

    private final ConversationService service;
    private final Store store;
    private final AuthService auth;
    private final Clock clock;
    private final Ids ids;
    private final Runnable teamsChanged;

    public UserService(ConversationService service, Store store, AuthService auth, Clock clock, Ids ids,
                       Runnable teamsChanged) {
        this.service = service;
        this.store = store;
        this.auth = auth;
        this.clock = clock;
        this.ids = ids;
        this.teamsChanged = teamsChanged;
    }

    // ------------------------------------------------------------------ reads

    public List<View> list(Agent caller) {
        return store.read(tx -> {
            List<Team> teams = tx.teams();
            return tx.users().stream().filter(u -> visible(caller, u)).map(u -> view(u, teams)).toList();
        });
    }

    public View get(Agent caller, String id) {
        return store.read(tx -> view(visibleUser(tx, caller, id), tx.teams()));
    }

    public List<SessionInfo> sessions(Agent caller, String id) {
        return store.read(tx -> {
            visibleUser(tx, caller, id);
            return tx.sessions(id, clock.instant());
        });
    }

    // ------------------------------------------------------------------ writes

    public CompletableFuture<Created> create(Agent caller, Draft d) {
        String email = required(d.email(), "email").trim().toLowerCase(Locale.ROOT);
        if (email.length() > EMAIL_MAX || !EMAIL.matcher(email).matches()) {
            throw ChatException.invalid("field 'email' must be an email address", Reason.INVALID, "email",
                    "max", EMAIL_MAX);
        }
        String name = name(required(d.name(), "name"));
        Agent.Role role = role(d.role() == null ? "agent" : d.role());
        // Not given: the caller's own scope; given as null (the draft's ""): the whole installation.
        String siteId = d.siteId() == null ? caller.siteId() : d.siteId().isEmpty() ? null : d.siteId();
        checkSiteGrant(caller, siteId);
        Integer maxChats = maxChats(d.maxChats());
        if (d.disabled() != null && d.disabled()) {
            throw ChatException.invalid("a new account cannot start disabled", Reason.INVALID, "disabled");
        }
        String passwordHash;
        if (d.password() != null) {
            AuthService.checkPassword(d.password());
            passwordHash = auth.hash(d.password());
        } else {
            passwordHash = NO_PASSWORD;
        }
        String invite = d.password() == null ? ids.secret("inv_") : null;
        Instant now = clock.instant();
        String id = ids.next("ag_");
        return Replies.<Created>future(reply -> service.execute(tx -> {
            if (siteId != null && tx.site(siteId).isEmpty()) {
                throw ChatException.invalid("no site '" + siteId + "'", Reason.UNKNOWN, "siteId", "value", siteId);
            }
            if (tx.agentByEmail(email).isPresent()) {
                throw ChatException.refused(ErrorCode.CONFLICT, "an account with email '" + email + "' exists",
                        Reason.DUPLICATE, "email", "value", email);
            }
            tx.insertAgent(new Agent(id, email, name, role, passwordHash, now, siteId));
            StoredUser stored = tx.user(id).orElseThrow();
            if (maxChats != null) {
                tx.updateUser(withLimits(stored, maxChats), stored.version(), now);
            }
            List<String> teams = d.teams() == null ? List.of() : teamIds(tx, d.teams());
            tx.setMemberships(id, teams);
            Instant expires = null;
            if (invite != null) {
                expires = now.plus(INVITE_TTL);
                tx.insertOneTimeToken(Hashing.sha256Hex(invite), id, "invite", expires, now);
            }
            View view = view(tx.user(id).orElseThrow(), tx.teams());
            Audit.write(tx, now, caller, siteId, invite != null ? "user.invite" : "user.create", "user", id, null,
                    json(view));
            return new Created(view, invite, expires);
        }, reply)).thenApplyAsync(created -> {
            teamsChanged.run();
            return created;
        });
    }

    private static StoredUser withLimits(StoredUser u, Integer maxChats) {
        return new StoredUser(u.id(), u.email(), u.name(), u.role(), u.siteId(), u.disabled(), maxChats, u.version(),
                u.createdAt(), u.updatedAt(), u.pending());
    }

    public CompletableFuture<View> update(Agent caller, String id, Draft d, long version) {
        if (d.email() != null) {
            throw ChatException.invalid("field 'email' cannot be changed; create a new account", Reason.CANNOT_CHANGE,
                    "email", "value", Text.truncate(d.email(), 40));
        }
        if (d.password() != null) {
            throw ChatException.invalid("passwords are not set here; use reset-password", Reason.CANNOT_CHANGE,
                    "password");
        }
        String name = d.name() == null ? null : name(d.name());
        Agent.Role role = d.role() == null ? null : role(d.role());
        Integer maxChats = maxChats(d.maxChats());
        if (d.siteId() != null) {
            checkSiteGrant(caller, d.siteId().isEmpty() ? null : d.siteId());
        }
        Instant now = clock.instant();
        boolean[] accessChanged = {false};
        return Replies.<View>future(reply -> service.execute(tx -> {
            StoredUser current = visibleUser(tx, caller, id);
            List<Team> teamsBefore = tx.teams();
            View before = view(current, teamsBefore);
            if (current.version() != version) {
                throw ChatException.refused(ErrorCode.CONFLICT, "account '" + current.email()
                        + "' was changed since version " + version + " (it is now at version " + current.version()
                        + "); reload it and edit again", Reason.STALE, "version", "version", version,
                        "current", current.version());
            }
            String siteId = d.siteId() == null ? current.siteId() : d.siteId().isEmpty() ? null : d.siteId();
            if (siteId != null && tx.site(siteId).isEmpty()) {
                throw ChatException.invalid("no site '" + siteId + "'", Reason.UNKNOWN, "siteId", "value", siteId);
            }
            StoredUser next = new StoredUser(id, current.email(), name == null ? current.name() : name,
                    role == null ? current.role() : role, siteId,
                    d.disabled() == null ? current.disabled() : d.disabled(),
                    d.clearMaxChats() ? null : maxChats == null ? current.maxChats() : maxChats,
                    current.version(), current.createdAt(), now, current.pending());
            if (id.equals(caller.id()) && (next.disabled() || next.role() != Agent.Role.ADMIN
                    || !Objects.equals(next.siteId(), current.siteId()))) {
                throw ChatException.refused(ErrorCode.CONFLICT,
                        "you cannot disable yourself, change your own role or site; ask another admin",
                        Reason.OWN_ACCOUNT, null);
            }
            tx.updateUser(next, version, now);
            if (d.teams() != null) {
                tx.setMemberships(id, teamIds(tx, d.teams()));
            }
            accessChanged[0] = next.disabled() && !current.disabled() || next.role() != current.role()
                    || !Objects.equals(next.siteId(), current.siteId());
            if (accessChanged[0]) {
                // A token carries no role or site of its own: left in place it would act with the
                // new ones (and a re-enabled account would get its old tokens back). Ending the
                // sessions in this transaction, as revokeSessions does, makes the owner log in again
                // and the token the 4401 close tells them to replace really stop.
                tx.deleteSessions(id);
            }
            View after = view(tx.user(id).orElseThrow(), tx.teams());
            String action = next.disabled() && !current.disabled() ? "user.disable"
                    : !next.disabled() && current.disabled() ? "user.enable"
                    : next.role() != current.role() ? "user.role" : "user.update";
            Audit.write(tx, now, caller, siteId, action, "user", id, json(before), json(after));
            return after;
        }, reply)).thenApplyAsync(view -> {
            if (accessChanged[0]) {
                auth.revoked(id, null, view.user().disabled() ? "account disabled" : "account changed; log in again");
            }
            teamsChanged.run();
            return view;
        });
    }

    /**
     * Starts a password reset: the old password and every session stop working at once, and a
     * one-time link lets the owner choose a new password.
     */
    public CompletableFuture<Link> resetPassword(Agent caller, String id) {
        String token = ids.secret("rst_");
        Instant now = clock.instant();
        Instant expires = now.plus(RESET_TTL);
        String[] email = {null};
        return Replies.<Link>future(reply -> service.execute(tx -> {
            StoredUser user = visibleUser(tx, caller, id);
            email[0] = user.email();
            tx.setPasswordHash(id, NO_PASSWORD, now);
            tx.deleteSessions(id);
            tx.deleteOneTimeTokens(id);
            tx.insertOneTimeToken(Hashing.sha256Hex(token), id, "reset", expires, now);
            Audit.write(tx, now, caller, user.siteId(), "user.reset_password", "user", id, null,
                    Map.of("expiresAt", expires.toString()));
            return new Link(token, expires);
        }, reply)).thenApply(link -> {
            auth.revoked(id, null, "password reset");
            auth.unlock(email[0]);
            return link;
        });
    }

    /** Ends every session of the account; answers how many there were. */
    public CompletableFuture<Integer> revokeSessions(Agent caller, String id) {
        Instant now = clock.instant();
        return Replies.<Integer>future(reply -> service.execute(tx -> {
            StoredUser user = visibleUser(tx, caller, id);
            int count = tx.sessions(id, now).size();
            tx.deleteSessions(id);
            Audit.write(tx, now, caller, user.siteId(), "user.revoke_sessions", "user", id, null,
                    Map.of("revoked", count));
            return count;
        }, reply)).thenApply(count -> {
            auth.revoked(id, null, "sessions revoked by an admin");
            return count;
        });
    }

    // ------------------------------------------------------------------ helpers

    /** Installation-wide admins see everyone; a site's admin sees only that site's accounts. */
    static boolean visible(Agent caller, StoredUser user) {
        return caller.siteId() == null || caller.siteId().equals(user.siteId());
    }

    private static StoredUser visibleUser(StoreTx tx, Agent caller, String id) {
        return tx.user(id).filter(u -> visible(caller, u))
                .orElseThrow(() -> new ChatException(ErrorCode.NOT_FOUND, "no user '" + id + "'"));
    }

    /** A site's admin may only give accounts their own site. */
    private static void checkSiteGrant(Agent caller, String siteId) {
        if (caller.siteId() != null && !caller.siteId().equals(siteId)) {
            // siteId null is the whole installation: that is no site of theirs either.
            throw siteId == null
                    ? ChatException.installationOnly("you manage only site '" + caller.siteId() + "'", caller.siteId())
                    : ChatException.otherSite("you manage only site '" + caller.siteId() + "'", caller.siteId(), siteId);
        }
    }

    private static View view(StoredUser user, List<Team> teams) {
        return new View(user, teams.stream().filter(t -> t.memberIds().contains(user.id())).map(Team::id).toList());
    }

    private static List<String> teamIds(StoreTx tx, List<String> requested) {
        List<String> known = tx.teams().stream().map(Team::id).toList();
        LinkedHashSet<String> ids = new LinkedHashSet<>(requested);
        for (String team : ids) {
            if (!known.contains(team)) {
                throw ChatException.invalid("no team '" + team + "'", Reason.UNKNOWN, "teams", "value", team);
            }
        }
        return List.copyOf(ids);
    }

    /** The JSON the audit log and the API show for an account (never its password hash). */
    public static Map<String, Object> json(View view) {
        StoredUser u = view.user();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", u.id());
        json.put("email", u.email());
        json.put("name", u.name());
        json.put("role", u.role().wire());
        json.put("siteId", u.siteId());
        json.put("disabled", u.disabled());
        json.put("pending", u.pending());
        json.put("maxChats", u.maxChats());
        json.put("teams", view.teams());
        json.put("version", u.version());
        json.put("createdAt", u.createdAt());
        json.put("updatedAt", u.updatedAt());
        return json;
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw ChatException.invalid("field '" + field + "' is required", Reason.REQUIRED, field);
        }
        return value;
    }

    private static String name(String name) {
        String trimmed = name.strip();
        if (trimmed.isEmpty()) {
            throw ChatException.invalid("field 'name' must have 1 to " + NAME_MAX + " characters", Reason.REQUIRED,
                    "name");
        }
        if (Text.chars(trimmed) > NAME_MAX) {
            throw ChatException.invalid("field 'name' must have 1 to " + NAME_MAX + " characters", Reason.TOO_LONG,
                    "name", "count", Text.chars(trimmed), "max", NAME_MAX);
        }
        return trimmed;
    }

    private static Agent.Role role(String wire) {
        Agent.Role role = Agent.Role.fromWire(wire);
        if (role == null) {
            throw ChatException.invalid("field 'role' must be agent, supervisor or admin", Reason.INVALID, "role");
        }
        return role;
    }

    private static Integer maxChats(Integer value) {
        if (value != null && (value < 1 || value > MAX_CHATS_LIMIT)) {
            throw ChatException.invalid("field 'maxChats' must be 1 to " + MAX_CHATS_LIMIT + " (or null for the default)",
                    Reason.OUT_OF_RANGE, "maxChats", "min", 1, "max", MAX_CHATS_LIMIT);
        }
        return value;
    }
}
