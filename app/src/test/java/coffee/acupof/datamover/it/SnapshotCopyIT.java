package coffee.acupof.datamover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coffee.acupof.datamover.api.Condition;
import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.testkit.storage.LocalSnapshotter;
import coffee.acupof.datamover.volume.VolumeSnapshot;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Backups with {@code copyMethod: Snapshot} on the real API server with the real snapshot-controller
 * (the CSI driver's snapshot part played): every transition, a snapshot that never becomes ready, an
 * operator restart mid-run, and the clean-up by the real garbage collector when a run is deleted.
 */
class SnapshotCopyIT {
  /** A class of the test kit's driver that tests hold at {@code readyToUse: false}. */
  private static final String SLOW = "slow-snapshots";
  private static final String SELECTOR = "app.kubernetes.io/created-by=datamover-operator";
  private static String ns;
  private static LocalSnapshotter driver;
  private static RunningOperator operator;

  @BeforeAll
  static void start() {
    driver = VolumeSnapshots.install();
    LocalSnapshotter.ensureSnapshotClass(TestCluster.admin(), SLOW, false);
    ns = TestCluster.newNamespace("snapshot-copy");
    Given.secret(ns, "s3", Given.S3_KEYS);
    operator = RunningOperator.start(ns, Map.of("datamover.deadlines.snapshot-ready", "20s"));
  }

  @AfterAll
  static void stop() {
    driver.resume(SLOW);
    operator.close();
  }

  private static DataMoverStatus status(String name) {
    return TestCluster.get(ns, name).getStatus();
  }

  @Test
  void aSnapshotBackupGoesThroughEveryPhaseAndCleansUp() throws Exception {
    Path volume = Given.volume(ns, "orders");
    Files.createDirectories(volume);
    Files.writeString(volume.resolve("order-1.json"), "{\"id\":1}");
    Given.boundPvc(ns, "orders", "csi");

    try (Given.PhaseHistory history = new Given.PhaseHistory(ns, "orders-backup")) {
      Given.dataMover(ns, "orders-backup", "orders", "s3", "copyMethod: Snapshot\ndeletePvcAfterBackup: true");
      await().atMost(Duration.ofSeconds(60)).until(() -> "CreatingPod".equals(status("orders-backup").phase()));

      VolumeSnapshot snapshot = VolumeSnapshots.get(ns, "orders-backup-snapshot").orElseThrow();
      assertThat(snapshot.isReady()).isTrue();
      assertThat(snapshot.getSpec().source().persistentVolumeClaimName()).isEqualTo("orders");
      assertThat(snapshot.getStatus().boundVolumeSnapshotContentName()).as("bound by the real snapshot-controller").isNotBlank();
      assertThat(driver.directoryOf(ns, "orders-backup-snapshot").orElseThrow().resolve("order-1.json")).hasContent("{\"id\":1}");
      V1PersistentVolumeClaim fromSnapshot = TestCluster.core().readNamespacedPersistentVolumeClaim("orders-backup-from-snapshot", ns).execute();
      assertThat(fromSnapshot.getSpec().getDataSource().getKind()).isEqualTo("VolumeSnapshot");
      assertThat(fromSnapshot.getSpec().getDataSource().getName()).isEqualTo("orders-backup-snapshot");
      V1Job job = TestCluster.batch().readNamespacedJob("orders-backup-mover", ns).execute();
      assertThat(job.getSpec().getTemplate().getSpec().getVolumes().getFirst().getPersistentVolumeClaim().getClaimName())
          .isEqualTo("orders-backup-from-snapshot");
      // The mover reads the PVC made from the snapshot: the played driver filled it with the snapshot's files.
      await().atMost(Duration.ofSeconds(30)).until(() -> "Bound".equals(pvcPhase("orders-backup-from-snapshot")));
      String volumeName = TestCluster.core().readNamespacedPersistentVolumeClaim("orders-backup-from-snapshot", ns).execute().getSpec().getVolumeName();
      assertThat(TestCluster.cluster().provisioner().directoryOf(volumeName).orElseThrow().resolve("order-1.json")).hasContent("{\"id\":1}");

      new KubeletStandIn(ns, "orders-backup-mover").nextPodExits(0, FullRunIT.SUCCESS);
      await().atMost(Duration.ofSeconds(60)).until(() -> "Completed".equals(status("orders-backup").phase()));
      await().atMost(Duration.ofSeconds(5)).until(() -> history.phases().contains("Completed"));
      assertThat(history.phases()).containsExactly("", "CreatingSnapshot", "CreatingClonedPVC", "ClonedPVCReady", "CreatingPod", "CleaningUp", "Completed");
    }

    DataMoverStatus done = status("orders-backup");
    assertThat(done.volumeSnapshotName()).isEqualTo("orders-backup-snapshot");
    assertThat(done.restoredPvcName()).isEqualTo("orders-backup-from-snapshot");
    assertThat(done.message()).endsWith("; PVC orders-backup-from-snapshot and VolumeSnapshot orders-backup-snapshot deleted");
    assertThat(TestCluster.eventReasons(ns, "orders-backup"))
        .containsSubsequence("Validated", "CreatingVolumeSnapshot", "SnapshotReady", "CreatingSnapshotPVC", "SnapshotPVCCreated", "MoverJobCreated",
            "MoverSucceeded", "Completed");
    // deletePvcAfterBackup: the snapshot goes (its content and copy with it, through the real controller).
    await().atMost(Duration.ofSeconds(60)).until(() -> VolumeSnapshots.get(ns, "orders-backup-snapshot").isEmpty());
    assertThat(TestCluster.server().runKubectl("get", "datamovers", "-n", ns, "-o", "wide")).contains("Snapshot");
  }

  @Test
  void aSnapshotThatNeverBecomesReadyFailsTheRunAtTheDeadlineSayingWhatToCheck() {
    Given.boundPvc(ns, "stuck", "csi");
    driver.pause(SLOW);

    Given.dataMover(ns, "stuck-backup", "stuck", "s3", "copyMethod: Snapshot\nvolumeSnapshotClassName: " + SLOW);
    await().atMost(Duration.ofSeconds(30)).until(() -> "WaitingForSnapshot".equals(status("stuck-backup").reason())
        && status("stuck-backup").message().contains("to become ready to use"));
    assertThat(status("stuck-backup").phase()).isEqualTo("CreatingSnapshot");
    assertThat(status("stuck-backup").condition(Condition.RECONCILING).orElseThrow().isTrue()).isTrue();

    await().atMost(Duration.ofSeconds(60)).until(() -> "Failed".equals(status("stuck-backup").phase()));
    DataMoverStatus failed = status("stuck-backup");
    assertThat(failed.reason()).isEqualTo("SnapshotNotReady");
    assertThat(failed.message()).isEqualTo("VolumeSnapshot stuck-backup-snapshot of source PVC stuck was not ready to use within 20s;"
        + " check the CSI driver's snapshot support (kubectl describe volumesnapshot stuck-backup-snapshot),"
        + " or raise datamover.deadlines.snapshot-ready for a slow driver");
    assertThat(failed.condition(Condition.STALLED).orElseThrow().isTrue()).isTrue();
    assertThat(TestCluster.eventReasons(ns, "stuck-backup")).contains("WaitingForSnapshot", "SnapshotNotReady");
    driver.resume(SLOW);
  }

  @Test
  void anOperatorRestartWhileTheSnapshotIsCutMakesOneSnapshotAndOneTemporaryPvc() {
    String restartNs = TestCluster.newNamespace("snapshot-restart");
    Given.secret(restartNs, "s3", Given.S3_KEYS);
    Given.boundPvc(restartNs, "ledger", "csi");
    driver.pause(SLOW);
    try (RunningOperator first = RunningOperator.start(restartNs)) {
      Given.dataMover(restartNs, "ledger-backup", "ledger", "s3", "copyMethod: Snapshot\nvolumeSnapshotClassName: " + SLOW);
      await().atMost(Duration.ofSeconds(30)).until(() -> VolumeSnapshots.get(restartNs, "ledger-backup-snapshot").isPresent()
          && "CreatingSnapshot".equals(TestCluster.get(restartNs, "ledger-backup").getStatus().phase()));
    }
    driver.resume(SLOW);
    try (RunningOperator second = RunningOperator.start(restartNs)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> "CreatingPod".equals(TestCluster.get(restartNs, "ledger-backup").getStatus().phase()));
      new KubeletStandIn(restartNs, "ledger-backup-mover").nextPodExits(0, FullRunIT.SUCCESS);
      await().atMost(Duration.ofSeconds(60)).until(() -> "Completed".equals(TestCluster.get(restartNs, "ledger-backup").getStatus().phase()));
    }
    assertThat(VolumeSnapshots.list(restartNs)).extracting(VolumeSnapshot::name).containsExactly("ledger-backup-snapshot");
    assertThat(TestCluster.server().runKubectl("get", "pvc", "-n", restartNs, "-l", SELECTOR, "-o", "name").strip())
        .isEqualTo("persistentvolumeclaim/ledger-backup-from-snapshot");
    assertThat(TestCluster.eventReasons(restartNs, "ledger-backup")).containsOnlyOnce("CreatingVolumeSnapshot", "SnapshotReady", "MoverJobCreated");
  }

  @Test
  void deletingARunMidwayRemovesItsSnapshotPvcAndJobThroughTheGarbageCollector() throws Exception {
    Given.boundPvc(ns, "cart", "csi");
    Given.dataMover(ns, "cart-backup", "cart", "s3", "copyMethod: Snapshot");
    await().atMost(Duration.ofSeconds(60)).until(() -> "CreatingPod".equals(status("cart-backup").phase()) && Schedules.jobExists(ns, "cart-backup"));
    assertThat(VolumeSnapshots.get(ns, "cart-backup-snapshot")).isPresent();

    TestCluster.dataMovers().delete(ns, "cart-backup").throwsApiException();

    await().atMost(Duration.ofSeconds(90)).until(() -> VolumeSnapshots.get(ns, "cart-backup-snapshot").isEmpty()
        && pvcPhase("cart-backup-from-snapshot") == null
        && !Schedules.jobExists(ns, "cart-backup"));
    assertThat(pvcPhase("cart")).as("the source is untouched").isEqualTo("Bound");
  }

  private static String pvcPhase(String name) {
    try {
      V1PersistentVolumeClaim pvc = TestCluster.core().readNamespacedPersistentVolumeClaim(name, ns).execute();
      return pvc.getStatus() == null || pvc.getStatus().getPhase() == null ? "" : pvc.getStatus().getPhase();
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return null;
      }
      throw new IllegalStateException(e.getResponseBody(), e);
    }
  }
}
