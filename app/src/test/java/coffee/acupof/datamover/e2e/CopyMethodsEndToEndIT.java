package coffee.acupof.datamover.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coffee.acupof.datamover.api.DataMoverRestoreStatus;
import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.it.Given;
import coffee.acupof.datamover.it.Schedules;
import coffee.acupof.datamover.it.TestCluster;
import coffee.acupof.datamover.it.VolumeSnapshots;
import coffee.acupof.datamover.testkit.storage.LocalProvisioner;
import coffee.acupof.datamover.volume.VolumeSnapshot;
import io.kubernetes.client.openapi.ApiException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The copy methods with every part real but the kubelet and the CSI driver: the operator jar under the
 * shipped RBAC, the real snapshot-controller, the Java mover with rclone and S3. A backup by each method
 * restores byte-identically; a restore with {@code copyMethod: Snapshot} publishes an image a new PVC
 * starts from; a schedule of restores publishes the newest backup as a new image per run and prunes
 * the oldest.
 */
class CopyMethodsEndToEndIT {
  private static EndToEnd e2e;

  @BeforeAll
  static void start() {
    VolumeSnapshots.install();
    e2e = new EndToEnd("e2e-copy");
    e2e.bucketWithSecret("backups", "s3");
    LocalProvisioner.ensureStorageClass(TestCluster.admin(), "csi", "Immediate");
    e2e.startOperator();
  }

  @AfterAll
  static void stop() {
    if (e2e != null) {
      e2e.close();
    }
  }

  @Test
  void aBackupByEachCopyMethodRestoresByteIdentically() throws Exception {
    Path source = e2e.volume("ledger");
    Trees.writeSample(source, "ledger");
    Given.boundPvc(e2e.namespace, "ledger", "csi");

    for (String method : List.of("Clone", "Snapshot", "Direct")) {
      String name = "ledger-" + method.toLowerCase();
      Given.dataMover(e2e.namespace, name, "ledger", "s3",
          "copyMethod: " + method + "\naddTimestampPrefix: true\ndeletePvcAfterBackup: true\npath: shop/" + name);
      DataMoverStatus backup = e2e.awaitBackup(name);
      assertThat(backup.filesTransferred()).as(method).isGreaterThanOrEqualTo(23);

      Path restored = e2e.restore(e2e.s3Secret("backups"), Map.of(
          "ADD_TIMESTAMP_PREFIX", "true",
          "MOVER_RESTORE_POINT", backup.pointInTime(),
          "MOVER_PATH", "shop/" + name,
          "MOVER_SOURCE", e2e.namespace + "/ledger"));
      assertThat(Trees.fingerprint(restored)).as("restored from the %s backup", method).isEqualTo(Trees.fingerprint(source));
    }
    // The source is untouched by all three, and the temporary objects are gone.
    assertThat(Trees.fingerprint(source)).isEqualTo(Trees.fingerprint(restoredSample()));
    // Each mover pod came after the clone or the PVC from the snapshot was bound: none waited in the scheduler.
    assertThat(e2e.podsCreatedBeforeTheirVolumeBound()).isEmpty();
    await().atMost(Duration.ofSeconds(60)).until(() -> VolumeSnapshots.get(e2e.namespace, "ledger-snapshot-snapshot").isEmpty());
  }

  @Test
  void aRestoreWithCopyMethodSnapshotPublishesAnImageThatANewPvcStartsFrom() throws Exception {
    Path source = e2e.volume("catalog");
    Trees.writeSample(source, "catalog");
    Given.boundPvc(e2e.namespace, "catalog", "csi");
    Given.dataMover(e2e.namespace, "catalog-backup", "catalog", "s3", "addTimestampPrefix: true\npath: shop/catalog");
    e2e.awaitBackup("catalog-backup");

    Given.restore(e2e.namespace, "catalog-image", """
        sourcePvc: catalog
        secretName: s3
        path: shop/catalog
        targetPvc: catalog-seed
        targetPvcTemplate:
          storageClassName: csi
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 1Gi}}
        copyMethod: Snapshot
        """);
    DataMoverRestoreStatus restore = e2e.awaitRestore("catalog-image");

    assertThat(restore.latestImage().getName()).isEqualTo("catalog-image-snapshot");
    assertThat(VolumeSnapshots.get(e2e.namespace, "catalog-image-snapshot").orElseThrow().isReady()).isTrue();
    VolumeSnapshots.createPvcFrom(e2e.namespace, "catalog-copy", restore.latestImage().getName());
    assertThat(Trees.fingerprint(directoryOf("catalog-copy"))).isEqualTo(Trees.fingerprint(source));
  }

  @Test
  void aScheduleOfRestoresPublishesTheNewestBackupAsANewImagePerRunAndPrunesTheOldest() throws Exception {
    Path source = e2e.volume("inventory");
    Files.createDirectories(source);
    Given.boundPvc(e2e.namespace, "inventory", "csi");
    Schedules.apply(e2e.namespace, "inventory-images", "0 3 * * *", "inventory", "s3", """
        restore:
          targetPvcTemplate:
            storageClassName: csi
            accessModes: [ReadWriteOnce]
            resources: {requests: {storage: 1Gi}}
          keepImages: 2
        """);

    List<String> images = new ArrayList<>();
    for (int version = 1; version <= 3; version++) {
      // A new backup of the source (where a backup schedule of it writes: <namespace>/<sourcePvc>) ...
      Files.writeString(source.resolve("stock.csv"), "item,count\nwidget," + version + "\n");
      String backup = "inventory-backup-" + version;
      Given.dataMover(e2e.namespace, backup, "inventory", "s3", "addTimestampPrefix: true\npath: " + e2e.namespace + "/inventory");
      e2e.awaitBackup(backup);
      // ... then a run of the schedule publishes it.
      Schedules.patchSpec(e2e.namespace, "inventory-images", "{\"manualTrigger\":\"" + version + "\"}");
      String run = "inventory-images-manual-" + Schedules.get(e2e.namespace, "inventory-images").getMetadata().getGeneration();
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> TestCluster.restore(e2e.namespace, run) != null);
      e2e.awaitRestore(run);
      String image = run + "-snapshot";
      images.add(image);
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        var latest = Schedules.get(e2e.namespace, "inventory-images").getStatus().latestImage();
        return latest != null && image.equals(latest.getName());
      });
      VolumeSnapshots.createPvcFrom(e2e.namespace, "inventory-v" + version, image);
      assertThat(directoryOf("inventory-v" + version).resolve("stock.csv")).hasContent("item,count\nwidget," + version + "\n");
    }

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(VolumeSnapshots.list(e2e.namespace))
        .extracting(VolumeSnapshot::name)
        .filteredOn(n -> n.startsWith("inventory-images-"))
        .containsExactlyInAnyOrder(images.get(1), images.get(2)));
  }

  /** A fresh copy of the sample tree, to show that the source volumes were not changed. */
  private static Path restoredSample() throws Exception {
    Path copy = Files.createTempDirectory(e2e.volumes, "expected");
    Trees.writeSample(copy, "ledger");
    return copy;
  }

  private static Path directoryOf(String pvc) throws ApiException {
    await().atMost(Duration.ofSeconds(60)).until(() -> volumeName(pvc) != null);
    return TestCluster.cluster().provisioner().directoryOf(volumeName(pvc)).orElseThrow();
  }

  private static String volumeName(String pvc) throws ApiException {
    String volume = TestCluster.core().readNamespacedPersistentVolumeClaim(pvc, e2e.namespace).execute().getSpec().getVolumeName();
    return volume == null || volume.isBlank() ? null : volume;
  }
}
