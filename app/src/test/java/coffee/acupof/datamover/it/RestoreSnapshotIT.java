package coffee.acupof.datamover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.api.DataMoverRestore;
import coffee.acupof.datamover.api.DataMoverRestoreStatus;
import coffee.acupof.datamover.api.DataMoverScheduleStatus;
import coffee.acupof.datamover.testkit.storage.LocalProvisioner;
import coffee.acupof.datamover.testkit.storage.LocalSnapshotter;
import coffee.acupof.datamover.volume.VolumeSnapshot;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Restores with {@code copyMethod: Snapshot} on the real API server with the real snapshot-controller:
 * after the restore, a VolumeSnapshot of the target is published as {@code status.latestImage}, and a
 * PVC created from it starts with the target's data; a DataMoverSchedule with {@code restore} publishes
 * an image per run and keeps {@code keepImages} of them. The test plays the mover (its outcome, and the
 * file it would have restored); runs of the schedule are started with {@code manualTrigger}.
 */
class RestoreSnapshotIT {
  private static final String TEMPLATE = """
      targetPvcTemplate:
        storageClassName: csi
        accessModes: [ReadWriteOnce]
        resources: {requests: {storage: 1Gi}}
      """;
  private static String ns;
  private static LocalSnapshotter driver;
  private static RunningOperator operator;

  @BeforeAll
  static void start() {
    driver = VolumeSnapshots.install();
    ns = TestCluster.newNamespace("restore-snapshot");
    Given.secret(ns, "s3", Given.S3_KEYS);
    LocalProvisioner.ensureStorageClass(TestCluster.admin(), "csi", "Immediate");
    operator = RunningOperator.start(ns);
  }

  @AfterAll
  static void stop() {
    operator.close();
  }

  private static DataMoverRestoreStatus status(String name) {
    return TestCluster.restore(ns, name).getStatus();
  }

  /** The mover's part: the restored file in the target's volume, then a successful exit; returns once the restore completed. */
  private static void restoreFinishes(String restore, String target, String content) throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> jobExists(restore + "-restore") && volumeName(target) != null);
    Files.writeString(volumeOf(target).resolve("restored.txt"), content);
    new KubeletStandIn(ns, restore + "-restore").nextPodExits(0, RestoreFlowIT.RESTORED);
    await().atMost(Duration.ofSeconds(60)).until(() -> "Completed".equals(status(restore).phase()));
  }

  @Test
  void aRestoreWithCopyMethodSnapshotPublishesAnImageThatNewPvcsStartFrom() throws Exception {
    try (Given.PhaseHistory history = new Given.PhaseHistory(DataMoverApi.RESTORES, ns, "publish")) {
      Given.restore(ns, "publish", "sourcePvc: db\nsecretName: s3\ntargetPvc: db-seed\ncopyMethod: Snapshot\n" + TEMPLATE);
      restoreFinishes("publish", "db-seed", "row 1");
      await().atMost(Duration.ofSeconds(5)).until(() -> history.phases().contains("Completed"));
      assertThat(history.phases()).containsExactly("", "PreparingTarget", "Restoring", "CreatingSnapshot", "CleaningUp", "Completed");
    }
    DataMoverRestoreStatus done = status("publish");
    assertThat(done.latestImage().getApiGroup()).isEqualTo("snapshot.storage.k8s.io");
    assertThat(done.latestImage().getKind()).isEqualTo("VolumeSnapshot");
    assertThat(done.latestImage().getName()).isEqualTo("publish-snapshot");
    VolumeSnapshot image = VolumeSnapshots.get(ns, "publish-snapshot").orElseThrow();
    assertThat(image.isReady()).isTrue();
    assertThat(image.sourcePvc()).contains("db-seed");
    assertThat(image.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> assertThat(r.getKind()).isEqualTo("DataMoverRestore"));
    assertThat(TestCluster.eventReasons(ns, "publish")).containsSubsequence("RestoreSucceeded", "CreatingVolumeSnapshot", "ImagePublished", "Completed");
    assertThat(TestCluster.server().runKubectl("get", "datamoverrestores", "-n", ns, "-o", "wide")).contains("publish-snapshot");

    // Fan-out: a PVC from the published image holds the restored data.
    VolumeSnapshots.createPvcFrom(ns, "db-copy", "publish-snapshot");
    assertThat(volumeOf("db-copy").resolve("restored.txt")).hasContent("row 1");
    assertThat(pvc("db-seed")).as("the target is kept by default").isNotNull();
  }

  @Test
  void withDeleteTargetPvcAfterSnapshotOnlyTheImageRemains() throws Exception {
    Given.restore(ns, "image-only", "sourcePvc: db\nsecretName: s3\ntargetPvc: db-scratch\ncopyMethod: Snapshot\n"
        + "deleteTargetPvcAfterSnapshot: true\nvolumeSnapshotClassName: " + VolumeSnapshots.DEFAULT_CLASS + "\n" + TEMPLATE);
    restoreFinishes("image-only", "db-scratch", "row 2");

    assertThat(status("image-only").message()).endsWith("PVC db-scratch deleted (deleteTargetPvcAfterSnapshot: the snapshot holds the data)");
    await().atMost(Duration.ofSeconds(30)).until(() -> pvc("db-scratch") == null);
    assertThat(driver.directoryOf(ns, "image-only-snapshot").orElseThrow().resolve("restored.txt")).hasContent("row 2");
  }

  @Test
  void aScheduleOfRestoresPublishesAnImagePerRunAndTheOldestBeyondKeepImagesGo() throws Exception {
    Schedules.apply(ns, "seed", "0 3 * * *", "orders", "s3", "restore:\n" + TEMPLATE.indent(2) + "  keepImages: 2\n");
    List<String> images = new ArrayList<>();
    for (int n = 1; n <= 3; n++) {
      Schedules.patchSpec(ns, "seed", "{\"manualTrigger\":\"" + n + "\"}");
      String run = "seed-manual-" + Schedules.get(ns, "seed").getMetadata().getGeneration();
      await().atMost(Duration.ofSeconds(30)).until(() -> restore(run) != null);
      assertThat(restore(run).getSpec().copyMethod()).isEqualTo("Snapshot");
      assertThat(restore(run).getSpec().targetPvc()).as("each run restores into a PVC of its own").isEqualTo(run);
      restoreFinishes(run, run, "version " + n);
      String image = run + "-snapshot";
      images.add(image);
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        var latest = Schedules.get(ns, "seed").getStatus().latestImage();
        return latest != null && image.equals(latest.getName());
      });
      DataMoverScheduleStatus status = Schedules.get(ns, "seed").getStatus();
      assertThat(status.lastRun().name()).isEqualTo(run);
      assertThat(status.lastRun().result()).isEqualTo("Succeeded");
      assertThat(status.condition("LastRestoreSucceeded").orElseThrow().isTrue()).isTrue();
      // The run's own PVC is gone: the image holds the data.
      await().atMost(Duration.ofSeconds(30)).until(() -> pvc(run) == null);
    }

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(VolumeSnapshots.list(ns)).extracting(VolumeSnapshot::name)
        .filteredOn(name -> name.startsWith("seed-"))
        .containsExactlyInAnyOrder(images.get(1), images.get(2)));
    VolumeSnapshot newest = VolumeSnapshots.get(ns, images.get(2)).orElseThrow();
    assertThat(newest.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> assertThat(r.getKind()).isEqualTo("DataMoverSchedule"));
    assertThat(TestCluster.eventReasons(ns, "seed")).contains("RestoreSucceeded", "ImagesPruned");
    assertThat(TestCluster.server().runKubectl("get", "datamoverschedules", "-n", ns, "-o", "wide")).contains(images.get(2));

    // Fan-out: a PVC from the schedule's latest image starts with the newest restored data.
    VolumeSnapshots.createPvcFrom(ns, "orders-copy", images.get(2));
    assertThat(volumeOf("orders-copy").resolve("restored.txt")).hasContent("version 3");
  }

  private static DataMoverRestore restore(String name) {
    var response = DataMoverApi.RESTORES.api(TestCluster.admin()).get(ns, name);
    return response.getHttpStatusCode() == 404 ? null : response.getObject();
  }

  private static V1PersistentVolumeClaim pvc(String name) throws ApiException {
    try {
      return TestCluster.core().readNamespacedPersistentVolumeClaim(name, ns).execute();
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return null;
      }
      throw e;
    }
  }

  private static String volumeName(String claim) throws ApiException {
    V1PersistentVolumeClaim pvc = pvc(claim);
    return pvc == null || pvc.getSpec().getVolumeName() == null || pvc.getSpec().getVolumeName().isBlank() ? null : pvc.getSpec().getVolumeName();
  }

  /** The directory of the volume bound to {@code claim}, once it is bound. */
  private static Path volumeOf(String claim) throws ApiException {
    await().atMost(Duration.ofSeconds(30)).until(() -> volumeName(claim) != null);
    return TestCluster.cluster().provisioner().directoryOf(volumeName(claim)).orElseThrow();
  }

  private static boolean jobExists(String name) {
    try {
      TestCluster.batch().readNamespacedJob(name, ns).execute();
      return true;
    } catch (ApiException e) {
      return false;
    }
  }
}
