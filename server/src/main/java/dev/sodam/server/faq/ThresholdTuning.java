package dev.sodam.server.faq;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.bot.BotDecision;
import dev.sodam.bot.BotThresholds;
import dev.sodam.bot.FaqBot;
import dev.sodam.server.audit.Audit;
import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.conversation.ChatException.Reason;
import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.ErrorCode;
import dev.sodam.server.conversation.Replies;
import dev.sodam.server.model.Agent;
import dev.sodam.server.store.Store;
import dev.sodam.server.store.StoreTx;
import dev.sodam.server.util.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The band thresholds an admin chooses in the test console: a "what if" over the recorded questions
 * (how many answers, clarifications and handoffs a change would turn into something else), and the
 * chosen thresholds saved per locale in the {@code settings} table under {@value #KEY}, which the
 * bot uses at once ({@link BotEngine#useSaved}), the other nodes' bots within a moment ({@link BotPeers}),
 * and every bot after a restart ({@link #load}).
 */
public final class ThresholdTuning {
    public static final String KEY = "bot.thresholds";
    /** The newest recorded questions a what-if reads; each distinct text is asked twice. */
    public static final int WHAT_IF_QUESTIONS_MAX = 5_000;
    /** Changed questions a what-if lists as examples. */
    static final int EXAMPLES_MAX = 20;

    /** The saved thresholds: per locale, with the setting's version (0: never saved). */
    public record Saved(Map<String, BotThresholds> locales, long version, Instant updatedAt) {
        public Saved {
            locales = Map.copyOf(locales);
        }

        /** As the API shows it: {@code {"version","updatedAt","locales":{"ko":{"answerThreshold","clarifyThreshold"}}}}. */
        public Map<String, Object> json() {
            Map<String, Object> perLocale = new TreeMap<>();
            locales.forEach((locale, t) -> perLocale.put(locale, thresholdsJson(t)));
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("version", version);
            json.put("updatedAt", updatedAt);
            json.put("locales", perLocale);
            return json;
        }
    }

    /** One recorded question whose decision the proposed thresholds change. */
    public record Change(String text, double confidence, String before, String after, int times) {
    }

    /**
     * The what-if's answer: over {@code questions} recorded questions analysed in {@code locale},
     * the decisions with the current and with the proposed thresholds, and how many change.
     */
    public record WhatIf(String locale, Instant from, Instant to, Map<String, Object> current,
                         Map<String, Object> proposed, int questions, Map<String, Integer> before,
                         Map<String, Integer> after, int changed, Map<String, Integer> changes,
                         List<Change> examples) {
    }

    private final ConversationService service;
    private final Store store;
    private final BotEngine engine;
    private final Clock clock;
    private volatile BotPeers peers = BotPeers.NONE;

    public ThresholdTuning(ConversationService service, Store store, BotEngine engine, Clock clock) {
        this.service = service;
        this.store = store;
        this.engine = engine;
        this.clock = clock;
    }

    /** After every save, tells {@code peers} too, so their bots use the thresholds as this node's does. */
    public void tellPeers(BotPeers peers) {
        this.peers = peers;
    }

    /**
     * Hands the stored thresholds to the bot: at start-up, and on another node's notice of a save (or
     * a catch-up after notices may have been lost). Blocking.
     */
    public void load() {
        engine.useSaved(saved().locales());
    }

    public Saved saved() {
        return store.read(ThresholdTuning::read);
    }

    private static Saved read(StoreTx tx) {
        return tx.setting(KEY).map(s -> {
            try {
                Map<String, BotThresholds> out = new TreeMap<>();
                for (Map.Entry<String, JsonNode> e : Json.MAPPER.readTree(s.json()).path("locales").properties()) {
                    out.put(e.getKey(), new BotThresholds(e.getValue().path("answerThreshold").doubleValue(),
                            e.getValue().path("clarifyThreshold").doubleValue()));
                }
                return new Saved(out, s.version(), s.updatedAt());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("stored bot thresholds are not JSON", e);
            }
        }).orElse(new Saved(Map.of(), 0, null));
    }

    /**
     * The thresholds from a request: both numbers within 0..1, clarify at most answer; 400 naming
     * the field otherwise.
     */
    public static BotThresholds thresholds(JsonNode body) {
        double answer = unit(body, "answerThreshold");
        double clarify = unit(body, "clarifyThreshold");
        if (clarify > answer) {
            // The range clarify may take is 0 up to the answer threshold: the page words it as such.
            throw ChatException.invalid("'clarifyThreshold' (" + clarify + ") must not be above 'answerThreshold' ("
                    + answer + ")", Reason.OUT_OF_RANGE, "clarifyThreshold", "min", 0, "max", answer);
        }
        return new BotThresholds(answer, clarify);
    }

    private static double unit(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isNumber() || !(value.doubleValue() >= 0 && value.doubleValue() <= 1)) {
            String message = "field '" + field + "' is required: a number from 0 to 1";
            throw value == null || value.isNull() ? ChatException.invalid(message, Reason.REQUIRED, field)
                    : ChatException.invalid(message, Reason.OUT_OF_RANGE, field, "min", 0, "max", 1);
        }
        return value.doubleValue();
    }

    /** 400 unless the bot has a model for {@code locale}. */
    public String locale(String locale) {
        if (locale == null || !FaqService.LOCALES.contains(locale)) {
            throw ChatException.invalid("'locale' must be ko or en", locale == null ? Reason.REQUIRED : Reason.INVALID,
                    "locale");
        }
        return locale;
    }

    /**
     * Saves {@code thresholds} for {@code locale} (null: removes the locale's saved thresholds) if the
     * setting is still at {@code version} (409 otherwise), with an audit row; the bot uses them once
     * this completes.
     */
    public CompletableFuture<Saved> save(Agent caller, String locale, BotThresholds thresholds, long version) {
        locale(locale);
        Instant now = clock.instant();
        return Replies.<Saved>future(reply -> service.execute(tx -> {
            Saved before = read(tx);
            Map<String, BotThresholds> next = new TreeMap<>(before.locales());
            if (thresholds == null) {
                next.remove(locale);
            } else {
                next.put(locale, thresholds);
            }
            Map<String, Object> perLocale = new TreeMap<>();
            next.forEach((l, t) -> perLocale.put(l, thresholdsJson(t)));
            if (!tx.putSetting(KEY, Json.write(Map.of("locales", perLocale)), version, now, caller.id())) {
                throw ChatException.refused(ErrorCode.CONFLICT, "the saved thresholds were changed since version "
                        + version + " (they are now at version " + before.version() + "); reload and try again",
                        Reason.STALE, null, "version", version, "current", before.version());
            }
            Saved after = read(tx);
            Audit.write(tx, now, caller, null, "bot.thresholds", "bot", locale,
                    before.locales().containsKey(locale) ? thresholdsJson(before.locales().get(locale)) : null,
                    thresholds == null ? null : thresholdsJson(thresholds));
            return after;
        }, reply)).thenApply(stored -> {
            engine.useSaved(stored.locales());
            peers.changed(BotPeers.Change.THRESHOLDS);
            return stored;
        });
    }

    /**
     * Asks {@code bot} every recorded question of the period twice, with its thresholds as they are
     * and with {@code proposed} for {@code locale}, and counts the decisions. Each question is asked with
     * its conversation's locale as the hint, as the live bot asked it: without it a question with no
     * letters ("12345", an order number) from an English page was read as Korean, and counted in the
     * wrong locale's what-if. Only questions analysed in {@code locale} count (the others keep their
     * thresholds). Blocking (reads the store, runs the bot).
     */
    public WhatIf whatIf(FaqBot bot, String locale, BotThresholds proposed, Instant from, Instant to) {
        locale(locale);
        List<StoreTx.RecordedQuestion> recorded = store.read(tx -> tx.recordedQuestions(from, to, WHAT_IF_QUESTIONS_MAX));
        FaqBot changed = bot.withThresholds(Map.of(locale, proposed));
        // One ask per distinct question and hint: the same text from a Korean and an English page may read differently.
        Map<Asked, String[]> asked = new HashMap<>();
        Map<Asked, Integer> times = new LinkedHashMap<>();
        for (StoreTx.RecordedQuestion question : recorded) {
            String text = question.text();
            if (text == null || text.isBlank()) {
                continue;
            }
            Asked key = new Asked(text, question.locale());
            times.merge(key, 1, Integer::sum);
            asked.computeIfAbsent(key, q -> {
                BotDecision now = bot.ask(q.text(), q.hint());
                if (!locale.equals(now.locale())) {
                    return null;
                }
                BotDecision then = changed.ask(q.text(), q.hint());
                return new String[] {now.decision(), then.decision(), Double.toString(now.confidence())};
            });
        }
        Map<String, Integer> before = decisions();
        Map<String, Integer> after = decisions();
        Map<String, Integer> changes = new TreeMap<>();
        // Examples by text: a text read alike whatever its page's language is one example, its counts summed.
        Map<String, Change> examplesByText = new LinkedHashMap<>();
        int questions = 0;
        int changedCount = 0;
        for (Map.Entry<Asked, Integer> e : times.entrySet()) {
            String[] d = asked.get(e.getKey());
            if (d == null) {
                continue;
            }
            int n = e.getValue();
            questions += n;
            before.merge(d[0], n, Integer::sum);
            after.merge(d[1], n, Integer::sum);
            if (!d[0].equals(d[1])) {
                changedCount += n;
                changes.merge(d[0] + "->" + d[1], n, Integer::sum);
                String text = e.getKey().text();
                Change example = new Change(text, Double.parseDouble(d[2]), d[0], d[1], n);
                examplesByText.merge(text + "\n" + d[0] + "->" + d[1], example,
                        (a, b) -> new Change(a.text(), a.confidence(), a.before(), a.after(), a.times() + b.times()));
            }
        }
        List<Change> examples = new ArrayList<>(examplesByText.values());
        examples.sort(java.util.Comparator.comparingInt(Change::times).reversed());
        return new WhatIf(locale, from, to, thresholdsJson(bot.thresholds(locale)), thresholdsJson(proposed),
                questions, before, after, changedCount, changes,
                List.copyOf(examples.subList(0, Math.min(EXAMPLES_MAX, examples.size()))));
    }

    /** A recorded question as the what-if asks it: its text with its conversation's locale as the hint. */
    private record Asked(String text, String hint) {
    }

    private static Map<String, Integer> decisions() {
        Map<String, Integer> out = new LinkedHashMap<>();
        out.put("answer", 0);
        out.put("clarify", 0);
        out.put("handoff", 0);
        return out;
    }

    /** The band a confidence falls in under {@code t}: what the thresholds alone decide. */
    public static String band(double confidence, BotThresholds t) {
        return confidence >= t.answer() ? "answer" : confidence >= t.clarify() ? "clarify" : "handoff";
    }

    public static Map<String, Object> thresholdsJson(BotThresholds t) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("answerThreshold", t.answer());
        json.put("clarifyThreshold", t.clarify());
        return json;
    }
}
