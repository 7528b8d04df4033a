package dev.sodam.server.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BusinessHoursTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    /** Weekdays with a lunch break on Tuesday; 2026-03-06 is a Friday, 2026-03-09 a Monday. */
    private static final BusinessHours OFFICE = hours("{'timeZone':'Asia/Seoul','weekly':{"
            + "'mon':['09:00-18:00'],'tue':['09:00-12:00','13:00-18:00'],'wed':['09:00-18:00'],"
            + "'thu':['09:00-18:00'],'fri':['09:00-18:00']},'holidays':['2025-12-25']}");

    /** A Saturday night shift; 2026-03-07 is a Saturday and the holiday 2026-03-08 a Sunday. */
    private static final BusinessHours NIGHT = hours("{'timeZone':'Asia/Seoul','weekly':{"
            + "'sat':['22:00-02:00'],'sun':['09:00-12:00']},'holidays':['2026-03-08']}");

    /** Parses JSON written with single quotes, to keep the specs readable. */
    private static JsonNode json(String singleQuoted) {
        try {
            return MAPPER.readTree(singleQuoted.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    private static BusinessHours hours(String singleQuoted) {
        return BusinessHours.parse(json(singleQuoted));
    }

    private static Instant kst(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(SEOUL).toInstant();
    }

    private static Instant utc(String instant) {
        return Instant.parse(instant);
    }

    @Nested
    class Opening {
        @Test
        void startIsInclusiveAndEndExclusive() {
            assertThat(OFFICE.isOpen(kst("2026-03-09T09:00").minusNanos(1))).isFalse();
            assertThat(OFFICE.isOpen(kst("2026-03-09T09:00"))).isTrue();
            assertThat(OFFICE.isOpen(kst("2026-03-09T13:37"))).isTrue();
            assertThat(OFFICE.isOpen(kst("2026-03-09T18:00").minusNanos(1))).isTrue();
            assertThat(OFFICE.isOpen(kst("2026-03-09T18:00"))).isFalse();
            assertThat(OFFICE.isOpen(kst("2026-03-09T23:00"))).isFalse();
        }

        @Test
        void missingDaysAreClosed() {
            assertThat(OFFICE.isOpen(kst("2026-03-07T12:00"))).as("Saturday").isFalse();
            assertThat(OFFICE.isOpen(kst("2026-03-08T12:00"))).as("Sunday").isFalse();
        }

        @Test
        void lunchBreakSplitsTheDay() {
            assertThat(OFFICE.isOpen(kst("2026-03-10T11:59"))).isTrue();
            assertThat(OFFICE.isOpen(kst("2026-03-10T12:00"))).isFalse();
            assertThat(OFFICE.isOpen(kst("2026-03-10T12:59"))).isFalse();
            assertThat(OFFICE.isOpen(kst("2026-03-10T13:00"))).isTrue();
            assertThat(OFFICE.nextOpening(kst("2026-03-10T12:30"))).contains(kst("2026-03-10T13:00"));
            assertThat(OFFICE.closesAt(kst("2026-03-10T10:00"))).contains(kst("2026-03-10T12:00"));
            assertThat(OFFICE.closesAt(kst("2026-03-10T13:00"))).contains(kst("2026-03-10T18:00"));
        }

        @Test
        void rangesMayBeListedInAnyOrder() {
            BusinessHours hours = hours("{'timeZone':'Asia/Seoul','weekly':{'tue':['13:00-18:00','09:00-12:00']}}");
            assertThat(hours.isOpen(kst("2026-03-10T09:30"))).isTrue();
            assertThat(hours.isOpen(kst("2026-03-10T12:30"))).isFalse();
            assertThat(hours.nextOpening(kst("2026-03-10T08:00"))).contains(kst("2026-03-10T09:00"));
            assertThat(hours.nextOpening(kst("2026-03-10T12:00"))).contains(kst("2026-03-10T13:00"));
        }

        @Test
        void shiftRunsPastMidnightIntoTheNextDay() {
            BusinessHours hours = hours("{'timeZone':'Asia/Seoul','weekly':{'sat':['22:00-02:00']}}");
            assertThat(hours.isOpen(kst("2026-03-07T21:59"))).isFalse();
            assertThat(hours.isOpen(kst("2026-03-07T22:00"))).isTrue();
            assertThat(hours.isOpen(kst("2026-03-08T00:00"))).isTrue();
            assertThat(hours.isOpen(kst("2026-03-08T01:59"))).isTrue();
            assertThat(hours.isOpen(kst("2026-03-08T02:00"))).isFalse();
            assertThat(hours.isOpen(kst("2026-03-08T22:30"))).as("Sunday evening is not Saturday").isFalse();
            assertThat(hours.isOpen(kst("2026-03-07T01:00"))).as("Saturday early morning is Friday's night").isFalse();
        }

        @Test
        void sundayNightShiftWrapsIntoMonday() {
            BusinessHours hours = hours("{'timeZone':'Asia/Seoul','weekly':{'sun':['22:00-02:00'],'mon':['02:00-03:00']}}");
            assertThat(hours.isOpen(kst("2026-03-09T01:00"))).isTrue();
            assertThat(hours.isOpen(kst("2026-03-09T02:30"))).isTrue();
            assertThat(hours.closesAt(kst("2026-03-08T23:00"))).as("touching shifts are one period")
                    .contains(kst("2026-03-09T03:00"));
        }

        @Test
        void wholeDay() {
            for (String range : new String[] {"00:00-24:00", "00:00-00:00"}) {
                BusinessHours hours = hours("{'timeZone':'Asia/Seoul','weekly':{'wed':['" + range + "']}}");
                assertThat(hours.isOpen(kst("2026-03-10T23:59:59"))).as(range).isFalse();
                assertThat(hours.isOpen(kst("2026-03-11T00:00"))).as(range).isTrue();
                assertThat(hours.isOpen(kst("2026-03-12T00:00").minusNanos(1))).as(range).isTrue();
                assertThat(hours.isOpen(kst("2026-03-12T00:00"))).as(range).isFalse();
                assertThat(hours.closesAt(kst("2026-03-11T12:00"))).as(range).contains(kst("2026-03-12T00:00"));
                assertThat(hours.nextOpening(kst("2026-03-10T12:00"))).as(range).contains(kst("2026-03-11T00:00"));
            }
        }

        @Test
        void equalStartAndEndIsATwentyFourHourShift() {
            BusinessHours hours = hours("{'timeZone':'Asia/Seoul','weekly':{'mon':['09:00-09:00']}}");
            assertThat(hours.isOpen(kst("2026-03-09T08:59"))).isFalse();
            assertThat(hours.isOpen(kst("2026-03-10T08:59"))).isTrue();
            assertThat(hours.closesAt(kst("2026-03-09T09:00"))).contains(kst("2026-03-10T09:00"));
        }

        @Test
        void endAtMidnight() {
            BusinessHours hours = hours("{'timeZone':'Asia/Seoul','weekly':{'mon':['22:00-24:00']}}");
            assertThat(hours.isOpen(kst("2026-03-09T23:59"))).isTrue();
            assertThat(hours.isOpen(kst("2026-03-10T00:00"))).isFalse();
        }

        @Test
        void fixedOffsetZoneBehavesLikeSeoul() {
            BusinessHours hours = hours("{'timeZone':'+09:00','weekly':{'mon':['09:00-18:00']}}");
            assertThat(hours.zone()).isEqualTo(ZoneOffset.ofHours(9));
            assertThat(hours.isOpen(kst("2026-03-09T09:00"))).isTrue();
            assertThat(hours.isOpen(kst("2026-03-09T18:00"))).isFalse();
        }
    }

    @Nested
    class Holidays {
        @Test
        void holidayCancelsTheShiftsStartingThatDay() {
            assertThat(NIGHT.isOpen(kst("2026-03-08T10:00"))).isFalse();
            assertThat(NIGHT.isOpen(kst("2026-03-15T10:00"))).as("the next Sunday is no holiday").isTrue();
        }

        @Test
        void holidayDoesNotCutShortThePreviousEveningsShift() {
            assertThat(NIGHT.isOpen(kst("2026-03-07T23:00"))).isTrue();
            assertThat(NIGHT.isOpen(kst("2026-03-08T01:59"))).isTrue();
            assertThat(NIGHT.isOpen(kst("2026-03-08T02:00"))).isFalse();
            assertThat(NIGHT.closesAt(kst("2026-03-08T01:00"))).contains(kst("2026-03-08T02:00"));
        }

        @Test
        void shiftStartingOnTheHolidayEveningIsCancelledIncludingItsTailIntoTheNextDay() {
            BusinessHours hours = hours("{'timeZone':'Asia/Seoul','weekly':{'sat':['22:00-02:00']},'holidays':['2026-03-07']}");
            assertThat(hours.isOpen(kst("2026-03-07T23:00"))).isFalse();
            assertThat(hours.isOpen(kst("2026-03-08T01:00"))).isFalse();
            assertThat(hours.nextOpening(kst("2026-03-07T12:00"))).contains(kst("2026-03-14T22:00"));
        }

        @Test
        void nextOpeningSkipsTheHoliday() {
            // 2025-12-24 is a Wednesday, 25 (holiday) a Thursday, 26 a Friday.
            assertThat(OFFICE.nextOpening(kst("2025-12-24T19:00"))).contains(kst("2025-12-26T09:00"));
            assertThat(OFFICE.nextOpening(kst("2025-12-25T10:00"))).contains(kst("2025-12-26T09:00"));
            assertThat(OFFICE.isOpen(kst("2025-12-25T10:00"))).isFalse();
        }

        @Test
        void holidaysAreDatesInTheSchedulesZone() {
            // 2025-12-25T10:00 in Seoul is still the 24th in New York, where the office is open.
            BusinessHours newYork = hours("{'timeZone':'America/New_York','weekly':{'wed':['00:00-24:00']},'holidays':['2025-12-25']}");
            assertThat(newYork.isOpen(kst("2025-12-25T10:00"))).isTrue();
        }
    }

    @Nested
    class NextOpening {
        @Test
        void fridayEveningOpensMondayMorning() {
            assertThat(OFFICE.nextOpening(kst("2026-03-06T18:00"))).contains(kst("2026-03-09T09:00"));
            assertThat(OFFICE.nextOpening(kst("2026-03-06T19:30"))).contains(kst("2026-03-09T09:00"));
            assertThat(OFFICE.nextOpening(kst("2026-03-08T23:59"))).contains(kst("2026-03-09T09:00"));
        }

        @Test
        void earlyMorningOpensTheSameDay() {
            assertThat(OFFICE.nextOpening(kst("2026-03-09T00:00"))).contains(kst("2026-03-09T09:00"));
            assertThat(OFFICE.nextOpening(kst("2026-03-09T09:00").minusNanos(1))).contains(kst("2026-03-09T09:00"));
        }

        @Test
        void openNowReturnsTheSameInstant() {
            Instant at = kst("2026-03-09T10:15:30.123456789");
            assertThat(OFFICE.nextOpening(at)).contains(at);
            assertThat(NIGHT.nextOpening(kst("2026-03-08T01:00"))).contains(kst("2026-03-08T01:00"));
        }

        @Test
        void nextOpeningIsOpenAndNothingBeforeItIs() {
            Instant opening = NIGHT.nextOpening(kst("2026-03-08T02:00")).orElseThrow();
            assertThat(opening).isEqualTo(kst("2026-03-14T22:00"));
            assertThat(NIGHT.isOpen(opening)).isTrue();
            assertThat(NIGHT.isOpen(opening.minusNanos(1))).isFalse();
        }

        @Test
        void scheduleWithNoOpenDaysNeverOpens() {
            BusinessHours closed = hours("{'timeZone':'Asia/Seoul','weekly':{'mon':[]}}");
            Instant at = kst("2026-03-09T10:00");
            assertThat(closed.isOpen(at)).isFalse();
            assertThat(closed.nextOpening(at)).isEmpty();
            assertThat(closed.closesAt(at)).isEmpty();
            assertThat(hours("{'timeZone':'Asia/Seoul','weekly':{}}").nextOpening(at)).isEmpty();
        }

        @Test
        void looksAheadFourHundredDaysAndNoFurther() {
            LocalDate firstMonday = LocalDate.of(2026, 3, 9);
            Instant at = kst("2026-03-09T00:00");
            // Every Monday a holiday for 56 weeks: it opens on the 57th Monday, 392 days out.
            assertThat(mondaysOnlyWithHolidays(firstMonday, 56).nextOpening(at)).contains(kst("2027-04-05T09:00"));
            assertThat(Duration.between(at, kst("2027-04-05T09:00"))).isLessThan(Duration.ofDays(400));
            // 58 weeks of holidays pushes the next opening to day 406: reported as never.
            assertThat(mondaysOnlyWithHolidays(firstMonday, 58).nextOpening(at)).isEmpty();
        }

        private BusinessHours mondaysOnlyWithHolidays(LocalDate firstMonday, int weeks) {
            ObjectNode spec = (ObjectNode) json("{'timeZone':'Asia/Seoul','weekly':{'mon':['09:00-18:00']}}");
            ArrayNode holidays = spec.putArray("holidays");
            for (int week = 0; week < weeks; week++) {
                LocalDate monday = firstMonday.plusWeeks(week);
                assertThat(monday.getDayOfWeek()).isEqualTo(DayOfWeek.MONDAY);
                holidays.add(monday.toString());
            }
            return BusinessHours.parse(spec);
        }
    }

    @Nested
    class ClosesAt {
        @Test
        void insideAShift() {
            assertThat(OFFICE.closesAt(kst("2026-03-09T09:00"))).contains(kst("2026-03-09T18:00"));
            assertThat(OFFICE.closesAt(kst("2026-03-09T17:59:59"))).contains(kst("2026-03-09T18:00"));
        }

        @Test
        void insideAPastMidnightShift() {
            BusinessHours hours = hours("{'timeZone':'Asia/Seoul','weekly':{'sat':['22:00-02:00']}}");
            assertThat(hours.closesAt(kst("2026-03-07T22:00"))).contains(kst("2026-03-08T02:00"));
            assertThat(hours.closesAt(kst("2026-03-08T01:00"))).contains(kst("2026-03-08T02:00"));
        }

        @Test
        void closedNowIsEmpty() {
            assertThat(OFFICE.closesAt(kst("2026-03-09T18:00"))).isEmpty();
            assertThat(OFFICE.closesAt(kst("2026-03-07T12:00"))).isEmpty();
        }

        @Test
        void touchingShiftsFormOnePeriod() {
            BusinessHours hours = hours("{'timeZone':'Asia/Seoul','weekly':{"
                    + "'mon':['09:00-12:00','12:00-18:00','22:00-24:00'],'tue':['00:00-24:00'],'wed':['00:00-06:00']}}");
            assertThat(hours.closesAt(kst("2026-03-09T10:00"))).contains(kst("2026-03-09T18:00"));
            assertThat(hours.closesAt(kst("2026-03-09T23:00"))).contains(kst("2026-03-11T06:00"));
        }

        @Test
        void roundTheClockScheduleClosesOnlyForHolidays() {
            String week = "'mon':['00:00-24:00'],'tue':['00:00-24:00'],'wed':['00:00-24:00'],'thu':['00:00-24:00'],"
                    + "'fri':['00:00-24:00'],'sat':['00:00-24:00'],'sun':['00:00-24:00']";
            BusinessHours nonstop = hours("{'timeZone':'Asia/Seoul','weekly':{" + week + "}}");
            assertThat(nonstop.isOpen(kst("2026-03-09T03:00"))).isTrue();
            assertThat(nonstop.closesAt(kst("2026-03-09T03:00"))).isEmpty();

            BusinessHours withHoliday = hours("{'timeZone':'Asia/Seoul','weekly':{" + week + "},'holidays':['2026-03-12']}");
            assertThat(withHoliday.closesAt(kst("2026-03-09T03:00"))).contains(kst("2026-03-12T00:00"));
            assertThat(withHoliday.nextOpening(kst("2026-03-12T03:00"))).contains(kst("2026-03-13T00:00"));

            BusinessHours farHoliday = hours("{'timeZone':'Asia/Seoul','weekly':{" + week + "},'holidays':['2028-01-01']}");
            assertThat(farHoliday.closesAt(kst("2026-03-09T03:00"))).as("beyond 400 days counts as no end").isEmpty();
        }
    }

    @Nested
    class Always {
        @Test
        void isAlwaysOpenAndNeverCloses() {
            BusinessHours always = BusinessHours.always();
            for (Instant at : new Instant[] {Instant.EPOCH, kst("2026-03-08T03:00"), kst("2025-12-25T00:00"), utc("2099-12-31T23:59:59Z")}) {
                assertThat(always.isOpen(at)).as("%s", at).isTrue();
                assertThat(always.nextOpening(at)).contains(at);
                assertThat(always.closesAt(at)).isEmpty();
            }
            assertThat(always.zone()).isEqualTo(ZoneOffset.UTC);
            assertThat(BusinessHours.always()).isSameAs(always);
            assertThat(always).hasToString("BusinessHours{always}");
        }
    }

    /**
     * New York springs forward on 2026-03-08 (02:00 EST becomes 03:00 EDT) and falls back on
     * 2026-11-01 (02:00 EDT becomes 01:00 EST); both are Sundays.
     */
    @Nested
    class DaylightSaving {
        private BusinessHours sunday(String range) {
            return hours("{'timeZone':'America/New_York','weekly':{'sun':['" + range + "']}}");
        }

        @Test
        void springForwardShiftIsOneRealHourShorter() {
            BusinessHours hours = sunday("01:30-03:30");
            // 01:30 EST = 06:30Z; 03:30 EDT = 07:30Z: the wall clock shows two hours, one passes.
            assertThat(hours.isOpen(utc("2026-03-08T06:29:59Z"))).isFalse();
            assertThat(hours.isOpen(utc("2026-03-08T06:30:00Z"))).isTrue();
            assertThat(hours.isOpen(utc("2026-03-08T07:29:59Z"))).isTrue();
            assertThat(hours.isOpen(utc("2026-03-08T07:30:00Z"))).isFalse();
            assertThat(hours.nextOpening(utc("2026-03-08T05:00:00Z"))).contains(utc("2026-03-08T06:30:00Z"));
            assertThat(hours.closesAt(utc("2026-03-08T06:45:00Z"))).contains(utc("2026-03-08T07:30:00Z"));
        }

        @Test
        void boundaryInsideTheGapIsTheMomentTheGapEnds() {
            // 02:30 does not exist; the clock first reads 02:30 or later at 03:00 EDT = 07:00Z.
            BusinessHours opensInGap = sunday("02:30-05:00");
            assertThat(opensInGap.nextOpening(utc("2026-03-08T05:00:00Z"))).contains(utc("2026-03-08T07:00:00Z"));
            assertThat(opensInGap.isOpen(utc("2026-03-08T06:59:59Z"))).isFalse();
            assertThat(opensInGap.isOpen(utc("2026-03-08T07:00:00Z"))).isTrue();

            BusinessHours closesInGap = sunday("00:00-02:30");
            assertThat(closesInGap.closesAt(utc("2026-03-08T06:00:00Z"))).contains(utc("2026-03-08T07:00:00Z"));
            assertThat(closesInGap.isOpen(utc("2026-03-08T07:00:00Z"))).isFalse();
        }

        @Test
        void shiftWhollyInsideTheGapDoesNotHappen() {
            BusinessHours hours = sunday("02:10-02:40");
            assertThat(hours.isOpen(utc("2026-03-08T07:00:00Z"))).isFalse();
            // Next Sunday, 02:10 EDT = 06:10Z.
            assertThat(hours.nextOpening(utc("2026-03-08T05:00:00Z"))).contains(utc("2026-03-15T06:10:00Z"));
        }

        @Test
        void fallBackShiftIsOneRealHourLonger() {
            BusinessHours hours = sunday("01:30-03:30");
            // Opens at the first 01:30 (EDT, 05:30Z), closes at 03:30 EST (08:30Z): three real hours.
            assertThat(hours.isOpen(utc("2026-11-01T05:29:59Z"))).isFalse();
            assertThat(hours.isOpen(utc("2026-11-01T05:30:00Z"))).isTrue();
            assertThat(hours.isOpen(utc("2026-11-01T06:15:00Z"))).as("01:15 EST, the repeated hour").isTrue();
            assertThat(hours.isOpen(utc("2026-11-01T08:29:59Z"))).isTrue();
            assertThat(hours.isOpen(utc("2026-11-01T08:30:00Z"))).isFalse();
            assertThat(hours.closesAt(utc("2026-11-01T05:30:00Z"))).contains(utc("2026-11-01T08:30:00Z"));
            assertThat(hours.nextOpening(utc("2026-11-01T04:00:00Z"))).contains(utc("2026-11-01T05:30:00Z"));
        }

        @Test
        void fallBackBoundaryInTheRepeatedHourUsesItsFirstOccurrence() {
            BusinessHours hours = sunday("00:00-01:30");
            // Closes at the first 01:30 (EDT, 05:30Z) and stays closed through the repeated hour.
            assertThat(hours.closesAt(utc("2026-11-01T05:00:00Z"))).contains(utc("2026-11-01T05:30:00Z"));
            assertThat(hours.isOpen(utc("2026-11-01T05:30:00Z"))).isFalse();
            assertThat(hours.isOpen(utc("2026-11-01T06:00:00Z"))).as("01:00 EST").isFalse();
        }

        @Test
        void ordinaryDaysKeepTheirOffsets() {
            BusinessHours hours = hours("{'timeZone':'America/New_York','weekly':{'mon':['09:00-17:00']}}");
            assertThat(hours.nextOpening(utc("2026-03-07T00:00:00Z"))).contains(utc("2026-03-09T13:00:00Z")); // EDT
            assertThat(hours.nextOpening(utc("2026-02-28T00:00:00Z"))).contains(utc("2026-03-02T14:00:00Z")); // EST
            assertThat(hours.zone()).isEqualTo(NEW_YORK);
        }
    }

    @Nested
    class Parsing {
        static Stream<Arguments> badSpecs() {
            String zone = "'timeZone':'Asia/Seoul'";
            return Stream.of(
                    Arguments.of("{" + zone + ",'weekly':{'mo':['09:00-18:00']}}", "\"mo\""),
                    Arguments.of("{" + zone + ",'weekly':{'Mon':['09:00-18:00']}}", "\"Mon\""),
                    Arguments.of("{" + zone + ",'weekly':{'mon':['25:00-18:00']}}", "\"25:00\""),
                    Arguments.of("{" + zone + ",'weekly':{'mon':['09:00-24:30']}}", "\"24:30\""),
                    Arguments.of("{" + zone + ",'weekly':{'mon':['09:60-18:00']}}", "\"09:60\""),
                    Arguments.of("{" + zone + ",'weekly':{'mon':['9:00-18:00']}}", "\"9:00\""),
                    Arguments.of("{" + zone + ",'weekly':{'mon':['09:00-']}}", "\"09:00-\""),
                    Arguments.of("{" + zone + ",'weekly':{'mon':['09:00']}}", "\"09:00\""),
                    Arguments.of("{" + zone + ",'weekly':{'mon':['09:00-12:00-18:00']}}", "\"09:00-12:00-18:00\""),
                    Arguments.of("{" + zone + ",'weekly':{'mon':['24:00-02:00']}}", "\"24:00-02:00\""),
                    Arguments.of("{" + zone + ",'weekly':{'mon':[900]}}", "900"),
                    Arguments.of("{" + zone + ",'weekly':{'mon':'09:00-18:00'}}", "mon"),
                    Arguments.of("{" + zone + ",'weekly':[]}", "weekly"),
                    Arguments.of("{" + zone + "}", "weekly"),
                    Arguments.of("{'timeZone':'Mars/Base','weekly':{}}", "\"Mars/Base\""),
                    Arguments.of("{'timeZone':'','weekly':{}}", "timeZone"),
                    Arguments.of("{'timeZone':9,'weekly':{}}", "timeZone"),
                    Arguments.of("{'weekly':{}}", "timeZone"),
                    Arguments.of("{" + zone + ",'weekly':{},'holidays':['2026-02-30']}", "\"2026-02-30\""),
                    Arguments.of("{" + zone + ",'weekly':{},'holidays':['12/25/2026']}", "\"12/25/2026\""),
                    Arguments.of("{" + zone + ",'weekly':{},'holidays':[20261225]}", "20261225"),
                    Arguments.of("{" + zone + ",'weekly':{},'holidays':'2026-12-25'}", "holidays"),
                    Arguments.of("{" + zone + ",'weeky':{}}", "\"weeky\""),
                    Arguments.of("[]", "JSON object"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("badSpecs")
        void rejectsWithAMessageNamingTheBadPart(String spec, String named) {
            JsonNode node = json(spec);
            assertThatThrownBy(() -> BusinessHours.parse(node))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(named);
        }

        @Test
        void rejectsNull() {
            assertThatThrownBy(() -> BusinessHours.parse(null)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void rejectsOverlappingRangesOnOneDay() {
            assertThatThrownBy(() -> hours("{'timeZone':'Asia/Seoul','weekly':{'mon':['11:00-13:00','09:00-12:00']}}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("overlapping")
                    .hasMessageContaining("mon \"09:00-12:00\"")
                    .hasMessageContaining("mon \"11:00-13:00\"");
            assertThatThrownBy(() -> hours("{'timeZone':'Asia/Seoul','weekly':{'mon':['09:00-18:00','09:00-18:00']}}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("\"09:00-18:00\"");
            assertThatThrownBy(() -> hours("{'timeZone':'Asia/Seoul','weekly':{'mon':['09:00-18:00','12:00-13:00']}}"))
                    .as("one range inside another")
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("\"12:00-13:00\"");
        }

        @Test
        void rejectsOverlapAcrossMidnight() {
            assertThatThrownBy(() -> hours("{'timeZone':'Asia/Seoul','weekly':{'sat':['22:00-02:00'],'sun':['01:00-05:00']}}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("sat \"22:00-02:00\"")
                    .hasMessageContaining("sun \"01:00-05:00\"");
            assertThatThrownBy(() -> hours("{'timeZone':'Asia/Seoul','weekly':{'sun':['22:00-02:00'],'mon':['01:00-05:00']}}"))
                    .as("Sunday night into Monday wraps the week")
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("sun \"22:00-02:00\"")
                    .hasMessageContaining("mon \"01:00-05:00\"");
            assertThatThrownBy(() -> hours("{'timeZone':'Asia/Seoul','weekly':{'mon':['09:00-09:00'],'tue':['08:00-10:00']}}"))
                    .as("a 24-hour shift runs into the next morning")
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("tue \"08:00-10:00\"");
            // Same day, but one range ends (tomorrow 22:00) before the other starts (today 22:30): no overlap.
            assertThat(hours("{'timeZone':'Asia/Seoul','weekly':{'mon':['23:00-22:00','22:30-23:00']}}")
                    .closesAt(kst("2026-03-09T22:45"))).contains(kst("2026-03-10T22:00"));
        }

        @Test
        void acceptsTouchingRangesAndNullHolidays() {
            BusinessHours hours = hours("{'timeZone':'Asia/Seoul','weekly':{'sat':['22:00-02:00'],'sun':['02:00-05:00','05:00-06:00']},'holidays':null}");
            assertThat(hours.closesAt(kst("2026-03-07T23:00"))).contains(kst("2026-03-08T06:00"));
        }

        @Test
        void valueSemantics() {
            String spec = "{'timeZone':'Asia/Seoul','weekly':{'mon':['09:00-18:00'],'sat':['22:00-02:00']},'holidays':['2026-12-25']}";
            assertThat(hours(spec)).isEqualTo(hours(spec)).hasSameHashCodeAs(hours(spec));
            assertThat(hours(spec)).isNotEqualTo(hours(spec.replace("18:00", "17:00")));
            assertThat(hours(spec)).isNotEqualTo(hours(spec.replace("Asia/Seoul", "Asia/Tokyo")));
            assertThat(hours(spec)).isNotEqualTo(hours(spec.replace("12-25", "12-24")));
            assertThat(hours(spec)).hasToString(
                    "BusinessHours{Asia/Seoul, mon=[09:00-18:00], sat=[22:00-02:00], holidays=[2026-12-25]}");
        }
    }
}
