package dev.sodam.server.insight;

import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.util.Text;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * The period a report covers, {@code from} inclusive, {@code to} exclusive, and the time zone its
 * days and hours are counted in. Query parameters: {@code from}/{@code to} as dates
 * ({@code 2026-11-01}, whole days in {@code tz}, {@code to} inclusive) or instants; {@code tz} an
 * IANA zone (default Asia/Seoul). Without {@code from}: the 30 days before {@code to}; without
 * {@code to}: now.
 */
public record ReportRange(Instant from, Instant to, ZoneId zone) {
    public static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Seoul");
    static final Duration DEFAULT_SPAN = Duration.ofDays(30);
    static final Duration MAX_SPAN = Duration.ofDays(400);

    public static ReportRange parse(String from, String to, String tz, Instant now) {
        ZoneId zone;
        try {
            zone = tz == null || tz.isBlank() ? DEFAULT_ZONE : ZoneId.of(tz.trim());
        } catch (DateTimeException e) {
            throw ChatException.invalid("query parameter 'tz' must be a time zone such as Asia/Seoul, not '" + tz + "'",
                    ChatException.Reason.INVALID, "tz", "value", Text.truncate(tz, 40));
        }
        Instant end = to == null || to.isBlank() ? now : instant("to", to.trim(), zone, true);
        Instant start = from == null || from.isBlank() ? end.minus(DEFAULT_SPAN) : instant("from", from.trim(), zone, false);
        if (!start.isBefore(end)) {
            // The field is 'from': that is the date a page moves to make the period right.
            throw ChatException.invalid("'from' must be before 'to'", ChatException.Reason.BAD_RANGE, "from");
        }
        Duration span = Duration.between(start, end);
        if (span.compareTo(MAX_SPAN) > 0) {
            // Days asked for, rounded up, so 400 days and an hour reads as 401, never as the limit itself.
            long days = span.toDays() + (span.equals(Duration.ofDays(span.toDays())) ? 0 : 1);
            throw ChatException.invalid("a report covers at most " + MAX_SPAN.toDays() + " days",
                    ChatException.Reason.BAD_RANGE, null, "max", MAX_SPAN.toDays(), "count", days);
        }
        return new ReportRange(start, end, zone);
    }

    private static Instant instant(String name, String value, ZoneId zone, boolean endOfDay) {
        try {
            if (value.length() == 10) {
                LocalDate day = LocalDate.parse(value);
                return (endOfDay ? day.plusDays(1) : day).atStartOfDay(zone).toInstant();
            }
            return Instant.parse(value);
        } catch (DateTimeException e) {
            throw ChatException.invalid("query parameter '" + name + "' must be a date (2026-11-01) or an instant "
                    + "(2026-11-01T09:00:00Z), not '" + value + "'", ChatException.Reason.INVALID, name,
                    "value", Text.truncate(value, 40));
        }
    }
}
