package dev.sodam.server.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.util.Text;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A team's weekly opening hours in one time zone, minus holidays.
 *
 * <p>A schedule is a list of <em>shifts</em> per weekday, each written {@code "HH:MM-HH:MM"} in
 * wall-clock time. A shift belongs to the date it starts on: {@code sat: ["22:00-02:00"]} opens
 * Saturday 22:00 and closes Sunday 02:00. A shift never lasts longer than 24 hours of wall-clock
 * time, and shifts may not overlap (not even across midnight), so every open instant belongs to
 * exactly one shift. Shifts that touch ({@code "09:00-12:00"}, {@code "12:00-18:00"}) form one
 * open period as far as {@link #closesAt} is concerned.
 *
 * <p><b>Holidays</b> are dates in the schedule's zone. A holiday cancels the shifts that
 * <em>start</em> on it; it does not cut short a shift that started the evening before, so with
 * {@code sat: ["22:00-02:00"]} and a holiday on Sunday the team is still open Sunday 00:00-02:00.
 * That is deliberate: the people staffing the night shift were scheduled for the whole of it.
 *
 * <p><b>Daylight saving time.</b> Shift boundaries are wall-clock times, and each boundary is the
 * <em>first instant at which the local clock reads that time or later</em>:
 * <ul>
 *   <li>In a gap (spring forward, 02:00-03:00 does not exist in New York) a boundary inside the gap
 *       becomes the instant the gap ends; a shift 02:30-05:00 opens at 03:00 new time, and a shift
 *       lying wholly inside the gap does not happen at all.
 *   <li>In an overlap (fall back, 01:00-02:00 happens twice) a boundary uses the first occurrence,
 *       i.e. the earlier offset; a shift 01:30-03:30 then lasts three real hours.
 * </ul>
 * So a shift lasts as long as the wall clock says, which is what staff rosters mean.
 *
 * <p>Instances are immutable and thread-safe. Queries walk shifts day by day, never minute by
 * minute, and look at most {@value #HORIZON_DAYS} days ahead.
 */
public final class BusinessHours {
    /** How far {@link #nextOpening} and {@link #closesAt} look ahead; beyond it we answer "never". */
    private static final int HORIZON_DAYS = 400;
    private static final Duration HORIZON = Duration.ofDays(HORIZON_DAYS);

    private static final int MINUTES_PER_DAY = 24 * 60;
    private static final int MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

    /** Day keys in {@link java.time.DayOfWeek} order, so {@code DAY_KEYS[dow.ordinal()]} is the key. */
    private static final List<String> DAY_KEYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");
    private static final List<String> SPEC_FIELDS_ORDER = List.of("timeZone", "weekly", "holidays");
    private static final Set<String> SPEC_FIELDS = Set.copyOf(SPEC_FIELDS_ORDER);
    private static final Pattern TIME = Pattern.compile("([01][0-9]|2[0-4]):([0-5][0-9])");

    private static final BusinessHours ALWAYS = new BusinessHours(ZoneOffset.UTC, wholeWeek(), new TreeSet<>());

    /**
     * A schedule {@link #parse} refuses: the English message as before, plus the reason, the part of
     * the schedule it concerns ({@code timeZone}, {@code weekly}, {@code holidays}, or null for the
     * whole) and its params (day keys, ranges as written), so the admin pages can say which day and
     * time is wrong in their own language (docs/protocol.md, "HTTP errors").
     */
    public static final class Invalid extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final transient ChatException.Reason reason;
        private final String part;
        private final transient Object[] params;

        Invalid(String message, ChatException.Reason reason, String part, Object... params) {
            this(message, null, reason, part, params);
        }

        Invalid(String message, Throwable cause, ChatException.Reason reason, String part, Object... params) {
            super(message, cause);
            this.reason = reason;
            this.part = part;
            this.params = params;
        }

        /** As a refusal of the field {@code field} ({@code hours}): {@code hours.weekly} for the weekly part. */
        public ChatException refusal(String field, String message) {
            return ChatException.invalid(message, reason, part == null ? field : field + "." + part, params);
        }
    }

    /**
     * One weekly shift: opens {@code start} minutes after midnight of its day and lasts
     * {@code length} minutes of wall-clock time (1..1440, so it may spill into the next day).
     */
    private record Shift(int start, int length, String text) {
        int end() {
            return start + length;
        }
    }

    private final ZoneId zone;
    /** Indexed by {@code DayOfWeek.ordinal()}; each day's shifts sorted by start. Never mutated. */
    private final Shift[][] weekly;
    /** Sorted so {@link #toString} is stable. Unmodifiable. */
    private final Set<LocalDate> holidays;
    /** The week is covered end to end with no holidays: skip the walking, the answer is "open". */
    private final boolean alwaysOpen;
    /** No shifts at all: skip the 400-day walk in {@link #nextOpening}. */
    private final boolean neverOpen;

    private BusinessHours(ZoneId zone, Shift[][] weekly, TreeSet<LocalDate> holidays) {
        this.zone = zone;
        this.weekly = weekly;
        this.holidays = Collections.unmodifiableSet(holidays);
        int covered = 0;
        for (Shift[] day : weekly) {
            for (Shift shift : day) {
                covered += shift.length();
            }
        }
        // Shifts never overlap (parse rejects it), so covering all 10080 minutes means no gaps.
        // DST cannot open a gap either: boundaries map monotonically and touching shifts share one.
        this.alwaysOpen = covered == MINUTES_PER_WEEK && holidays.isEmpty();
        this.neverOpen = covered == 0;
    }

    private static Shift[][] wholeWeek() {
        Shift[][] week = new Shift[7][];
        Arrays.fill(week, new Shift[] {new Shift(0, MINUTES_PER_DAY, "00:00-24:00")});
        return week;
    }

    /** Open all the time (the default when a team has no schedule). */
    public static BusinessHours always() {
        return ALWAYS;
    }

    /**
     * Parses {@code {"timeZone":"Asia/Seoul","weekly":{"mon":["09:00-18:00"],
     * "tue":["09:00-12:00","13:00-18:00"],"sat":["22:00-02:00"]},"holidays":["2026-12-25"]}}.
     *
     * <p>{@code timeZone} is required (any {@link ZoneId#of} id, e.g. {@code "Asia/Seoul"} or
     * {@code "+09:00"}). {@code weekly} is required; its keys are {@code mon}..{@code sun} in lower
     * case, a missing day is closed all day. A range whose end is not after its start runs past
     * midnight into the next day ({@code "22:00-02:00"}); {@code "00:00-24:00"} is the whole day,
     * and 24:00 is allowed only as an end. {@code holidays} is optional: ISO dates in the
     * schedule's zone on which no shift starts (a shift that started the evening before still
     * runs past midnight into the holiday). Unknown fields are rejected so that a typo such as
     * {@code "weeky"} fails loudly instead of silently closing the team.
     *
     * @throws Invalid (an IllegalArgumentException) naming the offending part: unknown field or day key, bad
     *     time or range, bad zone, bad date, or overlapping ranges (also across midnight)
     */
    public static BusinessHours parse(JsonNode spec) {
        if (spec == null || !spec.isObject()) {
            throw new Invalid("business hours must be a JSON object, got " + spec, ChatException.Reason.INVALID, null);
        }
        for (Map.Entry<String, JsonNode> field : spec.properties()) {
            if (!SPEC_FIELDS.contains(field.getKey())) {
                throw new Invalid("unknown business hours field \"" + field.getKey()
                        + "\" (expected timeZone, weekly, holidays)", ChatException.Reason.UNKNOWN, null,
                        "value", Text.truncate(field.getKey(), 40), "known", String.join(", ", SPEC_FIELDS_ORDER));
            }
        }
        ZoneId zone = parseZone(spec.get("timeZone"));
        Shift[][] weekly = parseWeekly(spec.get("weekly"));
        TreeSet<LocalDate> holidays = parseHolidays(spec.get("holidays"));
        return new BusinessHours(zone, weekly, holidays);
    }

    private static ZoneId parseZone(JsonNode node) {
        if (node == null || !node.isTextual()) {
            throw new Invalid("timeZone must be a zone id string such as \"Asia/Seoul\", got " + node,
                    node == null || node.isNull() ? ChatException.Reason.REQUIRED : ChatException.Reason.INVALID,
                    "timeZone");
        }
        try {
            return ZoneId.of(node.textValue());
        } catch (DateTimeException e) {
            throw new Invalid("bad timeZone \"" + node.textValue() + "\": " + e.getMessage(), e,
                    ChatException.Reason.INVALID, "timeZone", "value", Text.truncate(node.textValue(), 40));
        }
    }

    private static Shift[][] parseWeekly(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new Invalid("weekly must be an object of day keys mon..sun, got " + node,
                    node == null || node.isNull() ? ChatException.Reason.REQUIRED : ChatException.Reason.INVALID,
                    "weekly");
        }
        Shift[][] week = new Shift[7][];
        Arrays.fill(week, new Shift[0]);
        for (Map.Entry<String, JsonNode> day : node.properties()) {
            int index = DAY_KEYS.indexOf(day.getKey());
            if (index < 0) {
                throw new Invalid("unknown day key \"" + day.getKey() + "\" (expected one of " + DAY_KEYS + ")",
                        ChatException.Reason.UNKNOWN, "weekly", "value", Text.truncate(day.getKey(), 40),
                        "known", String.join(", ", DAY_KEYS));
            }
            if (!day.getValue().isArray()) {
                throw new Invalid(day.getKey() + " must be an array of \"HH:MM-HH:MM\" ranges, got " + day.getValue(),
                        ChatException.Reason.INVALID, "weekly", "day", day.getKey());
            }
            List<Shift> shifts = new ArrayList<>();
            for (JsonNode range : day.getValue()) {
                shifts.add(parseRange(day.getKey(), range));
            }
            shifts.sort(Comparator.comparingInt(Shift::start));
            week[index] = shifts.toArray(new Shift[0]);
        }
        rejectOverlaps(week);
        return week;
    }

    private static Shift parseRange(String day, JsonNode node) {
        if (!node.isTextual()) {
            throw badRange("bad range " + node + " on " + day + " (expected \"HH:MM-HH:MM\")", day, node.toString());
        }
        String text = node.textValue();
        int dash = text.indexOf('-');
        if (dash < 0 || text.indexOf('-', dash + 1) >= 0) {
            throw badRange("bad range \"" + text + "\" on " + day + " (expected \"HH:MM-HH:MM\")", day, text);
        }
        int start = parseTime(day, text, text.substring(0, dash));
        int end = parseTime(day, text, text.substring(dash + 1));
        if (start == MINUTES_PER_DAY) {
            throw badRange("bad range \"" + text + "\" on " + day + ": a range cannot start at 24:00", day, text);
        }
        // "End not after start" means the shift runs past midnight; this also makes "09:00-09:00"
        // a 24-hour shift rather than an empty one, which is the only useful reading.
        int length = end > start ? end - start : end + MINUTES_PER_DAY - start;
        return new Shift(start, length, text);
    }

    /** Minutes after midnight, 0..1440 (24:00 is only valid as an end; the caller checks). */
    private static int parseTime(String day, String range, String time) {
        Matcher m = TIME.matcher(time);
        int minutes = m.matches() ? Integer.parseInt(m.group(1)) * 60 + Integer.parseInt(m.group(2)) : -1;
        if (minutes < 0 || minutes > MINUTES_PER_DAY) {
            throw badRange("bad time \"" + time + "\" in range \"" + range + "\" on " + day
                    + " (expected \"HH:MM-HH:MM\", 00:00..24:00)", day, range);
        }
        return minutes;
    }

    /** A range of one day that is not two times 00:00..24:00 joined by a dash: the day and the range as written. */
    private static Invalid badRange(String message, String day, String range) {
        return new Invalid(message, ChatException.Reason.INVALID, "weekly", "day", day, "value", Text.truncate(range, 40));
    }

    /**
     * Rejects shifts that overlap anywhere in the (circular) week, including a past-midnight shift
     * running into the next day's first shift. Overlaps are almost always a typo, and forbidding
     * them keeps every open instant in exactly one shift.
     */
    private static void rejectOverlaps(Shift[][] week) {
        record Placed(int day, Shift shift, int weekStart) {
            int weekEnd() {
                return weekStart + shift.length();
            }

            String describe() {
                return DAY_KEYS.get(day) + " \"" + shift.text() + "\"";
            }

            Invalid overlaps(Placed other) {
                return new Invalid("overlapping ranges: " + describe() + " and " + other.describe(),
                        ChatException.Reason.OVERLAP, "weekly", "day", DAY_KEYS.get(day), "value", shift.text(),
                        "otherDay", DAY_KEYS.get(other.day()), "other", other.shift().text());
            }
        }
        List<Placed> all = new ArrayList<>();
        for (int day = 0; day < 7; day++) {
            for (Shift shift : week[day]) {
                all.add(new Placed(day, shift, day * MINUTES_PER_DAY + shift.start()));
            }
        }
        all.sort(Comparator.comparingInt(Placed::weekStart));
        // Sorted by start, an overlap anywhere implies one between neighbours; only the last shift
        // can wrap past Sunday midnight without overlapping its neighbour, so check it against the first.
        for (int i = 1; i < all.size(); i++) {
            if (all.get(i).weekStart() < all.get(i - 1).weekEnd()) {
                throw all.get(i - 1).overlaps(all.get(i));
            }
        }
        if (all.size() > 1) {
            Placed first = all.get(0);
            Placed last = all.get(all.size() - 1);
            if (last.weekEnd() - MINUTES_PER_WEEK > first.weekStart()) {
                throw last.overlaps(first);
            }
        }
    }

    private static TreeSet<LocalDate> parseHolidays(JsonNode node) {
        TreeSet<LocalDate> dates = new TreeSet<>();
        if (node == null || node.isNull()) {
            return dates;
        }
        if (!node.isArray()) {
            throw new Invalid("holidays must be an array of \"YYYY-MM-DD\" dates, got " + node,
                    ChatException.Reason.INVALID, "holidays");
        }
        for (JsonNode date : node) {
            if (!date.isTextual()) {
                throw new Invalid("bad holiday date " + date + " (expected \"YYYY-MM-DD\")", ChatException.Reason.INVALID,
                        "holidays", "value", Text.truncate(date.toString(), 40));
            }
            try {
                // ISO_LOCAL_DATE resolves strictly, so "2026-02-30" is rejected rather than clamped.
                dates.add(LocalDate.parse(date.textValue()));
            } catch (DateTimeParseException e) {
                throw new Invalid("bad holiday date \"" + date.textValue() + "\" (expected \"YYYY-MM-DD\")", e,
                        ChatException.Reason.INVALID, "holidays", "value", Text.truncate(date.textValue(), 40));
            }
        }
        return dates;
    }

    public ZoneId zone() {
        return zone;
    }

    public boolean isOpen(Instant at) {
        return alwaysOpen || endOfShiftContaining(at) != null;
    }

    /**
     * The first instant at or after {@code at} when open: {@code at} itself if open now; empty if
     * it never opens within the next {@value #HORIZON_DAYS} days.
     */
    public Optional<Instant> nextOpening(Instant at) {
        if (isOpen(at)) {
            return Optional.of(at);
        }
        if (neverOpen) {
            return Optional.empty();
        }
        Instant horizon = at.plus(HORIZON);
        LocalDate last = LocalDate.ofInstant(horizon, zone);
        // Shift starts are non-decreasing in (date, start) order because wall-clock boundaries map
        // to instants monotonically, so the first non-empty shift starting at or after `at` wins.
        // Starting a day early is harmless and covers a fall-back that repeats the previous date.
        for (LocalDate date = LocalDate.ofInstant(at, zone).minusDays(1); !date.isAfter(last); date = date.plusDays(1)) {
            if (holidays.contains(date)) {
                continue;
            }
            for (Shift shift : weekly[date.getDayOfWeek().ordinal()]) {
                Instant start = boundary(date, shift.start());
                if (start.isBefore(at) || !start.isBefore(boundary(date, shift.end()))) {
                    continue; // already over (we are closed), or swallowed whole by a DST gap
                }
                return start.isBefore(horizon) ? Optional.of(start) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * How much of {@code [from, to)} falls within business hours: the business-hours-only variant
     * of a waiting or handling time. Always open: the whole span.
     */
    public java.time.Duration openBetween(Instant from, Instant to) {
        java.time.Duration total = java.time.Duration.ZERO;
        Instant at = from;
        while (at.isBefore(to)) {
            Optional<Instant> opens = nextOpening(at);
            if (opens.isEmpty() || !opens.get().isBefore(to)) {
                break;
            }
            Instant start = opens.get();
            Instant end = closesAt(start).filter(close -> close.isBefore(to)).orElse(to);
            if (!end.isAfter(start)) {
                break;
            }
            total = total.plus(java.time.Duration.between(start, end));
            at = end;
        }
        return total;
    }

    /**
     * When the current open period ends (empty if closed now, or if open without end e.g.
     * {@link #always()}). Shifts that touch, such as Monday 00:00-24:00 followed by Tuesday
     * 00:00-24:00, are one period. A period still running {@value #HORIZON_DAYS} days from now
     * counts as without end.
     */
    public Optional<Instant> closesAt(Instant at) {
        if (alwaysOpen) {
            return Optional.empty();
        }
        Instant end = endOfShiftContaining(at);
        if (end == null) {
            return Optional.empty();
        }
        Instant horizon = at.plus(HORIZON);
        while (end.isBefore(horizon)) {
            Instant next = endOfShiftContaining(end);
            if (next == null) {
                return Optional.of(end);
            }
            end = next; // strictly later than `end`, so this terminates
        }
        return Optional.empty();
    }

    /** The end of the shift that is open at {@code at} (start inclusive, end exclusive), or null. */
    private Instant endOfShiftContaining(Instant at) {
        LocalDate today = LocalDate.ofInstant(at, zone);
        // A shift is at most 24 wall-clock hours, so yesterday's may still be running. Tomorrow's
        // can only be running if the clock fell back across midnight (it reached tomorrow 00:00,
        // then read today again), which some zones do.
        for (LocalDate date = today.minusDays(1); !date.isAfter(today.plusDays(1)); date = date.plusDays(1)) {
            if (holidays.contains(date)) {
                continue;
            }
            for (Shift shift : weekly[date.getDayOfWeek().ordinal()]) {
                Instant start = boundary(date, shift.start());
                if (start.isAfter(at)) {
                    break; // sorted by start: later shifts of this date start later still
                }
                Instant end = boundary(date, shift.end());
                if (at.isBefore(end)) {
                    return end;
                }
            }
        }
        return null;
    }

    /**
     * The first instant at which the local clock reads {@code minutes} after midnight of
     * {@code date} or later ({@code minutes} may exceed a day). In a DST gap that is the end of the
     * gap; in an overlap it is the earlier offset, which {@link LocalDateTime#atZone} picks.
     */
    private Instant boundary(LocalDate date, int minutes) {
        LocalDateTime local = date.atStartOfDay().plusMinutes(minutes);
        ZoneOffsetTransition transition = zone.getRules().getTransition(local);
        if (transition != null && transition.isGap()) {
            return transition.getInstant();
        }
        return local.atZone(zone).toInstant();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BusinessHours other
                && zone.equals(other.zone)
                && Arrays.deepEquals(weekly, other.weekly)
                && holidays.equals(other.holidays);
    }

    @Override
    public int hashCode() {
        return (zone.hashCode() * 31 + Arrays.deepHashCode(weekly)) * 31 + holidays.hashCode();
    }

    @Override
    public String toString() {
        if (this == ALWAYS) {
            return "BusinessHours{always}";
        }
        StringBuilder sb = new StringBuilder("BusinessHours{").append(zone);
        for (int day = 0; day < 7; day++) {
            if (weekly[day].length > 0) {
                sb.append(", ").append(DAY_KEYS.get(day)).append('=');
                sb.append(Arrays.stream(weekly[day]).map(Shift::text).toList());
            }
        }
        if (!holidays.isEmpty()) {
            sb.append(", holidays=").append(holidays);
        }
        return sb.append('}').toString();
    }
}
