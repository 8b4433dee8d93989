package coffee.acupof.datamover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coffee.acupof.datamover.api.Condition;
import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverStatus;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The old operator's README example, applied unchanged, goes through every phase to Completed on a
 * real API server with the real Job controller, PV binder and scheduler; the test says how the mover
 * pod ends (the kubelet is played).
 */
class FullRunIT {
  static final String SUCCESS =
      "{\"operation\":\"backup\",\"status\":\"success\",\"exitCode\":0,\"destination\":\"s3:backups/2026-11-21-101500\","
          + "\"pointInTime\":\"2026-11-21-101500\",\"files\":42,\"bytes\":123456,\"errors\":0,\"deleted\":0,\"message\":\"backup complete\"}";

  private static String ns;
  private static RunningOperator operator;

  @BeforeAll
  static void start() {
    ns = TestCluster.newNamespace("full-run");
    operator = RunningOperator.start(ns);
  }

  @AfterAll
  static void stop() {
    operator.close();
  }

  @Test
  void theOldReadmeExampleRunsThroughEveryPhase() throws Exception {
    Given.boundPvc(ns, "source-pvc-name", "csi-standard");
    Given.secret(ns, "storage-credentials", Given.S3_KEYS);
    String manifest =
        """
        apiVersion: datamover.a-cup-of.coffee/v1alpha1
        kind: DataMover
        metadata:
          name: my-datamover
          namespace: default
        spec:
          sourcePvc: "source-pvc-name"
          secretName: "storage-credentials"
          addTimestampPrefix: true  # Creates timestamped folders: YYYY-MM-DD-HHMMSS/
          deletePvcAfterBackup: true  # Automatically cleanup cloned PVC after backup
          additionalEnv:
            - name: "CUSTOM_VAR"
              value: "custom-value"
            - name: "ENVIRONMENT"
              value: "production"
        """
            .replace("namespace: default", "namespace: " + ns);

    try (Given.PhaseHistory history = new Given.PhaseHistory(ns, "my-datamover")) {
      Given.kubectlApply(ns, manifest);

      await().atMost(Duration.ofSeconds(30)).until(() -> "CreatingPod".equals(TestCluster.get(ns, "my-datamover").getStatus().phase()));
      await().atMost(Duration.ofSeconds(10)).until(() -> jobExists("my-datamover-mover"));

      V1PersistentVolumeClaim clone = TestCluster.core().readNamespacedPersistentVolumeClaim("my-datamover-clone", ns).execute();
      assertThat(clone.getSpec().getDataSource().getName()).isEqualTo("source-pvc-name");
      assertThat(clone.getSpec().getStorageClassName()).isEqualTo("csi-standard");
      V1Job job = TestCluster.batch().readNamespacedJob("my-datamover-mover", ns).execute();
      assertThat(job.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv())
          .extracting(e -> e.getName() + "=" + e.getValue())
          .contains("ADD_TIMESTAMP_PREFIX=true", "CUSTOM_VAR=custom-value", "ENVIRONMENT=production");

      new KubeletStandIn(ns, "my-datamover-mover").nextPodExits(0, SUCCESS);

      await().atMost(Duration.ofSeconds(30)).until(() -> "Completed".equals(TestCluster.get(ns, "my-datamover").getStatus().phase()));
      await().atMost(Duration.ofSeconds(5)).until(() -> history.phases().contains("Completed"));
      assertThat(history.phases()).containsExactly("", "CreatingClonedPVC", "ClonedPVCReady", "CreatingPod", "CleaningUp", "Completed");
      // One status write per phase entered (issue 12): the clone, the Job and the pod's progress write nothing more.
      assertThat(history.statusWrites()).hasSizeLessThanOrEqualTo(history.phases().size() - 1)
          .containsExactly("CreatingClonedPVC Validated", "ClonedPVCReady ClonePVCCreated", "CreatingPod CreatingMoverJob", "CleaningUp MoverSucceeded",
              "Completed Completed");
    }

    DataMover done = TestCluster.get(ns, "my-datamover");
    DataMoverStatus status = done.getStatus();
    assertThat(status.restoredPvcName()).isEqualTo("my-datamover-clone");
    assertThat(status.jobName()).isEqualTo("my-datamover-mover");
    assertThat(status.attempts()).isEqualTo(1);
    assertThat(status.destination()).isEqualTo("s3:backups/2026-11-21-101500");
    assertThat(status.filesTransferred()).isEqualTo(42);
    assertThat(status.bytesTransferred()).isEqualTo(123456);
    assertThat(status.observedGeneration()).isEqualTo(done.generation());
    assertThat(status.startTime()).isNotNull();
    assertThat(status.completionTime()).isAfterOrEqualTo(status.startTime());
    assertThat(status.message()).isEqualTo("Backup written to s3:backups/2026-11-21-101500 (42 files, 123456 bytes) after 1 attempt; clone my-datamover-clone deleted");
    assertThat(status.condition(Condition.READY).orElseThrow().status()).isEqualTo("True");
    assertThat(status.condition(Condition.RECONCILING).orElseThrow().status()).isEqualTo("False");
    assertThat(status.condition(Condition.STALLED).orElseThrow().status()).isEqualTo("False");
    assertThat(status.conditions()).allSatisfy(c -> assertThat(c.observedGeneration()).isEqualTo(done.generation()));

    // Creating the clone and the Job changes no status but still leaves an Event.
    assertThat(TestCluster.eventReasons(ns, "my-datamover"))
        .containsSubsequence("Validated", "CreatingClonePVC", "ClonePVCCreated", "CreatingMoverJob", "MoverJobCreated", "MoverSucceeded", "Completed");

    // deletePvcAfterBackup: the Job is gone and the clone is deleted (it may still be Terminating
    // until the PVC-protection controller sees that the mover pod has ended).
    assertThat(jobExists("my-datamover-mover")).isFalse();
    assertThat(cloneGoneOrTerminating("my-datamover-clone")).isTrue();

    String table = TestCluster.server().runKubectl("get", "datamovers", "-n", ns, "-o", "wide");
    assertThat(table.lines().findFirst().orElseThrow()).contains("PHASE", "SOURCE", "READY", "AGE", "DESTINATION", "COMPLETED", "ATTEMPTS");
    assertThat(table).contains("my-datamover", "Completed", "source-pvc-name", "True", "s3:backups/2026-11-21-101500");

    String metrics = operator.http("/actuator/prometheus").body();
    assertThat(metrics)
        .contains("datamover_operations_total{application=\"datamover-operator\",namespace=\"" + ns + "\",phase=\"CreatingPod\",status=\"success\"} 1.0")
        .contains("datamover_data_sync_operations_total{application=\"datamover-operator\",status=\"success\"}")
        .contains("datamover_pvc_cleanup_operations_total{application=\"datamover-operator\",status=\"success\"}")
        .contains("datamover_current_phase{application=\"datamover-operator\",name=\"my-datamover\",namespace=\"" + ns + "\",phase=\"Completed\"} 1.0")
        .contains("datamover_phase_duration_seconds_bucket{application=\"datamover-operator\",phase=\"CreatingPod\",le=\"3600.0\"}");
    // The work queue and the reconcile loop of each kind are visible too.
    assertThat(metrics)
        .containsPattern("datamover_workqueue_adds_total\\{application=\"datamover-operator\",kind=\"DataMover\"} [1-9]")
        .contains("datamover_workqueue_depth{application=\"datamover-operator\",kind=\"DataMover\"}")
        .contains("datamover_workqueue_retries_total{application=\"datamover-operator\",kind=\"DataMover\"}")
        .containsPattern("datamover_reconcile_duration_seconds_count\\{application=\"datamover-operator\",kind=\"DataMover\",result=\"success\"} [1-9]");
    var readiness = operator.http("/actuator/health/readiness");
    assertThat(readiness.statusCode()).isEqualTo(200);
    assertThat(readiness.body()).contains("\"datamovers\":true", "\"persistentvolumeclaims\":true", "\"secrets\":true", "\"jobs\":true", "\"pods\":true");
  }

  private static boolean jobExists(String name) {
    try {
      TestCluster.batch().readNamespacedJob(name, ns).execute();
      return true;
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return false;
      }
      throw new IllegalStateException(e);
    }
  }

  private static boolean cloneGoneOrTerminating(String name) {
    try {
      return TestCluster.core().readNamespacedPersistentVolumeClaim(name, ns).execute().getMetadata().getDeletionTimestamp() != null;
    } catch (ApiException e) {
      return e.getCode() == 404;
    }
  }

}
