package coffee.acupof.datamover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.testkit.MergePatch;
import coffee.acupof.datamover.testkit.node.Kubelet;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups with {@code copyMethod: Direct} on the real API server: no temporary PVC, the source mounted
 * read-only, and for a ReadWriteOnce source that a running pod mounts, the mover pod on that pod's node
 * (a second node whose kubelet the test plays as well).
 */
class DirectCopyIT {
  private static final String SECOND_NODE = "direct-copy-node";
  private static final String SELECTOR = "app.kubernetes.io/created-by=datamover-operator";

  @TempDir
  static Path pods;

  private static String ns;
  private static RunningOperator operator;
  private static Kubelet secondKubelet;

  @BeforeAll
  static void start() throws ApiException {
    ns = TestCluster.newNamespace("direct-copy");
    Given.secret(ns, "s3", Given.S3_KEYS);
    secondKubelet = Kubelet.start(TestCluster.admin(), SECOND_NODE, pods);
    secondKubelet.use(ns, TestCluster.scriptedPods());
    // Cordoned: the scheduler places nothing there; only pods that name the node run on it.
    MergePatch.apply(TestCluster.admin(), "/api/v1/nodes/" + SECOND_NODE, "{\"spec\":{\"unschedulable\":true}}");
    operator = RunningOperator.start(ns);
  }

  @AfterAll
  static void stop() throws ApiException {
    operator.close();
    secondKubelet.close();
    TestCluster.core().deleteNode(SECOND_NODE).execute();
  }

  private static DataMoverStatus status(String name) {
    return TestCluster.get(ns, name).getStatus();
  }

  @Test
  void aDirectBackupReadsTheSourceItselfAndNeverDeletesIt() throws Exception {
    Given.boundPvc(ns, "catalog", "csi");

    try (Given.PhaseHistory history = new Given.PhaseHistory(ns, "catalog-backup")) {
      Given.dataMover(ns, "catalog-backup", "catalog", "s3", "copyMethod: Direct\ndeletePvcAfterBackup: true");
      await().atMost(Duration.ofSeconds(30)).until(() -> Schedules.jobExists(ns, "catalog-backup"));
      V1Job job = TestCluster.batch().readNamespacedJob("catalog-backup-mover", ns).execute();
      V1PodSpec pod = job.getSpec().getTemplate().getSpec();
      assertThat(pod.getVolumes().getFirst().getPersistentVolumeClaim().getClaimName()).isEqualTo("catalog");
      assertThat(pod.getVolumes().getFirst().getPersistentVolumeClaim().getReadOnly()).isTrue();
      assertThat(pod.getContainers().getFirst().getVolumeMounts().getFirst().getReadOnly()).isTrue();
      assertThat(pod.getNodeName()).as("no pod mounts the source: the scheduler picks the node").isNull();

      new KubeletStandIn(ns, "catalog-backup-mover").nextPodExits(0, FullRunIT.SUCCESS);
      await().atMost(Duration.ofSeconds(60)).until(() -> "Completed".equals(status("catalog-backup").phase()));
      await().atMost(Duration.ofSeconds(5)).until(() -> history.phases().contains("Completed"));
      assertThat(history.phases()).containsExactly("", "CreatingPod", "CleaningUp", "Completed");
    }
    DataMoverStatus done = status("catalog-backup");
    assertThat(done.restoredPvcName()).isNull();
    assertThat(done.message()).endsWith("; mover Job deleted (the source is kept)");
    assertThat(TestCluster.server().runKubectl("get", "pvc", "-n", ns, "-l", SELECTOR, "-o", "name")).isBlank();
    assertThat(TestCluster.core().readNamespacedPersistentVolumeClaim("catalog", ns).execute().getMetadata().getDeletionTimestamp()).isNull();
  }

  @Test
  void aReadWriteOnceSourceMountedByARunningPodIsBackedUpOnThatPodsNode() throws Exception {
    Given.boundPvc(ns, "sessions", "csi");
    appPod("sessions-app", "sessions");
    await().atMost(Duration.ofSeconds(30)).until(() -> "Running".equals(podPhase("sessions-app")));

    Given.dataMover(ns, "sessions-backup", "sessions", "s3", "copyMethod: Direct");
    await().atMost(Duration.ofSeconds(30)).until(() -> Schedules.jobExists(ns, "sessions-backup"));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(TestCluster.events(ns, "sessions-backup")).filteredOn(e -> "MoverJobCreated".equals(e.getReason())).singleElement()
            .satisfies(e -> assertThat(e.getMessage()).isEqualTo(
                "Created mover Job sessions-backup-mover on node " + SECOND_NODE + ", where pod sessions-app mounts source PVC sessions (up to 3 attempts)")));
    await().atMost(Duration.ofSeconds(30)).until(() -> moverPod("sessions-backup-mover") != null);
    assertThat(moverPod("sessions-backup-mover").getSpec().getNodeName()).isEqualTo(SECOND_NODE);

    // The kubelet of that node runs it.
    new KubeletStandIn(ns, "sessions-backup-mover").nextPodExits(0, FullRunIT.SUCCESS);
    await().atMost(Duration.ofSeconds(60)).until(() -> "Completed".equals(status("sessions-backup").phase()));
    assertThat(moverPod("sessions-backup-mover").getStatus().getPhase()).isEqualTo("Succeeded");
    TestCluster.core().deleteNamespacedPod("sessions-app", ns).execute();
  }

  /** An application pod on the second node that mounts {@code claim} (it keeps running), applied as a user would. */
  private static void appPod(String name, String claim) {
    Given.kubectlApply(ns, """
        apiVersion: v1
        kind: Pod
        metadata:
          name: %s
        spec:
          nodeName: %s
          securityContext:
            runAsNonRoot: true
            runAsUser: 1000
            seccompProfile: {type: RuntimeDefault}
          containers:
            - name: app
              image: registry.local/app:1
              volumeMounts: [{name: data, mountPath: /var/lib/app}]
              securityContext:
                allowPrivilegeEscalation: false
                capabilities: {drop: [ALL]}
          volumes:
            - name: data
              persistentVolumeClaim: {claimName: %s}
        """.formatted(name, SECOND_NODE, claim));
  }

  private static String podPhase(String name) throws ApiException {
    V1Pod pod = TestCluster.core().readNamespacedPod(name, ns).execute();
    return pod.getStatus() == null ? null : pod.getStatus().getPhase();
  }

  private static V1Pod moverPod(String job) throws ApiException {
    return TestCluster.core().listNamespacedPod(ns).labelSelector("batch.kubernetes.io/job-name=" + job).execute().getItems().stream()
        .findFirst().orElse(null);
  }
}
