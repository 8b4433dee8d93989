package coffee.acupof.datamover.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.it.Given;
import coffee.acupof.datamover.it.TestCluster;
import io.kubernetes.client.openapi.ApiException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example of the old operator's README, applied unchanged, backs up real files through the
 * operator (running under exactly the RBAC of deploy/kustomize/base), the real Job controller, PV
 * binder, garbage collector and PVC protection, the mover entrypoint and real rclone into a real S3
 * server; restoring the backup gives the same bytes.
 */
class BackupEndToEndIT {
  private static EndToEnd e2e;
  private static OperatorProcess operator;

  @BeforeAll
  static void start() throws Exception {
    e2e = new EndToEnd("e2e-examples");
    e2e.s3.createBucket("backups");
    e2e.s3.createBucket("my-backup-bucket");
    for (String secret : List.of("s3-credentials", "minio-credentials", "storage-credentials")) {
      Given.secret(e2e.namespace, secret, e2e.s3Secret("backups"));
    }
    for (String pvc : List.of("web-app-data", "postgres-data", "source-pvc-name", "app-data")) {
      Trees.writeSample(e2e.volume(pvc), pvc);
      Given.boundPvc(e2e.namespace, pvc, "csi-clone-capable");
    }
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

  static Stream<Arguments> examples() {
    return Stream.of(
        // file, DataMover, source PVC, bucket, path in the bucket, timestamped, clone deleted
        Arguments.of("basic.yaml", "backup-web-data", "web-app-data", "backups", "", false, false),
        Arguments.of("timestamped.yaml", "backup-database", "postgres-data", "backups", "", true, false),
        Arguments.of("custom-env.yaml", "backup-database-env", "postgres-data", "my-backup-bucket", "", false, false),
        Arguments.of("full.yaml", "my-datamover", "source-pvc-name", "backups", "", true, true),
        Arguments.of("tuning.yaml", "custom-sync", "app-data", "backups", "apps/app-data", false, false),
        Arguments.of("per-volume-path.yaml", "backup-postgres", "postgres-data", "backups", "shop/postgres-data", true, true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void theExampleBacksUpRealFilesAndTheyRestoreIdentically(
      String file, String name, String source, String bucket, String path, boolean timestamped, boolean cloneDeleted) throws Exception {
    String ns = e2e.namespace;
    Given.kubectlApply(ns, Files.readString(TestCluster.repoRoot().resolve("docs/examples").resolve(file)));

    await().atMost(Duration.ofMinutes(2)).until(() -> {
      String phase = TestCluster.get(ns, name).getStatus().phase();
      assertThat(phase).as("%s failed: %s", name, TestCluster.get(ns, name).getStatus().message()).isNotEqualTo("Failed");
      return "Completed".equals(phase);
    });
    DataMover done = TestCluster.get(ns, name);
    DataMoverStatus status = done.getStatus();
    assertThat(status.attempts()).isEqualTo(1);
    assertThat(status.filesTransferred()).isGreaterThanOrEqualTo(23);
    assertThat(status.bytesTransferred()).isGreaterThan(3L * 1024 * 1024);

    List<String> objects = e2e.s3.listObjects(bucket);
    String prefix = path.isEmpty() ? "" : path + "/";
    String location = "s3:" + bucket + (path.isEmpty() ? "" : "/" + path);
    if (timestamped) {
      String folder = status.pointInTime();
      assertThat(folder).matches("\\d{4}-\\d{2}-\\d{2}-\\d{6}");
      assertThat(folder).isGreaterThanOrEqualTo(done.getMetadata().getCreationTimestamp().format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmmss")));
      assertThat(status.destination()).isEqualTo(location + "/" + folder);
      assertThat(objects).contains(prefix + folder + "/app/config/settings.yaml", prefix + folder + "/data/blob.bin", prefix + folder + "/.datamover/manifest.json");
    } else {
      assertThat(status.destination()).isEqualTo(location);
      assertThat(objects).contains(prefix + "app/config/settings.yaml", prefix + "data/blob.bin");
    }

    if (cloneDeleted) {
      await().atMost(Duration.ofSeconds(30)).until(() -> cloneGone(ns, name + "-clone"));
    } else {
      assertThat(cloneGone(ns, name + "-clone")).isFalse();
    }

    Map<String, String> secret = e2e.s3Secret(bucket);
    Map<String, String> where =
        timestamped
            ? Map.of("ADD_TIMESTAMP_PREFIX", "true", "MOVER_RESTORE_POINT", status.pointInTime(), "MOVER_PATH", path)
            : Map.of("ADD_TIMESTAMP_PREFIX", "false", "MOVER_RESTORE_POINT", "fixed", "MOVER_SOURCE", ns + "/" + source, "MOVER_PATH", path);
    Path restored = e2e.restore(secret, where);
    assertThat(Trees.fingerprint(restored)).isEqualTo(Trees.fingerprint(e2e.volume(source)));
  }

  private static boolean cloneGone(String ns, String clone) {
    try {
      TestCluster.core().readNamespacedPersistentVolumeClaim(clone, ns).execute();
      return false;
    } catch (ApiException e) {
      return e.getCode() == 404;
    }
  }
}
