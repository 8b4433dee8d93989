package coffee.acupof.datamover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coffee.acupof.datamover.api.Condition;
import coffee.acupof.datamover.api.DataMoverRestoreStatus;
import coffee.acupof.datamover.testkit.storage.LocalProvisioner;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Restores into a PVC on the real API server, with the real Job controller, PV binder and scheduler;
 * the test plays the mover's outcome (its exit code and termination message).
 */
class RestoreFlowIT {
  static final String RESTORED =
      "{\"operation\":\"restore\",\"status\":\"success\",\"exitCode\":0,\"destination\":\"s3:backups/shop/db/2026-11-21-101500\","
          + "\"pointInTime\":\"2026-11-21-101500\",\"files\":42,\"bytes\":123456,\"errors\":0,\"deleted\":0,\"message\":\"restored\"}";
  static final String NO_COMPLETE_POINT =
      "{\"operation\":\"restore\",\"status\":\"failed\",\"exitCode\":4,\"destination\":\"s3:backups/shop/db\",\"message\":"
          + "\"refused: no complete backup under s3:backups/shop/db: the point(s) in time 2026-11-21-101500 have no completion marker (interrupted backups)\"}";
  static final String NOT_EMPTY =
      "{\"operation\":\"restore\",\"status\":\"failed\",\"exitCode\":4,\"message\":"
          + "\"refused: MOVER_DATA_DIR '/data' is not empty (found 'old.txt'); restore into an empty volume or set MOVER_ALLOW_NONEMPTY_TARGET=true\"}";

  private static String ns;
  private static RunningOperator operator;

  @BeforeAll
  static void start() {
    ns = TestCluster.newNamespace("restore");
    operator = RunningOperator.start(ns);
    Given.secret(ns, "s3", Given.S3_KEYS);
    LocalProvisioner.ensureStorageClass(TestCluster.admin(), "csi", "Immediate");
  }

  @AfterAll
  static void stop() {
    operator.close();
  }

  @Test
  void theLatestBackupIsRestoredIntoANewPvcThatOutlivesTheRestore() throws Exception {
    Given.restore(ns, "into-new", """
        sourcePvc: db
        secretName: s3
        path: shop/db
        targetPvc: db-restored
        targetPvcTemplate:
          storageClassName: csi
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 1Gi}}
        """);
    await().atMost(Duration.ofSeconds(30)).until(() -> job("into-new-restore") != null);
    Map<String, String> env = env(job("into-new-restore"));
    assertThat(env)
        .containsEntry("MOVER_OPERATION", "restore")
        .containsEntry("MOVER_RESTORE_POINT", "latest")
        .containsEntry("MOVER_SOURCE", ns + "/db")
        .containsEntry("MOVER_PATH", "shop/db")
        .doesNotContainKey("MOVER_ALLOW_NONEMPTY_TARGET");
    assertThat(job("into-new-restore").getSpec().getTemplate().getSpec().getVolumes().getFirst().getPersistentVolumeClaim().getClaimName())
        .isEqualTo("db-restored");

    new KubeletStandIn(ns, "into-new-restore").nextPodExits(0, RESTORED);

    await().atMost(Duration.ofSeconds(60)).until(() -> "Completed".equals(TestCluster.restore(ns, "into-new").getStatus().phase()));
    DataMoverRestoreStatus status = TestCluster.restore(ns, "into-new").getStatus();
    assertThat(status.targetPvc()).isEqualTo("db-restored");
    assertThat(status.pointInTime()).isEqualTo("2026-11-21-101500");
    assertThat(status.source()).isEqualTo("s3:backups/shop/db/2026-11-21-101500");
    assertThat(status.filesTransferred()).isEqualTo(42);
    assertThat(status.bytesTransferred()).isEqualTo(123456);
    assertThat(status.verified()).isTrue();
    assertThat(status.attempts()).isEqualTo(1);
    assertThat(status.message()).isEqualTo("Restored s3:backups/shop/db/2026-11-21-101500 (42 files, 123456 bytes) into PVC db-restored");
    assertThat(status.condition(Condition.READY).orElseThrow().status()).isEqualTo("True");
    assertThat(TestCluster.eventReasons(ns, "into-new"))
        .containsSubsequence("Validated", "CreatingTargetPVC", "TargetReady", "RestoreJobCreated", "RestoreSucceeded", "Completed");
    await().atMost(Duration.ofSeconds(30)).until(() -> job("into-new-restore") == null);

    String table = TestCluster.server().runKubectl("get", "datamoverrestores", "-n", ns, "-o", "wide");
    assertThat(table.lines().findFirst().orElseThrow()).contains("PHASE", "SOURCE", "TARGET", "POINT", "READY", "FROM", "MESSAGE");
    assertThat(table).contains("into-new", "Completed", "db-restored", "2026-11-21-101500", "True");

    // Restored data must not vanish with the restore object: the target has no owner.
    V1PersistentVolumeClaim target = TestCluster.core().readNamespacedPersistentVolumeClaim("db-restored", ns).execute();
    assertThat(target.getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(target.getMetadata().getLabels()).containsEntry("datamover.a-cup-of.coffee/datamoverrestore", "into-new");
    assertThat(operator.http("/actuator/prometheus").body())
        .contains("datamover_restore_current_phase{application=\"datamover-operator\",name=\"into-new\",namespace=\"" + ns + "\",phase=\"Completed\"} 1.0")
        .contains("datamover_restore_operations_total{application=\"datamover-operator\",namespace=\"" + ns + "\",phase=\"Restoring\",status=\"success\"} 1.0")
        .contains("datamover_workqueue_adds_total{application=\"datamover-operator\",kind=\"DataMoverRestore\"}");
    // The alerts and the dashboard query restore metrics by names the operator exports.
    MonitoringQueries.assertExported(operator.http("/actuator/prometheus").body(), name -> name.startsWith("datamover_restore_"));
  }

  @Test
  void aNamedPointOfAFixedPathOrATimestampIsPassedToTheMover() {
    Given.boundPvc(ns, "named-target", "csi");
    Given.restore(ns, "named", "sourcePvc: db\nsecretName: s3\npointInTime: 2026-11-21-101500\ntargetPvc: named-target\noverwrite: true");
    Given.boundPvc(ns, "fixed-target", "csi");
    Given.restore(ns, "fixed", "sourcePvc: db\nsecretName: s3\npointInTime: fixed\ntargetPvc: fixed-target");

    await().atMost(Duration.ofSeconds(30)).until(() -> job("named-restore") != null && job("fixed-restore") != null);
    assertThat(env(job("named-restore"))).containsEntry("MOVER_RESTORE_POINT", "2026-11-21-101500").containsEntry("MOVER_ALLOW_NONEMPTY_TARGET", "true");
    assertThat(env(job("fixed-restore"))).containsEntry("MOVER_RESTORE_POINT", "fixed");
  }

  @Test
  void noCompleteBackupFailsAtOnceWithTheMoversWordsAndLeavesTheTargetAlone() {
    Given.boundPvc(ns, "nothing-target", "csi");
    Given.restore(ns, "nothing", "sourcePvc: db\nsecretName: s3\ntargetPvc: nothing-target");
    await().atMost(Duration.ofSeconds(30)).until(() -> job("nothing-restore") != null);

    new KubeletStandIn(ns, "nothing-restore").nextPodExits(4, NO_COMPLETE_POINT);

    await().atMost(Duration.ofSeconds(60)).until(() -> "Failed".equals(TestCluster.restore(ns, "nothing").getStatus().phase()));
    DataMoverRestoreStatus status = TestCluster.restore(ns, "nothing").getStatus();
    assertThat(status.attempts()).as("a refusal is not retried").isEqualTo(1);
    assertThat(status.reason()).isEqualTo("PodFailurePolicy");
    assertThat(status.message()).contains("no complete backup under s3:backups/shop/db");
    assertThat(status.condition(Condition.STALLED).orElseThrow().status()).isEqualTo("True");
    assertThat(TestCluster.events(ns, "nothing")).anySatisfy(e -> {
      assertThat(e.getType()).isEqualTo("Warning");
      assertThat(e.getReason()).isEqualTo("PodFailurePolicy");
    });
  }

  @Test
  void aTargetThatHoldsFilesIsRefusedWithTheFieldThatAllowsIt() {
    Given.boundPvc(ns, "full-target", "csi");
    Given.restore(ns, "full", "sourcePvc: db\nsecretName: s3\ntargetPvc: full-target");
    await().atMost(Duration.ofSeconds(30)).until(() -> job("full-restore") != null);

    new KubeletStandIn(ns, "full-restore").nextPodExits(4, NOT_EMPTY);

    await().atMost(Duration.ofSeconds(60)).until(() -> "Failed".equals(TestCluster.restore(ns, "full").getStatus().phase()));
    assertThat(TestCluster.restore(ns, "full").getStatus().message())
        .contains("is not empty (found 'old.txt')")
        .endsWith("(with a DataMoverRestore: set spec.overwrite: true)");
  }

  @Test
  void aTargetMountedByARunningPodWaitsUntilThePodIsGone() throws Exception {
    Given.boundPvc(ns, "busy-target", "csi");
    TestCluster.core().createNamespacedPod(ns, PopulatorIT.podUsing("app", "busy-target", ns)).execute();
    Given.restore(ns, "busy", "sourcePvc: db\nsecretName: s3\ntargetPvc: busy-target");

    await().atMost(Duration.ofSeconds(30)).until(() -> "TargetPVCInUse".equals(TestCluster.restore(ns, "busy").getStatus().reason()));
    assertThat(TestCluster.restore(ns, "busy").getStatus().message()).contains("mounted by pod(s) app", "allowTargetInUse: true");
    assertThat(job("busy-restore")).isNull();

    TestCluster.core().deleteNamespacedPod("app", ns).gracePeriodSeconds(0).execute();
    // Pods are not watched: the restore looks again on its own within 30 s; a user may nudge it sooner.
    await().atMost(Duration.ofSeconds(20)).until(() -> podGone("app"));
    TestCluster.server().runKubectl("annotate", "-n", ns, "datamoverrestores/busy", "nudge=1");
    await().atMost(Duration.ofSeconds(30)).until(() -> job("busy-restore") != null);
  }

  private static boolean podGone(String name) {
    try {
      TestCluster.core().readNamespacedPod(name, ns).execute();
      return false;
    } catch (ApiException e) {
      return e.getCode() == 404;
    }
  }

  private static V1Job job(String name) {
    return job(ns, name);
  }

  /** The Job, or null while it does not exist. */
  static V1Job job(String namespace, String name) {
    try {
      return TestCluster.batch().readNamespacedJob(name, namespace).execute();
    } catch (ApiException e) {
      return null;
    }
  }

  static Map<String, String> env(V1Job job) {
    return job.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(V1EnvVar::getName, V1EnvVar::getValue, (a, b) -> b));
  }
}
