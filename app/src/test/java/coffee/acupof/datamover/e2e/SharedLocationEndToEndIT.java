package coffee.acupof.datamover.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverRestoreStatus;
import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.it.Given;
import coffee.acupof.datamover.it.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Several volumes backed up with one Secret into one bucket, the Go operator's README layout (issue 7):
 * no backup may destroy another's data. With every part real but the kubelet and the CSI driver: the
 * operator under its shipped RBAC, the Java mover, rclone and S3.
 */
class SharedLocationEndToEndIT {
  private static EndToEnd e2e;
  private static OperatorProcess operator;

  @BeforeAll
  static void start() {
    e2e = new EndToEnd("e2e-shared");
    e2e.s3.createBucket("backups");
    Given.secret(e2e.namespace, "s3", e2e.s3Secret("backups"));
    operator = e2e.startOperator();
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (e2e != null) {
      e2e.close();
    }
  }

  private static void source(String pvc) throws Exception {
    Trees.writeSample(e2e.volume(pvc), pvc);
    Given.boundPvc(e2e.namespace, pvc, "csi");
  }

  private static String manifest(String name, String pvc, boolean timestamped) {
    return """
        ---
        apiVersion: datamover.a-cup-of.coffee/v1alpha1
        kind: DataMover
        metadata:
          name: %s
        spec:
          sourcePvc: %s
          secretName: s3
          addTimestampPrefix: %s
        """.formatted(name, pvc, timestamped);
  }

  private static DataMoverStatus awaitEnd(String name) {
    await().atMost(Duration.ofMinutes(3)).until(() -> TestCluster.get(e2e.namespace, name).getStatus().phaseValue().isTerminal());
    return TestCluster.get(e2e.namespace, name).getStatus();
  }

  /** Restores through a DataMoverRestore into a new PVC; returns that PVC's directory. */
  private static Path restore(String name, String sourcePvc, String pointInTime) throws Exception {
    return restore(name, sourcePvc, pointInTime, "");
  }

  private static Path restore(String name, String sourcePvc, String pointInTime, String path) throws Exception {
    Given.restore(e2e.namespace, name, """
        sourcePvc: %s
        secretName: s3
        path: "%s"
        pointInTime: "%s"
        targetPvc: %s-restored
        targetPvcTemplate:
          storageClassName: csi
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 1Gi}}
        """.formatted(sourcePvc, path, pointInTime, name));
    await().atMost(Duration.ofMinutes(3)).until(() -> TestCluster.restore(e2e.namespace, name).getStatus().phaseValue().isTerminal());
    DataMoverRestoreStatus status = TestCluster.restore(e2e.namespace, name).getStatus();
    assertThat(status.phase()).as("%s: %s", name, status.message()).isEqualTo("Completed");
    return TestCluster.cluster().provisioner().directoryOf(status.volumeName() != null ? status.volumeName()
        : TestCluster.core().readNamespacedPersistentVolumeClaim(name + "-restored", e2e.namespace).execute().getSpec().getVolumeName()).orElseThrow();
  }

  @Test
  void timestampedBackupsOfSeveralVolumesAppliedTogetherEachKeepTheirOwnPoint() throws Exception {
    List<String> volumes = List.of("orders", "users", "carts");
    StringBuilder manifests = new StringBuilder();
    for (String volume : volumes) {
      source(volume);
      manifests.append(manifest("backup-" + volume, volume, true));
    }
    Given.kubectlApply(e2e.namespace, manifests.toString());

    for (String volume : volumes) {
      DataMoverStatus status = awaitEnd("backup-" + volume);
      assertThat(status.phase()).as("backup-%s: %s", volume, status.message()).isEqualTo("Completed");
      assertThat(status.destination()).isEqualTo("s3:backups/" + status.pointInTime());
    }
    List<String> points = volumes.stream().map(v -> TestCluster.get(e2e.namespace, "backup-" + v).getStatus().pointInTime()).toList();
    assertThat(points).doesNotHaveDuplicates();

    for (String volume : volumes) {
      DataMover backup = TestCluster.get(e2e.namespace, "backup-" + volume);
      Path restored = restore("restore-" + volume, volume, backup.getStatus().pointInTime());
      assertThat(Trees.fingerprint(restored)).as("%s restores to exactly its own data", volume).isEqualTo(Trees.fingerprint(e2e.volume(volume)));
    }
  }

  @Test
  void aFixedPathSharedBySourcesWithFilesInCommonNeverReplacesTheOthersFiles() throws Exception {
    source("first");
    source("second");
    Given.kubectlApply(e2e.namespace, manifest("fixed-first", "first", false));
    assertThat(awaitEnd("fixed-first").phase()).isEqualTo("Completed");
    byte[] firstSettings = e2e.s3.getObject("backups", "app/config/settings.yaml");

    Given.kubectlApply(e2e.namespace, manifest("fixed-second", "second", false));
    DataMoverStatus second = awaitEnd("fixed-second");

    assertThat(second.phase()).isEqualTo("Failed");
    assertThat(second.attempts()).as("a refusal is not retried").isEqualTo(1);
    assertThat(second.message()).contains("refused", "already backs up", "Give each source its own path");
    assertThat(e2e.s3.getObject("backups", "app/config/settings.yaml")).isEqualTo(firstSettings);
    Path restored = restore("restore-first", "first", "fixed");
    assertThat(Trees.fingerprint(restored)).isEqualTo(Trees.fingerprint(e2e.volume("first")));

    // What the message says to do: give the second source its own path; then both are kept.
    Given.kubectlApply(e2e.namespace, manifest("fixed-second-own", "second", false) + "  path: second\n");
    assertThat(awaitEnd("fixed-second-own").phase()).isEqualTo("Completed");
    assertThat(Trees.fingerprint(restore("restore-second", "second", "fixed", "second"))).isEqualTo(Trees.fingerprint(e2e.volume("second")));
    assertThat(e2e.s3.getObject("backups", "app/config/settings.yaml")).isEqualTo(firstSettings);
  }
}
