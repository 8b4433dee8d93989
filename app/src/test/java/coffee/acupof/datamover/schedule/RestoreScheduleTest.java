package coffee.acupof.datamover.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import coffee.acupof.datamover.Fixtures;
import coffee.acupof.datamover.api.Condition;
import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.api.DataMoverRestore;
import coffee.acupof.datamover.api.DataMoverRestoreSpec;
import coffee.acupof.datamover.api.DataMoverRestoreStatus;
import coffee.acupof.datamover.api.DataMoverSchedule;
import coffee.acupof.datamover.api.DataMoverScheduleSpec;
import coffee.acupof.datamover.api.DataMoverScheduleStatus;
import coffee.acupof.datamover.api.PvcTemplate;
import coffee.acupof.datamover.api.RestorePhase;
import coffee.acupof.datamover.api.ScheduleRestoreSpec;
import coffee.acupof.datamover.cluster.FakeCluster;
import coffee.acupof.datamover.restore.RestoreImageBuilder;
import coffee.acupof.datamover.restore.RestoreOrigin;
import coffee.acupof.datamover.runtime.Notice;
import coffee.acupof.datamover.runtime.Step;
import coffee.acupof.datamover.volume.VolumeSnapshot;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A schedule with {@code restore}: every run is a DataMoverRestore that publishes a snapshot, the
 * schedule names the newest ready one and keeps {@code keepImages} of them.
 */
class RestoreScheduleTest {
  private final FakeCluster cluster = new FakeCluster().add(Fixtures.s3Secret("s3"));
  private final ScheduleLogic logic = ScheduleLogicTest.logicOn(cluster, new SimpleMeterRegistry());

  private static DataMoverSchedule schedule(Integer keepImages) {
    PvcTemplate template =
        new PvcTemplate("csi", List.of("ReadWriteOnce"), null, new PvcTemplate.Resources(Map.of("storage", Quantity.fromString("1Gi")), null));
    DataMoverScheduleSpec spec = new DataMoverScheduleSpec("0 * * * *", null, null, null, null, null, null, null, null, null,
        "db-data", "s3", null, null, null, null, null, null, null, null, null, null, null, new ScheduleRestoreSpec(template, "fast", keepImages));
    return new DataMoverSchedule()
        .metadata(new V1ObjectMeta().name("seed").namespace(Fixtures.NS).uid("uid-seed").generation(1L)
            .creationTimestamp(OffsetDateTime.parse("2026-01-01T10:01:30Z")))
        .spec(spec);
  }

  private Step<DataMoverScheduleStatus> at(DataMoverSchedule s, String time) {
    Step<DataMoverScheduleStatus> step = logic.reconcile(s, OffsetDateTime.parse(time));
    step.afterWrite().run();
    s.status(step.status());
    return step;
  }

  /** What a run does: publishes its image (ready or not) and finishes. */
  private void finish(String run, RestorePhase phase, String completed, boolean imageReady) {
    DataMoverRestore restore = cluster.restores.get(Fixtures.NS + "/" + run);
    restore.getMetadata().uid("uid-" + run);
    VolumeSnapshot image = RestoreImageBuilder.build(restore, run);
    image.getMetadata().creationTimestamp(OffsetDateTime.parse(completed));
    image.status(new VolumeSnapshot.Status("content-" + run, null, imageReady, null, null));
    cluster.add(image);
    restore.status(new DataMoverRestoreStatus.Builder().phase(phase).completionTime(OffsetDateTime.parse(completed))
        .pointInTime("2026-01-01-100000").message(phase == RestorePhase.COMPLETED ? "Restored" : "snapshot never ready").build());
  }

  @Test
  void eachTickStartsARestoreOfTheNewestPointIntoItsOwnPvcThatPublishesASnapshot() {
    DataMoverSchedule s = schedule(null);

    Step<DataMoverScheduleStatus> tick = at(s, "2026-01-01T11:00:05Z");

    assertThat(cluster.writes).containsExactly("create datamoverrestore seed-202601011100");
    assertThat(cluster.dataMovers).isEmpty();
    DataMoverRestore run = cluster.restores.get(Fixtures.NS + "/seed-202601011100");
    DataMoverRestoreSpec spec = run.getSpec();
    assertThat(spec.scheduleName()).as("the schedule's source, remote and path are used").isEqualTo(s.getMetadata().getName());
    assertThat(spec.sourcePvc()).isNull();
    assertThat(spec.secretName()).isNull();
    RestoreOrigin origin = RestoreOrigin.of(s);
    assertThat(origin.sourcePvc()).isEqualTo("db-data");
    assertThat(origin.path()).as("where the backup schedule of the same source writes").isEqualTo("apps/db-data");
    assertThat(spec.pointInTimeOrLatest()).isEqualTo("latest");
    assertThat(spec.targetPvc()).isEqualTo("seed-202601011100");
    assertThat(spec.targetPvcTemplate().storageClassName()).isEqualTo("csi");
    assertThat(spec.ownTargetPvc()).isTrue();
    assertThat(spec.copyMethod()).isEqualTo("Snapshot");
    assertThat(spec.volumeSnapshotClassName()).isEqualTo("fast");
    assertThat(spec.deleteTargetPvcAfterSnapshot()).isTrue();
    assertThat(run.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> assertThat(r.getKind()).isEqualTo("DataMoverSchedule"));
    assertThat(tick.status().active()).singleElement().satisfies(r -> {
      assertThat(r.kind()).isEqualTo(DataMoverApi.RESTORE_KIND);
      assertThat(r.name()).isEqualTo("seed-202601011100");
    });
    assertThat(tick.status().condition(Condition.STALLED).orElseThrow().isTrue()).as("the source need not exist here").isFalse();
  }

  @Test
  void theNewestReadyImageIsTheLatestAndOnlyKeepImagesOfThemStay() {
    DataMoverSchedule s = schedule(2);
    at(s, "2026-01-01T11:00:00Z");
    finish("seed-202601011100", RestorePhase.COMPLETED, "2026-01-01T11:05:00Z", true);
    at(s, "2026-01-01T12:00:00Z");
    finish("seed-202601011200", RestorePhase.COMPLETED, "2026-01-01T12:05:00Z", true);
    at(s, "2026-01-01T13:00:00Z");
    finish("seed-202601011300", RestorePhase.FAILED, "2026-01-01T13:05:00Z", false);
    at(s, "2026-01-01T14:00:00Z");
    finish("seed-202601011400", RestorePhase.COMPLETED, "2026-01-01T14:05:00Z", true);

    Step<DataMoverScheduleStatus> step = at(s, "2026-01-01T14:06:00Z");

    assertThat(step.status().latestImage().getName()).isEqualTo("seed-202601011400-snapshot");
    assertThat(cluster.volumeSnapshots.keySet()).containsExactlyInAnyOrder("apps/seed-202601011400-snapshot", "apps/seed-202601011200-snapshot");
    assertThat(cluster.writes).contains("delete volumesnapshot seed-202601011100-snapshot", "delete volumesnapshot seed-202601011300-snapshot");
    assertThat(step.status().condition("LastRestoreSucceeded").orElseThrow().isTrue()).isTrue();
    assertThat(step.status().lastRun().name()).isEqualTo("seed-202601011400");
    List<String> reasons = step.notices().stream().map(Notice::reason).toList();
    assertThat(reasons).contains("RestoreSucceeded", "ImagesPruned");
  }

  @Test
  void anImageOfARunStillGoingIsLeftAlone() {
    DataMoverSchedule s = schedule(1);
    at(s, "2026-01-01T11:00:00Z");
    DataMoverRestore running = cluster.restores.get(Fixtures.NS + "/seed-202601011100");
    running.getMetadata().uid("uid-seed-202601011100");
    cluster.add(RestoreImageBuilder.build(running, "seed-202601011100"));

    Step<DataMoverScheduleStatus> step = at(s, "2026-01-01T11:01:00Z");

    assertThat(cluster.volumeSnapshots).containsKey("apps/seed-202601011100-snapshot");
    assertThat(step.status().latestImage()).isNull();
  }
}
