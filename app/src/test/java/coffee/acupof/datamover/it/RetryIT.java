package coffee.acupof.datamover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coffee.acupof.datamover.api.Condition;
import coffee.acupof.datamover.api.DataMoverStatus;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A failed attempt with retries left is not a failed run; exhausted attempts are. The real Job
 * controller starts each next pod after its back-off (10 s, then 20 s).
 */
class RetryIT {
  static final String DENIED =
      "{\"operation\":\"backup\",\"status\":\"failed\",\"exitCode\":3,\"errors\":1,"
          + "\"message\":\"transfer failed: AccessDenied from the remote; check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\"}";

  private static String ns;
  private static RunningOperator operator;

  @BeforeAll
  static void start() {
    ns = TestCluster.newNamespace("retry");
    operator = RunningOperator.start(ns);
    Given.secret(ns, "s3", Given.S3_KEYS);
  }

  @AfterAll
  static void stop() {
    operator.close();
  }

  private static void dataMover(String name, String source) {
    Given.boundPvc(ns, source, "csi");
    Given.dataMover(ns, name, source, "s3", "");
    await().atMost(Duration.ofSeconds(30)).until(() -> "CreatingPod".equals(TestCluster.get(ns, name).getStatus().phase()));
  }

  @Test
  void oneFailedAttemptThenSuccessCompletes() {
    dataMover("flaky", "flaky-data");
    KubeletStandIn kubelet = new KubeletStandIn(ns, "flaky-mover");

    kubelet.nextPodExits(3, DENIED);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      DataMoverStatus s = TestCluster.get(ns, "flaky").getStatus();
      assertThat(s.phase()).isEqualTo("CreatingPod");
      assertThat(s.reason()).isEqualTo("MoverAttemptFailed");
      assertThat(s.message()).contains("attempt 1 of 3 failed, the next one starts after a back-off: transfer failed: AccessDenied from the remote");
    });
    assertThat(TestCluster.get(ns, "flaky").getStatus().condition(Condition.STALLED).orElseThrow().status()).isEqualTo("False");
    assertThat(TestCluster.events(ns, "flaky"))
        .anySatisfy(e -> {
          assertThat(e.getType()).isEqualTo("Warning");
          assertThat(e.getReason()).isEqualTo("MoverAttemptFailed");
          assertThat(e.getMessage()).contains("transfer failed: AccessDenied");
        });

    kubelet.nextPodExits(0, FullRunIT.SUCCESS);

    await().atMost(Duration.ofSeconds(60)).until(() -> "Completed".equals(TestCluster.get(ns, "flaky").getStatus().phase()));
    DataMoverStatus s = TestCluster.get(ns, "flaky").getStatus();
    assertThat(s.attempts()).isEqualTo(2);
    assertThat(s.condition(Condition.READY).orElseThrow().status()).isEqualTo("True");
  }

  @Test
  void exhaustedAttemptsFailWithTheMoversMessage() {
    dataMover("doomed", "doomed-data");
    KubeletStandIn kubelet = new KubeletStandIn(ns, "doomed-mover");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(kubelet.job().getSpec().getBackoffLimit()).isEqualTo(2));

    kubelet.nextPodExits(3, DENIED);
    kubelet.nextPodExits(3, DENIED);
    kubelet.nextPodExits(3, DENIED);

    await().atMost(Duration.ofSeconds(90)).until(() -> "Failed".equals(TestCluster.get(ns, "doomed").getStatus().phase()));
    DataMoverStatus s = TestCluster.get(ns, "doomed").getStatus();
    assertThat(s.attempts()).isEqualTo(3);
    assertThat(s.reason()).isEqualTo("BackoffLimitExceeded");
    assertThat(s.message())
        .isEqualTo("mover Job doomed-mover failed after 3 attempts (BackoffLimitExceeded): transfer failed: AccessDenied from the remote; "
            + "check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (exit code 3)");
    assertThat(s.condition(Condition.READY).orElseThrow().status()).isEqualTo("False");
    assertThat(s.condition(Condition.STALLED).orElseThrow()).satisfies(c -> {
      assertThat(c.status()).isEqualTo("True");
      assertThat(c.reason()).isEqualTo("BackoffLimitExceeded");
    });
    assertThat(s.completionTime()).isNotNull();
    assertThat(TestCluster.events(ns, "doomed"))
        .anySatisfy(e -> {
          assertThat(e.getType()).isEqualTo("Warning");
          assertThat(e.getReason()).isEqualTo("BackoffLimitExceeded");
        });
    assertThat(operator.http("/actuator/prometheus").body())
        .contains("datamover_operations_total{application=\"datamover-operator\",namespace=\"" + ns + "\",phase=\"CreatingPod\",status=\"failure\"} 1.0");
  }
}
