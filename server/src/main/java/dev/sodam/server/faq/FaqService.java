package dev.sodam.server.faq;

import dev.sodam.server.audit.Audit;
import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.conversation.ChatException.Reason;
import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.ErrorCode;
import dev.sodam.server.conversation.Replies;
import dev.sodam.server.model.Agent;
import dev.sodam.server.store.FaqRevision;
import dev.sodam.server.store.Store;
import dev.sodam.server.store.StoreTx;
import dev.sodam.server.store.StoredFaq;
import dev.sodam.server.util.Ids;
import dev.sodam.server.util.Text;
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
    private static final Pattern SPACE = Pattern.compile("\\s+");
    /**
     * A draft's {@code team} or {@code translation} when the request did not have the field: the
     * entry keeps its own. So a client that does not know them (an older public API client) cannot drop them by
     * replacing an entry; null in the request clears them. Not an id, so it cannot name one.
     */
    public static final String KEEP = "=keep";
    /** Ids that are paths under /api/admin/faq/. */
    private static final Set<String> RESERVED_IDS = Set.of("bulk", "import", "export");

    /**
     * An entry as an admin submits it. {@code id} is only read on create (null: generated);
     * {@code enabled} null means enabled; {@code team} a team id or null; {@code translation} the id
     * of the same entry in the other language, or null for none.
     */
    public record Draft(String id, String locale, String question, List<String> paraphrases, String answer,
                        List<String> tags, Boolean enabled, String team, String translation) {
        /** A draft of no team and without a linked translation. */
        public Draft(String id, String locale, String question, List<String> paraphrases, String answer,
                     List<String> tags, Boolean enabled) {
            this(id, locale, question, paraphrases, answer, tags, enabled, null, null);
        }
    }

    private final ConversationService service;
    private final Store store;
    private final BotEngine bot;
    private final Clock clock;
    private final Ids ids;
    private volatile BotPeers peers = BotPeers.NONE;

    public FaqService(ConversationService service, Store store, BotEngine bot, Clock clock, Ids ids) {
        this.service = service;
        this.store = store;
        this.bot = bot;
        this.clock = clock;
        this.ids = ids;
    }

    /** After every committed change, tells {@code peers} too, so their bots retrain as this node's does. */
    public void tellPeers(BotPeers peers) {
        this.peers = peers;
    }

    // ------------------------------------------------------------------ reads

    /** Entries matching every given filter (null or blank = any). */
    public List<StoredFaq> search(String locale, String tag, String text, Boolean enabled) {
        return search(locale, tag, text, enabled, null);
    }

    /** The same, also of one team ({@code team} null or blank: any). */
    public List<StoredFaq> search(String locale, String tag, String text, Boolean enabled, String team) {
        String byTeam = blankToNull(team);
        String byLocale = blankToNull(locale);
        if (byLocale != null) {
            checkLocale(byLocale);
        }
        String byTag = blankToNull(tag);
        String byText = blankToNull(text);
        return store.read(tx -> tx.faqSearch(byLocale, byTag == null ? null : byTag.toLowerCase(Locale.ROOT),
                byText == null ? null : byText.trim(), enabled, byTeam == null ? null : byTeam.trim()));
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
                throw ChatException.refused(ErrorCode.CONFLICT, "an FAQ entry with id '" + id + "' already exists",
                        Reason.DUPLICATE, "id", "value", id);
            }
            Draft kept = kept(valid, null);
            checkTeam(tx, kept.team());
            StoredFaq created = entry(id, kept, tx.lastFaqVersion(id) + 1, by, clock.instant());
            checkLink(tx, created);
            tx.insertStoredFaq(created);
            revision(tx, created, "create", by);
            relink(tx, created, null, by);
            return created;
        });
    }

    public CompletableFuture<StoredFaq> update(Agent by, String id, Draft draft, long version) {
        Draft valid = validate(draft, false);
        return write(tx -> {
            StoredFaq current = currentAt(tx, id, version);
            ensureSeedRevision(tx, current);
            Draft kept = kept(valid, current);
            checkTeam(tx, kept.team());
            StoredFaq changed = entry(id, kept, current.version() + 1, by, clock.instant());
            checkLink(tx, changed);
            if (!tx.updateStoredFaq(changed, current.version())) {
                throw stale(id, version, current);
            }
            revision(tx, changed, "update", by);
            relink(tx, changed, current.translation(), by);
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
            // Its counterpart is no longer linked to anything.
            relink(tx, gone.withTranslation(null, gone.version(), gone.updatedAt(), by.id(), by.name()),
                    current.translation(), by);
            return gone;
        });
    }

    /** Enables or disables every listed entry, or none of them (an unknown id refuses the whole request). */
    public CompletableFuture<List<StoredFaq>> setEnabled(Agent by, List<String> entryIds, boolean enabled) {
        if (entryIds == null || entryIds.isEmpty()) {
            throw ChatException.invalid("field 'ids' must list at least one entry id", Reason.REQUIRED, "ids");
        }
        if (entryIds.size() > BULK_MAX) {
            throw ChatException.invalid("at most " + BULK_MAX + " ids per request (got " + entryIds.size() + ")",
                    Reason.TOO_MANY, "ids", "count", entryIds.size(), "max", BULK_MAX);
        }
        List<String> unique = List.copyOf(new LinkedHashSet<>(entryIds));
        return write(tx -> {
            List<StoredFaq> found = new ArrayList<>(unique.size());
            List<String> missing = new ArrayList<>();
            for (String id : unique) {
                tx.faq(id).ifPresentOrElse(found::add, () -> missing.add(id));
            }
            if (!missing.isEmpty()) {
                throw ChatException.refused(ErrorCode.NOT_FOUND, "no FAQ entries with ids " + missing
                        + "; nothing was changed", Reason.UNKNOWN, "ids", "value",
                        Text.truncate(String.join(", ", missing), 80));
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
            // The link and team of that version may no longer hold: restore the text without them then.
            if (restored.team() != null && tx.teamVersion(restored.team()) == 0) {
                restored = new StoredFaq(restored.id(), restored.locale(), restored.question(), restored.paraphrases(),
                        restored.answer(), restored.tags(), restored.enabled(), restored.version(),
                        restored.updatedAt(), restored.updatedBy(), restored.updatedByName(), null,
                        restored.translation());
            }
            if (!linkable(tx, restored)) {
                restored = restored.withTranslation(null, restored.version(), restored.updatedAt(), by.id(), by.name());
            }
            if (current.isPresent()) {
                if (!tx.updateStoredFaq(restored, current.get().version())) {
                    throw stale(id, current.get().version(), current.get());
                }
            } else {
                tx.insertStoredFaq(restored);
            }
            revision(tx, restored, "restore", by);
            relink(tx, restored, current.map(StoredFaq::translation).orElse(null), by);
            return restored;
        });
    }

    // ------------------------------------------------------------------ import

    /**
     * What an import does (or would do) with one row: {@code create}, {@code update} or {@code unchanged};
     * {@code entry} is the row's position in a JSON file's entries (null in CSV), as in {@link FaqFiles.Problem}.
     */
    public record ImportLine(int line, Integer entry, String id, String action, String question) {
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

    /**
     * One planned change: {@code current} is null for a create. {@code draft.translation()} is the
     * key of the linked entry as the plan knows it: an id, or {@link #generatedKey} of a row that
     * gets its id only when stored.
     */
    private record ImportStep(FaqFiles.Row row, String key, String id, String action, Draft draft, StoredFaq current) {
        int line() {
            return row.line();
        }
    }

    /**
     * Imports parsed rows: a row with the id of an existing entry updates it (refused when the row's
     * version is not the entry's current one), any other row creates an entry. Every row is checked
     * against the same rules as the editor, and all problems come back together, each with its line.
     * A file with the {@code team} and {@code translation} columns sets them (a team by id or name;
     * a link by the other entry's id, in the FAQ or in the same file); without them an update keeps
     * the entry's own. A dry run, or any problem, stores nothing; otherwise all rows, and the other
     * side of every link they make or break, are stored in one transaction and the bot retrains once.
     */
    public CompletableFuture<ImportReport> importRows(Agent by, FaqFiles.Parsed parsed, boolean dryRun) {
        List<FaqFiles.Problem> problems = new ArrayList<>(parsed.problems());
        List<ImportStep> planned = store.read(tx -> plan(tx, parsed.rows(), problems));
        List<ImportLine> lines = planned.stream().map(FaqService::line).toList();
        // By line, then (one-line JSON) by entry: the order of the file.
        problems.sort(java.util.Comparator.comparingInt(FaqFiles.Problem::line).thenComparing(FaqFiles.Problem::entry,
                java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder())));
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
            // Ids of new rows without one are chosen first, so an entry linked to such a row can name it.
            java.util.Map<String, String> generated = new java.util.HashMap<>();
            for (ImportStep step : steps) {
                if (step.action().equals("create") && step.id() == null) {
                    generated.put(step.key(), step.draft().locale() + "-" + ids.next(""));
                }
            }
            List<ImportLine> done = new ArrayList<>(steps.size());
            for (ImportStep step : steps) {
                Draft draft = step.draft();
                String link = draft.translation() == null ? null : generated.getOrDefault(draft.translation(),
                        draft.translation());
                Draft stored = new Draft(draft.id(), draft.locale(), draft.question(), draft.paraphrases(),
                        draft.answer(), draft.tags(), draft.enabled(), draft.team(), link);
                switch (step.action()) {
                    case "create" -> {
                        String id = step.id() != null ? step.id() : generated.get(step.key());
                        StoredFaq created = entry(id, stored, tx.lastFaqVersion(id) + 1, by, now);
                        tx.insertStoredFaq(created);
                        revision(tx, created, "create", by);
                        done.add(new ImportLine(step.line(), step.row().entry(), id, "create", created.question()));
                    }
                    case "update" -> {
                        ensureSeedRevision(tx, step.current());
                        StoredFaq changed = entry(step.id(), stored, step.current().version() + 1, by, now);
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
        return new ImportLine(step.line(), step.row().entry(), step.id(), step.action(),
                step.draft() == null ? null : step.draft().question());
    }

    /** The plan's name for the entry a row without an id creates: no id can look like it. */
    private static String generatedKey(int ordinal) {
        // The row's place in the file, not its line: one-line JSON has every entry on line 1.
        return "#" + ordinal;
    }

    /** A row that passed validation, before links are settled; {@code key} is its id or {@link #generatedKey}. */
    private record Pending(FaqFiles.Row row, String key, Draft draft, StoredFaq current) {
        /** Whether the file says what the entry is linked to (else it keeps its own link). */
        boolean statesLink() {
            return row.translation() != null;
        }
    }

    /** A link the import would leave: stated by {@code row}, or kept from the FAQ ({@code row} null). */
    private record Link(String a, String b, FaqFiles.Row row) {
        boolean stated() {
            return row != null;
        }

        String other(String side) {
            return side.equals(a) ? b : a;
        }
    }

    /** Validates every row and decides what each does; problems are added, never thrown. */
    private static List<ImportStep> plan(StoreTx tx, List<FaqFiles.Row> rows, List<FaqFiles.Problem> problems) {
        java.util.Map<String, FaqFiles.Row> seen = new java.util.HashMap<>();
        java.util.Map<String, StoredFaq> faq = new java.util.HashMap<>();
        tx.faqSearch(null, null, null, null).forEach(f -> faq.put(f.id(), f));
        List<dev.sodam.server.model.Team> teams = tx.teams();
        // Every id the file has, valid row or not: a link to a row with its own problem is not also "unknown".
        java.util.Set<String> inFile = new java.util.HashSet<>();
        rows.stream().map(FaqFiles.Row::id).filter(java.util.Objects::nonNull).forEach(inFile::add);
        List<Pending> pending = new ArrayList<>(rows.size());
        for (int ordinal = 0; ordinal < rows.size(); ordinal++) {
            FaqFiles.Row row = rows.get(ordinal);
            StoredFaq current = row.id() == null ? null : faq.get(row.id());
            Draft valid;
            try {
                // A file without the team or translation column: an update keeps the entry's own.
                String team = row.team() == null ? current == null ? null : current.team()
                        : row.team().isEmpty() ? null : teamOf(teams, row.team());
                String translation = row.translation() == null ? current == null ? null : current.translation()
                        : row.translation().isEmpty() ? null : row.translation();
                valid = validate(new Draft(row.id(), row.locale(), row.question(), row.paraphrases(), row.answer(),
                        row.tags(), row.enabled(), team, translation), current == null);
            } catch (ChatException e) {
                problems.add(FaqFiles.Problem.of(row, e));
                continue;
            }
            if (row.id() != null) {
                FaqFiles.Row earlier = seen.putIfAbsent(row.id(), row);
                if (earlier != null) {
                    problems.add(FaqFiles.Problem.of(row, ChatException.invalid("id '" + row.id()
                            + "' is already used by " + earlier.place() + " of this file", Reason.REPEATED, "id",
                            "value", row.id())));
                    continue;
                }
            }
            if (current != null && row.version() != null && row.version() != current.version()) {
                problems.add(FaqFiles.Problem.of(row, ChatException.invalid("entry '" + row.id() + "' is at version "
                        + current.version() + " but the file has version " + row.version()
                        + ": it was changed after the export; export again or leave 'version' empty to overwrite",
                        Reason.STALE, "version", "version", row.version(), "current", current.version())));
                continue;
            }
            pending.add(new Pending(row, row.id() != null ? row.id() : generatedKey(ordinal), valid, current));
        }
        java.util.Map<String, String> partners = links(pending, faq, inFile, problems);
        List<ImportStep> steps = new ArrayList<>(pending.size());
        java.util.Set<String> planned = new java.util.HashSet<>();
        for (Pending p : pending) {
            Draft d = p.draft();
            Draft valid = new Draft(d.id(), d.locale(), d.question(), d.paraphrases(), d.answer(), d.tags(), d.enabled(),
                    d.team(), partners.containsKey(p.key()) ? partners.get(p.key()) : d.translation());
            planned.add(p.key());
            StoredFaq current = p.current();
            if (current == null) {
                steps.add(new ImportStep(p.row(), p.key(), valid.id(), "create", valid, null));
            } else {
                boolean same = current.locale().equals(valid.locale()) && current.question().equals(valid.question())
                        && current.paraphrases().equals(valid.paraphrases()) && current.answer().equals(valid.answer())
                        && current.tags().equals(valid.tags())
                        && current.enabled() == (valid.enabled() == null || valid.enabled())
                        && java.util.Objects.equals(current.team(), valid.team())
                        && java.util.Objects.equals(current.translation(), valid.translation());
                steps.add(new ImportStep(p.row(), p.key(), p.key(), same ? "unchanged" : "update", valid, current));
            }
        }
        // The other side of a link made or broken, when the file does not have it: a new version of it too.
        // Each such entry with the position (in the file's order) of the first row that causes it.
        java.util.Map<String, Integer> causes = new java.util.HashMap<>();
        for (int at = 0; at < pending.size(); at++) {
            Pending p = pending.get(at);
            String was = p.current() == null ? null : p.current().translation();
            String now = partners.containsKey(p.key()) ? partners.get(p.key()) : p.draft().translation();
            for (String side : java.util.Arrays.asList(was, now)) {
                if (side != null && !planned.contains(side) && faq.containsKey(side)) {
                    causes.putIfAbsent(side, at);
                }
            }
        }
        causes.entrySet().stream().sorted(java.util.Map.Entry.<String, Integer>comparingByValue()
                .thenComparing(java.util.Map.Entry.comparingByKey())).forEach(e -> {
            StoredFaq other = faq.get(e.getKey());
            String link = partners.containsKey(other.id()) ? partners.get(other.id()) : other.translation();
            if (!java.util.Objects.equals(link, other.translation())) {
                steps.add(new ImportStep(pending.get(e.getValue()).row(), other.id(), other.id(), "update", new Draft(other.id(), other.locale(),
                        other.question(), other.paraphrases(), other.answer(), other.tags(), other.enabled(),
                        other.team(), link), other));
            }
        });
        return steps;
    }

    /**
     * The team a file names: its id, or its Korean or English name (any case); 400 naming the teams
     * there are when none or two match.
     */
    private static String teamOf(List<dev.sodam.server.model.Team> teams, String named) {
        for (dev.sodam.server.model.Team t : teams) {
            if (t.id().equals(named)) {
                return t.id();
            }
        }
        List<String> matches = teams.stream().filter(t -> t.nameKo().strip().equalsIgnoreCase(named)
                || t.nameEn().strip().equalsIgnoreCase(named)).map(dev.sodam.server.model.Team::id).distinct().toList();
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.size() > 1) {
            throw ChatException.invalid("field 'team' '" + abbreviate(named) + "' is the name of several teams "
                    + matches + "; write the team's id", Reason.INVALID, "team", "value", abbreviate(named));
        }
        String known = teams.stream().map(t -> t.id() + " (" + t.nameKo() + " / " + t.nameEn() + ")")
                .collect(java.util.stream.Collectors.joining(", "));
        throw ChatException.invalid("field 'team' names no team: '" + abbreviate(named)
                + "'; use the id or the name of one of: "
                + (known.isEmpty() ? "(there are no teams yet; create them under 사용자 관리 → 팀 first)" : known),
                Reason.UNKNOWN, "team", "value", abbreviate(named));
    }

    /**
     * Settles the links the import leaves, with the editor's rules: a link names another entry (in
     * the FAQ or in this file) of the other language, and an entry has at most one. A row that states
     * its link decides it (either side of a pair may state it; an empty cell unlinks unless the other
     * side names it); a link between entries whose rows do not state one is kept. Problems go to the
     * rows that state the link. Returns, for every entry whose link is settled here, its partner's key
     * (null: none).
     */
    private static java.util.Map<String, String> links(List<Pending> pending, java.util.Map<String, StoredFaq> faq,
                                                       java.util.Set<String> inFile, List<FaqFiles.Problem> problems) {
        java.util.Map<String, Pending> byKey = new java.util.HashMap<>();
        pending.forEach(p -> byKey.put(p.key(), p));
        java.util.Set<String> stating = new java.util.HashSet<>();
        pending.stream().filter(Pending::statesLink).forEach(p -> stating.add(p.key()));
        List<Link> found = new ArrayList<>();
        for (Pending p : pending) {
            String target = p.draft().translation();
            if (!p.statesLink() || target == null) {
                continue;
            }
            FaqFiles.Row row = p.row();
            if (target.equals(p.key())) {
                problems.add(FaqFiles.Problem.of(row, "translation", "field 'translation' cannot name the entry itself"));
                continue;
            }
            if (!faq.containsKey(target) && !inFile.contains(target)) {
                problems.add(FaqFiles.Problem.of(row, "translation", "field 'translation' names no FAQ entry: '"
                        + target + "' (neither in the FAQ nor in this file)"));
                continue;
            }
            String targetLocale = byKey.containsKey(target) ? byKey.get(target).draft().locale()
                    : faq.containsKey(target) && !inFile.contains(target) ? faq.get(target).locale() : null;
            if (p.draft().locale().equals(targetLocale)) {
                problems.add(FaqFiles.Problem.of(row, "translation", "field 'translation' must name an entry in the"
                        + " other language; '" + target + "' is " + targetLocale + " like this one"));
                continue;
            }
            found.add(new Link(p.key(), target, row));
        }
        // Links kept from the FAQ: of the entries involved, between two that do not state theirs.
        java.util.Set<String> involved = new java.util.HashSet<>(byKey.keySet());
        found.forEach(l -> involved.add(l.b()));
        for (String side : List.copyOf(involved)) {
            StoredFaq stored = faq.get(side);
            if (stored != null && stored.translation() != null) {
                involved.add(stored.translation());
            }
        }
        for (String side : involved) {
            StoredFaq stored = faq.get(side);
            String other = stored == null ? null : stored.translation();
            if (other != null && side.compareTo(other) < 0 && faq.containsKey(other)
                    && !stating.contains(side) && !stating.contains(other)) {
                found.add(new Link(side, other, null));
            }
        }
        java.util.Map<String, java.util.Set<String>> partnersOf = new java.util.HashMap<>();
        for (Link l : found) {
            partnersOf.computeIfAbsent(l.a(), k -> new java.util.TreeSet<>()).add(l.b());
            partnersOf.computeIfAbsent(l.b(), k -> new java.util.TreeSet<>()).add(l.a());
        }
        // Rows already given a link problem (one each is enough); by identity, as one-line JSON shares lines.
        java.util.Set<FaqFiles.Row> reported = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Link l : found) {
            for (String side : List.of(l.a(), l.b())) {
                java.util.Set<String> all = partnersOf.get(side);
                if (all.size() > 1 && l.stated() && reported.add(l.row())) {
                    List<String> others = all.stream().filter(o -> !o.equals(l.other(side))).map(o -> describe(o, found, side))
                            .toList();
                    problems.add(FaqFiles.Problem.of(l.row(), "translation", "'" + side + "' would have two translations: '"
                            + l.other(side) + "' here and " + String.join(", ", others)
                            + "; an entry is linked to at most one entry"));
                }
            }
            // A kept link whose entry changes language in this file.
            if (!l.stated()) {
                for (String side : List.of(l.a(), l.b())) {
                    Pending p = byKey.get(side);
                    Pending q = byKey.get(l.other(side));
                    String otherLocale = q != null ? q.draft().locale() : faq.get(l.other(side)).locale();
                    if (p != null && p.draft().locale().equals(otherLocale) && reported.add(p.row())) {
                        problems.add(FaqFiles.Problem.of(p.row(), "translation", "'" + side + "' stays linked to '"
                                + l.other(side) + "' (the file has no 'translation' for it), but both would be "
                                + otherLocale + "; state its translation, or leave it empty to unlink"));
                    }
                }
            }
        }
        java.util.Map<String, String> partners = new java.util.HashMap<>();
        for (String side : involved) {
            java.util.Set<String> all = partnersOf.getOrDefault(side, java.util.Set.of());
            partners.put(side, all.size() == 1 ? all.iterator().next() : null);
        }
        return partners;
    }

    /** Where the link between {@code side} and {@code other} comes from, for a message. */
    private static String describe(String other, List<Link> found, String side) {
        FaqFiles.Row stating = found.stream().filter(l -> l.a().equals(side) && l.b().equals(other)
                || l.b().equals(side) && l.a().equals(other)).map(Link::row).filter(java.util.Objects::nonNull)
                .reduce((first, later) -> later).orElse(null);
        return "'" + other + "' " + (stating != null ? "(" + stating.place() + ")" : "(in the FAQ; unlink it there or give '"
                + other + "' another translation in this file)");
    }

    /** Runs a unit on the domain thread; after its commit the bot retrains, on this node and the others. */
    private <T> CompletableFuture<T> write(Function<StoreTx, T> unit) {
        return Replies.<T>future(reply -> service.execute(unit, Replies.of(value -> {
            bot.requestRebuild();
            peers.changed(BotPeers.Change.FAQ);
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
        return ChatException.refused(ErrorCode.CONFLICT, "FAQ entry '" + id + "' was changed" + who
                + " since version " + version + " (it is now at version " + current.version()
                + "); reload it and apply your edit again", Reason.STALE, "version", "version", version,
                "current", current.version(), "by", current.updatedByName());
    }

    private static ChatException notFound(String id) {
        return new ChatException(ErrorCode.NOT_FOUND, "no FAQ entry '" + id + "'");
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
                d.enabled() == null || d.enabled(), version, now, by.id(), by.name(), d.team(), d.translation());
    }

    private static StoredFaq copy(StoredFaq f, boolean enabled, long version, Agent by, Instant now) {
        return new StoredFaq(f.id(), f.locale(), f.question(), f.paraphrases(), f.answer(), f.tags(), enabled, version,
                now, by.id(), by.name(), f.team(), f.translation());
    }

    /** The draft with {@link #KEEP} replaced by the entry's own team and link ({@code current} null: none). */
    private static Draft kept(Draft d, StoredFaq current) {
        String team = KEEP.equals(d.team()) ? current == null ? null : current.team() : d.team();
        String translation = KEEP.equals(d.translation()) ? current == null ? null : current.translation()
                : d.translation();
        return new Draft(d.id(), d.locale(), d.question(), d.paraphrases(), d.answer(), d.tags(), d.enabled(), team,
                translation);
    }

    /** 400 unless {@code team} (when given) is an existing team. */
    private static void checkTeam(StoreTx tx, String team) {
        if (team != null && tx.teamVersion(team) == 0) {
            throw ChatException.invalid("field 'team' names no team: '" + team + "'", Reason.UNKNOWN, "team",
                    "value", team);
        }
    }

    /**
     * 400 unless the entry's translation (when given) is another existing entry in the other
     * language; 409 when that entry is already linked to a third one (unlink it there first).
     */
    private static void checkLink(StoreTx tx, StoredFaq entry) {
        String other = entry.translation();
        if (other == null) {
            return;
        }
        if (other.equals(entry.id())) {
            throw ChatException.invalid("field 'translation' cannot name the entry itself", Reason.INVALID,
                    "translation", "value", other);
        }
        StoredFaq target = tx.faq(other).orElseThrow(() ->
                ChatException.invalid("field 'translation' names no FAQ entry: '" + other + "'", Reason.UNKNOWN,
                        "translation", "value", other));
        if (target.locale().equals(entry.locale())) {
            throw ChatException.invalid("field 'translation' must name an entry in the other language; '" + other
                    + "' is " + target.locale() + " like this one", Reason.INVALID, "translation", "value", other);
        }
        if (target.translation() != null && !target.translation().equals(entry.id())
                && tx.faq(target.translation()).isPresent()) {
            throw ChatException.refused(ErrorCode.CONFLICT, "FAQ entry '" + other + "' is already linked to '"
                    + target.translation() + "'; unlink it there first", Reason.DUPLICATE, "translation",
                    "value", other, "linked", target.translation());
        }
    }

    private static boolean linkable(StoreTx tx, StoredFaq entry) {
        try {
            checkLink(tx, entry);
            return true;
        } catch (ChatException e) {
            return false;
        }
    }

    /**
     * Keeps both sides of a link in step after {@code entry} was written: the entry it was linked to
     * before ({@code previous}) stops naming it, the one it is linked to now names it. Each side that
     * changes gets a new version with its history and audit rows, so an editor holding the old
     * version of the counterpart gets 409 instead of undoing the link.
     */
    private static void relink(StoreTx tx, StoredFaq entry, String previous, Agent by) {
        String now = entry.translation();
        if (previous != null && !previous.equals(now)) {
            tx.faq(previous).filter(p -> entry.id().equals(p.translation()))
                    .ifPresent(p -> pointTo(tx, p, null, by, entry.updatedAt()));
        }
        if (now != null) {
            tx.faq(now).filter(t -> !entry.id().equals(t.translation()))
                    .ifPresent(t -> pointTo(tx, t, entry.id(), by, entry.updatedAt()));
        }
    }

    private static void pointTo(StoreTx tx, StoredFaq side, String other, Agent by, Instant at) {
        ensureSeedRevision(tx, side);
        StoredFaq changed = side.withTranslation(other, side.version() + 1, at, by.id(), by.name());
        if (!tx.updateStoredFaq(changed, side.version())) {
            throw stale(side.id(), side.version(), side);
        }
        revision(tx, changed, "update", by);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static void checkLocale(String locale) {
        if (!LOCALES.contains(locale)) {
            throw ChatException.invalid("unknown locale '" + locale + "'; use ko or en", Reason.INVALID, "locale",
                    "value", abbreviate(locale));
        }
    }

    /** Trims, drops blank paraphrases and duplicate tags, and refuses what the bot or the pages cannot use. */
    static Draft validate(Draft d, boolean creating) {
        String id = null;
        if (creating && d.id() != null) {
            id = d.id().trim();
            if (id.isEmpty() || id.length() > ID_MAX || !ID.matcher(id).matches()) {
                throw ChatException.invalid("id '" + d.id() + "' is not valid: use 1 to " + ID_MAX
                        + " lower-case letters, digits, '-' or '_', starting with a letter or digit",
                        Reason.INVALID, "id", "value", abbreviate(d.id()), "max", ID_MAX);
            }
            if (RESERVED_IDS.contains(id)) {
                throw ChatException.invalid("id '" + id + "' is reserved (it names an API path); choose another",
                        Reason.DUPLICATE, "id", "value", id);
            }
        }
        if (d.locale() == null || d.locale().isBlank()) {
            throw ChatException.invalid("field 'locale' is required (ko or en)", Reason.REQUIRED, "locale");
        }
        String locale = d.locale().trim();
        checkLocale(locale);
        String question = required("question", d.question(), QUESTION_MAX);
        String answer = required("answer", d.answer(), ANSWER_MAX);
        checkLinks(answer);
        List<String> paraphrases = new ArrayList<>();
        for (String p : d.paraphrases() == null ? List.<String>of() : d.paraphrases()) {
            String line = p == null ? "" : p.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (Text.chars(line) > PARAPHRASE_MAX) {
                throw ChatException.invalid("paraphrase '" + abbreviate(line) + "' is too long (" + Text.chars(line)
                        + " characters; at most " + PARAPHRASE_MAX + ")", Reason.TOO_LONG, "paraphrases",
                        "count", Text.chars(line), "max", PARAPHRASE_MAX, "value", abbreviate(line));
            }
            if (!paraphrases.contains(line) && !line.equals(question)) {
                paraphrases.add(line);
            }
        }
        if (paraphrases.size() > PARAPHRASES_MAX) {
            throw ChatException.invalid("too many paraphrases (" + paraphrases.size() + "; at most " + PARAPHRASES_MAX
                    + ")", Reason.TOO_MANY, "paraphrases", "count", paraphrases.size(), "max", PARAPHRASES_MAX);
        }
        LinkedHashSet<String> tags = new LinkedHashSet<>();
        for (String t : d.tags() == null ? List.<String>of() : d.tags()) {
            String tag = t == null ? "" : t.strip().toLowerCase(Locale.ROOT);
            if (tag.isEmpty()) {
                continue;
            }
            if (SPACE.matcher(tag).find()) {
                // One word per tag: an import once split "배송 조회" into two tags while the editor refused it.
                throw ChatException.invalid("tag '" + abbreviate(tag) + "' has a space: a tag is one word (write "
                        + abbreviate(SPACE.matcher(tag).replaceAll("-")) + "), and tags are separated by commas",
                        Reason.TAG_HAS_SPACE, "tags", "value", abbreviate(tag),
                        "suggestion", abbreviate(SPACE.matcher(tag).replaceAll("-")));
            }
            if (tag.length() > TAG_MAX || !TAG.matcher(tag).matches()) {
                throw ChatException.invalid("tag '" + abbreviate(tag) + "' is not valid: use 1 to " + TAG_MAX
                        + " letters, digits, '-' or '_'", Reason.INVALID, "tags", "value", abbreviate(tag),
                        "max", TAG_MAX);
            }
            tags.add(tag);
        }
        if (tags.size() > TAGS_MAX) {
            throw ChatException.invalid("too many tags (" + tags.size() + "; at most " + TAGS_MAX + ")",
                    Reason.TOO_MANY, "tags", "count", tags.size(), "max", TAGS_MAX);
        }
        return new Draft(id, locale, question, List.copyOf(paraphrases), answer, List.copyOf(tags), d.enabled(),
                reference("team", d.team()), reference("translation", d.translation()));
    }

    /** A formatted link in an answer: {@code [text](target)} (docs/admin.md, "Answer formatting"). */
    private static final Pattern ANSWER_LINK = Pattern.compile("\\[([^\\[\\]\n]{1,200})\\]\\(([^()\\s]{1,2000})\\)");
    private static final Pattern SAFE_LINK = Pattern.compile("(?i)(https?://[^\\s]+|mailto:[^@\\s]+@[^@\\s]+)");

    /**
     * 400 for a {@code [text](target)} link whose target is not an http, https or mailto address:
     * the widget would show it as plain text anyway, but an admin should learn that here, not from
     * a visitor. javascript: and data: are the ones that matter.
     */
    static void checkLinks(String answer) {
        java.util.regex.Matcher m = ANSWER_LINK.matcher(answer);
        while (m.find()) {
            if (!SAFE_LINK.matcher(m.group(2)).matches()) {
                throw ChatException.invalid("field 'answer' has a link to '" + abbreviate(m.group(2))
                        + "'; links may only be http://, https:// or mailto: addresses", Reason.UNSAFE_LINK, "answer",
                        "value", abbreviate(m.group(2)));
            }
        }
    }

    /** A team or entry id: trimmed, blank means none; 400 when it cannot be an id. */
    private static String reference(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.equals(KEEP)) {
            return KEEP;
        }
        String id = value.trim();
        if (id.length() > ID_MAX || !ID.matcher(id).matches()) {
            throw ChatException.invalid("field '" + field + "' is not an id: '" + abbreviate(id) + "'", Reason.INVALID,
                    field, "value", abbreviate(id));
        }
        return id;
    }

    private static String required(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw ChatException.invalid("field '" + field + "' must not be blank", Reason.REQUIRED, field);
        }
        String text = value.strip();
        if (Text.chars(text) > max) {
            throw ChatException.invalid("field '" + field + "' is too long (" + Text.chars(text) + " characters; at most "
                    + max + ")", Reason.TOO_LONG, field, "count", Text.chars(text), "max", max);
        }
        return text;
    }

    private static String abbreviate(String text) {
        return Text.chars(text) <= 40 ? text : Text.truncate(text, 40) + "…";
    }
}
