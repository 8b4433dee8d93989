package coffee.acupof.datamover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coffee.acupof.datamover.testkit.storage.LocalProvisioner;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.StorageV1Api;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With a WaitForFirstConsumer storage class the clone binds only once the mover pod is scheduled,
 * so the Job must be created while the clone is still Pending. The real scheduler chooses the node
 * for the mover pod and the real PV binder binds the clone to the volume the test kit's CSI driver
 * provisions there; the test holds that driver until it has seen the Job with the clone Pending.
 */
class WaitForFirstConsumerIT {
  private static String ns;
  private static RunningOperator operator;

  @BeforeAll
  static void start() throws ApiException {
    ns = TestCluster.newNamespace("wffc");
    operator = RunningOperator.start(ns);
    new StorageV1Api(TestCluster.admin()).createStorageClass(LocalProvisioner.storageClass("wffc-" + ns, "WaitForFirstConsumer")).execute();
  }

  @AfterAll
  static void stop() {
    operator.close();
  }

  @Test
  void theJobIsCreatedWhileTheCloneIsStillPending() throws ApiException {
    Given.boundPvc(ns, "db-data", "wffc-" + ns);
    Given.secret(ns, "s3", Given.S3_KEYS);
    LocalProvisioner driver = TestCluster.cluster().provisioner();
    driver.pause("wffc-" + ns);
    Given.dataMover(ns, "wffc", "db-data", "s3", "");

    await().atMost(Duration.ofSeconds(30)).until(() -> jobExists("wffc-mover"));
    var clone = TestCluster.core().readNamespacedPersistentVolumeClaim("wffc-clone", ns).execute();
    assertThat(clone.getStatus() == null ? null : clone.getStatus().getPhase()).isNotEqualTo("Bound");
    assertThat(clone.getSpec().getStorageClassName()).isEqualTo("wffc-" + ns);
    assertThat(TestCluster.get(ns, "wffc").getStatus().phase()).isEqualTo("CreatingPod");

    // The mover pod is scheduled: the scheduler names its node on the clone, the volume is
    // provisioned there and the clone binds; the mover runs.
    await().atMost(Duration.ofSeconds(30)).until(() -> selectedNode("wffc-clone") != null);
    assertThat(selectedNode("wffc-clone")).isEqualTo(TestCluster.cluster().kubelet().nodeName());
    driver.resume("wffc-" + ns);
    new KubeletStandIn(ns, "wffc-mover").nextPodExits(0, FullRunIT.SUCCESS);

    await().atMost(Duration.ofSeconds(30)).until(() -> "Completed".equals(TestCluster.get(ns, "wffc").getStatus().phase()));
  }

  private static String selectedNode(String claim) throws ApiException {
    var annotations = TestCluster.core().readNamespacedPersistentVolumeClaim(claim, ns).execute().getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get("volume.kubernetes.io/selected-node");
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
