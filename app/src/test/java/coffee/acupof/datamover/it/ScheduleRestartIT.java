package coffee.acupof.datamover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coffee.acupof.datamover.api.DataMoverSchedule;
import coffee.acupof.datamover.schedule.CronSchedule;
import coffee.acupof.datamover.schedule.RunBuilder;
import io.kubernetes.client.openapi.ApiException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A tick that passes while no operator runs is neither lost nor run twice: the next operator catches
 * it up with exactly one run, also when the previous one crashed after creating the run but before
 * writing the schedule's status.
 */
class ScheduleRestartIT {
  private static final String CRON = "*/10 * * * *";

  @Test
  void aTickDuringARestartRunsExactlyOnce() throws ApiException {
    MovableClock clock = new MovableClock();
    String ns = TestCluster.newNamespace("schedule-restart");
    Given.secret(ns, "s3", Given.S3_KEYS);
    Given.boundPvc(ns, "app-data", "csi");

    try (RunningOperator first = RunningOperator.start(ns, Schedules.longDeadlines(), clock)) {
      Schedules.apply(ns, "nightly", CRON, "app-data", "s3", "");
      await().atMost(Duration.ofSeconds(30)).until(() -> Schedules.get(ns, "nightly").getStatus().nextScheduleTime() != null);
    }
    Instant t1 = CronSchedule.parse(CRON, "UTC", "").next(Schedules.get(ns, "nightly").getMetadata().getCreationTimestamp().toInstant()).orElseThrow();
    String run1 = RunBuilder.scheduledName("nightly", t1);

    // The tick passes while no operator runs: the next one starts the run.
    clock.set(t1.plusSeconds(30));
    try (RunningOperator second = RunningOperator.start(ns, Schedules.longDeadlines(), clock)) {
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Schedules.runNames(ns, "nightly")).containsExactly(run1));
      await().atMost(Duration.ofSeconds(30)).until(() -> t1.equals(instant(Schedules.get(ns, "nightly").getStatus().lastTickTime())));
    }

    // The next operator "crashed" right after creating the run of the next tick, before its status write.
    Instant t2 = CronSchedule.parse(CRON, "UTC", "").next(t1).orElseThrow();
    String run2 = RunBuilder.scheduledName("nightly", t2);
    DataMoverSchedule schedule = Schedules.get(ns, "nightly");
    TestCluster.create(RunBuilder.build(schedule, run2, t2, RunBuilder.TRIGGER_SCHEDULE));
    clock.set(t2.plusSeconds(30));
    try (RunningOperator third = RunningOperator.start(ns, Schedules.longDeadlines(), clock)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> t2.equals(instant(Schedules.get(ns, "nightly").getStatus().lastScheduleTime())));
      third.wake("scheduleQueue", ns, "nightly");
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(Schedules.runNames(ns, "nightly")).containsExactlyInAnyOrder(run1, run2));
    }
    assertThat(TestCluster.eventReasons(ns, "nightly")).doesNotContain("MissedSchedules");
  }

  private static Instant instant(java.time.OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }
}
