package coffee.acupof.datamover.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import coffee.acupof.datamover.Fixtures;
import coffee.acupof.datamover.api.Condition;
import coffee.acupof.datamover.api.CustomCaSpec;
import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.api.DataMoverSchedule;
import coffee.acupof.datamover.api.DataMoverScheduleSpec;
import coffee.acupof.datamover.api.DataMoverScheduleStatus;
import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.api.Phase;
import coffee.acupof.datamover.api.RcloneConfigSpec;
import coffee.acupof.datamover.api.RetentionSpec;
import coffee.acupof.datamover.cluster.FakeCluster;
import coffee.acupof.datamover.config.DataMoverProperties;
import coffee.acupof.datamover.metrics.ScheduleMetrics;
import coffee.acupof.datamover.mover.MoverContract;
import coffee.acupof.datamover.mover.MoverSlots;
import coffee.acupof.datamover.mover.PruneJobBuilder;
import coffee.acupof.datamover.runtime.Notice;
import coffee.acupof.datamover.runtime.Step;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobCondition;
import io.kubernetes.client.openapi.models.V1JobStatus;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Secret;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ScheduleLogicTest {
  static final OffsetDateTime CREATED = OffsetDateTime.of(2026, 1, 1, 10, 1, 30, 0, ZoneOffset.UTC);
  private final FakeCluster cluster = new FakeCluster();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ScheduleLogic logic =
      new ScheduleLogic(
          cluster,
          cluster,
          s -> List.copyOf(cluster.dataMovers.values()),
          s -> cluster.jobs.values().stream()
              .filter(j -> PruneJobBuilder.COMPONENT.equals(j.getMetadata().getLabels().get(DataMoverApi.LABEL_COMPONENT)))
              .toList(),
          s -> cluster.dataMovers.values().stream().anyMatch(d -> !d.getStatus().phaseValue().isTerminal()),
          new MoverSlots(new MoverSlots.Limits(0, 0), List::of, Clock.systemUTC()),
          new DataMoverProperties(null, null, null, null, null, null, null, null),
          new ScheduleMetrics(registry));

  @BeforeEach
  void inputs() {
    cluster.add(Fixtures.boundPvc("db-data")).add(Fixtures.s3Secret("s3"));
  }

  static DataMoverScheduleSpec spec(String cron, String policy, Long deadline, RetentionSpec retention) {
    return new DataMoverScheduleSpec(cron, null, null, deadline, policy, null, null, null, null, retention, "db-data", "s3",
        retention != null, null, null, null, null, null, null);
  }

  static DataMoverSchedule schedule(DataMoverScheduleSpec spec, DataMoverScheduleStatus status) {
    return new DataMoverSchedule()
        .metadata(new V1ObjectMeta().name("nightly").namespace(Fixtures.NS).uid("uid-nightly").generation(1L).creationTimestamp(CREATED))
        .spec(spec)
        .status(status);
  }

  private Step<DataMoverScheduleStatus> at(DataMoverSchedule s, String time) {
    Step<DataMoverScheduleStatus> step = logic.reconcile(s, OffsetDateTime.parse(time));
    step.afterWrite().run();
    return step;
  }

  private static List<String> reasons(Step<?> step) {
    return step.notices().stream().map(Notice::reason).toList();
  }

  private void finish(String name, Phase phase, String completed, String point) {
    DataMover run = cluster.dataMovers.values().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    run.getMetadata().uid("uid-" + name);
    run.status(new DataMoverStatus.Builder().phase(phase).completionTime(OffsetDateTime.parse(completed)).pointInTime(point)
        .message(phase == Phase.COMPLETED ? "Backup written" : "mover failed").build());
  }

  @Test
  void noRunBeforeTheFirstTickThenExactlyOneRunNamedAfterTheTick() {
    DataMoverSchedule s = schedule(spec("*/15 * * * *", null, null, null), null);

    Step<DataMoverScheduleStatus> before = at(s, "2026-01-01T10:14:59Z");
    assertThat(cluster.dataMovers).isEmpty();
    assertThat(before.status().nextScheduleTime()).isEqualTo(OffsetDateTime.parse("2026-01-01T10:15:00Z"));
    assertThat(before.status().condition(Condition.READY).orElseThrow().isTrue()).isTrue();
    assertThat(before.requeueAfter()).hasValueSatisfying(d -> assertThat(d.toSeconds()).isEqualTo(2));

    Step<DataMoverScheduleStatus> tick = at(s, "2026-01-01T10:15:02Z");
    assertThat(cluster.dataMovers.values()).singleElement().satisfies(run -> {
      assertThat(run.name()).isEqualTo("nightly-202601011015");
      assertThat(run.getSpec().path()).isEqualTo("apps/db-data");
      assertThat(run.getSpec().sourcePvc()).isEqualTo("db-data");
      assertThat(run.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> assertThat(r.getKind()).isEqualTo("DataMoverSchedule"));
      assertThat(run.getMetadata().getLabels()).containsEntry("datamover.a-cup-of.coffee/datamoverschedule", "nightly");
    });
    assertThat(tick.status().lastScheduleTime()).isEqualTo(OffsetDateTime.parse("2026-01-01T10:15:00Z"));
    assertThat(tick.status().active()).extracting(r -> r.name()).containsExactly("nightly-202601011015");
    assertThat(tick.status().path()).isEqualTo("apps/db-data");

    // The same tick again (a stale cache, a restart): no second run.
    at(s.status(tick.status()), "2026-01-01T10:16:00Z");
    assertThat(cluster.writes).containsExactly("create datamover nightly-202601011015");
  }

  @Test
  void afterDowntimeOneCatchUpRunAndAnEventCountingTheMissedTicks() {
    DataMoverSchedule s = schedule(spec("*/15 * * * *", null, null, null), null);

    Step<DataMoverScheduleStatus> step = at(s, "2026-01-01T11:20:00Z");

    assertThat(cluster.dataMovers.keySet()).containsExactly("apps/nightly-202601011115");
    assertThat(step.notices()).filteredOn(n -> n.reason().equals("MissedSchedules")).singleElement()
        .satisfies(n -> assertThat(n.message()).startsWith("4 earlier scheduled time(s) since 2026-01-01T10:15Z were missed"));
  }

  @Test
  void aTickLaterThanTheStartingDeadlineIsSkipped() {
    DataMoverSchedule s = schedule(spec("0 * * * *", null, 300L, null), null);

    Step<DataMoverScheduleStatus> step = at(s, "2026-01-01T11:06:00Z");

    assertThat(cluster.dataMovers).isEmpty();
    assertThat(reasons(step)).contains("MissedSchedule");
    assertThat(step.status().lastTickTime()).isEqualTo(OffsetDateTime.parse("2026-01-01T11:00:00Z"));
    assertThat(step.status().lastScheduleTime()).isNull();
  }

  @Test
  void forbidWaitsForTheActiveRunAndStartsTheTickWhenItEnds() {
    DataMoverSchedule s = schedule(spec("*/15 * * * *", "Forbid", null, null), null);
    DataMoverScheduleStatus first = at(s, "2026-01-01T10:15:00Z").status();

    Step<DataMoverScheduleStatus> blocked = at(s.status(first), "2026-01-01T10:30:00Z");
    assertThat(cluster.dataMovers).hasSize(1);
    assertThat(reasons(blocked)).contains("RunPostponed");
    assertThat(blocked.status().condition(Condition.READY).orElseThrow().message()).contains("concurrencyPolicy Forbid");

    finish("nightly-202601011015", Phase.COMPLETED, "2026-01-01T10:31:00Z", null);
    at(s.status(blocked.status()), "2026-01-01T10:31:05Z");
    assertThat(cluster.dataMovers.keySet()).contains("apps/nightly-202601011030");
  }

  @Test
  void allowStartsAnotherRunBesideTheActiveOne() {
    DataMoverSchedule s = schedule(spec("*/15 * * * *", "Allow", null, null), null);
    DataMoverScheduleStatus first = at(s, "2026-01-01T10:15:00Z").status();

    Step<DataMoverScheduleStatus> second = at(s.status(first), "2026-01-01T10:30:00Z");

    assertThat(cluster.dataMovers).hasSize(2);
    assertThat(second.status().active()).hasSize(2);
  }

  @Test
  void replaceDeletesTheActiveRunAndStartsANewOne() {
    DataMoverSchedule s = schedule(spec("*/15 * * * *", "Replace", null, null), null);
    DataMoverScheduleStatus first = at(s, "2026-01-01T10:15:00Z").status();

    Step<DataMoverScheduleStatus> second = at(s.status(first), "2026-01-01T10:30:00Z");

    assertThat(cluster.dataMovers.keySet()).containsExactly("apps/nightly-202601011030");
    assertThat(cluster.writes).containsSubsequence("delete datamover nightly-202601011015", "create datamover nightly-202601011030");
    assertThat(reasons(second)).contains("RunReplaced");
  }

  @Test
  void suspendStartsNoScheduledRunButAManualTriggerStillRunsOnce() {
    DataMoverScheduleSpec base = spec("*/15 * * * *", null, null, null);
    DataMoverScheduleSpec suspended = new DataMoverScheduleSpec(base.schedule(), null, true, null, null, null, null, null, "now-1", null,
        base.sourcePvc(), base.secretName(), null, null, null, null, null, null, null);
    DataMoverSchedule s = schedule(suspended, null);

    Step<DataMoverScheduleStatus> step = at(s, "2026-01-01T11:00:00Z");

    assertThat(cluster.dataMovers.keySet()).containsExactly("apps/nightly-manual-1");
    assertThat(step.status().lastManualTrigger()).isEqualTo("now-1");
    assertThat(step.status().nextScheduleTime()).isNull();
    assertThat(step.status().condition(Condition.READY).orElseThrow().reason()).isEqualTo("Suspended");
    assertThat(reasons(step)).contains("ManualRun");

    at(s.status(step.status()), "2026-01-01T11:30:00Z");
    assertThat(cluster.dataMovers).hasSize(1);
  }

  @Test
  void runOnCreationStartsOneRunAtOnce() {
    DataMoverScheduleSpec base = spec("0 3 * * *", null, null, null);
    DataMoverScheduleSpec onCreation = new DataMoverScheduleSpec(base.schedule(), null, null, null, null, null, null, true, null, null,
        base.sourcePvc(), base.secretName(), null, null, null, null, null, null, null);

    Step<DataMoverScheduleStatus> step = at(schedule(onCreation, null), "2026-01-01T10:01:31Z");

    assertThat(cluster.dataMovers.keySet()).containsExactly("apps/nightly-202601011001");
    assertThat(step.status().lastTickTime()).isEqualTo(CREATED);
  }

  @Test
  void anInvalidScheduleOrAMissingSecretStallsWithAMessageAndStartsNothing() {
    Step<DataMoverScheduleStatus> invalid = at(schedule(spec("0 25 * * *", null, null, null), null), "2026-01-02T00:00:00Z");
    assertThat(invalid.status().condition(Condition.STALLED).orElseThrow()).satisfies(c -> {
      assertThat(c.isTrue()).isTrue();
      assertThat(c.reason()).isEqualTo("InvalidSchedule");
      assertThat(c.message()).contains("0 25 * * *");
    });
    assertThat(invalid.status().condition(Condition.READY).orElseThrow().isTrue()).isFalse();
    assertThat(invalid.status().nextScheduleTime()).isNull();
    assertThat(reasons(invalid)).contains("InvalidSchedule");

    cluster.secrets.clear();
    Step<DataMoverScheduleStatus> noSecret = at(schedule(spec("0 * * * *", null, null, null), null), "2026-01-02T00:00:00Z");
    assertThat(noSecret.status().condition(Condition.STALLED).orElseThrow().reason()).isEqualTo("SecretNotFound");
    assertThat(cluster.dataMovers).isEmpty();
  }

  @Test
  void aScheduleConfiguredByAnRcloneConfWaitsForThatSecretAndHandsItToItsRuns() {
    RcloneConfigSpec config = new RcloneConfigSpec("rclone-secret", null, "aws-s3-bucket");
    CustomCaSpec ca = new CustomCaSpec(null, "tls-ca", null);
    DataMoverSchedule s = schedule(new DataMoverScheduleSpec("0 * * * *", null, null, null, null, null, null, null, null, null, "db-data", null,
        null, null, null, null, "volsync-bucket/db-data", config, ca), null);

    Step<DataMoverScheduleStatus> waiting = at(s, "2026-01-02T00:00:00Z");
    assertThat(waiting.status().condition(Condition.STALLED).orElseThrow().message())
        .isEqualTo("Secret rclone-secret not found in namespace apps; no run starts until it exists");

    cluster.add(new V1Secret().metadata(new V1ObjectMeta().name("rclone-secret").namespace(Fixtures.NS)));
    Step<DataMoverScheduleStatus> tick = at(s, "2026-01-02T01:00:01Z");
    assertThat(cluster.dataMovers.values()).singleElement().satisfies(run -> {
      assertThat(run.getSpec().secretName()).isNull();
      assertThat(run.getSpec().rcloneConfig()).isEqualTo(config);
      assertThat(run.getSpec().customCA()).isEqualTo(ca);
      assertThat(run.getSpec().path()).isEqualTo("volsync-bucket/db-data");
    });
    assertThat(tick.status().path()).isEqualTo("volsync-bucket/db-data");
  }

  @Test
  void historyLimitsDeleteOldRunsButTheStatusKeepsWhatTheyReported() {
    DataMoverScheduleSpec base = spec("0 * * * *", null, null, null);
    DataMoverScheduleSpec keepOne = new DataMoverScheduleSpec(base.schedule(), null, null, null, null, 1, 0, null, null, null,
        base.sourcePvc(), base.secretName(), true, null, null, null, null, null, null);
    DataMoverSchedule s = schedule(keepOne, null);
    DataMoverScheduleStatus status = at(s, "2026-01-01T11:00:00Z").status();
    finish("nightly-202601011100", Phase.COMPLETED, "2026-01-01T11:05:00Z", "2026-01-01-110000");
    status = at(s.status(status), "2026-01-01T12:00:00Z").status();
    finish("nightly-202601011200", Phase.COMPLETED, "2026-01-01T12:05:00Z", "2026-01-01-120000");

    Step<DataMoverScheduleStatus> step = at(s.status(status), "2026-01-01T12:06:00Z");

    assertThat(cluster.writes).contains("delete datamover nightly-202601011100");
    assertThat(step.status().lastSuccessfulTime()).isEqualTo(OffsetDateTime.parse("2026-01-01T12:05:00Z"));
    assertThat(step.status().latestPointInTime()).isEqualTo("2026-01-01-120000");
    assertThat(step.status().condition(ScheduleLogic.LAST_BACKUP_SUCCEEDED).orElseThrow().isTrue()).isTrue();
    assertThat(registry.get("datamover.schedule.runs").tag("result", "success").counter().count()).isEqualTo(2);
  }

  @Test
  void aSuccessfulBackupStartsOnePruneAndItsResultGoesIntoTheStatus() {
    DataMoverSchedule s = schedule(spec("0 * * * *", null, null, new RetentionSpec(2, null, null, null, null, null, null)), null);
    DataMoverScheduleStatus status = at(s, "2026-01-01T11:00:00Z").status();
    finish("nightly-202601011100", Phase.COMPLETED, "2026-01-01T11:05:00Z", "2026-01-01-110000");

    status = at(s.status(status), "2026-01-01T11:05:01Z").status();
    V1Job prune = cluster.jobs.get("apps/nightly-prune-20260101110000");
    assertThat(prune).isNotNull();
    assertThat(prune.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv())
        .extracting(e -> e.getName() + "=" + e.getValue())
        .contains("MOVER_OPERATION=prune", "MOVER_KEEP_LAST=2", "MOVER_SOURCE=apps/db-data", "MOVER_PATH=apps/db-data");

    // A tick while the prune runs waits for it.
    Step<DataMoverScheduleStatus> waiting = at(s.status(status), "2026-01-01T12:00:00Z");
    assertThat(cluster.dataMovers).hasSize(1);
    assertThat(waiting.status().condition(Condition.READY).orElseThrow().message()).contains("waits for retention Job");

    prune.status(new V1JobStatus().succeeded(1).addConditionsItem(new V1JobCondition().type("Complete").status("True")));
    cluster.add(Pods.terminated(prune, 0, "{\"operation\":\"prune\",\"status\":\"success\",\"exitCode\":0,\"message\":\"deleted 1\","
        + "\"kept\":2,\"deletedPoints\":1,\"points\":[{\"name\":\"2025-12-31-100000\",\"action\":\"delete\"},"
        + "{\"name\":\"2026-01-01-090000\",\"action\":\"keep\"},{\"name\":\"2026-01-01-110000\",\"action\":\"keep\"},"
        + "{\"name\":\"other\",\"action\":\"ignore\"}]}"));
    Step<DataMoverScheduleStatus> pruned = at(s.status(waiting.status()), "2026-01-01T12:00:10Z");

    assertThat(pruned.status().retention()).satisfies(r -> {
      assertThat(r.retained()).containsExactly("2026-01-01-110000", "2026-01-01-090000");
      assertThat(r.deleted()).containsExactly("2025-12-31-100000");
      assertThat(r.prunedThrough()).isEqualTo("2026-01-01-110000");
      assertThat(r.retainedCount()).isEqualTo(2);
    });
    assertThat(pruned.status().condition(ScheduleLogic.RETENTION_SUCCEEDED).orElseThrow().isTrue()).isTrue();
    assertThat(reasons(pruned)).contains("Pruned");
    assertThat(cluster.dataMovers.keySet()).as("the postponed tick runs now").contains("apps/nightly-202601011200");
  }

  @Test
  void aFailedPruneIsAWarningAndRetriedWithBackOffWithoutBlockingBackups() {
    DataMoverSchedule s = schedule(spec("0 * * * *", null, null, new RetentionSpec(2, null, null, null, null, null, null)), null);
    DataMoverScheduleStatus status = at(s, "2026-01-01T11:00:00Z").status();
    finish("nightly-202601011100", Phase.COMPLETED, "2026-01-01T11:05:00Z", "2026-01-01-110000");
    status = at(s.status(status), "2026-01-01T11:05:01Z").status();
    V1Job prune = cluster.jobs.get("apps/nightly-prune-20260101110000");
    prune.status(new V1JobStatus().failed(1).addConditionsItem(new V1JobCondition().type("Failed").status("True").reason("PodFailurePolicy")));
    cluster.add(Pods.terminated(prune, 2, "{\"operation\":\"prune\",\"status\":\"failed\",\"exitCode\":2,\"message\":\"unknown operation\"}"));

    Step<DataMoverScheduleStatus> failed = at(s.status(status), "2026-01-01T11:06:00Z");

    assertThat(failed.status().retention().failures()).isEqualTo(1);
    assertThat(failed.status().retention().nextAttemptTime()).isEqualTo(OffsetDateTime.parse("2026-01-01T11:11:00Z"));
    assertThat(failed.status().condition(ScheduleLogic.RETENTION_SUCCEEDED).orElseThrow()).satisfies(c -> {
      assertThat(c.isTrue()).isFalse();
      assertThat(c.message()).contains("unknown operation");
    });
    assertThat(reasons(failed)).contains("PruneFailed");
    assertThat(registry.get("datamover.schedule.prune.failures").counter().count()).isEqualTo(1);

    // Before the back-off ends: no new Job; the failed one is cleaned up.
    status = at(s.status(failed.status()), "2026-01-01T11:08:00Z").status();
    assertThat(cluster.jobs).isEmpty();
    // The next backup is not blocked.
    status = at(s.status(status), "2026-01-01T12:00:00Z").status();
    assertThat(cluster.dataMovers.keySet()).contains("apps/nightly-202601011200");
    finish("nightly-202601011200", Phase.COMPLETED, "2026-01-01T12:04:00Z", "2026-01-01-120000");
    at(s.status(status), "2026-01-01T12:05:00Z");
    assertThat(cluster.jobs.keySet()).containsExactly("apps/nightly-prune-20260101120000-2");
  }

  @Test
  void theMetricsOfADeletedScheduleAreRemoved() {
    DataMoverSchedule s = schedule(spec("0 * * * *", null, null, null), null);
    at(s, "2026-01-01T11:30:00Z");
    assertThat(registry.find("datamover.schedule.next.run.timestamp").gauge()).isNotNull();

    logic.forget(Fixtures.NS, "nightly");

    assertThat(registry.find("datamover.schedule.next.run.timestamp").gauge()).isNull();
    assertThat(registry.find("datamover.schedule.ready").gauge()).isNull();
  }

  /** Pods as the Job controller and kubelet leave them. */
  static final class Pods {
    static io.kubernetes.client.openapi.models.V1Pod terminated(V1Job job, int exitCode, String message) {
      return new io.kubernetes.client.openapi.models.V1Pod()
          .metadata(new V1ObjectMeta().name(job.getMetadata().getName() + "-0").namespace(Fixtures.NS)
              .creationTimestamp(CREATED)
              .labels(java.util.Map.of("batch.kubernetes.io/job-name", job.getMetadata().getName())))
          .status(new io.kubernetes.client.openapi.models.V1PodStatus().phase(exitCode == 0 ? "Succeeded" : "Failed")
              .addContainerStatusesItem(new io.kubernetes.client.openapi.models.V1ContainerStatus().name(MoverContract.CONTAINER_NAME)
                  .state(new io.kubernetes.client.openapi.models.V1ContainerState()
                      .terminated(new io.kubernetes.client.openapi.models.V1ContainerStateTerminated().exitCode(exitCode).message(message)))));
    }
  }
}
