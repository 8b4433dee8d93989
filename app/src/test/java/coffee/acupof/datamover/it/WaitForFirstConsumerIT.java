package coffee.acupof.datamover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.StorageV1Api;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1StorageClass;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With a WaitForFirstConsumer storage class the clone binds only once the mover pod is scheduled,
 * so the Job must be created while the clone is still Pending. (The test plays the PV controller:
 * nothing binds the clone until the mover pod exists.)
 */
class WaitForFirstConsumerIT {
  private static String ns;
  private static RunningOperator operator;

  @BeforeAll
  static void start() throws ApiException {
    ns = TestCluster.newNamespace("wffc");
    operator = RunningOperator.start(ns);
    new StorageV1Api(TestCluster.admin())
        .createStorageClass(
            new V1StorageClass()
                .metadata(new V1ObjectMeta().name("wffc-" + ns))
                .provisioner("csi.example.com")
                .volumeBindingMode("WaitForFirstConsumer"))
        .execute();
  }

  @AfterAll
  static void stop() {
    operator.close();
  }

  @Test
  void theJobIsCreatedWhileTheCloneIsStillPending() throws ApiException {
    Given.boundPvc(ns, "db-data", "wffc-" + ns);
    Given.secret(ns, "s3", Given.S3_KEYS);
    Given.dataMover(ns, "wffc", "db-data", "s3", "");

    await().atMost(Duration.ofSeconds(30)).until(() -> jobExists("wffc-mover"));
    var clone = TestCluster.core().readNamespacedPersistentVolumeClaim("wffc-clone", ns).execute();
    assertThat(clone.getStatus() == null ? null : clone.getStatus().getPhase()).isNotEqualTo("Bound");
    assertThat(clone.getSpec().getStorageClassName()).isEqualTo("wffc-" + ns);
    assertThat(TestCluster.get(ns, "wffc").getStatus().phase()).isEqualTo("CreatingPod");

    // The pod is scheduled, so the volume is provisioned and the clone binds; the mover runs.
    KubeletStandIn kubelet = new KubeletStandIn(ns, "wffc-mover");
    String pod = kubelet.startPod();
    kubelet.bindPvc("wffc-clone");
    kubelet.finishPod(pod, 0, FullRunIT.SUCCESS);
    kubelet.completeJob();

    await().atMost(Duration.ofSeconds(30)).until(() -> "Completed".equals(TestCluster.get(ns, "wffc").getStatus().phase()));
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
