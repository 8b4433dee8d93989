package coffee.acupof.datamover.it;

import static coffee.acupof.datamover.it.RestoreFlowIT.RESTORED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coffee.acupof.datamover.testkit.storage.LocalProvisioner;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.StorageV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1Capabilities;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolume;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimSpec;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimVolumeSource;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1SeccompProfile;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1TypedObjectReference;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeResourceRequirements;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DataMoverRestore as a volume populator, with the real PV binder and scheduler: a PVC whose
 * dataSourceRef names a restore stays Pending while the data is restored into a prime PVC, then gets
 * that volume — never an empty one.
 */
class PopulatorIT {
  private static String ns;
  private static RunningOperator operator;

  @BeforeAll
  static void start() throws ApiException {
    ns = TestCluster.newNamespace("populator");
    operator = RunningOperator.start(ns);
    Given.secret(ns, "s3", Given.S3_KEYS);
    LocalProvisioner.ensureStorageClass(TestCluster.admin(), "csi", "Immediate");
    new StorageV1Api(TestCluster.admin()).createStorageClass(LocalProvisioner.storageClass("wffc-" + ns, "WaitForFirstConsumer")).execute();
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
  }

  private static void claim(String name, String storageClass, String restore) throws ApiException {
    TestCluster.core().createNamespacedPersistentVolumeClaim(ns,
        new V1PersistentVolumeClaim()
            .metadata(new V1ObjectMeta().name(name).namespace(ns))
            .spec(new V1PersistentVolumeClaimSpec()
                .storageClassName(storageClass)
                .accessModes(List.of("ReadWriteOnce"))
                .resources(new V1VolumeResourceRequirements().requests(Map.of("storage", Quantity.fromString("1Gi"))))
                .dataSourceRef(new V1TypedObjectReference().apiGroup("datamover.a-cup-of.coffee").kind("DataMoverRestore").name(restore))))
        .execute();
  }

  private static V1Job job(String namespace, String name) {
    return RestoreFlowIT.job(namespace, name);
  }

  private static V1PersistentVolumeClaim pvc(String name) {
    try {
      return TestCluster.core().readNamespacedPersistentVolumeClaim(name, ns).execute();
    } catch (ApiException e) {
      return null;
    }
  }

  private static String phase(String claim) {
    V1PersistentVolumeClaim pvc = pvc(claim);
    return pvc == null || pvc.getStatus() == null ? null : pvc.getStatus().getPhase();
  }

  private static List<String> pvcEvents(String claim) throws ApiException {
    return TestCluster.core().listNamespacedEvent(ns).fieldSelector("involvedObject.kind=PersistentVolumeClaim,involvedObject.name=" + claim)
        .execute().getItems().stream().map(CoreV1Event::getReason).toList();
  }

  @Test
  void aPvcNamingARestoreGetsTheRestoredVolumeAndIsNeverBoundEmpty() throws Exception {
    Given.restore(ns, "seed", "sourcePvc: db\nsecretName: s3\npath: shop/db");
    claim("db-copy", "csi", "seed");
    List<String> phasesBeforeTheData = Collections.synchronizedList(new ArrayList<>());

    await().atMost(Duration.ofSeconds(60)).until(() -> job(ns, "seed-restore") != null);
    phasesBeforeTheData.add(phase("db-copy"));
    assertThat(job(ns, "seed-restore").getSpec().getTemplate().getSpec().getVolumes().getFirst().getPersistentVolumeClaim().getClaimName())
        .isEqualTo("seed-prime");
    await().atMost(Duration.ofSeconds(30)).until(() -> "Bound".equals(phase("seed-prime")));
    String volume = pvc("seed-prime").getSpec().getVolumeName();
    Path directory = TestCluster.cluster().provisioner().directoryOf(volume).orElseThrow();
    // What the mover would write into the prime PVC's volume.
    Files.writeString(directory.resolve("restored.txt"), "data from the backup");
    phasesBeforeTheData.add(phase("db-copy"));

    new KubeletStandIn(ns, "seed-restore").nextPodExits(0, RESTORED);

    await().atMost(Duration.ofSeconds(60)).until(() -> "Completed".equals(TestCluster.restore(ns, "seed").getStatus().phase()));
    assertThat(phasesBeforeTheData).containsOnly("Pending");
    V1PersistentVolumeClaim copy = pvc("db-copy");
    assertThat(copy.getStatus().getPhase()).isEqualTo("Bound");
    assertThat(copy.getSpec().getVolumeName()).isEqualTo(volume);
    assertThat(TestCluster.cluster().provisioner().directoryOf(volume).orElseThrow().resolve("restored.txt")).hasContent("data from the backup");
    V1PersistentVolume pv = TestCluster.core().readPersistentVolume(volume).execute();
    assertThat(pv.getSpec().getPersistentVolumeReclaimPolicy()).as("the class's policy is back").isEqualTo("Delete");
    assertThat(pv.getMetadata().getAnnotations()).doesNotContainKeys(
        "datamover.a-cup-of.coffee/original-reclaim-policy", "datamover.a-cup-of.coffee/restore");
    await().atMost(Duration.ofSeconds(30)).until(() -> pvc("seed-prime") == null);
    assertThat(TestCluster.restore(ns, "seed").getStatus().volumeName()).isEqualTo(volume);
    assertThat(TestCluster.eventReasons(ns, "seed"))
        .containsSubsequence("Validated", "CreatingPrimePVC", "PrimePVCCreated", "RestoreJobCreated", "RestoreSucceeded", "RetainingVolume",
            "RebindingVolume", "VolumeBound", "Completed");
    assertThat(pvcEvents("db-copy")).as("kubectl describe pvc tells what happens").contains("Validated", "RestoreSucceeded", "VolumeBound");
  }

  @Test
  void withWaitForFirstConsumerTheRestoreStartsOnceAPodIsScheduledOnTheNodeItChose() throws Exception {
    Given.restore(ns, "seed-wffc", "sourcePvc: db\nsecretName: s3");
    claim("wffc-copy", "wffc-" + ns, "seed-wffc");
    await().atMost(Duration.ofSeconds(30)).until(() -> "WaitingForFirstConsumer".equals(TestCluster.restore(ns, "seed-wffc").getStatus().reason()));
    assertThat(job(ns, "seed-wffc-restore")).isNull();

    TestCluster.core().createNamespacedPod(ns, podUsing("app", "wffc-copy", ns)).execute();

    await().atMost(Duration.ofSeconds(60)).until(() -> job(ns, "seed-wffc-restore") != null);
    String node = TestCluster.cluster().kubelet().nodeName();
    assertThat(pvc("seed-wffc-prime").getMetadata().getAnnotations()).containsEntry("volume.kubernetes.io/selected-node", node);
    new KubeletStandIn(ns, "seed-wffc-restore").nextPodExits(0, RESTORED);
    await().atMost(Duration.ofSeconds(60)).until(() -> "Completed".equals(TestCluster.restore(ns, "seed-wffc").getStatus().phase()));
    assertThat(phase("wffc-copy")).isEqualTo("Bound");
    await().atMost(Duration.ofSeconds(60)).until(() -> node.equals(TestCluster.core().readNamespacedPod("app", ns).execute().getSpec().getNodeName()));
  }

  @Test
  void theUsersPvcDeletedMidwayLeavesNothingBehind() throws Exception {
    Given.restore(ns, "seed-gone", "sourcePvc: db\nsecretName: s3");
    claim("gone-copy", "csi", "seed-gone");
    await().atMost(Duration.ofSeconds(60)).until(() -> job(ns, "seed-gone-restore") != null);

    TestCluster.core().deleteNamespacedPersistentVolumeClaim("gone-copy", ns).execute();

    await().atMost(Duration.ofSeconds(60)).until(() -> "Failed".equals(TestCluster.restore(ns, "seed-gone").getStatus().phase()));
    assertThat(TestCluster.restore(ns, "seed-gone").getStatus().reason()).isEqualTo("TargetPVCDeleted");
    await().atMost(Duration.ofSeconds(60)).until(() -> job(ns, "seed-gone-restore") == null && pvc("seed-gone-prime") == null);
  }

  @Test
  void aRestartMidRestoreLeavesOneJobAndOnePrimePvc() throws Exception {
    Given.restore(ns, "seed-restart", "sourcePvc: db\nsecretName: s3");
    claim("restart-copy", "csi", "seed-restart");
    await().atMost(Duration.ofSeconds(60)).until(() -> job(ns, "seed-restart-restore") != null && pvc("seed-restart-prime") != null);
    String jobUid = job(ns, "seed-restart-restore").getMetadata().getUid();
    String primeUid = pvc("seed-restart-prime").getMetadata().getUid();

    operator.close();
    operator = RunningOperator.start(ns);
    await().atMost(Duration.ofSeconds(30)).until(operator::isLeading);
    assertThat(job(ns, "seed-restart-restore").getMetadata().getUid()).isEqualTo(jobUid);
    assertThat(pvc("seed-restart-prime").getMetadata().getUid()).isEqualTo(primeUid);
    new KubeletStandIn(ns, "seed-restart-restore").nextPodExits(0, RESTORED);

    await().atMost(Duration.ofSeconds(90)).until(() -> "Completed".equals(TestCluster.restore(ns, "seed-restart").getStatus().phase()));
    assertThat(TestCluster.restore(ns, "seed-restart").getStatus().jobName()).isEqualTo("seed-restart-restore");
    assertThat(TestCluster.eventReasons(ns, "seed-restart").stream().filter("RestoreJobCreated"::equals)).hasSize(1);
    assertThat(TestCluster.eventReasons(ns, "seed-restart").stream().filter("CreatingPrimePVC"::equals)).hasSize(1);
  }

  @Test
  void theOperatorRegistersItselfAsAVolumePopulator() {
    DynamicKubernetesApi populators = new DynamicKubernetesApi("populator.storage.k8s.io", "v1beta1", "volumepopulators", TestCluster.admin());
    await().atMost(Duration.ofSeconds(30)).until(() -> populators.get("datamover-restore").isSuccess());
    var sourceKind = populators.get("datamover-restore").getObject().getRaw().getAsJsonObject("sourceKind");
    assertThat(sourceKind.get("group").getAsString()).isEqualTo("datamover.a-cup-of.coffee");
    assertThat(sourceKind.get("kind").getAsString()).isEqualTo("DataMoverRestore");
  }

  /** An application's pod that mounts {@code claim} (and passes the restricted Pod Security Standard). */
  static V1Pod podUsing(String name, String claim, String ns) {
    return new V1Pod()
        .metadata(new V1ObjectMeta().name(name).namespace(ns))
        .spec(new V1PodSpec()
            .containers(List.of(new V1Container().name("app").image("app")
                .securityContext(new V1SecurityContext().allowPrivilegeEscalation(false).runAsNonRoot(true)
                    .capabilities(new V1Capabilities().drop(List.of("ALL")))
                    .seccompProfile(new V1SeccompProfile().type("RuntimeDefault")))))
            .volumes(List.of(new V1Volume().name("data").persistentVolumeClaim(new V1PersistentVolumeClaimVolumeSource().claimName(claim))))
            // The Java model turns an absent overhead into {}, which the RuntimeClass admission refuses.
            .overhead(null));
  }
}
