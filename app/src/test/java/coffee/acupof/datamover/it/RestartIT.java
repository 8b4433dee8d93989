package coffee.acupof.datamover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.volume.ClonePvcBuilder;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * One replica leads through a Lease; a standby takes over a run mid-way when the leader stops, and
 * neither a restart nor a crash between "create" and "write status" makes a second clone or Job.
 */
class RestartIT {
  private static final String SELECTOR = "app.kubernetes.io/created-by=datamover-operator";

  private static void apply(String ns, String name, String source) {
    Given.dataMover(ns, name, source, "s3", "deletePvcAfterBackup: false");
  }

  private static int count(String ns, String kind) {
    return (int) TestCluster.server().runKubectl("get", kind, "-n", ns, "-l", SELECTOR, "-o", "name").lines().filter(l -> !l.isBlank()).count();
  }

  @Test
  void aStandbyTakesOverMidRunAndTheRunCompletesOnce() {
    String ns = TestCluster.newNamespace("restart");
    Given.secret(ns, "s3", Given.S3_KEYS);
    Given.boundPvc(ns, "app-data", "csi");
    try (RunningOperator first = RunningOperator.start(ns)) {
      await().atMost(Duration.ofSeconds(20)).until(first::isLeading);
      try (RunningOperator second = RunningOperator.start(ns)) {
        assertThat(second.isLeading()).isFalse();
        assertThat(second.http("/actuator/health/readiness").statusCode()).isEqualTo(503);
        assertThat(first.http("/actuator/health/readiness").statusCode()).isEqualTo(200);

        apply(ns, "takeover", "app-data");
        await().atMost(Duration.ofSeconds(30)).until(() -> "CreatingPod".equals(TestCluster.get(ns, "takeover").getStatus().phase()));
        await().atMost(Duration.ofSeconds(10)).until(() -> count(ns, "jobs") == 1);

        first.close();
        await().atMost(Duration.ofSeconds(20)).until(second::isLeading);
        assertThat(second.leaseLost()).isFalse();
        await().atMost(Duration.ofSeconds(20)).until(() -> second.http("/actuator/health/readiness").statusCode() == 200);

        new KubeletStandIn(ns, "takeover-mover").nextPodExits(0, FullRunIT.SUCCESS);
        await().atMost(Duration.ofSeconds(30)).until(() -> "Completed".equals(TestCluster.get(ns, "takeover").getStatus().phase()));
      }
    }
    assertThat(count(ns, "pvc")).isEqualTo(1);
    assertThat(count(ns, "jobs")).isEqualTo(1);
    assertThat(TestCluster.eventReasons(ns, "takeover")).containsOnlyOnce("Validated", "MoverJobCreated", "MoverSucceeded");
    assertThat(TestCluster.get(ns, "takeover").getStatus().attempts()).isEqualTo(1);
  }

  @Test
  void aCrashAfterCreatingTheCloneButBeforeWritingStatusMakesNoSecondClone() throws ApiException {
    String ns = TestCluster.newNamespace("crash");
    Given.secret(ns, "s3", Given.S3_KEYS);
    V1PersistentVolumeClaim source = Given.boundPvc(ns, "app-data", "csi");
    apply(ns, "crashed", "app-data");
    // What a crashed operator leaves behind: the clone exists, the status still says phase "".
    DataMover dm = TestCluster.get(ns, "crashed");
    TestCluster.core().createNamespacedPersistentVolumeClaim(ns, ClonePvcBuilder.build(dm, source)).execute();
    assertThat(dm.getStatus().phase()).isNull();

    try (RunningOperator operator = RunningOperator.start(ns)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> "CreatingPod".equals(TestCluster.get(ns, "crashed").getStatus().phase()));
      await().atMost(Duration.ofSeconds(10)).until(() -> count(ns, "jobs") == 1);
    }
    try (RunningOperator restarted = RunningOperator.start(ns)) {
      await().atMost(Duration.ofSeconds(20)).until(restarted::isLeading);
      new KubeletStandIn(ns, "crashed-mover").nextPodExits(0, FullRunIT.SUCCESS);
      await().atMost(Duration.ofSeconds(30)).until(() -> "Completed".equals(TestCluster.get(ns, "crashed").getStatus().phase()));
    }
    assertThat(count(ns, "pvc")).isEqualTo(1);
    assertThat(count(ns, "jobs")).isEqualTo(1);
  }
}
