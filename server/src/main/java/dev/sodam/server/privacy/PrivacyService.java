package dev.sodam.server.privacy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.audit.Audit;
import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.conversation.ChatException.Reason;
import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.ErrorCode;
import dev.sodam.server.conversation.Replies;
import dev.sodam.server.model.Agent;
import dev.sodam.server.model.Attachment;
import dev.sodam.server.model.Author;
import dev.sodam.server.model.BotTurn;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.Feedback;
import dev.sodam.server.model.Message;
import dev.sodam.server.model.Note;
import dev.sodam.server.model.PageView;
import dev.sodam.server.model.Visitor;
import dev.sodam.server.model.VisitorProfile;
import dev.sodam.server.store.ConversationEventRow;
import dev.sodam.server.store.Store;
import dev.sodam.server.store.StoreTx;
import dev.sodam.server.util.Json;
import dev.sodam.server.util.Text;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Data protection settings and jobs: the masking patterns (applied by {@link #mask} to every
 * visitor and agent message before it is stored), retention (resolved transcripts deleted after N
 * days by {@link #purge}, run on a schedule with the injected clock), and a visitor's export and
 * deletion on request. Settings live in the {@code settings} table under {@code privacy}.
 */
public final class PrivacyService {
    private static final Logger log = LoggerFactory.getLogger(PrivacyService.class);
    public static final String KEY = "privacy";
    public static final int PATTERNS_MAX = 20;
    public static final int PATTERN_CHARS_MAX = 200;
    public static final int RETENTION_DAYS_MAX = 3650;

    /** The settings: {@code retentionDays} null keeps transcripts forever. */
    public record Settings(Integer retentionDays, List<String> maskPatterns, long version, Instant updatedAt) {
        public Settings {
            maskPatterns = List.copyOf(maskPatterns);
        }
    }

    private final ConversationService service;
    private final Store store;
    private final Clock clock;
    private final AtomicReference<Masker> masker = new AtomicReference<>(Masker.builtIn());

    public PrivacyService(ConversationService service, Store store, Clock clock) {
        this.service = service;
        this.store = store;
        this.clock = clock;
    }

    /** Loads the stored patterns (start-up). Blocking. */
    public void load() {
        masker.set(new Masker(Masker.compile(settings().maskPatterns())));
    }

    /** The text as it may be stored and shown: personal numbers masked. Cheap; any thread. */
    public String mask(String text) {
        return masker.get().mask(text);
    }

    public Settings settings() {
        return store.read(tx -> read(tx));
    }

    private static Settings read(StoreTx tx) {
        return tx.setting(KEY).map(s -> {
            try {
                JsonNode json = Json.MAPPER.readTree(s.json());
                List<String> patterns = new ArrayList<>();
                json.path("maskPatterns").forEach(p -> patterns.add(p.asText()));
                JsonNode days = json.get("retentionDays");
                return new Settings(days == null || days.isNull() ? null : days.intValue(), patterns, s.version(),
                        s.updatedAt());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("stored privacy settings are not JSON", e);
            }
        }).orElse(new Settings(null, List.of(), 0, null));
    }

    /** Replaces the settings if they are still at {@code version}; bad patterns get 400 naming them. */
    public CompletableFuture<Settings> update(Agent caller, Integer retentionDays, List<String> patterns, long version) {
        if (retentionDays != null && (retentionDays < 1 || retentionDays > RETENTION_DAYS_MAX)) {
            throw ChatException.invalid("field 'retentionDays' must be 1 to " + RETENTION_DAYS_MAX
                    + ", or null to keep transcripts", Reason.OUT_OF_RANGE, "retentionDays", "min", 1,
                    "max", RETENTION_DAYS_MAX);
        }
        List<String> regexes = patterns == null ? List.of() : patterns;
        if (regexes.size() > PATTERNS_MAX) {
            throw ChatException.invalid("at most " + PATTERNS_MAX + " mask patterns", Reason.TOO_MANY, "maskPatterns",
                    "count", regexes.size(), "max", PATTERNS_MAX);
        }
        for (String regex : regexes) {
            // Characters (code points), as every other limit counts them (docs/protocol.md).
            if (regex == null || regex.isBlank() || Text.chars(regex) > PATTERN_CHARS_MAX) {
                throw regex == null || regex.isBlank()
                        ? ChatException.invalid("a mask pattern must have 1 to " + PATTERN_CHARS_MAX + " characters",
                                Reason.REQUIRED, "maskPatterns")
                        : ChatException.invalid("a mask pattern must have 1 to " + PATTERN_CHARS_MAX + " characters",
                                Reason.TOO_LONG, "maskPatterns", "count", Text.chars(regex), "max", PATTERN_CHARS_MAX,
                                "value", Text.truncate(regex, 40));
            }
            Pattern compiled;
            try {
                compiled = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw ChatException.invalid("mask pattern '" + regex + "' is not a valid regular expression: "
                        + e.getDescription(), Reason.INVALID, "maskPatterns", "value", regex);
            }
            if (compiled.matcher("").matches()) {
                // Empty matches would be masked between every two characters: all its parts are optional.
                throw ChatException.invalid("mask pattern '" + regex + "' matches empty text", Reason.INVALID,
                        "maskPatterns", "value", Text.truncate(regex, 40));
            }
        }
        Masker next = new Masker(Masker.compile(regexes));
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("retentionDays", retentionDays);
        value.put("maskPatterns", regexes);
        String json = Json.write(value);
        Instant now = clock.instant();
        return Replies.<Settings>future(reply -> service.execute(tx -> {
            Settings before = read(tx);
            if (!tx.putSetting(KEY, json, version, now, caller.id())) {
                throw ChatException.refused(ErrorCode.CONFLICT, "privacy settings were changed since version " + version
                        + " (they are now at version " + before.version() + "); reload them and edit again",
                        Reason.STALE, "version", "version", version, "current", before.version());
            }
            Settings after = read(tx);
            Audit.write(tx, now, caller, null, "privacy.update", "privacy", KEY, before.version() == 0 ? null : before,
                    after);
            return after;
        }, reply)).thenApply(saved -> {
            masker.set(next);
            return saved;
        });
    }

    /** What one retention run deleted. */
    public record Purged(long conversations, long visitors, Instant before) {
    }

    /**
     * Deletes resolved transcripts older than the retention period (nothing when it is unset) and
     * writes what it did to the audit log. Runs on the domain thread; call from a schedule or admin.
     */
    public CompletableFuture<Purged> purge(Agent caller) {
        Instant now = clock.instant();
        return Replies.<Purged>future(reply -> service.execute(tx -> {
            Settings settings = read(tx);
            if (settings.retentionDays() == null) {
                return new Purged(0, 0, null);
            }
            Instant before = now.minus(Duration.ofDays(settings.retentionDays()));
            long[] deleted = tx.purgeResolvedBefore(before);
            if (deleted[0] + deleted[1] > 0) {
                Audit.write(tx, now, caller, null, "privacy.purge", "privacy", KEY, null,
                        Map.of("before", before.toString(), "conversations", deleted[0], "visitors", deleted[1]));
            }
            return new Purged(deleted[0], deleted[1], before);
        }, reply));
    }

    /** The scheduled run: logs instead of answering. */
    public void purgeOnSchedule() {
        purge(null).whenComplete((purged, failure) -> {
            if (failure != null) {
                log.warn("retention: purge failed: {}", failure.getMessage());
            } else if (purged.conversations() > 0) {
                log.info("retention: deleted {} conversations and {} visitors last active before {}",
                        purged.conversations(), purged.visitors(), purged.before());
            }
        });
    }

    /**
     * The tables {@link StoreTx#deleteVisitor} empties for a visitor (it follows the foreign keys to
     * {@code visitors} and {@code conversations}) and {@link #export} reads: an answer to a data
     * subject's access request must show what a deletion would remove. {@code PrivacyApiTest} compares
     * this list with the schema, so a migration that adds such a table fails until the export has it.
     */
    public static final List<String> EXPORTED_TABLES = List.of("visitors", "visitor_pages", "channel_threads",
            "conversations", "messages", "attachments", "notes", "feedback");

    /**
     * Everything stored about a visitor (docs/admin.md, "Data protection"): what identify() told,
     * the pages their widget reported, the channel thread they came through, and each conversation
     * with its messages (and the bot's decision on each question), images, agents' notes, feedback
     * and lifecycle events. Left out: the hash of the widget's token (a credential, not data about
     * the person) and the bot's FAQ candidates (data about the FAQ).
     */
    public Map<String, Object> export(Agent caller, String visitorOrConversationId) {
        return store.read(tx -> {
            Visitor visitor = visible(tx, caller, visitorOrConversationId);
            List<Map<String, Object>> conversations = new ArrayList<>();
            for (Conversation c : tx.conversationsOf(visitor.id(), Integer.MAX_VALUE)) {
                conversations.add(exportConversation(tx, c));
            }
            VisitorProfile profile = tx.visitorProfile(visitor.id())
                    .orElse(new VisitorProfile(visitor.id(), visitor.name(), null, null, Map.of()));
            Map<String, Object> person = new LinkedHashMap<>();
            person.put("id", visitor.id());
            person.put("siteId", visitor.siteId());
            person.put("name", visitor.name());
            person.put("email", profile.email());
            person.put("externalId", profile.externalId());
            person.put("attributes", profile.attributes());
            person.put("locale", visitor.locale());
            person.put("createdAt", visitor.createdAt());
            person.put("channel", tx.integrations().channelOf(visitor.id())
                    .map(thread -> Map.of("channel", thread[0], "externalId", thread[1])).orElse(null));
            List<Map<String, Object>> pages = new ArrayList<>();
            // Stored newest first for the context packet; a record of what happened reads oldest first.
            List<PageView> viewed = new ArrayList<>(tx.pageViews(visitor.id(), Integer.MAX_VALUE));
            Collections.reverse(viewed);
            for (PageView page : viewed) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("url", page.url());
                json.put("title", page.title());
                json.put("at", page.at());
                pages.add(json);
            }
            Map<String, Object> export = new LinkedHashMap<>();
            export.put("visitor", person);
            export.put("pages", pages);
            export.put("conversations", conversations);
            export.put("exportedAt", clock.instant());
            return export;
        });
    }

    private static Map<String, Object> exportConversation(StoreTx tx, Conversation c) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", c.id());
        json.put("siteId", c.siteId());
        json.put("state", c.state().name().toLowerCase(Locale.ROOT));
        json.put("locale", c.locale());
        json.put("topic", c.topic());
        json.put("teamId", c.teamId());
        json.put("agent", c.agentId() == null ? null : Map.of("id", c.agentId(), "name", c.agentName()));
        json.put("labels", c.labels());
        json.put("visitorReadSeq", c.visitorReadSeq());
        json.put("createdAt", c.createdAt());
        json.put("updatedAt", c.updatedAt());
        Map<Long, BotTurn> turns = new HashMap<>();
        for (BotTurn turn : tx.botTurns(c.id())) {
            turns.put(turn.seq(), turn);
        }
        List<Map<String, Object>> messages = new ArrayList<>();
        for (Message m : tx.messagesAfter(c.id(), 0, Integer.MAX_VALUE)) {
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("id", m.id());
            message.put("seq", m.seq());
            message.put("from", author(m.from()));
            message.put("text", m.text());
            message.put("at", m.ts());
            Attachment image = m.attachment();
            if (image != null) {
                // The bytes stay behind their own endpoint: a few images would make the export megabytes.
                message.put("attachment", Map.of("id", image.id(), "contentType", image.contentType(),
                        "size", image.size(), "url", "/api/attachments/" + image.id()));
            }
            BotTurn turn = turns.get(m.seq());
            if (turn != null) {
                Map<String, Object> bot = new LinkedHashMap<>();
                bot.put("decision", turn.decision());
                bot.put("reason", turn.reason());
                bot.put("intent", turn.intent());
                bot.put("confidence", turn.confidence());
                bot.put("faqId", turn.faqId());
                message.put("bot", bot);
            }
            messages.add(message);
        }
        json.put("messages", messages);
        List<Map<String, Object>> notes = new ArrayList<>();
        for (Note n : tx.notes(c.id())) {
            Map<String, Object> note = new LinkedHashMap<>();
            note.put("id", n.id());
            note.put("from", author(n.from()));
            note.put("text", n.text());
            note.put("at", n.ts());
            notes.add(note);
        }
        json.put("notes", notes);
        List<Map<String, Object>> feedback = new ArrayList<>();
        for (Feedback f : tx.feedback(c.id())) {
            Map<String, Object> rating = new LinkedHashMap<>();
            rating.put("id", f.id());
            rating.put("kind", f.kind().wire());
            rating.put("score", f.score());
            rating.put("comment", f.comment());
            rating.put("messageId", f.messageId());
            rating.put("at", f.createdAt());
            feedback.add(rating);
        }
        json.put("feedback", feedback);
        List<Map<String, Object>> events = new ArrayList<>();
        for (ConversationEventRow e : tx.conversationEvents(c.id())) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("kind", e.kind());
            event.put("at", e.at());
            event.put("agentId", e.agentId());
            event.put("teamId", e.teamId());
            event.put("reason", e.reason());
            events.add(event);
        }
        json.put("events", events);
        return json;
    }

    private static Map<String, Object> author(Author from) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kind", from.kind().wire());
        json.put("id", from.id());
        json.put("name", from.name());
        return json;
    }

    /** Deletes a visitor and everything stored about them; open conversations are deleted too. */
    public CompletableFuture<Map<String, Object>> delete(Agent caller, String visitorOrConversationId) {
        Instant now = clock.instant();
        return Replies.<Map<String, Object>>future(reply -> service.executeDeleting(tx -> {
            Visitor visitor = visible(tx, caller, visitorOrConversationId);
            List<Conversation> all = tx.conversationsOf(visitor.id(), Integer.MAX_VALUE);
            int conversations = all.size();
            tx.deleteVisitor(visitor.id());
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("visitorId", visitor.id());
            result.put("deleted", true);
            result.put("conversations", conversations);
            Audit.write(tx, now, caller, visitor.siteId(), "visitor.delete", "visitor", visitor.id(), null, result);
            return new ConversationService.Deletion<>(result,
                    all.stream().filter(c -> c.state().isOpen()).toList());
        }, reply));
    }

    /** The visitor named directly or by one of their conversations, if the caller may see their site. */
    private static Visitor visible(StoreTx tx, Agent caller, String id) {
        String visitorId = id.startsWith("cv_")
                ? tx.conversation(id).map(Conversation::visitorId).orElse(null) : id;
        return (visitorId == null ? java.util.Optional.<Visitor>empty() : tx.visitor(visitorId))
                .filter(v -> caller.seesSite(v.siteId()))
                .orElseThrow(() -> new ChatException(ErrorCode.NOT_FOUND, "no visitor or conversation '" + id + "'"));
    }
}
