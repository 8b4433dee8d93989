package coffee.acupof.datamover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.api.DataMoverSpec;
import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.testkit.ApiServer;
import coffee.acupof.datamover.testkit.LocalCluster;
import coffee.acupof.datamover.testkit.node.ScriptedRuntime;
import coffee.acupof.datamover.testkit.storage.LocalProvisioner;
import coffee.acupof.datamover.testkit.storage.LocalSnapshotter;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimSpec;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1VolumeResourceRequirements;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster without the VolumeSnapshot CRDs, on an API server of its own (the shared one may have
 * them): the operator starts, is ready and backs up by Clone; a Snapshot run fails saying what to
 * install. Once the CRDs (and the real snapshot-controller) are installed, the operator starts their
 * informers by itself and Snapshot runs work, without a restart.
 */
class MissingSnapshotCrdsIT {
  private static final String NS = "no-snapshot-crds";

  @TempDir
  static Path files;

  private static ApiServer server;
  private static LocalCluster cluster;
  private static ApiClient client;
  private static final ScriptedRuntime pods = new ScriptedRuntime();
  private static RunningOperator operator;

  @BeforeAll
  static void start() throws ApiException {
    server = ApiServer.start();
    cluster = LocalCluster.start(server, files.resolve("cluster"));
    server.applyYaml(TestCluster.repoRoot().resolve("crd"));
    cluster.kubelet().use("", pods);
    client = server.adminClient();
    CoreV1Api core = new CoreV1Api(client);
    core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(NS))).execute();
    core.createNamespacedSecret(NS, new V1Secret().metadata(new V1ObjectMeta().name("s3")).stringData(Given.S3_KEYS)).execute();
    LocalProvisioner.ensureStorageClass(client, "csi", "Immediate");
    core.createNamespacedPersistentVolumeClaim(NS, new V1PersistentVolumeClaim()
        .metadata(new V1ObjectMeta().name("data"))
        .spec(new V1PersistentVolumeClaimSpec().storageClassName("csi").accessModes(List.of("ReadWriteOnce"))
            .resources(new V1VolumeResourceRequirements().requests(Map.of("storage", Quantity.fromString("1Gi"))))))
        .execute();
    await().atMost(Duration.ofSeconds(30))
        .until(() -> "Bound".equals(core.readNamespacedPersistentVolumeClaim("data", NS).execute().getStatus().getPhase()));
    operator = RunningOperator.start(NS, Map.of(
        "datamover.kubeconfig", server.kubeconfig().toString(),
        "datamover.deadlines.validation", "5s"));
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theOperatorWorksWithoutTheSnapshotCrdsAndTakesSnapshotsOnceTheyAppear() {
    await().atMost(Duration.ofSeconds(30)).until(() -> operator.http("/actuator/health/readiness").statusCode() == 200);
    assertThat(operator.http("/actuator/health/readiness").body())
        .contains("\"datamovers\":true", "\"customresourcedefinitions\":true")
        .doesNotContain("volumesnapshots");

    create("by-clone", "Clone");
    await().atMost(Duration.ofSeconds(30)).until(() -> "CreatingPod".equals(status("by-clone").phase()));
    pods.nextPodExits(NS, "by-clone-mover", 0, FullRunIT.SUCCESS);
    await().atMost(Duration.ofSeconds(60)).until(() -> "Completed".equals(status("by-clone").phase()));

    create("by-snapshot", "Snapshot");
    await().atMost(Duration.ofSeconds(60)).until(() -> "Failed".equals(status("by-snapshot").phase()));
    DataMoverStatus failed = status("by-snapshot");
    assertThat(failed.reason()).isEqualTo("SnapshotCRDsMissing");
    assertThat(failed.message()).isEqualTo("copyMethod Snapshot: the cluster has no VolumeSnapshot CRDs (snapshot.storage.k8s.io/v1):"
        + " install the external-snapshotter's CRDs and its snapshot-controller, and use a CSI driver that supports snapshots"
        + " (docs/install.md), or choose copyMethod Clone or Direct (gave up after 5s)");

    // The CRDs, the real snapshot-controller and the driver's snapshot part arrive while the operator runs.
    cluster.snapshots();
    LocalSnapshotter.ensureSnapshotClass(client, "snapshots", true);
    await().atMost(Duration.ofSeconds(30)).until(() -> operator.http("/actuator/health/readiness").body().contains("\"volumesnapshots\":true"));
    assertThat(operator.http("/actuator/health/readiness").statusCode()).isEqualTo(200);

    create("by-snapshot-now", "Snapshot");
    await().atMost(Duration.ofSeconds(60)).until(() -> "CreatingPod".equals(status("by-snapshot-now").phase()));
    pods.nextPodExits(NS, "by-snapshot-now-mover", 0, FullRunIT.SUCCESS);
    await().atMost(Duration.ofSeconds(60)).until(() -> "Completed".equals(status("by-snapshot-now").phase()));
    assertThat(status("by-snapshot-now").volumeSnapshotName()).isEqualTo("by-snapshot-now-snapshot");
  }

  private static void create(String name, String copyMethod) {
    DataMover dm = new DataMover()
        .metadata(new V1ObjectMeta().name(name).namespace(NS))
        .spec(new DataMoverSpec("data", "s3", null, null, null, null, null, null, null, copyMethod, null, null, null));
    try {
      DataMoverApi.DATAMOVERS.api(client).create(dm).throwsApiException();
    } catch (ApiException e) {
      throw new IllegalStateException(e.getResponseBody(), e);
    }
  }

  private static DataMoverStatus status(String name) {
    try {
      return DataMoverApi.DATAMOVERS.api(client).get(NS, name).throwsApiException().getObject().getStatus();
    } catch (ApiException e) {
      throw new IllegalStateException(e.getResponseBody(), e);
    }
  }
}
