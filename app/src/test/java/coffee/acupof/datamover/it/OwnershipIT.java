package coffee.acupof.datamover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coffee.acupof.datamover.api.DataMover;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Everything a DataMover creates points back at it (so deleting it removes them) and carries the
 * labels the old operator's docs select on.
 */
class OwnershipIT {
  private static String ns;
  private static RunningOperator operator;

  @BeforeAll
  static void start() {
    ns = TestCluster.newNamespace("ownership");
    operator = RunningOperator.start(ns);
  }

  @AfterAll
  static void stop() {
    operator.close();
  }

  @Test
  void childrenAreOwnedAndLabelled() throws Exception {
    Given.boundPvc(ns, "web-app-data", "csi");
    Given.secret(ns, "s3", Given.S3_KEYS);
    Given.dataMover(ns, "owned", "web-app-data", "s3", "");
    await().atMost(Duration.ofSeconds(30)).until(() -> "CreatingPod".equals(TestCluster.get(ns, "owned").getStatus().phase()));
    DataMover dm = TestCluster.get(ns, "owned");

    V1ObjectMeta clone = TestCluster.core().readNamespacedPersistentVolumeClaim("owned-clone", ns).execute().getMetadata();
    V1ObjectMeta job = TestCluster.batch().readNamespacedJob("owned-mover", ns).execute().getMetadata();
    for (V1ObjectMeta child : new V1ObjectMeta[] {clone, job}) {
      assertThat(child.getOwnerReferences()).singleElement().satisfies(ref -> assertOwnedBy(ref, dm));
      assertThat(child.getLabels())
          .containsEntry("app.kubernetes.io/managed-by", "datamover-operator")
          .containsEntry("app.kubernetes.io/created-by", "datamover-operator")
          .containsEntry("datamover.a-cup-of.coffee/datamover", "owned");
    }

    // The old operator's troubleshooting commands find them.
    assertThat(TestCluster.server().runKubectl("get", "pvc,jobs", "-n", ns, "-l", "app.kubernetes.io/created-by=datamover-operator", "-o", "name"))
        .contains("persistentvolumeclaim/owned-clone", "job.batch/owned-mover");
    assertThat(TestCluster.server().runKubectl("get", "jobs", "-n", ns, "-l", "app=datamover-rclone", "-o", "name"))
        .contains("job.batch/owned-mover");
  }

  private static void assertOwnedBy(V1OwnerReference ref, DataMover dm) {
    assertThat(ref.getApiVersion()).isEqualTo("datamover.a-cup-of.coffee/v1alpha1");
    assertThat(ref.getKind()).isEqualTo("DataMover");
    assertThat(ref.getName()).isEqualTo("owned");
    assertThat(ref.getUid()).isEqualTo(dm.getMetadata().getUid());
    assertThat(ref.getController()).isTrue();
    assertThat(ref.getBlockOwnerDeletion()).isTrue();
  }
}
