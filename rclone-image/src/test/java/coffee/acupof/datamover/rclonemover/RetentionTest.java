package coffee.acupof.datamover.rclonemover;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Retention math with restic's semantics: each rule alone and combined, ties, calendar edges, DST, the future. */
class RetentionTest {

  private static final ZoneId UTC = ZoneOffset.UTC;
  private static final Instant NOW = Instant.parse("2026-06-30T12:00:00Z");

  private static RetentionPolicy policy(int last, int hourly, int daily, int weekly, int monthly, int yearly,
      Duration within, ZoneId zone) {
    return new RetentionPolicy(last, hourly, daily, weekly, monthly, yearly, Optional.ofNullable(within), zone);
  }

  private static Retention.Point at(String utc) {
    LocalDateTime t = LocalDateTime.parse(utc);
    return new Retention.Point(t.format(Settings.POINT_FORMAT), t.toInstant(ZoneOffset.UTC));
  }

  private static List<String> kept(List<Retention.Point> points, RetentionPolicy policy) {
    return new ArrayList<>(Retention.plan(points, policy, NOW).keep().keySet());
  }

  private static String name(String utc) {
    return at(utc).name();
  }

  @Test
  void keepLastKeepsTheNewest() {
    List<Retention.Point> points = List.of(at("2026-06-01T00:00:00"), at("2026-06-03T00:00:00"),
        at("2026-06-02T00:00:00"), at("2026-06-04T00:00:00"));
    Retention.Plan plan = Retention.plan(points, policy(2, 0, 0, 0, 0, 0, null, UTC), NOW);
    assertThat(plan.keep().keySet()).containsExactly(name("2026-06-04T00:00:00"), name("2026-06-03T00:00:00"));
    assertThat(plan.remove()).containsExactly(name("2026-06-02T00:00:00"), name("2026-06-01T00:00:00"));
    assertThat(plan.keep().get(name("2026-06-04T00:00:00"))).contains("newest", "last");
  }

  @Test
  void keepDailyKeepsTheNewestOfEachDayWithAPoint() {
    List<Retention.Point> points = List.of(at("2026-06-10T23:00:00"), at("2026-06-10T01:00:00"),
        at("2026-06-09T12:00:00"), at("2026-06-07T08:00:00"), at("2026-06-07T07:00:00"));
    // Days with points: 10th, 9th, 7th (the 8th has none and does not use up a slot).
    assertThat(kept(points, policy(0, 0, 3, 0, 0, 0, null, UTC))).containsExactly(
        name("2026-06-10T23:00:00"), name("2026-06-09T12:00:00"), name("2026-06-07T08:00:00"));
  }

  @Test
  void keepHourlyCountsHours() {
    List<Retention.Point> points = List.of(at("2026-06-10T10:59:00"), at("2026-06-10T10:01:00"),
        at("2026-06-10T09:30:00"), at("2026-06-10T08:00:00"));
    assertThat(kept(points, policy(0, 2, 0, 0, 0, 0, null, UTC))).containsExactly(
        name("2026-06-10T10:59:00"), name("2026-06-10T09:30:00"));
  }

  @Test
  void keepWeeklyUsesIsoWeeksStartingMonday() {
    // 2026-06-07 is a Sunday, 2026-06-08 a Monday: different ISO weeks. 2026-01-01 (Thursday) is ISO week 1 of
    // 2026; 2025-12-29 (Monday) is in that same week.
    List<Retention.Point> points = List.of(at("2026-06-08T00:00:00"), at("2026-06-07T23:59:59"),
        at("2026-06-01T00:00:00"), at("2026-01-01T10:00:00"), at("2025-12-29T10:00:00"));
    assertThat(kept(points, policy(0, 0, 0, 10, 0, 0, null, UTC))).containsExactly(
        name("2026-06-08T00:00:00"), name("2026-06-07T23:59:59"), name("2026-01-01T10:00:00"));
  }

  @Test
  void keepMonthlyAndYearlyAcrossMonthAndYearEnds() {
    List<Retention.Point> points = List.of(at("2026-03-01T00:00:00"), at("2026-02-28T23:59:59"),
        at("2026-01-31T23:00:00"), at("2026-01-01T00:00:00"), at("2025-12-31T23:59:59"), at("2024-02-29T12:00:00"));
    assertThat(kept(points, policy(0, 0, 0, 0, 3, 0, null, UTC))).containsExactly(
        name("2026-03-01T00:00:00"), name("2026-02-28T23:59:59"), name("2026-01-31T23:00:00"));
    assertThat(kept(points, policy(0, 0, 0, 0, 0, 3, null, UTC))).containsExactly(
        name("2026-03-01T00:00:00"), name("2025-12-31T23:59:59"), name("2024-02-29T12:00:00"));
  }

  @Test
  void keepWithinIsRelativeToTheNewestPoint() {
    List<Retention.Point> points = List.of(at("2026-06-10T00:00:00"), at("2026-06-09T00:00:01"),
        at("2026-06-08T23:59:59"), at("2026-05-01T00:00:00"));
    assertThat(kept(points, policy(0, 0, 0, 0, 0, 0, Duration.ofHours(24), UTC))).containsExactly(
        name("2026-06-10T00:00:00"), name("2026-06-09T00:00:01"));
  }

  @Test
  void rulesAreOred() {
    List<Retention.Point> points = List.of(at("2026-06-10T12:00:00"), at("2026-06-10T06:00:00"),
        at("2026-06-09T12:00:00"), at("2026-05-15T12:00:00"), at("2026-04-15T12:00:00"));
    Retention.Plan plan = Retention.plan(points, policy(2, 0, 2, 0, 2, 0, null, UTC), NOW);
    assertThat(plan.keep().keySet()).containsExactly(name("2026-06-10T12:00:00"), name("2026-06-10T06:00:00"),
        name("2026-06-09T12:00:00"), name("2026-05-15T12:00:00"));
    assertThat(plan.keep().get(name("2026-06-10T06:00:00"))).containsExactly("last");
    assertThat(plan.keep().get(name("2026-06-09T12:00:00"))).containsExactly("daily");
    assertThat(plan.keep().get(name("2026-05-15T12:00:00"))).containsExactly("monthly");
    assertThat(plan.remove()).containsExactly(name("2026-04-15T12:00:00"));
  }

  @Test
  void theNewestPointIsAlwaysKept() {
    List<Retention.Point> points = List.of(at("2026-06-10T12:00:00"), at("2026-06-01T12:00:00"));
    Retention.Plan plan = Retention.plan(points, policy(0, 0, 0, 0, 0, 0, Duration.ofSeconds(0), UTC), NOW);
    assertThat(plan.keep().keySet()).containsExactly(name("2026-06-10T12:00:00"));
    assertThat(plan.remove()).containsExactly(name("2026-06-01T12:00:00"));
  }

  @Test
  void futurePointsAreNeitherCountedNorDeleted() {
    List<Retention.Point> points = List.of(at("2027-01-01T00:00:00"), at("2026-06-30T11:00:00"),
        at("2026-06-29T11:00:00"), at("2026-06-28T11:00:00"));
    Retention.Plan plan = Retention.plan(points, policy(1, 0, 0, 0, 0, 0, null, UTC), NOW);
    assertThat(plan.future()).containsExactly(name("2027-01-01T00:00:00"));
    assertThat(plan.keep().keySet()).containsExactly(name("2026-06-30T11:00:00"));
    assertThat(plan.remove()).containsExactly(name("2026-06-29T11:00:00"), name("2026-06-28T11:00:00"));
  }

  @Test
  void dailyBucketsFollowTheTimeZoneAcrossDaylightSavingChanges() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    // 2026-03-29: clocks go from 02:00 to 03:00 CET→CEST. 22:30Z on the 28th is 23:30 CET (the 28th in Berlin);
    // 23:30Z on the 28th is 00:30 on the 29th in Berlin; 22:30Z on the 29th is 00:30 CEST on the 30th.
    List<Retention.Point> points = List.of(at("2026-03-29T22:30:00"), at("2026-03-28T23:30:00"),
        at("2026-03-28T22:30:00"));
    assertThat(kept(points, policy(0, 0, 3, 0, 0, 0, null, berlin))).containsExactly(
        name("2026-03-29T22:30:00"), name("2026-03-28T23:30:00"), name("2026-03-28T22:30:00"));
    // In UTC the two points of the 28th share a day.
    assertThat(kept(points, policy(0, 0, 3, 0, 0, 0, null, UTC))).containsExactly(
        name("2026-03-29T22:30:00"), name("2026-03-28T23:30:00"));
    // Autumn: 2026-10-25 03:00 CEST → 02:00 CET; 00:30Z and 01:30Z are both 02:30 local (once CEST, once CET),
    // two points in the same local hour.
    List<Retention.Point> autumn = List.of(at("2026-10-25T01:30:00"), at("2026-10-25T00:30:00"),
        at("2026-10-24T23:30:00"));
    assertThat(Retention.plan(autumn, policy(0, 2, 0, 0, 0, 0, null, berlin), Instant.parse("2026-12-01T00:00:00Z"))
        .keep().keySet()).containsExactly(
        name("2026-10-25T01:30:00"), name("2026-10-24T23:30:00"));
  }

  @Test
  void tiesAreDecidedByName() {
    List<Retention.Point> points = List.of(at("2026-06-10T00:00:00"), at("2026-06-10T00:00:00"));
    Retention.Plan plan = Retention.plan(points, policy(1, 0, 0, 0, 0, 0, null, UTC), NOW);
    assertThat(plan.keep()).hasSize(1);
  }

  @Test
  void emptyPolicyIsRecognised() {
    assertThat(policy(0, 0, 0, 0, 0, 0, null, UTC).isEmpty()).isTrue();
    assertThat(policy(0, 0, 0, 0, 0, 0, Duration.ofDays(1), UTC).isEmpty()).isFalse();
    assertThat(policy(0, 0, 0, 0, 0, 1, null, UTC).isEmpty()).isFalse();
  }

  @Test
  void policyFromEnvironment() {
    Env env = new Env(java.util.Map.of("MOVER_KEEP_DAILY", "7", "MOVER_KEEP_WITHIN", "36h",
        "MOVER_KEEP_TIMEZONE", "America/New_York"), new Masker());
    RetentionPolicy p = RetentionPolicy.fromEnv(env);
    assertThat(p.daily()).isEqualTo(7);
    assertThat(p.within()).contains(Duration.ofHours(36));
    assertThat(p.zone()).isEqualTo(ZoneId.of("America/New_York"));
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> RetentionPolicy.fromEnv(
        new Env(java.util.Map.of("MOVER_KEEP_TIMEZONE", "Mars/Olympus"), new Masker()))))
        .hasMessageContaining("MOVER_KEEP_TIMEZONE");
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> RetentionPolicy.fromEnv(
        new Env(java.util.Map.of("MOVER_KEEP_LAST", "-1"), new Masker()))))
        .hasMessageContaining("MOVER_KEEP_LAST must be a whole number");
  }
}
