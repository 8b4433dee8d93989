package coffee.acupof.datamover.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.it.Given;
import coffee.acupof.datamover.it.TestCluster;
import io.kubernetes.client.openapi.models.CoreV1Event;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Failures and recovery with every part real except the kubelet (LocalExecutor) and the CSI driver:
 * wrong credentials (the real Job controller retries with its back-off), an operator killed in the
 * middle of a run, and a deleted DataMover (the real garbage collector and PVC-protection controller).
 */
class RecoveryEndToEndIT {
  private static EndToEnd e2e;

  @BeforeAll
  static void start() {
    e2e = new EndToEnd("e2e-recovery");
    e2e.s3.createBucket("backups");
  }

  @AfterAll
  static void stop() {
    if (e2e != null) {
      e2e.close();
    }
  }

  private static void source(String pvc) throws Exception {
    Trees.writeSample(e2e.volume(pvc), pvc);
    Given.boundPvc(e2e.namespace, pvc, "csi");
  }

  private static void dataMover(String name, String pvc, String secret, String extraSpec) {
    Given.dataMover(e2e.namespace, name, pvc, secret, "addTimestampPrefix: true\n" + extraSpec);
  }

  private static DataMoverStatus status(String name) {
    return TestCluster.get(e2e.namespace, name).getStatus();
  }

  private static long pods(String job) {
    return TestCluster.server().runKubectl("get", "pods", "-n", e2e.namespace, "-l", "batch.kubernetes.io/job-name=" + job, "-o", "name")
        .lines().filter(l -> !l.isBlank()).count();
  }

  private static long runningPods(String job) {
    return TestCluster.server().runKubectl("get", "pods", "-n", e2e.namespace, "-l", "batch.kubernetes.io/job-name=" + job,
            "--field-selector", "status.phase=Running", "-o", "name")
        .lines().filter(l -> !l.isBlank()).count();
  }

  @Test
  void wrongCredentialsFailAtOnceWithTheMoversMessageAndNoRetry() throws Exception {
    source("wrong-creds-data");
    Map<String, String> secret = e2e.s3Secret("backups");
    String wrong = "not-the-secret-" + Long.toHexString(System.nanoTime());
    secret.put("AWS_SECRET_ACCESS_KEY", wrong);
    Given.secret(e2e.namespace, "wrong-credentials", secret);
    try (OperatorProcess operator = e2e.startOperator()) {
      dataMover("wrong-creds", "wrong-creds-data", "wrong-credentials", "");

      await().atMost(Duration.ofMinutes(3)).until(() -> "Failed".equals(status("wrong-creds").phase()));
      DataMoverStatus s = status("wrong-creds");
      // Rejected credentials are a configuration error (exit 2): the Job's pod failure policy fails
      // it at once instead of retrying what cannot succeed.
      assertThat(s.attempts()).isEqualTo(1);
      assertThat(s.reason()).isEqualTo("PodFailurePolicy");
      assertThat(s.message())
          .contains("the remote rejected the credentials: check the remote's Secret (spec.secretName)")
          .contains("AWS_SECRET_ACCESS_KEY")
          .endsWith("(exit code 2)");
      assertThat(TestCluster.events(e2e.namespace, "wrong-creds"))
          .anySatisfy(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getReason()).isEqualTo("PodFailurePolicy");
            assertThat(e.getMessage()).contains("the remote rejected the credentials");
          })
          .noneSatisfy(e -> assertThat(e.getReason()).isEqualTo("MoverAttemptFailed"));
      // The secret value is nowhere a user or a log reader would look.
      String everything =
          TestCluster.server().runKubectl("get", "datamover", "wrong-creds", "-n", e2e.namespace, "-o", "yaml")
              + String.join("\n", TestCluster.events(e2e.namespace, "wrong-creds").stream().map(CoreV1Event::getMessage).toList())
              + TestCluster.server().runKubectl("get", "pods", "-n", e2e.namespace, "-o", "yaml")
              + operator.log();
      assertThat(everything).contains("wrong-creds-mover").doesNotContain(wrong).doesNotContain(e2e.s3.secretKey());
    }
  }

  @Test
  void anOperatorKilledMidRunIsReplacedAndTheRunCompletesOnce() throws Exception {
    source("slow-data");
    Given.secret(e2e.namespace, "s3-slow", e2e.s3Secret("backups"));
    OperatorProcess first = e2e.startOperator();
    try {
      // A bandwidth limit keeps the mover busy for several seconds.
      dataMover("killed", "slow-data", "s3-slow", "additionalEnv:\n  - name: RCLONE_BWLIMIT\n    value: 300k\n");
      // The mover's pod runs; the status says the Job was started (its normal progress writes nothing).
      await().atMost(Duration.ofMinutes(1)).until(() -> runningPods("killed-mover") == 1 && "CreatingPod".equals(status("killed").phase()));
      assertThat(status("killed").message()).endsWith("; starting mover Job killed-mover (up to 3 attempts)");
    } finally {
      first.kill();
    }
    assertThat(status("killed").phase()).isEqualTo("CreatingPod");
    try (OperatorProcess second = e2e.startOperator()) {
      await().atMost(Duration.ofMinutes(2)).until(() -> "Completed".equals(status("killed").phase()));
    }
    DataMoverStatus s = status("killed");
    assertThat(s.attempts()).isEqualTo(1);
    assertThat(pods("killed-mover")).isEqualTo(1);
    assertThat(TestCluster.server().runKubectl("get", "jobs,pvc", "-n", e2e.namespace, "-l", "datamover.a-cup-of.coffee/datamover=killed", "-o", "name").lines())
        .containsExactlyInAnyOrder("job.batch/killed-mover", "persistentvolumeclaim/killed-clone");
    assertThat(TestCluster.eventReasons(e2e.namespace, "killed")).containsOnlyOnce("MoverJobCreated", "MoverSucceeded");
    assertThat(e2e.s3.listObjects("backups", s.pointInTime() + "/")).contains(s.pointInTime() + "/.datamover/manifest.json");
  }

  @Test
  void deletingADataMoverRemovesWhatItCreated() throws Exception {
    source("deleted-data");
    Given.secret(e2e.namespace, "s3-deleted", e2e.s3Secret("backups"));
    try (OperatorProcess operator = e2e.startOperator()) {
      dataMover("deleted", "deleted-data", "s3-deleted", "");
      await().atMost(Duration.ofMinutes(2)).until(() -> "Completed".equals(status("deleted").phase()));
      assertThat(children("deleted")).containsExactlyInAnyOrder("job.batch/deleted-mover", "persistentvolumeclaim/deleted-clone");
      assertThat(operator.http("/actuator/prometheus")).contains("datamover_current_phase{application=\"datamover-operator\",name=\"deleted\"");

      TestCluster.server().runKubectl("delete", "datamover", "deleted", "-n", e2e.namespace);

      await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
        assertThat(children("deleted")).isEmpty();
        assertThat(pods("deleted-mover")).isZero();
      });
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(operator.http("/actuator/prometheus")).doesNotContain("name=\"deleted\""));
      assertThat(e2e.s3.listObjects("backups")).as("deleting the DataMover never deletes its backup").anyMatch(k -> k.endsWith("/.datamover/manifest.json"));
    }
  }

  private static List<String> children(String name) {
    return TestCluster.server().runKubectl("get", "jobs,pvc", "-n", e2e.namespace, "-l", "datamover.a-cup-of.coffee/datamover=" + name, "-o", "name")
        .lines().filter(l -> !l.isBlank()).toList();
  }

}
