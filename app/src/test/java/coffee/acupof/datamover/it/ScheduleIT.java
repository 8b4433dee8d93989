package coffee.acupof.datamover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coffee.acupof.datamover.api.Condition;
import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverScheduleStatus;
import coffee.acupof.datamover.cluster.ChildNames;
import coffee.acupof.datamover.schedule.CronSchedule;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Job;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * DataMoverSchedules on a real API server, with the operator's clock moved by the test instead of
 * waiting for real minutes: every tick makes exactly one run, downtime is caught up with one run,
 * Forbid/Allow/Replace, suspend and manual runs, history limits, stalled schedules, retention, metrics.
 * The test plays the kubelet and Job controller for the runs' and retention's Jobs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScheduleIT {
  private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyyMMddHHmm").withZone(ZoneOffset.UTC);
  private static final MovableClock clock = new MovableClock();
  private static String ns;
  private static RunningOperator operator;

  @BeforeAll
  static void start() {
    ns = TestCluster.newNamespace("schedule");
    Given.secret(ns, "s3", Given.S3_KEYS);
    operator = RunningOperator.start(ns, Schedules.longDeadlines(), clock);
  }

  @AfterAll
  static void stop() {
    operator.close();
  }

  private static Instant tickAfter(String cron, Instant after) {
    return CronSchedule.parse(cron, "UTC", "").next(after).orElseThrow();
  }

  private static Instant created(String schedule) {
    return Schedules.get(ns, schedule).getMetadata().getCreationTimestamp().toInstant();
  }

  /** Moves the operator's clock and lets the schedules look at it, as their requeue timers would. */
  private static void moveTo(Instant time, String... schedules) {
    clock.set(time);
    for (String s : schedules) {
      operator.wake("scheduleQueue", ns, s);
    }
  }

  private static DataMoverScheduleStatus awaitStatus(String schedule, Predicate<DataMoverScheduleStatus> until) {
    await().atMost(Duration.ofSeconds(30)).until(() -> until.test(Schedules.get(ns, schedule).getStatus()));
    return Schedules.get(ns, schedule).getStatus();
  }

  private static void awaitRuns(String schedule, String... names) {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Schedules.runNames(ns, schedule)).containsExactlyInAnyOrder(names));
  }

  /** The same runs for a while: nothing more is created. */
  private static void stillRuns(String schedule, String... names) {
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(Schedules.runNames(ns, schedule)).containsExactlyInAnyOrder(names));
  }

  private static void finish(String run, boolean success) {
    await().atMost(Duration.ofSeconds(30)).until(() -> Schedules.jobExists(ns, run));
    Schedules.finishRun(ns, run, success);
    String phase = success ? "Completed" : "Failed";
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> phase.equals(TestCluster.get(ns, run).getStatus().phase()));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("run " + run + " did not reach " + phase + " within 30 s of its mover's end:\n" + TestCluster.describeRun(ns, run), e);
    }
  }

  private static String run(String schedule, Instant tick) {
    return schedule + "-" + MINUTE.format(tick);
  }

  private static boolean condition(DataMoverScheduleStatus s, String type, boolean value) {
    return s.condition(type).map(c -> c.isTrue() == value).orElse(false);
  }

  @Test
  void everyTickMakesExactlyOneRunAndDowntimeIsCaughtUpWithOne() {
    clock.set(Instant.now());
    Given.boundPvc(ns, "ticks-data", "csi");
    String cron = "*/10 * * * *";
    Schedules.apply(ns, "ticks", cron, "ticks-data", "s3", "addTimestampPrefix: true");
    Instant t1 = tickAfter(cron, created("ticks"));
    DataMoverScheduleStatus status = awaitStatus("ticks", s -> s.nextScheduleTime() != null);
    assertThat(status.nextScheduleTime().toInstant()).isEqualTo(t1);
    assertThat(status.path()).isEqualTo(ns + "/ticks-data");

    moveTo(t1.minusSeconds(60), "ticks");
    stillRuns("ticks");
    moveTo(t1.plusSeconds(3), "ticks");
    awaitRuns("ticks", run("ticks", t1));
    moveTo(t1.plusSeconds(20), "ticks", "ticks");
    stillRuns("ticks", run("ticks", t1));

    DataMover first = TestCluster.get(ns, run("ticks", t1));
    assertThat(first.getSpec().path()).isEqualTo(ns + "/ticks-data");
    assertThat(first.getSpec().timestampPrefix()).isTrue();
    assertThat(first.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
      assertThat(r.getKind()).isEqualTo("DataMoverSchedule");
      assertThat(r.getName()).isEqualTo("ticks");
    });
    assertThat(first.getMetadata().getAnnotations()).containsEntry("datamover.a-cup-of.coffee/trigger", "schedule")
        .containsEntry("datamover.a-cup-of.coffee/scheduled-time", t1.toString());
    status = awaitStatus("ticks", s -> s.active() != null && s.lastScheduleTime() != null);
    assertThat(status.lastScheduleTime().toInstant()).isEqualTo(t1);
    assertThat(status.active()).extracting(r -> r.name()).containsExactly(run("ticks", t1));

    finish(run("ticks", t1), true);
    status = awaitStatus("ticks", s -> s.lastSuccessfulTime() != null && s.active() == null);
    assertThat(status.latestPointInTime()).isEqualTo(TestCluster.get(ns, run("ticks", t1)).getStatus().pointInTime()).isNotNull();
    assertThat(status.lastRun().result()).isEqualTo("Succeeded");
    assertThat(condition(status, "LastBackupSucceeded", true)).isTrue();

    Instant t2 = tickAfter(cron, t1);
    moveTo(t2.plusSeconds(1), "ticks");
    awaitRuns("ticks", run("ticks", t1), run("ticks", t2));
    finish(run("ticks", t2), true);

    // The operator "was down" for 35 minutes: three ticks passed, one run catches up for the newest.
    Instant t5 = t2.plus(Duration.ofMinutes(30));
    moveTo(t5.plus(Duration.ofMinutes(5)), "ticks");
    awaitRuns("ticks", run("ticks", t1), run("ticks", t2), run("ticks", t5));
    stillRuns("ticks", run("ticks", t1), run("ticks", t2), run("ticks", t5));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(TestCluster.events(ns, "ticks"))
        .anySatisfy(e -> {
          assertThat(e.getReason()).isEqualTo("MissedSchedules");
          assertThat(e.getType()).isEqualTo("Warning");
          assertThat(e.getMessage()).startsWith("2 earlier scheduled time(s) since ");
        }));

    String table = TestCluster.server().runKubectl("get", "datamoverschedules", "-n", ns);
    assertThat(table.lines().findFirst().orElseThrow()).contains("SCHEDULE", "SUSPEND", "LAST SUCCESS", "NEXT", "READY");
    assertThat(table).contains("ticks", "*/10 * * * *", "True");

    String metrics = operator.http("/actuator/prometheus").body();
    assertThat(metrics)
        .contains("datamover_schedule_runs_total{application=\"datamover-operator\",namespace=\"" + ns + "\",result=\"success\",schedule=\"ticks\"} 2.0")
        .contains("datamover_schedule_next_run_timestamp_seconds{application=\"datamover-operator\",namespace=\"" + ns + "\",schedule=\"ticks\"}")
        .contains("datamover_schedule_last_success_timestamp_seconds{application=\"datamover-operator\",namespace=\"" + ns + "\",schedule=\"ticks\"}")
        .contains("datamover_schedule_interval_seconds{application=\"datamover-operator\",namespace=\"" + ns + "\",schedule=\"ticks\"} 600.0")
        .contains("datamover_schedule_ready{application=\"datamover-operator\",namespace=\"" + ns + "\",schedule=\"ticks\"} 1.0");
    assertThat(operator.http("/actuator/health/readiness").body()).contains("\"datamoverschedules\":true");

    TestCluster.server().runKubectl("delete", "datamoverschedule", "ticks", "-n", ns);
    await().atMost(Duration.ofSeconds(20)).until(() -> !operator.http("/actuator/prometheus").body().contains("schedule=\"ticks\""));
  }

  @Test
  void forbidWaitsAllowRunsBesideAndReplaceReplaces() {
    clock.set(Instant.now());
    String cron = "*/10 * * * *";
    for (String policy : List.of("Forbid", "Allow", "Replace")) {
      String name = policy.toLowerCase();
      Given.boundPvc(ns, name + "-data", "csi");
      Schedules.apply(ns, name, cron, name + "-data", "s3", "concurrencyPolicy: " + policy);
    }
    Instant t1 = List.of("forbid", "allow", "replace").stream().map(s -> tickAfter(cron, created(s))).max(Instant::compareTo).orElseThrow();
    moveTo(t1.plusSeconds(2), "forbid", "allow", "replace");
    for (String s : List.of("forbid", "allow", "replace")) {
      await().atMost(Duration.ofSeconds(30)).until(() -> Schedules.runNames(ns, s).size() == 1);
      await().atMost(Duration.ofSeconds(30)).until(() -> Schedules.jobExists(ns, Schedules.runNames(ns, s).getFirst()));
    }
    String forbidFirst = Schedules.runNames(ns, "forbid").getFirst();
    String replaceFirst = Schedules.runNames(ns, "replace").getFirst();

    Instant t2 = tickAfter(cron, t1);
    moveTo(t2.plusSeconds(2), "forbid", "allow", "replace");

    await().atMost(Duration.ofSeconds(30)).until(() -> Schedules.runs(ns, "allow").size() == 2);
    assertThat(Schedules.runs(ns, "allow")).allSatisfy(r -> assertThat(r.getStatus().phaseValue().isTerminal()).isFalse());
    awaitRuns("replace", run("replace", t2));
    assertThat(TestCluster.eventReasons(ns, "replace")).contains("RunReplaced");
    assertThat(replaceFirst).isNotEqualTo(run("replace", t2));

    DataMoverScheduleStatus forbid = awaitStatus("forbid",
        s -> s.condition(Condition.READY).map(c -> c.message().contains("concurrencyPolicy Forbid")).orElse(false));
    assertThat(forbid.lastScheduleTime().toInstant()).isEqualTo(t1);
    stillRuns("forbid", forbidFirst);
    assertThat(TestCluster.eventReasons(ns, "forbid")).contains("RunPostponed");

    // When the active run ends, the postponed tick starts.
    finish(forbidFirst, true);
    awaitRuns("forbid", forbidFirst, run("forbid", t2));
  }

  @Test
  void aSuspendedScheduleStartsNoRunButAManualTriggerStartsOneAndResumingCatchesUp() {
    clock.set(Instant.now());
    String cron = "*/10 * * * *";
    Given.boundPvc(ns, "paused-data", "csi");
    Schedules.apply(ns, "paused", cron, "paused-data", "s3", "suspend: true");
    Instant t1 = tickAfter(cron, created("paused"));
    DataMoverScheduleStatus status = awaitStatus("paused", s -> s.condition(Condition.READY).isPresent());
    assertThat(status.condition(Condition.READY).orElseThrow().reason()).isEqualTo("Suspended");
    assertThat(status.nextScheduleTime()).isNull();

    moveTo(t1.plusSeconds(5), "paused");
    stillRuns("paused");

    Schedules.patchSpec(ns, "paused", "{\"manualTrigger\":\"run-now-1\"}");
    awaitRuns("paused", "paused-manual-2");
    status = awaitStatus("paused", s -> "run-now-1".equals(s.lastManualTrigger()));
    assertThat(status.lastRun().trigger()).isEqualTo("manual");
    assertThat(TestCluster.eventReasons(ns, "paused")).contains("ManualRun");
    moveTo(t1.plusSeconds(30), "paused", "paused");
    stillRuns("paused", "paused-manual-2");

    finish("paused-manual-2", true);
    Schedules.patchSpec(ns, "paused", "{\"suspend\":false}");
    awaitRuns("paused", "paused-manual-2", run("paused", t1));
  }

  @Test
  void historyLimitsDeleteOldRunsButNeverLoseWhatTheyReported() {
    clock.set(Instant.now());
    Given.boundPvc(ns, "history-data", "csi");
    Schedules.apply(ns, "history", "0 0 1 1 *", "history-data", "s3",
        "successfulJobsHistoryLimit: 1\nfailedJobsHistoryLimit: 1\nconcurrencyPolicy: Allow");
    awaitStatus("history", s -> s.nextScheduleTime() != null);

    Schedules.patchSpec(ns, "history", "{\"manualTrigger\":\"1\"}");
    awaitRuns("history", "history-manual-2");
    finish("history-manual-2", true);
    Schedules.patchSpec(ns, "history", "{\"manualTrigger\":\"2\"}");
    await().atMost(Duration.ofSeconds(30)).until(() -> Schedules.runNames(ns, "history").contains("history-manual-3"));
    finish("history-manual-3", true);
    awaitRuns("history", "history-manual-3");

    Schedules.patchSpec(ns, "history", "{\"manualTrigger\":\"3\"}");
    await().atMost(Duration.ofSeconds(30)).until(() -> Schedules.runNames(ns, "history").contains("history-manual-4"));
    finish("history-manual-4", false);
    Schedules.patchSpec(ns, "history", "{\"manualTrigger\":\"4\"}");
    await().atMost(Duration.ofSeconds(30)).until(() -> Schedules.runNames(ns, "history").contains("history-manual-5"));
    finish("history-manual-5", false);
    awaitRuns("history", "history-manual-3", "history-manual-5");

    DataMoverScheduleStatus status = awaitStatus("history", s -> condition(s, "LastBackupSucceeded", false));
    assertThat(status.lastSuccessfulTime()).isNotNull();
    assertThat(status.lastFailureTime()).isNotNull();
    assertThat(status.lastRun().name()).isEqualTo("history-manual-5");
    assertThat(status.lastRun().result()).isEqualTo("Failed");
    assertThat(TestCluster.eventReasons(ns, "history")).contains("BackupSucceeded", "BackupFailed");
  }

  @Test
  void anInvalidScheduleTimeZoneOrMissingSecretIsStalledWithAMessageUntilFixed() {
    clock.set(Instant.now());
    Given.boundPvc(ns, "stalled-data", "csi");
    Schedules.apply(ns, "bad-cron", "0 25 * * *", "stalled-data", "s3", "");
    DataMoverScheduleStatus status = awaitStatus("bad-cron", s -> condition(s, Condition.STALLED, true));
    assertThat(status.condition(Condition.STALLED).orElseThrow().reason()).isEqualTo("InvalidSchedule");
    assertThat(status.condition(Condition.STALLED).orElseThrow().message()).contains("0 25 * * *", "25");
    assertThat(condition(status, Condition.READY, false)).isTrue();
    assertThat(TestCluster.eventReasons(ns, "bad-cron")).contains("InvalidSchedule");

    Schedules.patchSpec(ns, "bad-cron", "{\"schedule\":\"0 2 * * *\"}");
    status = awaitStatus("bad-cron", s -> condition(s, Condition.READY, true));
    assertThat(condition(status, Condition.STALLED, false)).isTrue();
    assertThat(status.observedGeneration()).isEqualTo(2L);

    Schedules.apply(ns, "bad-zone", "0 2 * * *", "stalled-data", "s3", "timeZone: Mars/Olympus");
    status = awaitStatus("bad-zone", s -> condition(s, Condition.STALLED, true));
    assertThat(status.condition(Condition.STALLED).orElseThrow().reason()).isEqualTo("InvalidTimeZone");
    assertThat(status.condition(Condition.STALLED).orElseThrow().message()).contains("Mars/Olympus");

    Schedules.apply(ns, "no-secret", "0 2 * * *", "stalled-data", "later-secret", "");
    status = awaitStatus("no-secret", s -> condition(s, Condition.STALLED, true));
    assertThat(status.condition(Condition.STALLED).orElseThrow().message()).contains("Secret later-secret not found");
    Given.secret(ns, "later-secret", Given.S3_KEYS);
    awaitStatus("no-secret", s -> condition(s, Condition.READY, true));
  }

  @Test
  void afterEachSuccessfulBackupRetentionPrunesAndAFailedPruneIsRetriedWithBackOff() throws ApiException {
    clock.set(Instant.now());
    Given.boundPvc(ns, "kept-data", "csi");
    Schedules.apply(ns, "kept", "0 0 1 1 *", "kept-data", "s3", "addTimestampPrefix: true\nretention:\n  keepLast: 2\n  keepDaily: 7");
    awaitStatus("kept", s -> s.nextScheduleTime() != null);

    Schedules.patchSpec(ns, "kept", "{\"manualTrigger\":\"a\"}");
    awaitRuns("kept", "kept-manual-2");
    finish("kept-manual-2", true);
    String point = TestCluster.get(ns, "kept-manual-2").getStatus().pointInTime();
    String pruneJob = ChildNames.pruneJob("kept", point, 1);
    V1Job job = await().atMost(Duration.ofSeconds(30)).until(() -> readJob(pruneJob), j -> j != null);
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv())
        .extracting(e -> e.getName() + "=" + e.getValue())
        .contains("MOVER_OPERATION=prune", "MOVER_SOURCE=" + ns + "/kept-data", "MOVER_PATH=" + ns + "/kept-data", "MOVER_KEEP_LAST=2",
            "MOVER_KEEP_DAILY=7", "MOVER_KEEP_TIMEZONE=UTC", "ADD_TIMESTAMP_PREFIX=true");
    assertThat(job.getSpec().getTemplate().getSpec().getVolumes()).extracting(v -> v.getName()).containsExactly("tmp");

    KubeletStandIn kubelet = new KubeletStandIn(ns, pruneJob);
    kubelet.nextPodExits(0, "{\"operation\":\"prune\",\"status\":\"success\",\"exitCode\":0,\"kept\":2,\"deletedPoints\":1,\"deleted\":1,"
        + "\"message\":\"deleted 1 point(s) in time\",\"points\":[{\"name\":\"" + point + "\",\"action\":\"keep\",\"reason\":\"last 1\"},"
        + "{\"name\":\"2020-01-02-030405\",\"action\":\"keep\",\"reason\":\"last 2\"},{\"name\":\"2019-01-02-030405\",\"action\":\"delete\"}]}");
    DataMoverScheduleStatus status = awaitStatus("kept", s -> condition(s, "RetentionSucceeded", true));
    assertThat(status.retention().retained()).containsExactly(point, "2020-01-02-030405");
    assertThat(status.retention().deleted()).containsExactly("2019-01-02-030405");
    assertThat(status.retention().prunedThrough()).isEqualTo(point);
    assertThat(TestCluster.eventReasons(ns, "kept")).contains("Pruned");
    await().atMost(Duration.ofSeconds(20)).until(() -> readJob(pruneJob) == null);
    assertThat(operator.http("/actuator/prometheus").body())
        .contains("datamover_schedule_points_retained{application=\"datamover-operator\",namespace=\"" + ns + "\",schedule=\"kept\"} 2.0");

    Schedules.patchSpec(ns, "kept", "{\"manualTrigger\":\"b\"}");
    await().atMost(Duration.ofSeconds(30)).until(() -> Schedules.runNames(ns, "kept").contains("kept-manual-3"));
    finish("kept-manual-3", true);
    String second = TestCluster.get(ns, "kept-manual-3").getStatus().pointInTime();
    String failing = ChildNames.pruneJob("kept", second, 1);
    await().atMost(Duration.ofSeconds(30)).until(() -> readJob(failing) != null);
    KubeletStandIn failingKubelet = new KubeletStandIn(ns, failing);
    failingKubelet.nextPodExits(2, "{\"operation\":\"prune\",\"status\":\"failed\",\"exitCode\":2,\"message\":\"configuration error: MOVER_KEEP_DAILY is not a number\"}");
    status = awaitStatus("kept", s -> condition(s, "RetentionSucceeded", false));
    assertThat(status.retention().failures()).isEqualTo(1);
    assertThat(status.condition("RetentionSucceeded").orElseThrow().message()).contains("MOVER_KEEP_DAILY is not a number");
    assertThat(TestCluster.events(ns, "kept")).anySatisfy(e -> {
      assertThat(e.getReason()).isEqualTo("PruneFailed");
      assertThat(e.getType()).isEqualTo("Warning");
    });
    assertThat(operator.http("/actuator/prometheus").body())
        .contains("datamover_schedule_prune_failures_total{application=\"datamover-operator\",namespace=\"" + ns + "\",schedule=\"kept\"} 1.0");

    // The retry waits for its back-off (5 minutes by default), then runs as attempt 2.
    String retry = ChildNames.pruneJob("kept", second, 2);
    Instant next = status.retention().nextAttemptTime().toInstant();
    moveTo(next.minus(Duration.ofMinutes(2)), "kept");
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> readJob(retry) == null);
    moveTo(next.plusSeconds(5), "kept");
    await().atMost(Duration.ofSeconds(30)).until(() -> readJob(retry) != null);
  }

  /**
   * Last, when the other tests have made every kind of series: each query of the Grafana dashboard and
   * of the alerts in the prometheus overlay names only metrics this operator exports (restores aside).
   */
  @Test
  @Order(Integer.MAX_VALUE)
  void theDashboardAndTheAlertsQueryOnlyMetricsTheOperatorExports() throws Exception {
    assertThat(MonitoringQueries.metricNames())
        .contains("datamover_schedule_last_success_timestamp_seconds", "datamover_schedule_prune_failures_total");
    // Restores are checked by RestoreFlowIT: this class makes none.
    MonitoringQueries.assertExported(operator.http("/actuator/prometheus").body(), name -> !name.startsWith("datamover_restore_"));
  }

  private static V1Job readJob(String name) {
    try {
      return TestCluster.batch().readNamespacedJob(name, ns).execute();
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return null;
      }
      throw new IllegalStateException(e.getResponseBody(), e);
    }
  }
}
