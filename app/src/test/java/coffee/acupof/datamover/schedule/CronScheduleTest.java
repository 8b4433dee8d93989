package coffee.acupof.datamover.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronScheduleTest {
  private static List<String> ticks(CronSchedule cron, String after, int n) {
    List<String> ticks = new ArrayList<>();
    Instant t = Instant.parse(after);
    for (int i = 0; i < n; i++) {
      t = cron.next(t).orElseThrow();
      ticks.add(t.toString());
    }
    return ticks;
  }

  @Test
  void nextTickIsStrictlyAfterAndFollowsRangesListsStepsAndNames() {
    CronSchedule cron = CronSchedule.parse("*/20 2-3 * JAN-MAR MON,WED", "UTC", "apps/db");

    // 2026-01-05 is a Monday.
    assertThat(ticks(cron, "2026-01-05T02:20:00Z", 5))
        .containsExactly("2026-01-05T02:40:00Z", "2026-01-05T03:00:00Z", "2026-01-05T03:20:00Z", "2026-01-05T03:40:00Z", "2026-01-07T02:00:00Z");
  }

  @Test
  void dayOfMonthAndDayOfWeekAreOredAsInCron() {
    CronSchedule cron = CronSchedule.parse("0 0 1 * 1", "UTC", "k");
    // Feb 1 2026 is a Sunday (the 1st) and Feb 2 a Monday.
    assertThat(ticks(cron, "2026-01-26T00:00:00Z", 2)).containsExactly("2026-02-01T00:00:00Z", "2026-02-02T00:00:00Z");
  }

  @ParameterizedTest
  @CsvSource({
    "@yearly, 2027-01-01T00:00:00Z",
    "@annually, 2027-01-01T00:00:00Z",
    "@monthly, 2026-04-01T00:00:00Z",
    "@weekly, 2026-03-22T00:00:00Z",
    "@daily, 2026-03-19T00:00:00Z",
    "@midnight, 2026-03-19T00:00:00Z",
    "@hourly, 2026-03-18T11:00:00Z"
  })
  void macros(String macro, String expected) {
    assertThat(CronSchedule.parse(macro, "UTC", "k").next(Instant.parse("2026-03-18T10:30:00Z"))).hasValue(Instant.parse(expected));
  }

  @Test
  void aTimeZoneMovesTheTicksAndFollowsItsSummerTime() {
    CronSchedule cron = CronSchedule.parse("0 2 * * *", "Europe/Berlin", "k");
    assertThat(ticks(cron, "2026-01-10T00:00:00Z", 1)).containsExactly("2026-01-10T01:00:00Z"); // CET, +01:00
    assertThat(ticks(cron, "2026-07-09T23:00:00Z", 1)).containsExactly("2026-07-10T00:00:00Z"); // CEST, +02:00
  }

  @Test
  void aWallClockTimeSkippedBySpringForwardDoesNotRunThatDayAsInCronJob() {
    // New York, 2026-03-08: 02:00 EST becomes 03:00 EDT; 02:30 does not exist that day.
    CronSchedule daily = CronSchedule.parse("30 2 * * *", "America/New_York", "k");
    assertThat(ticks(daily, "2026-03-07T12:00:00Z", 2)).containsExactly("2026-03-09T06:30:00Z", "2026-03-10T06:30:00Z");
    // An hourly schedule goes from 01:00 EST straight to 03:00 EDT.
    CronSchedule hourly = CronSchedule.parse("0 * * * *", "America/New_York", "k");
    assertThat(ticks(hourly, "2026-03-08T05:30:00Z", 3)).containsExactly("2026-03-08T06:00:00Z", "2026-03-08T07:00:00Z", "2026-03-08T08:00:00Z");
  }

  @Test
  void aWallClockTimeRepeatedByFallBackRunsAtBothInstantsAsInCronJob() {
    // New York, 2026-11-01: 02:00 EDT becomes 01:00 EST; 01:30 happens twice.
    CronSchedule daily = CronSchedule.parse("30 1 * * *", "America/New_York", "k");
    assertThat(ticks(daily, "2026-11-01T04:00:00Z", 3))
        .containsExactly("2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z", "2026-11-02T06:30:00Z");
    CronSchedule hourly = CronSchedule.parse("0 * * * *", "America/New_York", "k");
    assertThat(ticks(hourly, "2026-11-01T04:30:00Z", 3)).containsExactly("2026-11-01T05:00:00Z", "2026-11-01T06:00:00Z", "2026-11-01T07:00:00Z");
  }

  @Test
  void hPicksAStableValuePerScheduleWithinTheField() {
    String a = CronSchedule.parse("H 2 * * *", "UTC", "shop/db").expression();
    assertThat(CronSchedule.parse("H 2 * * *", "UTC", "shop/db").expression()).isEqualTo(a);
    assertThat(a).matches("([0-9]|[1-5][0-9]) 2 \\* \\* \\*");

    Set<String> minutes = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      minutes.add(CronSchedule.parse("H 2 * * *", "UTC", "team/volume-" + i).expression().split(" ")[0]);
    }
    assertThat(minutes).as("forty schedules spread over the hour").hasSizeGreaterThan(20);
  }

  @Test
  void hFormsRangeAndStep() {
    for (int i = 0; i < 30; i++) {
      String[] f = CronSchedule.parse("H(10-19) H/6 H * H(1-5)/2", "UTC", "ns/s" + i).expression().split(" ");
      assertThat(Integer.parseInt(f[0])).isBetween(10, 19);
      assertThat(f[1]).matches("[0-5]-23/6");
      assertThat(Integer.parseInt(f[2])).isBetween(1, 28);
      assertThat(f[4]).matches("[12]-5/2");
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "61 * * * *|UTC|InvalidSchedule|Value 61 not in range",
    "* * *|UTC|InvalidSchedule|has 3 fields; write 5",
    "0 0 * * * *|UTC|InvalidSchedule|has 6 fields",
    "@every 5m|UTC|InvalidSchedule|unknown macro",
    "0 0 30 2 *|UTC|InvalidSchedule|never fires",
    "H,5 * * * *|UTC|InvalidSchedule|H must be the whole field",
    "H(50-70) * * * *|UTC|InvalidSchedule|the range must lie within 0-59",
    "TZ=UTC 0 0 * * *|UTC|InvalidSchedule|set the time zone in spec.timeZone",
    "0 0 * * *|Mars/Olympus|InvalidTimeZone|not an IANA time zone",
  })
  void invalidSchedulesSayWhatToFix(String schedule, String zone, String reason, String message) {
    assertThatThrownBy(() -> CronSchedule.parse(schedule, zone, "k"))
        .isInstanceOfSatisfying(InvalidScheduleException.class, e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageContaining(message);
  }

  @Test
  void dueTicksAreCountedAndTheMostRecentIsTheCatchUp() {
    CronSchedule cron = CronSchedule.parse("*/15 * * * *", "UTC", "k");
    CronSchedule.Due due = cron.due(Instant.parse("2026-01-01T10:00:00Z"), Instant.parse("2026-01-01T11:05:00Z"), 1000);

    assertThat(due.count()).isEqualTo(4);
    assertThat(due.first()).hasValue(Instant.parse("2026-01-01T10:15:00Z"));
    assertThat(due.latest()).hasValue(Instant.parse("2026-01-01T11:00:00Z"));
    assertThat(due.more()).isFalse();

    assertThat(cron.due(Instant.parse("2026-01-01T10:00:00Z"), Instant.parse("2026-01-01T10:14:59Z"), 1000).count()).isZero();
    assertThat(cron.due(Instant.parse("2026-01-01T10:00:00Z"), Instant.parse("2026-01-01T10:15:00Z"), 1000).latest())
        .hasValue(Instant.parse("2026-01-01T10:15:00Z"));
  }

  @Test
  void countingStopsAtTheLimitButStillFindsTheMostRecentTick() {
    CronSchedule cron = CronSchedule.parse("* * * * *", "UTC", "k");
    CronSchedule.Due due = cron.due(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-03T12:34:56Z"), 100);

    assertThat(due.more()).isTrue();
    assertThat(due.count()).isEqualTo(100);
    assertThat(due.latest()).hasValue(Instant.parse("2026-01-03T12:34:00Z"));
  }
}
