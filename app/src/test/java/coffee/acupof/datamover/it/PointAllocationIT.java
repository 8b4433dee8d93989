package coffee.acupof.datamover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.mover.MoverContract;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Job;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Several timestamped backups applied at once to the same location (the old README's layout: same
 * Secret, bucket root) each get a point in time of their own, recorded in status before their Job
 * exists, and the Job writes exactly that point; another path is not shifted by them.
 */
class PointAllocationIT {
  private static String ns;
  private static RunningOperator operator;

  @BeforeAll
  static void start() {
    ns = TestCluster.newNamespace("points");
    operator = RunningOperator.start(ns);
    Given.secret(ns, "s3", Given.S3_KEYS);
  }

  @AfterAll
  static void stop() {
    operator.close();
  }

  @Test
  void runsAppliedTogetherGetDistinctPointsInADeterministicOrder() throws Exception {
    List<String> names = List.of("db", "web", "cache", "queue");
    StringBuilder manifests = new StringBuilder();
    for (String name : names) {
      Given.boundPvc(ns, name + "-data", "csi");
      manifests.append("""
          ---
          apiVersion: datamover.a-cup-of.coffee/v1alpha1
          kind: DataMover
          metadata:
            name: backup-%s
          spec:
            sourcePvc: %s-data
            secretName: s3
            addTimestampPrefix: true
          """.formatted(name, name));
    }
    Given.boundPvc(ns, "own-data", "csi");
    manifests.append("""
        ---
        apiVersion: datamover.a-cup-of.coffee/v1alpha1
        kind: DataMover
        metadata:
          name: backup-own
        spec:
          sourcePvc: own-data
          secretName: s3
          addTimestampPrefix: true
          path: shop/own-data
        """);
    Given.kubectlApply(ns, manifests.toString());

    await().atMost(Duration.ofSeconds(60)).until(() -> names.stream().allMatch(n -> job("backup-" + n) != null) && job("backup-own") != null);

    List<DataMover> shared = names.stream().map(n -> TestCluster.get(ns, "backup-" + n))
        .sorted(Comparator.comparing((DataMover d) -> d.getMetadata().getCreationTimestamp()).thenComparing(DataMover::name))
        .toList();
    List<String> points = shared.stream().map(d -> d.getStatus().pointInTime()).toList();
    assertThat(points).doesNotContainNull().doesNotHaveDuplicates();
    assertThat(points).as("in the order of creation time, then name").isSorted();
    for (DataMover d : shared) {
      assertThat(d.getStatus().pointInTime()).isGreaterThanOrEqualTo(MoverContract.pointInTime(d.getMetadata().getCreationTimestamp()));
      Map<String, String> env = env(job(d.name()));
      assertThat(env).containsEntry("MOVER_TIMESTAMP", d.getStatus().pointInTime()).containsEntry("MOVER_RUN_ID", d.getMetadata().getUid());
      assertThat(env).doesNotContainKey("MOVER_PATH");
    }
    DataMover own = TestCluster.get(ns, "backup-own");
    assertThat(own.getStatus().pointInTime()).isEqualTo(MoverContract.pointInTime(own.getMetadata().getCreationTimestamp()));
    assertThat(env(job("backup-own"))).containsEntry("MOVER_PATH", "shop/own-data");
  }

  private static V1Job job(String dataMover) {
    try {
      return TestCluster.batch().readNamespacedJob(dataMover + "-mover", ns).execute();
    } catch (io.kubernetes.client.openapi.ApiException e) {
      return null;
    }
  }

  private static Map<String, String> env(V1Job job) {
    return job.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(V1EnvVar::getName, V1EnvVar::getValue, (a, b) -> b));
  }
}
