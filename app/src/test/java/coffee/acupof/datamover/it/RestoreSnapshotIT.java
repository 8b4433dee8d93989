package coffee.acupof.datamover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.api.DataMoverRestoreStatus;
import coffee.acupof.datamover.testkit.storage.LocalProvisioner;
import coffee.acupof.datamover.testkit.storage.LocalSnapshotter;
import coffee.acupof.datamover.volume.VolumeSnapshot;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimSpec;
import io.kubernetes.client.openapi.models.V1TypedObjectReference;
import io.kubernetes.client.openapi.models.V1VolumeResourceRequirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Restores with {@code copyMethod: Snapshot} on the real API server with the real snapshot-controller:
 * after the restore, a VolumeSnapshot of the target is published as {@code status.latestImage}, and a
 * PVC created from it starts with the target's data. The test plays the mover (its outcome, and the
 * file it would have restored).
 */
class RestoreSnapshotIT {
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

  private static String template() {
    return """
        targetPvcTemplate:
          storageClassName: csi
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 1Gi}}
        """;
  }

  /** The mover's part: the restored file in the target's volume, then a successful exit. */
  private static void restoreFinishes(String restore, String target, String content) throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> jobExists(restore + "-restore"));
    await().atMost(Duration.ofSeconds(30)).until(() -> volumeName(target) != null);
    Path volume = TestCluster.cluster().provisioner().directoryOf(volumeName(target)).orElseThrow();
    Files.writeString(volume.resolve("restored.txt"), content);
    new KubeletStandIn(ns, restore + "-restore").nextPodExits(0, RestoreFlowIT.RESTORED);
  }

  @Test
  void aRestoreWithCopyMethodSnapshotPublishesAnImageThatNewPvcsStartFrom() throws Exception {
    try (Given.PhaseHistory history = new Given.PhaseHistory(DataMoverApi.RESTORES, ns, "publish")) {
      Given.restore(ns, "publish", "sourcePvc: db\nsecretName: s3\ntargetPvc: db-seed\ncopyMethod: Snapshot\n" + template());
      restoreFinishes("publish", "db-seed", "row 1");
      await().atMost(Duration.ofSeconds(60)).until(() -> "Completed".equals(status("publish").phase()));
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
    createPvcFrom("db-copy", "publish-snapshot");
    await().atMost(Duration.ofSeconds(30)).until(() -> volumeName("db-copy") != null);
    Path copy = TestCluster.cluster().provisioner().directoryOf(volumeName("db-copy")).orElseThrow();
    assertThat(copy.resolve("restored.txt")).hasContent("row 1");
    assertThat(pvc("db-seed")).as("the target is kept by default").isNotNull();
  }

  @Test
  void withDeleteTargetPvcAfterSnapshotOnlyTheImageRemains() throws Exception {
    Given.restore(ns, "image-only", "sourcePvc: db\nsecretName: s3\ntargetPvc: db-scratch\ncopyMethod: Snapshot\n"
        + "deleteTargetPvcAfterSnapshot: true\nvolumeSnapshotClassName: " + VolumeSnapshots.DEFAULT_CLASS + "\n" + template());
    restoreFinishes("image-only", "db-scratch", "row 2");

    await().atMost(Duration.ofSeconds(60)).until(() -> "Completed".equals(status("image-only").phase()));
    assertThat(status("image-only").message()).endsWith("PVC db-scratch deleted (deleteTargetPvcAfterSnapshot: the snapshot holds the data)");
    await().atMost(Duration.ofSeconds(30)).until(() -> pvc("db-scratch") == null);
    assertThat(driver.directoryOf(ns, "image-only-snapshot").orElseThrow().resolve("restored.txt")).hasContent("row 2");
  }

  static void createPvcFrom(String namespace, String name, String snapshot) throws ApiException {
    TestCluster.core().createNamespacedPersistentVolumeClaim(namespace, new V1PersistentVolumeClaim()
        .metadata(new V1ObjectMeta().name(name))
        .spec(new V1PersistentVolumeClaimSpec()
            .storageClassName("csi")
            .accessModes(List.of("ReadWriteOnce"))
            .resources(new V1VolumeResourceRequirements().requests(Map.of("storage", Quantity.fromString("1Gi"))))
            .dataSourceRef(new V1TypedObjectReference().apiGroup("snapshot.storage.k8s.io").kind("VolumeSnapshot").name(snapshot))))
        .execute();
  }

  private static void createPvcFrom(String name, String snapshot) throws ApiException {
    createPvcFrom(ns, name, snapshot);
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

  private static boolean jobExists(String name) {
    try {
      TestCluster.batch().readNamespacedJob(name, ns).execute();
      return true;
    } catch (ApiException e) {
      return false;
    }
  }
}
