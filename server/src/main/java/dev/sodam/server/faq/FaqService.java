package dev.sodam.server.faq;

import dev.sodam.server.audit.Audit;
import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.ErrorCode;
import dev.sodam.server.conversation.Replies;
import dev.sodam.server.model.Agent;
import dev.sodam.server.store.FaqRevision;
import dev.sodam.server.store.Store;
import dev.sodam.server.store.StoreTx;
import dev.sodam.server.store.StoredFaq;
import dev.sodam.server.util.Ids;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Administering the FAQ: validated create, edit (with a version check), delete, bulk enable or
 * disable, history and restore. Every write is one command on the domain thread (one savepoint:
 * all of it or nothing), writes the entry's history row in the same transaction, and after the
 * commit asks the bot to retrain, so the bot learns the change within a rebuild (about a second).
 * Reads block on SQLite: call them from a blocking executor, never an event loop.
 */
public final class FaqService {
    public static final Set<String> LOCALES = Set.of("ko", "en");
    public static final int ID_MAX = 64;
    public static final int QUESTION_MAX = 200;
    public static final int PARAPHRASE_MAX = 200;
    public static final int PARAPHRASES_MAX = 50;
    public static final int ANSWER_MAX = 2_000;
    public static final int TAG_MAX = 32;
    public static final int TAGS_MAX = 10;
    public static final int BULK_MAX = 500;
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]*");
    private static final Pattern TAG = Pattern.compile("[\\p{L}\\p{N}_-]+");
    /** Ids that are paths under /api/admin/faq/. */
    private static final Set<String> RESERVED_IDS = Set.of("bulk", "import", "export");

    /**
     * An entry as an admin submits it. {@code id} is only read on create (null: generated);
     * {@code enabled} null means enabled.
     */
    public record Draft(String id, String locale, String question, List<String> paraphrases, String answer,
                        List<String> tags, Boolean enabled) {
    }

    private final ConversationService service;
    private final Store store;
    private final BotEngine bot;
    private final Clock clock;
    private final Ids ids;

    public FaqService(ConversationService service, Store store, BotEngine bot, Clock clock, Ids ids) {
        this.service = service;
        this.store = store;
        this.bot = bot;
        this.clock = clock;
        this.ids = ids;
    }

    // ------------------------------------------------------------------ reads

    /** Entries matching every given filter (null or blank = any). */
    public List<StoredFaq> search(String locale, String tag, String text, Boolean enabled) {
        String byLocale = blankToNull(locale);
        if (byLocale != null) {
            checkLocale(byLocale);
        }
        String byTag = blankToNull(tag);
        String byText = blankToNull(text);
        return store.read(tx -> tx.faqSearch(byLocale, byTag == null ? null : byTag.toLowerCase(Locale.ROOT),
                byText == null ? null : byText.trim(), enabled));
    }

    public StoredFaq get(String id) {
        return store.read(tx -> tx.faq(id)).orElseThrow(() -> notFound(id));
    }

    /** Every version the entry had, newest first; also for a deleted entry. */
    public List<FaqRevision> history(String id) {
        List<FaqRevision> history = store.read(tx -> {
            List<FaqRevision> rows = new ArrayList<>(tx.faqHistory(id));
            // A seed entry never edited has no history row yet: its first version is itself.
            Optional<StoredFaq> current = tx.faq(id);
            if (current.isPresent() && (rows.isEmpty() || rows.get(0).version() < current.get().version())) {
                StoredFaq now = current.get();
                rows.add(0, new FaqRevision(id, now.version(), "seed", now, now.updatedBy(), now.updatedByName(),
                        now.updatedAt()));
            }
            return rows;
        });
        if (history.isEmpty()) {
            throw notFound(id);
        }
        return history;
    }

    // ------------------------------------------------------------------ writes

    public CompletableFuture<StoredFaq> create(Agent by, Draft draft) {
        Draft valid = validate(draft, true);
        String id = valid.id() != null ? valid.id() : valid.locale() + "-" + ids.next("");
        return write(tx -> {
            if (tx.faq(id).isPresent()) {
                throw new ChatException(ErrorCode.CONFLICT, "an FAQ entry with id '" + id + "' already exists");
            }
            StoredFaq created = entry(id, valid, tx.lastFaqVersion(id) + 1, by, clock.instant());
            tx.insertStoredFaq(created);
            revision(tx, created, "create", by);
            return created;
        });
    }

    public CompletableFuture<StoredFaq> update(Agent by, String id, Draft draft, long version) {
        Draft valid = validate(draft, false);
        return write(tx -> {
            StoredFaq current = currentAt(tx, id, version);
            ensureSeedRevision(tx, current);
            StoredFaq changed = entry(id, valid, current.version() + 1, by, clock.instant());
            if (!tx.updateStoredFaq(changed, current.version())) {
                throw stale(id, version, current);
            }
            revision(tx, changed, "update", by);
            return changed;
        });
    }

    /** Deletes the entry (its history stays, so it can be restored); with a version, only if it is current. */
    public CompletableFuture<StoredFaq> delete(Agent by, String id, Long version) {
        return write(tx -> {
            StoredFaq current = version == null ? tx.faq(id).orElseThrow(() -> notFound(id))
                    : currentAt(tx, id, version);
            ensureSeedRevision(tx, current);
            tx.deleteFaq(id);
            StoredFaq gone = copy(current, current.enabled(), current.version() + 1, by, clock.instant());
            revision(tx, gone, "delete", by);
            return gone;
        });
    }

    /** Enables or disables every listed entry, or none of them (an unknown id refuses the whole request). */
    public CompletableFuture<List<StoredFaq>> setEnabled(Agent by, List<String> entryIds, boolean enabled) {
        if (entryIds == null || entryIds.isEmpty()) {
            throw badRequest("field 'ids' must list at least one entry id");
        }
        if (entryIds.size() > BULK_MAX) {
            throw badRequest("at most " + BULK_MAX + " ids per request (got " + entryIds.size() + ")");
        }
        List<String> unique = List.copyOf(new LinkedHashSet<>(entryIds));
        return write(tx -> {
            List<StoredFaq> found = new ArrayList<>(unique.size());
            List<String> missing = new ArrayList<>();
            for (String id : unique) {
                tx.faq(id).ifPresentOrElse(found::add, () -> missing.add(id));
            }
            if (!missing.isEmpty()) {
                throw new ChatException(ErrorCode.NOT_FOUND, "no FAQ entries with ids " + missing + "; nothing was changed");
            }
            List<StoredFaq> result = new ArrayList<>(found.size());
            Instant now = clock.instant();
            for (StoredFaq current : found) {
                if (current.enabled() == enabled) {
                    result.add(current);
                    continue;
                }
                ensureSeedRevision(tx, current);
                StoredFaq changed = copy(current, enabled, current.version() + 1, by, now);
                if (!tx.updateStoredFaq(changed, current.version())) {
                    throw stale(current.id(), current.version(), current);
                }
                revision(tx, changed, enabled ? "enable" : "disable", by);
                result.add(changed);
            }
            return result;
        });
    }

    /** Makes an earlier version current again, as a new version (a deleted entry comes back). */
    public CompletableFuture<StoredFaq> restore(Agent by, String id, long version) {
        return write(tx -> {
            FaqRevision from = tx.faqRevision(id, version).or(() -> tx.faq(id)
                            .filter(f -> f.version() == version)
                            .map(f -> new FaqRevision(id, version, "seed", f, f.updatedBy(), f.updatedByName(), f.updatedAt())))
                    .orElseThrow(() -> new ChatException(ErrorCode.NOT_FOUND,
                            "FAQ entry '" + id + "' has no version " + version));
            Optional<StoredFaq> current = tx.faq(id);
            current.ifPresent(c -> ensureSeedRevision(tx, c));
            StoredFaq restored = copy(from.snapshot(), from.snapshot().enabled(), tx.lastFaqVersion(id) + 1, by,
                    clock.instant());
            if (current.isPresent()) {
                if (!tx.updateStoredFaq(restored, current.get().version())) {
                    throw stale(id, current.get().version(), current.get());
                }
            } else {
                tx.insertStoredFaq(restored);
            }
            revision(tx, restored, "restore", by);
            return restored;
        });
    }

    // ------------------------------------------------------------------ import

    /** What an import does (or would do) with one row: {@code create}, {@code update} or {@code unchanged}. */
    public record ImportLine(int line, String id, String action, String question) {
    }

    /**
     * The outcome of an import or a dry run. {@code applied} is true only when the rows were stored;
     * with any error nothing is stored.
     */
    public record ImportReport(boolean dryRun, boolean applied, List<ImportLine> lines, List<FaqFiles.Problem> errors) {
        public long count(String action) {
            return lines.stream().filter(l -> l.action().equals(action)).count();
        }
    }

    /** One planned change: {@code current} is null for a create. */
    private record ImportStep(int line, String id, String action, Draft draft, StoredFaq current) {
    }

    /**
     * Imports parsed rows: a row with the id of an existing entry updates it (refused when the row's
     * version is not the entry's current one), any other row creates an entry. Every row is checked
     * against the same rules as the editor, and all problems come back together, each with its line.
     * A dry run, or any problem, stores nothing; otherwise all rows are stored in one transaction and
     * the bot retrains once.
     */
    public CompletableFuture<ImportReport> importRows(Agent by, FaqFiles.Parsed parsed, boolean dryRun) {
        List<FaqFiles.Problem> problems = new ArrayList<>(parsed.problems());
        List<ImportStep> planned = store.read(tx -> plan(tx, parsed.rows(), problems));
        List<ImportLine> lines = planned.stream().map(FaqService::line).toList();
        problems.sort(java.util.Comparator.comparingInt(FaqFiles.Problem::line));
        if (dryRun || !problems.isEmpty() || planned.stream().allMatch(s -> s.action().equals("unchanged"))) {
            return CompletableFuture.completedFuture(new ImportReport(dryRun, false, lines, List.copyOf(problems)));
        }
        return write(tx -> {
            List<FaqFiles.Problem> late = new ArrayList<>();
            List<ImportStep> steps = plan(tx, parsed.rows(), late);
            if (!late.isEmpty() || !steps.stream().map(FaqService::line).toList().equals(lines)) {
                FaqFiles.Problem first = late.isEmpty() ? null : late.get(0);
                throw new ChatException(ErrorCode.CONFLICT, "the FAQ changed while the file was imported"
                        + (first == null ? "" : " (line " + first.line() + ": " + first.message() + ")")
                        + "; nothing was imported, please import it again");
            }
            Instant now = clock.instant();
            List<ImportLine> done = new ArrayList<>(steps.size());
            for (ImportStep step : steps) {
                switch (step.action()) {
                    case "create" -> {
                        String id = step.id() != null ? step.id() : step.draft().locale() + "-" + ids.next("");
                        StoredFaq created = entry(id, step.draft(), tx.lastFaqVersion(id) + 1, by, now);
                        tx.insertStoredFaq(created);
                        revision(tx, created, "create", by);
                        done.add(new ImportLine(step.line(), id, "create", created.question()));
                    }
                    case "update" -> {
                        ensureSeedRevision(tx, step.current());
                        StoredFaq changed = entry(step.id(), step.draft(), step.current().version() + 1, by, now);
                        if (!tx.updateStoredFaq(changed, step.current().version())) {
                            throw stale(step.id(), step.current().version(), step.current());
                        }
                        revision(tx, changed, "update", by);
                        done.add(line(step));
                    }
                    default -> done.add(line(step));
                }
            }
            return new ImportReport(false, true, done, List.of());
        });
    }

    private static ImportLine line(ImportStep step) {
        return new ImportLine(step.line(), step.id(), step.action(), step.draft() == null ? null : step.draft().question());
    }

    /** Validates every row and decides what each does; problems are added, never thrown. */
    private static List<ImportStep> plan(StoreTx tx, List<FaqFiles.Row> rows, List<FaqFiles.Problem> problems) {
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        List<ImportStep> steps = new ArrayList<>(rows.size());
        for (FaqFiles.Row row : rows) {
            StoredFaq current = row.id() == null ? null : tx.faq(row.id()).orElse(null);
            Draft valid;
            try {
                valid = validate(new Draft(row.id(), row.locale(), row.question(), row.paraphrases(), row.answer(),
                        row.tags(), row.enabled()), current == null);
            } catch (ChatException e) {
                problems.add(new FaqFiles.Problem(row.line(), fieldOf(e.getMessage()), e.getMessage()));
                continue;
            }
            if (row.id() != null) {
                Integer earlier = seen.putIfAbsent(row.id(), row.line());
                if (earlier != null) {
                    problems.add(new FaqFiles.Problem(row.line(), "id", "id '" + row.id()
                            + "' is already used on line " + earlier + " of this file"));
                    continue;
                }
            }
            if (current == null) {
                steps.add(new ImportStep(row.line(), valid.id(), "create", valid, null));
            } else if (row.version() != null && row.version() != current.version()) {
                problems.add(new FaqFiles.Problem(row.line(), "version", "entry '" + row.id() + "' is at version "
                        + current.version() + " but the file has version " + row.version()
                        + ": it was changed after the export; export again or leave 'version' empty to overwrite"));
            } else {
                boolean same = current.locale().equals(valid.locale()) && current.question().equals(valid.question())
                        && current.paraphrases().equals(valid.paraphrases()) && current.answer().equals(valid.answer())
                        && current.tags().equals(valid.tags())
                        && current.enabled() == (valid.enabled() == null || valid.enabled());
                steps.add(new ImportStep(row.line(), row.id(), same ? "unchanged" : "update", valid, current));
            }
        }
        return steps;
    }

    /** The field a validation message names ("field 'answer' must …"), or null. */
    private static String fieldOf(String message) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(?:field '(\\w+)'|(id|paraphrase|tag) )")
                .matcher(message == null ? "" : message);
        if (!m.find()) {
            return message != null && message.startsWith("unknown locale") ? "locale"
                    : message != null && message.startsWith("too many paraphrases") ? "paraphrases"
                    : message != null && message.startsWith("too many tags") ? "tags" : null;
        }
        String field = m.group(1) != null ? m.group(1) : m.group(2);
        return field.equals("paraphrase") ? "paraphrases" : field.equals("tag") ? "tags" : field;
    }

    /** Runs a unit on the domain thread; after its commit the bot retrains. */
    private <T> CompletableFuture<T> write(Function<StoreTx, T> unit) {
        return Replies.<T>future(reply -> service.execute(unit, Replies.of(value -> {
            bot.requestRebuild();
            reply.ok(value);
        }, reply::fail)));
    }

    // ------------------------------------------------------------------ helpers

    private StoredFaq currentAt(StoreTx tx, String id, long version) {
        StoredFaq current = tx.faq(id).orElseThrow(() -> notFound(id));
        if (current.version() != version) {
            throw stale(id, version, current);
        }
        return current;
    }

    private static ChatException stale(String id, long version, StoredFaq current) {
        String who = current.updatedByName() != null ? " by " + current.updatedByName() : "";
        return new ChatException(ErrorCode.CONFLICT, "FAQ entry '" + id + "' was changed" + who
                + " since version " + version + " (it is now at version " + current.version()
                + "); reload it and apply your edit again");
    }

    private static ChatException notFound(String id) {
        return new ChatException(ErrorCode.NOT_FOUND, "no FAQ entry '" + id + "'");
    }

    private static ChatException badRequest(String message) {
        return new ChatException(ErrorCode.BAD_REQUEST, message);
    }

    /** The seed's version 1 has no history row; write it before the first change, so it can be restored. */
    private static void ensureSeedRevision(StoreTx tx, StoredFaq current) {
        if (tx.faqRevision(current.id(), current.version()).isEmpty()) {
            tx.insertFaqRevision(new FaqRevision(current.id(), current.version(), "seed", current,
                    current.updatedBy(), current.updatedByName(), current.updatedAt()));
        }
    }

    private static void revision(StoreTx tx, StoredFaq entry, String action, Agent by) {
        // The audit row's "before" is the previous version, read before this one is written.
        Object before = action.equals("delete") ? entry : action.equals("create") ? null
                : tx.faqRevision(entry.id(), entry.version() - 1).map(FaqRevision::snapshot).orElse(null);
        tx.insertFaqRevision(new FaqRevision(entry.id(), entry.version(), action, entry, by.id(), by.name(),
                entry.updatedAt()));
        Audit.write(tx, entry.updatedAt(), by, null, "faq." + action, "faq", entry.id(), before,
                action.equals("delete") ? null : entry);
    }

    private static StoredFaq entry(String id, Draft d, long version, Agent by, Instant now) {
        return new StoredFaq(id, d.locale(), d.question(), d.paraphrases(), d.answer(), d.tags(),
                d.enabled() == null || d.enabled(), version, now, by.id(), by.name());
    }

    private static StoredFaq copy(StoredFaq f, boolean enabled, long version, Agent by, Instant now) {
        return new StoredFaq(f.id(), f.locale(), f.question(), f.paraphrases(), f.answer(), f.tags(), enabled, version,
                now, by.id(), by.name());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static void checkLocale(String locale) {
        if (!LOCALES.contains(locale)) {
            throw badRequest("unknown locale '" + locale + "'; use ko or en");
        }
    }

    /** Trims, drops blank paraphrases and duplicate tags, and refuses what the bot or the pages cannot use. */
    static Draft validate(Draft d, boolean creating) {
        String id = null;
        if (creating && d.id() != null) {
            id = d.id().trim();
            if (id.isEmpty() || id.length() > ID_MAX || !ID.matcher(id).matches()) {
                throw badRequest("id '" + d.id() + "' is not valid: use 1 to " + ID_MAX
                        + " lower-case letters, digits, '-' or '_', starting with a letter or digit");
            }
            if (RESERVED_IDS.contains(id)) {
                throw badRequest("id '" + id + "' is reserved (it names an API path); choose another");
            }
        }
        if (d.locale() == null || d.locale().isBlank()) {
            throw badRequest("field 'locale' is required (ko or en)");
        }
        String locale = d.locale().trim();
        checkLocale(locale);
        String question = required("question", d.question(), QUESTION_MAX);
        String answer = required("answer", d.answer(), ANSWER_MAX);
        List<String> paraphrases = new ArrayList<>();
        for (String p : d.paraphrases() == null ? List.<String>of() : d.paraphrases()) {
            String line = p == null ? "" : p.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.length() > PARAPHRASE_MAX) {
                throw badRequest("paraphrase '" + abbreviate(line) + "' is too long (" + line.length()
                        + " characters; at most " + PARAPHRASE_MAX + ")");
            }
            if (!paraphrases.contains(line) && !line.equals(question)) {
                paraphrases.add(line);
            }
        }
        if (paraphrases.size() > PARAPHRASES_MAX) {
            throw badRequest("too many paraphrases (" + paraphrases.size() + "; at most " + PARAPHRASES_MAX + ")");
        }
        LinkedHashSet<String> tags = new LinkedHashSet<>();
        for (String t : d.tags() == null ? List.<String>of() : d.tags()) {
            String tag = t == null ? "" : t.strip().toLowerCase(Locale.ROOT);
            if (tag.isEmpty()) {
                continue;
            }
            if (tag.length() > TAG_MAX || !TAG.matcher(tag).matches()) {
                throw badRequest("tag '" + abbreviate(tag) + "' is not valid: use 1 to " + TAG_MAX
                        + " letters, digits, '-' or '_'");
            }
            tags.add(tag);
        }
        if (tags.size() > TAGS_MAX) {
            throw badRequest("too many tags (" + tags.size() + "; at most " + TAGS_MAX + ")");
        }
        return new Draft(id, locale, question, List.copyOf(paraphrases), answer, List.copyOf(tags), d.enabled());
    }

    private static String required(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw badRequest("field '" + field + "' must not be blank");
        }
        String text = value.strip();
        if (text.length() > max) {
            throw badRequest("field '" + field + "' is too long (" + text.length() + " characters; at most " + max + ")");
        }
        return text;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
