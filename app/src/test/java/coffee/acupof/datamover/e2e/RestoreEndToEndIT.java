package coffee.acupof.datamover.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coffee.acupof.datamover.api.DataMoverRestoreStatus;
import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.it.Given;
import coffee.acupof.datamover.it.TestCluster;
import coffee.acupof.datamover.testkit.storage.LocalProvisioner;
import io.kubernetes.client.custom.Quantity;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Restores through the DataMoverRestore API with every part real but the kubelet and the CSI driver:
 * the operator under its shipped RBAC, the Java mover, rclone and S3. The namespace is {@code legacy},
 * the one the bash mover's fixture backup was written for.
 */
class RestoreEndToEndIT {
  private static EndToEnd e2e;

  @BeforeAll
  static void start() throws Exception {
    e2e = EndToEnd.inNamespace("legacy");
    e2e.bucketWithSecret("backups", "s3");
    // The class the restores' templates name (the CSI driver the test kit plays).
    LocalProvisioner.ensureStorageClass(TestCluster.admin(), "csi", "Immediate");
    e2e.startOperator();
  }

  @AfterAll
  static void stop() {
    if (e2e != null) {
      e2e.close();
    }
  }

  private static Path directoryOf(String pvc) throws Exception {
    String volume = TestCluster.core().readNamespacedPersistentVolumeClaim(pvc, e2e.namespace).execute().getSpec().getVolumeName();
    return TestCluster.cluster().provisioner().directoryOf(volume).orElseThrow();
  }

  @Test
  void aLargeTreeComesBackByteIdenticalWithItsMetadata() throws Exception {
    Path source = e2e.volume("warehouse");
    Trees.writeLarge(source, 42, 100, 100, 64L << 20);
    Given.boundPvc(e2e.namespace, "warehouse", "csi");
    Given.dataMover(e2e.namespace, "backup-warehouse", "warehouse", "s3", "addTimestampPrefix: true\npath: shop/warehouse");
    await().atMost(Duration.ofMinutes(5)).until(() -> TestCluster.get(e2e.namespace, "backup-warehouse").getStatus().phaseValue().isTerminal());
    DataMoverStatus backup = TestCluster.get(e2e.namespace, "backup-warehouse").getStatus();
    assertThat(backup.phase()).as(backup.message()).isEqualTo("Completed");
    assertThat(backup.filesTransferred()).isGreaterThanOrEqualTo(10_000);

    Given.restore(e2e.namespace, "restore-warehouse", """
        sourcePvc: warehouse
        secretName: s3
        path: shop/warehouse
        targetPvc: warehouse-restored
        targetPvcTemplate:
          storageClassName: csi
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 1Gi}}
        """);
    DataMoverRestoreStatus status = e2e.awaitRestore("restore-warehouse");

    assertThat(status.pointInTime()).isEqualTo(backup.pointInTime());
    assertThat(status.source()).isEqualTo("s3:backups/shop/warehouse/" + backup.pointInTime());
    assertThat(status.verified()).isTrue();
    Path restored = directoryOf("warehouse-restored");
    assertThat(Trees.fingerprint(restored)).isEqualTo(Trees.fingerprint(source));
    assertThat(Trees.metadata(restored)).isEqualTo(Trees.metadata(source));
  }

  @Test
  void aPvcThatNamesTheRestoreAsItsDataSourceStartsWithTheBackup() throws Exception {
    Trees.writeSample(e2e.volume("catalog"), "catalog");
    Given.boundPvc(e2e.namespace, "catalog", "csi");
    Given.dataMover(e2e.namespace, "backup-catalog", "catalog", "s3", "addTimestampPrefix: true\npath: shop/catalog");
    await().atMost(Duration.ofMinutes(3)).until(() -> "Completed".equals(TestCluster.get(e2e.namespace, "backup-catalog").getStatus().phase()));

    Given.restore(e2e.namespace, "seed-catalog", "sourcePvc: catalog\nsecretName: s3\npath: shop/catalog");
    TestCluster.core().createNamespacedPersistentVolumeClaim(e2e.namespace,
        new V1PersistentVolumeClaim()
            .metadata(new V1ObjectMeta().name("catalog-copy").namespace(e2e.namespace))
            .spec(new V1PersistentVolumeClaimSpec()
                .storageClassName("csi")
                .accessModes(List.of("ReadWriteOnce"))
                .resources(new V1VolumeResourceRequirements().requests(Map.of("storage", Quantity.fromString("1Gi"))))
                .dataSourceRef(new V1TypedObjectReference().apiGroup("datamover.a-cup-of.coffee").kind("DataMoverRestore").name("seed-catalog"))))
        .execute();

    e2e.awaitRestore("seed-catalog");
    assertThat(TestCluster.core().readNamespacedPersistentVolumeClaim("catalog-copy", e2e.namespace).execute().getStatus().getPhase()).isEqualTo("Bound");
    assertThat(Trees.fingerprint(directoryOf("catalog-copy"))).isEqualTo(Trees.fingerprint(e2e.volume("catalog")));
  }

  @Test
  void aBackupWrittenByTheBashMoverRestoresToo() throws Exception {
    Path fixture = TestCluster.repoRoot().resolve("rclone-image/src/test/resources/bash-mover-backup");
    e2e.s3.createBucket("legacy-backups");
    try (Stream<Path> files = Files.walk(fixture)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String key = fixture.relativize(file).toString();
        if (!key.equals("README.md")) {
          e2e.s3.putObject("legacy-backups", key, Files.readAllBytes(file));
        }
      }
    }
    Given.secret(e2e.namespace, "legacy-s3", e2e.s3Secret("legacy-backups"));

    Given.restore(e2e.namespace, "restore-bash-point", """
        sourcePvc: pvc
        secretName: legacy-s3
        path: timestamped
        pointInTime: latest
        targetPvc: bash-point-restored
        targetPvcTemplate:
          storageClassName: csi
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 1Gi}}
        """);
    Given.restore(e2e.namespace, "restore-bash-fixed", """
        sourcePvc: pvc
        secretName: legacy-s3
        path: fixed-path
        pointInTime: fixed
        targetPvc: bash-fixed-restored
        targetPvcTemplate:
          storageClassName: csi
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 1Gi}}
        """);

    assertThat(e2e.awaitRestore("restore-bash-point").pointInTime()).isEqualTo("2025-01-02-030405");
    e2e.awaitRestore("restore-bash-fixed");
    // The restore pods came after their new targets were bound: none waited in the scheduler.
    assertThat(e2e.podsCreatedBeforeTheirVolumeBound()).isEmpty();
    for (Path restored : List.of(directoryOf("bash-point-restored"), directoryOf("bash-fixed-restored"))) {
      assertThat(restored.resolve("hello.txt")).hasSameBinaryContentAs(fixture.resolve("fixed-path/hello.txt"));
      assertThat(restored.resolve("nested/random.bin")).hasSameBinaryContentAs(fixture.resolve("fixed-path/nested/random.bin"));
      assertThat(restored.resolve("ünïcødé/café.txt")).hasSameBinaryContentAs(fixture.resolve("fixed-path/ünïcødé/café.txt"));
      assertThat(Files.isSymbolicLink(restored.resolve("link-to-file"))).isTrue();
      assertThat(restored.resolve("nested/deeper")).isDirectory();
    }
  }
}
