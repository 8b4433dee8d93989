package coffee.acupof.datamover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.api.DataMoverRestore;
import coffee.acupof.datamover.api.DataMoverScheduleStatus;
import coffee.acupof.datamover.testkit.storage.LocalProvisioner;
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
 * A DataMoverSchedule with {@code restore} on the real API server and snapshot-controller: every run
 * is a DataMoverRestore of the newest backup into a PVC of its own, publishes a snapshot of it and
 * deletes the PVC; the schedule names the newest image and keeps {@code keepImages} of them. Runs are
 * started with {@code manualTrigger}; the test plays the mover.
 */
class ScheduledRestoresIT {
  private static final String SCHEDULE = "seed";
  private static String ns;
  private static RunningOperator operator;

  @BeforeAll
  static void start() {
    VolumeSnapshots.install();
    ns = TestCluster.newNamespace("scheduled-restores");
    Given.secret(ns, "s3", Given.S3_KEYS);
    LocalProvisioner.ensureStorageClass(TestCluster.admin(), "csi", "Immediate");
    operator = RunningOperator.start(ns);
  }

  @AfterAll
  static void stop() {
    operator.close();
  }

  @Test
  void everyRunPublishesANewImageAndTheOldestBeyondKeepImagesGo() throws Exception {
    Schedules.apply(ns, SCHEDULE, "0 3 * * *", "orders", "s3", """
        restore:
          targetPvcTemplate:
            storageClassName: csi
            accessModes: [ReadWriteOnce]
            resources: {requests: {storage: 1Gi}}
          keepImages: 2
        """);
    List<String> images = new ArrayList<>();
    for (int n = 1; n <= 3; n++) {
      Schedules.patchSpec(ns, SCHEDULE, "{\"manualTrigger\":\"" + n + "\"}");
      String run = SCHEDULE + "-manual-" + Schedules.get(ns, SCHEDULE).getMetadata().getGeneration();
      runRestores(run, "version " + n);
      String image = run + "-snapshot";
      images.add(image);
      DataMoverScheduleStatus status = awaitLatestImage(image);
      assertThat(status.lastRun().name()).isEqualTo(run);
      assertThat(status.lastRun().result()).isEqualTo("Succeeded");
      assertThat(status.condition("LastRestoreSucceeded").orElseThrow().isTrue()).isTrue();
      // The run's own PVC is gone: the image holds the data.
      await().atMost(Duration.ofSeconds(30)).until(() -> pvc(run) == null);
    }

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(VolumeSnapshots.list(ns)).extracting(VolumeSnapshot::name).containsExactlyInAnyOrder(images.get(1), images.get(2)));
    VolumeSnapshot newest = VolumeSnapshots.get(ns, images.get(2)).orElseThrow();
    assertThat(newest.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> assertThat(r.getKind()).isEqualTo("DataMoverSchedule"));
    assertThat(TestCluster.eventReasons(ns, SCHEDULE)).contains("RestoreSucceeded", "ImagesPruned");
    assertThat(TestCluster.server().runKubectl("get", "datamoverschedules", "-n", ns, "-o", "wide")).contains(images.get(2));

    // Fan-out: a PVC from the schedule's latest image starts with the newest restored data.
    RestoreSnapshotIT.createPvcFrom(ns, "orders-copy", images.get(2));
    await().atMost(Duration.ofSeconds(30)).until(() -> pvc("orders-copy") != null && pvc("orders-copy").getSpec().getVolumeName() != null);
    Path copy = TestCluster.cluster().provisioner().directoryOf(pvc("orders-copy").getSpec().getVolumeName()).orElseThrow();
    assertThat(copy.resolve("restored.txt")).hasContent("version 3");
  }

  /** The run's restore: into its own new PVC, which gets the data the mover would have written. */
  private static void runRestores(String run, String content) throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> restore(run) != null);
    DataMoverRestore restore = restore(run);
    assertThat(restore.getSpec().copyMethod()).isEqualTo("Snapshot");
    assertThat(restore.getSpec().targetPvc()).isEqualTo(run);
    await().atMost(Duration.ofSeconds(30)).until(() -> pvc(run) != null && pvc(run).getSpec().getVolumeName() != null);
    Path volume = TestCluster.cluster().provisioner().directoryOf(pvc(run).getSpec().getVolumeName()).orElseThrow();
    Files.writeString(volume.resolve("restored.txt"), content);
    new KubeletStandIn(ns, run + "-restore").nextPodExits(0, RestoreFlowIT.RESTORED);
    await().atMost(Duration.ofSeconds(60)).until(() -> "Completed".equals(restore(run).getStatus().phase()));
  }

  private static DataMoverScheduleStatus awaitLatestImage(String image) {
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      var latest = Schedules.get(ns, SCHEDULE).getStatus().latestImage();
      return latest != null && image.equals(latest.getName());
    });
    return Schedules.get(ns, SCHEDULE).getStatus();
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
}
