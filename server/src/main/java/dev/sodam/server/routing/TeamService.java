package dev.sodam.server.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.audit.Audit;
import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.conversation.ChatException.Reason;
import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.ErrorCode;
import dev.sodam.server.conversation.Replies;
import dev.sodam.server.model.Agent;
import dev.sodam.server.model.Team;
import dev.sodam.server.store.Store;
import dev.sodam.server.store.StoreTx;
import dev.sodam.server.util.Text;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * Administering teams: create, edit (with a version check), delete; each write with its audit row in
 * one unit on the domain thread. After a commit the {@link TeamDirectory} is reloaded, so routing
 * uses the new members, topics and hours for the next offer.
 */
public final class TeamService {
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Pattern TAG = Pattern.compile("[\\p{L}\\p{N}_-]{1,32}");
    public static final int NAME_MAX = 100;

    /** A team as submitted; {@code hours} is the business-hours JSON or null (always open). */
    public record Draft(String id, String nameKo, String nameEn, Boolean allAgents, List<String> tags,
                        List<String> members, JsonNode hours) {
    }

    /** A stored team and its version. */
    public record Versioned(Team team, long version) {
    }

    private final ConversationService service;
    private final Store store;
    private final TeamDirectory directory;
    private final Clock clock;

    public TeamService(ConversationService service, Store store, TeamDirectory directory, Clock clock) {
        this.service = service;
        this.store = store;
        this.directory = directory;
        this.clock = clock;
    }

    public List<Versioned> list() {
        return store.read(tx -> tx.teams().stream().map(t -> new Versioned(t, tx.teamVersion(t.id()))).toList());
    }

    public Versioned get(String id) {
        return store.read(tx -> find(tx, id));
    }

    public CompletableFuture<Versioned> create(Agent caller, Draft d) {
        if (d.id() == null || !ID.matcher(d.id()).matches()) {
            throw ChatException.invalid("field 'id' is required: 1-64 of a-z 0-9 - _, starting with a letter or digit",
                    d.id() == null || d.id().isBlank() ? Reason.REQUIRED : Reason.INVALID, "id", "max", 64);
        }
        Instant now = clock.instant();
        return write(tx -> {
            if (tx.teamVersion(d.id()) > 0) {
                throw ChatException.refused(ErrorCode.CONFLICT, "team '" + d.id() + "' exists", Reason.DUPLICATE, "id",
                        "value", d.id());
            }
            Team team = team(tx, d.id(), d, null);
            tx.insertTeam(team);
            Versioned created = find(tx, d.id());
            Audit.write(tx, now, caller, null, "team.create", "team", d.id(), null, json(created));
            return created;
        });
    }

    public CompletableFuture<Versioned> update(Agent caller, String id, Draft d, long version) {
        if (d.id() != null && !d.id().equals(id)) {
            throw ChatException.invalid("the body's id '" + d.id() + "' differs from the path's '" + id
                    + "'; ids cannot be changed", Reason.CANNOT_CHANGE, "id", "value", Text.truncate(d.id(), 40));
        }
        Instant now = clock.instant();
        return write(tx -> {
            Versioned before = find(tx, id);
            if (before.version() != version) {
                throw ChatException.refused(ErrorCode.CONFLICT, "team '" + id + "' was changed since version " + version
                        + " (it is now at version " + before.version() + "); reload it and edit again", Reason.STALE,
                        "version", "version", version, "current", before.version());
            }
            Team team = team(tx, id, d, before.team());
            tx.replaceTeam(team, version);
            Versioned after = find(tx, id);
            Audit.write(tx, now, caller, null, "team.update", "team", id, json(before), json(after));
            return after;
        });
    }

    public CompletableFuture<Versioned> delete(Agent caller, String id, Long version) {
        Instant now = clock.instant();
        return write(tx -> {
            Versioned before = find(tx, id);
            if (version != null && before.version() != version) {
                throw ChatException.refused(ErrorCode.CONFLICT, "team '" + id + "' was changed since version " + version,
                        Reason.STALE, "version", "version", version, "current", before.version());
            }
            long conversations = tx.conversationsOfTeam(id);
            if (conversations > 0) {
                throw ChatException.refused(ErrorCode.CONFLICT, "team '" + id + "' has " + conversations
                        + " conversations on record; remove its members and topics instead", Reason.IN_USE,
                        "conversations", "count", conversations);
            }
            int entries = tx.faqSearch(null, null, null, null, id).size();
            if (entries > 0) {
                throw ChatException.refused(ErrorCode.CONFLICT, "team '" + id + "' has " + entries
                        + " FAQ entries; give them another team first", Reason.IN_USE, "entries", "count", entries);
            }
            tx.deleteTeam(id);
            Audit.write(tx, now, caller, null, "team.delete", "team", id, json(before), null);
            return before;
        });
    }

    private <T> CompletableFuture<T> write(java.util.function.Function<StoreTx, T> unit) {
        // Async: the reply arrives on the domain thread, which must not wait for a SQLite read.
        return Replies.<T>future(reply -> service.execute(unit, reply)).thenApplyAsync(value -> {
            directory.refresh();
            return value;
        });
    }

    private static Versioned find(StoreTx tx, String id) {
        Team team = tx.teams().stream().filter(t -> t.id().equals(id)).findFirst()
                .orElseThrow(() -> new ChatException(ErrorCode.NOT_FOUND, "no team '" + id + "'"));
        return new Versioned(team, tx.teamVersion(id));
    }

    /** Validates a draft against the stored state; missing fields keep {@code current}'s values. */
    private static Team team(StoreTx tx, String id, Draft d, Team current) {
        String nameKo = name(d.nameKo() != null ? d.nameKo() : current == null ? null : current.nameKo(), "name.ko");
        String nameEn = name(d.nameEn() != null ? d.nameEn() : current == null ? null : current.nameEn(), "name.en");
        boolean allAgents = d.allAgents() != null ? d.allAgents() : current != null && current.allAgents();
        List<String> tags = new ArrayList<>(new LinkedHashSet<>(d.tags() != null ? d.tags().stream()
                .map(t -> t.trim().toLowerCase(Locale.ROOT)).toList() : current == null ? List.of() : current.tags()));
        for (String tag : tags) {
            if (tag.chars().anyMatch(Character::isWhitespace)) {
                // The FAQ's rule too: a topic is one word, so a team's tags match the entries' tags.
                throw ChatException.invalid("tag '" + tag + "' has a space: a tag is one word (write "
                        + tag.replaceAll("\\s+", "-") + ")", Reason.TAG_HAS_SPACE, "tags", "value", tag,
                        "suggestion", tag.replaceAll("\\s+", "-"));
            }
            if (!TAG.matcher(tag).matches()) {
                throw ChatException.invalid("tag '" + tag + "' must be 1-32 letters, digits, - or _", Reason.INVALID,
                        "tags", "value", tag, "max", 32);
            }
            String owner = tx.teamForTag(tag);
            if (owner != null && !owner.equals(id)) {
                throw ChatException.refused(ErrorCode.CONFLICT, "topic '" + tag + "' is served by team '" + owner
                        + "'; a topic has one team", Reason.DUPLICATE, "tags", "value", tag, "team", owner);
            }
        }
        List<String> members = new ArrayList<>(new LinkedHashSet<>(d.members() != null ? d.members()
                : current == null ? List.of() : current.memberIds()));
        for (String member : members) {
            if (tx.agent(member).isEmpty()) {
                throw ChatException.invalid("no user '" + member + "'", Reason.UNKNOWN, "members", "value", member);
            }
        }
        String hours;
        if (d.hours() == null) {
            hours = current == null ? null : current.hoursJson();
        } else if (d.hours().isNull()) {
            hours = null;
        } else {
            try {
                BusinessHours.parse(d.hours());
            } catch (BusinessHours.Invalid e) {
                throw e.refusal("hours", "field 'hours': " + e.getMessage());
            } catch (IllegalArgumentException e) {
                // Anything else the parser refuses is still bad input: a 400 naming the field, never a 500.
                throw ChatException.invalid("field 'hours': " + e.getMessage(), Reason.INVALID, "hours");
            }
            hours = d.hours().toString();
        }
        return new Team(id, nameKo, nameEn, allAgents, hours, tags, members);
    }

    private static String name(String value, String field) {
        if (value == null || value.isBlank()) {
            throw ChatException.invalid("field '" + field + "' is required: 1 to " + NAME_MAX + " characters",
                    Reason.REQUIRED, field);
        }
        if (Text.chars(value.strip()) > NAME_MAX) {
            throw ChatException.invalid("field '" + field + "' is required: 1 to " + NAME_MAX + " characters",
                    Reason.TOO_LONG, field, "count", Text.chars(value.strip()), "max", NAME_MAX);
        }
        return value.strip();
    }

    /** The JSON the API and the audit log show for a team. */
    public static Map<String, Object> json(Versioned v) {
        Team t = v.team();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", t.id());
        json.put("name", Map.of("ko", t.nameKo(), "en", t.nameEn()));
        json.put("allAgents", t.allAgents());
        json.put("tags", t.tags());
        json.put("members", t.memberIds());
        json.put("hours", t.hoursJson() == null ? null : parse(t.hoursJson()));
        json.put("version", v.version());
        return json;
    }

    private static JsonNode parse(String hoursJson) {
        try {
            return dev.sodam.server.util.Json.MAPPER.readTree(hoursJson);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored business hours are not JSON", e);
        }
    }
}
