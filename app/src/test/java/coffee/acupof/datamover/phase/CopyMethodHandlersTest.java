package coffee.acupof.datamover.phase;

import static coffee.acupof.datamover.Fixtures.CREATED;
import static coffee.acupof.datamover.Fixtures.NS;
import static coffee.acupof.datamover.Fixtures.boundPvc;
import static coffee.acupof.datamover.Fixtures.dataMover;
import static coffee.acupof.datamover.Fixtures.inPhase;
import static coffee.acupof.datamover.Fixtures.s3Secret;
import static coffee.acupof.datamover.Fixtures.snapshotClass;
import static coffee.acupof.datamover.Fixtures.spec;
import static coffee.acupof.datamover.Fixtures.storageClass;
import static org.assertj.core.api.Assertions.assertThat;

import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.api.Phase;
import coffee.acupof.datamover.cluster.FakeCluster;
import coffee.acupof.datamover.config.DataMoverProperties;
import coffee.acupof.datamover.mover.MoverSlots;
import coffee.acupof.datamover.mover.PointAllocator;
import coffee.acupof.datamover.runtime.EventType;
import coffee.acupof.datamover.runtime.Notice;
import coffee.acupof.datamover.runtime.OptionalInformer;
import coffee.acupof.datamover.runtime.phase.Transition;
import coffee.acupof.datamover.volume.VolumeSnapshot;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimStatus;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimVolumeSource;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The handlers along the Snapshot and Direct paths of a backup, on an in-memory cluster. */
class CopyMethodHandlersTest {
  private static final String DRIVER = "csi.example.com";
  private final FakeCluster cluster = new FakeCluster();
  private final DataMoverProperties properties = new DataMoverProperties(null, null, null, null, null, null, null, null);
  private final ValidateHandler validate =
      new ValidateHandler(cluster, cluster, properties, new PointAllocator(path -> List.of()), new MoverSlots(new MoverSlots.Limits(0, 0), List::of, Clock.systemUTC()));
  private final CreateSnapshotHandler snapshot = new CreateSnapshotHandler(cluster, cluster, properties);
  private final CreateClonedPvcHandler pvc = new CreateClonedPvcHandler(cluster, cluster, cluster);
  private final ClonedPvcReadyHandler ready = new ClonedPvcReadyHandler(cluster, properties);
  private final MoverJobHandler mover = new MoverJobHandler(cluster, cluster, properties);
  private final CleanupHandler cleanup = new CleanupHandler(cluster, cluster);

  @BeforeEach
  void inputs() {
    cluster.add(boundPvc("web-data")).add(s3Secret("s3-credentials")).add(storageClass(DRIVER));
  }

  private static DataMover snapshotRun(Phase phase) {
    return inPhase(dataMover("backup", spec("Snapshot", null)), phase, CREATED);
  }

  private static DataMoverStatus status(Transition<DataMoverStatus.Builder> t) {
    return t.changes().apply(new DataMoverStatus.Builder()).build();
  }

  private VolumeSnapshot takenSnapshot() {
    return cluster.volumeSnapshots.get(NS + "/backup-snapshot");
  }

  private void snapshotStatus(String content, Boolean readyToUse, String error) {
    takenSnapshot().status(new VolumeSnapshot.Status(
        content, null, readyToUse, Quantity.fromString("8Gi"), error == null ? null : new VolumeSnapshot.Error(CREATED, error)));
  }

  @Test
  void aSnapshotRunIsValidatedAgainstTheDefaultClassOfTheSourcesDriver() {
    DataMover dm = dataMover("backup", spec("Snapshot", null));

    var none = validate.handle(new Run(dm, CREATED.plusSeconds(1)));
    assertThat(none.next()).isEqualTo(Phase.NEW);
    assertThat(none.reason()).isEqualTo("NoDefaultVolumeSnapshotClass");
    assertThat(none.message()).isEqualTo("Waiting: no VolumeSnapshotClass of driver csi.example.com (the driver of source PVC web-data) is marked as its"
        + " default (annotation snapshot.storage.kubernetes.io/is-default-class: \"true\"); set volumeSnapshotClassName");

    cluster.add(snapshotClass("other-driver-default", "other.example.com", true)).add(snapshotClass("fast", DRIVER, true));
    var valid = validate.handle(new Run(dm, CREATED.plusSeconds(1)));
    assertThat(valid.next()).isEqualTo(Phase.CREATING_SNAPSHOT);
    assertThat(valid.message()).isEqualTo("Source PVC web-data and Secret s3-credentials found; taking VolumeSnapshot backup-snapshot of the source");
    assertThat(status(valid).volumeSnapshotName()).isEqualTo("backup-snapshot");
    assertThat(status(valid).restoredPvcName()).isEqualTo("backup-from-snapshot");
  }

  @Test
  void aNamedClassMustExistAndBeOfTheSourcesDriver() {
    var missing = validate.handle(new Run(dataMover("backup", spec("Snapshot", "fast")), CREATED.plusSeconds(1)));
    assertThat(missing.reason()).isEqualTo("VolumeSnapshotClassNotFound");

    cluster.add(snapshotClass("fast", "other.example.com", false));
    var mismatch = validate.handle(new Run(dataMover("backup", spec("Snapshot", "fast")), CREATED.plusSeconds(1)));
    assertThat(mismatch.reason()).isEqualTo("VolumeSnapshotClassMismatch");
    assertThat(mismatch.message()).contains("VolumeSnapshotClass fast is of driver other.example.com, but source PVC web-data is a volume of csi.example.com");
  }

  @Test
  void withoutTheSnapshotCrdsTheRunWaitsSayingWhatToInstallThenFails() {
    cluster.snapshotState = OptionalInformer.State.ABSENT;
    DataMover dm = dataMover("backup", spec("Snapshot", null));

    var waiting = validate.handle(new Run(dm, CREATED.plusMinutes(1)));
    var failed = validate.handle(new Run(dm, CREATED.plusMinutes(10)));

    assertThat(waiting.next()).isEqualTo(Phase.NEW);
    assertThat(waiting.reason()).isEqualTo("SnapshotCRDsMissing");
    assertThat(waiting.eventType()).isEqualTo(EventType.WARNING);
    assertThat(failed.next()).isEqualTo(Phase.FAILED);
    assertThat(failed.message()).contains("the cluster has no VolumeSnapshot CRDs (snapshot.storage.k8s.io/v1): install the external-snapshotter's CRDs and its snapshot-controller");
  }

  @Test
  void whileTheSnapshotCachesFillTheRunLooksAgainSoonWithoutANewReason() {
    cluster.snapshotState = OptionalInformer.State.STARTING;

    var t = validate.handle(new Run(dataMover("backup", spec("Snapshot", null)), CREATED.plusSeconds(1)));

    assertThat(t.next()).isEqualTo(Phase.NEW);
    assertThat(t.reason()).isNull();
    assertThat(t.requeueAfter()).contains(Duration.ofSeconds(1));
  }

  @Test
  void theSnapshotIsTakenOnceOwnedAndLabelledThenWaitedFor() {
    DataMover dm = snapshotRun(Phase.CREATING_SNAPSHOT);

    var created = snapshot.handle(new Run(dm, CREATED));
    var again = snapshot.handle(new Run(dm, CREATED.plusSeconds(1)));

    assertThat(cluster.writes).containsExactly("create volumesnapshot backup-snapshot");
    assertThat(created.reason()).as("the status named the snapshot when the phase began").isNull();
    assertThat(created.events()).singleElement().satisfies(e -> {
      assertThat(e.reason()).isEqualTo("CreatingVolumeSnapshot");
      assertThat(e.message()).isEqualTo("Taking VolumeSnapshot backup-snapshot of source PVC web-data with the default class of its driver");
    });
    assertThat(created.requeueAfter()).as("until the wait becomes a warning").contains(Duration.ofMinutes(30));
    VolumeSnapshot taken = takenSnapshot();
    assertThat(taken.getSpec().source().persistentVolumeClaimName()).isEqualTo("web-data");
    assertThat(taken.getSpec().volumeSnapshotClassName()).as("the driver's default").isNull();
    assertThat(taken.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> assertThat(r.getUid()).isEqualTo("uid-backup"));
    assertThat(taken.getMetadata().getLabels()).containsEntry("datamover.a-cup-of.coffee/datamover", "backup");
    assertThat(again.next()).isEqualTo(Phase.CREATING_SNAPSHOT);
    assertThat(again.reason()).as("normal progress: nothing to write").isNull();
    assertThat(again.events()).isEmpty();

    snapshotStatus("content-1", false, null);
    var cutting = snapshot.handle(new Run(dm, CREATED.plusSeconds(2)));
    assertThat(cutting.reason()).isNull();
    assertThat(cutting.requeueAfter()).contains(Duration.ofMinutes(30).minusSeconds(2));
    var slow = snapshot.handle(new Run(dm, CREATED.plusMinutes(30)));
    assertThat(slow.reason()).isEqualTo("WaitingForSnapshot");
    assertThat(slow.eventType()).isEqualTo(EventType.WARNING);
    assertThat(slow.message()).isEqualTo("Waiting for VolumeSnapshot backup-snapshot of source PVC web-data to become ready to use"
        + " (the CSI driver is cutting it); not ready after 30m, the run fails after 1h");
    assertThat(slow.requeueAfter()).contains(Duration.ofMinutes(30));

    snapshotStatus("content-1", true, null);
    var done = snapshot.handle(new Run(dm, CREATED.plusSeconds(3)));
    assertThat(done.next()).isEqualTo(Phase.CREATING_CLONED_PVC);
    assertThat(done.reason()).isEqualTo("SnapshotReady");
    assertThat(done.message()).isEqualTo(
        "VolumeSnapshot backup-snapshot of source PVC web-data is ready to use (restore size 8Gi); creating PVC backup-from-snapshot from it");
  }

  @Test
  void aDriverErrorIsAWarningAndASnapshotNeverReadyFailsAtTheDeadlineSayingWhatToCheck() {
    DataMover dm = snapshotRun(Phase.CREATING_SNAPSHOT);
    snapshot.handle(new Run(dm, CREATED));
    snapshotStatus("content-1", false, "rpc error: quota exceeded");

    var erring = snapshot.handle(new Run(dm, CREATED.plusMinutes(5)));
    var late = snapshot.handle(new Run(dm, CREATED.plusHours(1)));

    assertThat(erring.next()).isEqualTo(Phase.CREATING_SNAPSHOT);
    assertThat(erring.reason()).isEqualTo("SnapshotError");
    assertThat(erring.eventType()).isEqualTo(EventType.WARNING);
    assertThat(erring.message()).isEqualTo(
        "VolumeSnapshot backup-snapshot of source PVC web-data is not ready to use: rpc error: quota exceeded (the snapshot-controller retries)");
    snapshotStatus("content-1", false, null);
    DataMover erred = dm.status(dm.getStatus().toBuilder().reason("SnapshotError").message(erring.message()).build());
    var cleared = snapshot.handle(new Run(erred, CREATED.plusMinutes(6)));
    assertThat(cleared.reason()).as("the warning clears: written").isEqualTo("WaitingForSnapshot");
    assertThat(cleared.eventType()).isEqualTo(EventType.NORMAL);
    snapshotStatus("content-1", false, "rpc error: quota exceeded");
    assertThat(late.next()).isEqualTo(Phase.FAILED);
    assertThat(late.reason()).isEqualTo("SnapshotNotReady");
    assertThat(late.message()).isEqualTo("VolumeSnapshot backup-snapshot of source PVC web-data was not ready to use within 1h; its last error:"
        + " rpc error: quota exceeded; check the CSI driver's snapshot support (kubectl describe volumesnapshot backup-snapshot),"
        + " or raise datamover.deadlines.snapshot-ready for a slow driver");
  }

  @Test
  void aForeignSnapshotOfTheSameNameFailsTheRun() {
    cluster.add(new VolumeSnapshot().metadata(new V1ObjectMeta().name("backup-snapshot").namespace(NS)));

    var t = snapshot.handle(new Run(snapshotRun(Phase.CREATING_SNAPSHOT), CREATED));

    assertThat(t.next()).isEqualTo(Phase.FAILED);
    assertThat(t.reason()).isEqualTo("VolumeSnapshotConflict");
  }

  @Test
  void thePvcFromTheSnapshotIsAtLeastTheRestoreSizeAndTheMoverReadsIt() {
    DataMover dm = snapshotRun(Phase.CREATING_CLONED_PVC);
    snapshot.handle(new Run(dm, CREATED));
    snapshotStatus("content-1", true, null);

    var creating = pvc.handle(new Run(dm, CREATED));
    var created = pvc.handle(new Run(dm, CREATED));

    assertThat(creating.next()).isEqualTo(Phase.CREATING_CLONED_PVC);
    assertThat(creating.events()).extracting(Notice::reason).containsExactly("CreatingSnapshotPVC");
    assertThat(created.next()).isEqualTo(Phase.CLONED_PVC_READY);
    V1PersistentVolumeClaim fromSnapshot = cluster.pvcs.get(NS + "/backup-from-snapshot");
    assertThat(fromSnapshot.getSpec().getDataSource().getApiGroup()).isEqualTo("snapshot.storage.k8s.io");
    assertThat(fromSnapshot.getSpec().getDataSource().getKind()).isEqualTo("VolumeSnapshot");
    assertThat(fromSnapshot.getSpec().getDataSource().getName()).isEqualTo("backup-snapshot");
    assertThat(fromSnapshot.getSpec().getResources().getRequests().get("storage")).isEqualTo(Quantity.fromString("8Gi"));
    assertThat(fromSnapshot.getSpec().getStorageClassName()).isEqualTo("csi-fast");
    fromSnapshot.status(new V1PersistentVolumeClaimStatus().phase("Bound"));
    assertThat(ready.handle(new Run(snapshotRun(Phase.CLONED_PVC_READY), CREATED)).message())
        .isEqualTo("PVC backup-from-snapshot (from VolumeSnapshot backup-snapshot) is ready; starting mover Job backup-mover (up to 3 attempts)");

    mover.handle(new Run(snapshotRun(Phase.CREATING_POD), CREATED));
    V1Job job = cluster.jobs.get(NS + "/backup-mover");
    assertThat(job.getSpec().getTemplate().getSpec().getVolumes().getFirst().getPersistentVolumeClaim().getClaimName()).isEqualTo("backup-from-snapshot");
  }

  @Test
  void cleanupOfASnapshotRunDeletesItsPvcAndItsSnapshot() {
    DataMover dm = snapshotRun(Phase.CLEANING_UP);

    var t = cleanup.handle(new Run(dm, CREATED));

    assertThat(cluster.writes).containsExactly("delete job backup-mover", "delete pvc backup-from-snapshot", "delete volumesnapshot backup-snapshot");
    assertThat(t.message()).endsWith("; PVC backup-from-snapshot and VolumeSnapshot backup-snapshot deleted");
  }

  @Test
  void aDirectRunGoesStraightToTheMoverWithNoTemporaryPvc() {
    var t = validate.handle(new Run(dataMover("backup", spec("Direct", null)), CREATED.plusSeconds(1)));

    assertThat(t.next()).isEqualTo(Phase.CREATING_POD);
    assertThat(t.message()).isEqualTo("Source PVC web-data and Secret s3-credentials found; the mover reads the source itself, read-only (copyMethod Direct);"
        + " starting mover Job backup-mover (up to 3 attempts)");
    assertThat(status(t).jobName()).isEqualTo("backup-mover");
    assertThat(status(t).restoredPvcName()).isNull();
    assertThat(status(t).volumeSnapshotName()).isNull();
  }

  @Test
  void aDirectMoverMountsTheSourceReadOnlyOnTheNodeOfThePodThatUsesIt() {
    cluster.userPods.add(podOn("app-0", "worker-2", "web-data"));
    DataMover dm = inPhase(dataMover("backup", spec("Direct", null)), Phase.CREATING_POD, CREATED);

    var t = mover.handle(new Run(dm, CREATED));

    assertThat(t.events()).extracting(Notice::message)
        .containsExactly("Created mover Job backup-mover on node worker-2, where pod app-0 mounts source PVC web-data (up to 3 attempts)");
    V1PodSpec pod = cluster.jobs.get(NS + "/backup-mover").getSpec().getTemplate().getSpec();
    assertThat(pod.getNodeName()).isEqualTo("worker-2");
    V1PersistentVolumeClaimVolumeSource claim = pod.getVolumes().getFirst().getPersistentVolumeClaim();
    assertThat(claim.getClaimName()).isEqualTo("web-data");
    assertThat(claim.getReadOnly()).isTrue();
    V1VolumeMount mount = pod.getContainers().getFirst().getVolumeMounts().getFirst();
    assertThat(mount.getMountPath()).isEqualTo("/data");
    assertThat(mount.getReadOnly()).isTrue();
  }

  @Test
  void aDirectMoverOfAVolumeManyNodesMountAndOfAnUnusedOneRunsAnywhere() {
    V1PersistentVolumeClaim shared = boundPvc("web-data");
    shared.getSpec().accessModes(List.of("ReadWriteMany"));
    cluster.add(shared);
    cluster.userPods.add(podOn("app-0", "worker-2", "web-data"));
    DataMover dm = inPhase(dataMover("backup", spec("Direct", null)), Phase.CREATING_POD, CREATED);

    var t = mover.handle(new Run(dm, CREATED));

    assertThat(t.events()).extracting(Notice::message).containsExactly("Created mover Job backup-mover on source PVC web-data (up to 3 attempts)");
    assertThat(cluster.jobs.get(NS + "/backup-mover").getSpec().getTemplate().getSpec().getNodeName()).isNull();
  }

  @Test
  void aReadWriteOncePodSourceInUseWaitsForItsPod() {
    V1PersistentVolumeClaim single = boundPvc("web-data");
    single.getSpec().accessModes(List.of("ReadWriteOncePod"));
    cluster.add(single);
    cluster.userPods.add(podOn("app-0", "worker-2", "web-data"));

    var t = validate.handle(new Run(dataMover("backup", spec("Direct", null)), CREATED.plusSeconds(1)));

    assertThat(t.next()).isEqualTo(Phase.NEW);
    assertThat(t.reason()).isEqualTo("SourcePVCInUse");
    assertThat(t.message()).isEqualTo("Waiting: source PVC web-data is ReadWriteOncePod and mounted by pod app-0, so the mover cannot mount it too;"
        + " stop the pod, or use copyMethod Snapshot or Clone");
    assertThat(t.requeueAfter()).contains(Duration.ofSeconds(30));
  }

  @Test
  void cleanupOfADirectRunNeverTouchesTheSource() {
    DataMover dm = inPhase(dataMover("backup", spec("Direct", null)), Phase.CLEANING_UP, CREATED);

    var t = cleanup.handle(new Run(dm, CREATED));

    assertThat(cluster.writes).containsExactly("delete job backup-mover");
    assertThat(cluster.pvcs).containsKey(NS + "/web-data");
    assertThat(t.message()).endsWith("; mover Job deleted (the source is kept)");
  }

  private static V1Pod podOn(String name, String node, String claim) {
    return new V1Pod()
        .metadata(new V1ObjectMeta().name(name).namespace(NS).labels(Map.of("app", "web")))
        .spec(new V1PodSpec().nodeName(node)
            .volumes(List.of(new V1Volume().name("data").persistentVolumeClaim(new V1PersistentVolumeClaimVolumeSource().claimName(claim)))))
        .status(new V1PodStatus().phase("Running"));
  }
}
