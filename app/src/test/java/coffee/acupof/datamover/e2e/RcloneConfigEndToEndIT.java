package coffee.acupof.datamover.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coffee.acupof.datamover.api.DataMoverRestoreStatus;
import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.it.Given;
import coffee.acupof.datamover.it.TestCluster;
import coffee.acupof.datamover.testkit.storage.LocalProvisioner;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A remote configured as VolSync users write it, end to end: the S3 server on HTTPS with a certificate
 * from a generated CA, an rclone.conf Secret with the section to use, the remote path with the bucket,
 * and the CA as {@code customCA} (from a ConfigMap for the backup, from a Secret for the restore). The
 * operator runs under the shipped RBAC; the played kubelet projects the Secret and ConfigMap keys into
 * files as a kubelet does, and the Java mover reads them through {@code MOVER_CONFIG_FILE} and
 * {@code MOVER_CA_BUNDLE}.
 */
class RcloneConfigEndToEndIT {
  private static final String BUCKET = "volsync-bucket";
  private static final String SECTION = "aws-s3-bucket";
  private static EndToEnd e2e;

  @BeforeAll
  static void start() throws Exception {
    e2e = EndToEnd.withTls("rclone-conf");
    e2e.s3.createBucket(BUCKET);
    String ca = Files.readString(e2e.s3.caCertificate().orElseThrow());
    Given.secret(e2e.namespace, "rclone-secret", Map.of("rclone.conf", e2e.s3.rcloneConfigSection(SECTION)));
    Given.secret(e2e.namespace, "s3-ca", Map.of("ca.crt", ca));
    configMap("s3-ca", ca);
    // A real CA, but not the one that signed the S3 server's certificate.
    configMap("other-ca", new String(TestCluster.server().caCertificates(), StandardCharsets.US_ASCII));
    LocalProvisioner.ensureStorageClass(TestCluster.admin(), "csi", "Immediate");
    e2e.startOperator();
  }

  @AfterAll
  static void stop() {
    if (e2e != null) {
      e2e.close();
    }
  }

  private static void configMap(String name, String caBundle) throws Exception {
    TestCluster.core()
        .createNamespacedConfigMap(e2e.namespace, new V1ConfigMap().metadata(new V1ObjectMeta().name(name)).data(Map.of("ca.crt", caBundle)))
        .execute();
  }

  private static void backup(String name, String pvc, String caConfigMap) {
    Given.dataMover(e2e.namespace, name, """
        sourcePvc: %s
        rcloneConfig:
          secretName: rclone-secret
          section: %s
        path: %s/%s
        customCA:
          configMapName: %s
        addTimestampPrefix: true
        """.formatted(pvc, SECTION, BUCKET, pvc, caConfigMap));
  }

  private static DataMoverStatus awaitBackup(String name) {
    await().atMost(Duration.ofMinutes(5)).until(() -> TestCluster.get(e2e.namespace, name).getStatus().phaseValue().isTerminal());
    return TestCluster.get(e2e.namespace, name).getStatus();
  }

  @Test
  void aBackupAndARestoreThroughAnRcloneConfAndACustomCaComeBackByteIdentical() throws Exception {
    Path source = e2e.volume("mysql-pv-claim");
    Trees.writeSample(source, "mysql");
    Given.boundPvc(e2e.namespace, "mysql-pv-claim", "csi");

    backup("backup-mysql", "mysql-pv-claim", "s3-ca");
    DataMoverStatus backup = awaitBackup("backup-mysql");

    assertThat(backup.phase()).as(backup.message()).isEqualTo("Completed");
    assertThat(backup.destination()).isEqualTo(SECTION + ":" + BUCKET + "/mysql-pv-claim/" + backup.pointInTime());
    assertThat(e2e.s3.listObjects(BUCKET)).contains("mysql-pv-claim/" + backup.pointInTime() + "/.datamover/manifest.json");
    assertNoSecretInThePodsOf("backup-mysql-mover");

    Given.restore(e2e.namespace, "restore-mysql", """
        sourcePvc: mysql-pv-claim
        rcloneConfig:
          secretName: rclone-secret
          section: %s
        path: %s/mysql-pv-claim
        customCA:
          secretName: s3-ca
        targetPvc: mysql-restored
        targetPvcTemplate:
          storageClassName: csi
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 1Gi}}
        """.formatted(SECTION, BUCKET));
    await().atMost(Duration.ofMinutes(5)).until(() -> TestCluster.restore(e2e.namespace, "restore-mysql").getStatus().phaseValue().isTerminal());
    DataMoverRestoreStatus restore = TestCluster.restore(e2e.namespace, "restore-mysql").getStatus();

    assertThat(restore.phase()).as(restore.message()).isEqualTo("Completed");
    assertThat(restore.pointInTime()).isEqualTo(backup.pointInTime());
    assertThat(restore.source()).isEqualTo(backup.destination());
    String volume = TestCluster.core().readNamespacedPersistentVolumeClaim("mysql-restored", e2e.namespace).execute().getSpec().getVolumeName();
    Path restored = TestCluster.cluster().provisioner().directoryOf(volume).orElseThrow();
    assertThat(Trees.fingerprint(restored)).isEqualTo(Trees.fingerprint(source));
  }

  @Test
  void aCaThatDidNotSignTheServersCertificateFailsTheRunWithTheMoversTlsMessage() throws Exception {
    Trees.writeSample(e2e.volume("orders"), "orders");
    Given.boundPvc(e2e.namespace, "orders", "csi");

    backup("backup-orders", "orders", "other-ca");
    DataMoverStatus status = awaitBackup("backup-orders");

    assertThat(status.phase()).isEqualTo("Failed");
    assertThat(status.message()).contains("TLS verification of the endpoint failed");
    assertThat(e2e.s3.listObjects(BUCKET)).noneMatch(key -> key.startsWith("orders/"));
  }

  /** The mover pods' specs (environment, arguments, everything) hold neither the keys nor the rclone.conf. */
  private static void assertNoSecretInThePodsOf(String job) throws Exception {
    List<V1Pod> pods = TestCluster.core().listNamespacedPod(e2e.namespace).labelSelector("batch.kubernetes.io/job-name=" + job).execute().getItems();
    assertThat(pods).isNotEmpty();
    for (V1Pod pod : pods) {
      String spec = JSON.getGson().toJson(pod.getSpec());
      assertThat(spec).doesNotContain(e2e.s3.secretKey()).doesNotContain(e2e.s3.accessKey()).doesNotContain("[" + SECTION + "]");
      assertThat(pod.getSpec().getContainers().getFirst().getEnvFrom()).isNullOrEmpty();
    }
  }
}
