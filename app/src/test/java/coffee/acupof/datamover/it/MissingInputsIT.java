package coffee.acupof.datamover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coffee.acupof.datamover.api.Condition;
import coffee.acupof.datamover.api.DataMoverStatus;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A missing source PVC or Secret is named in the status while the run waits, and the run fails at
 * the validation deadline (8 seconds here) instead of hanging.
 */
class MissingInputsIT {
  private static String ns;
  private static RunningOperator operator;

  @BeforeAll
  static void start() {
    ns = TestCluster.newNamespace("missing");
    operator = RunningOperator.start(ns, Map.of("datamover.deadlines.validation", "8s"));
  }

  @AfterAll
  static void stop() {
    operator.close();
  }

  private static void apply(String name, String source, String secret) {
    Given.dataMover(ns, name, source, secret, "");
  }

  @Test
  void aMissingPvcIsNamedAndTheRunStartsWhenItAppears() {
    Given.secret(ns, "s3-ok", Given.S3_KEYS);
    apply("late-source", "arrives-later", "s3-ok");

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      DataMoverStatus s = TestCluster.get(ns, "late-source").getStatus();
      assertThat(s.phase()).isEqualTo("");
      assertThat(s.message()).isEqualTo("Waiting: source PVC arrives-later not found in namespace " + ns);
      assertThat(s.condition(Condition.READY).orElseThrow().reason()).isEqualTo("SourcePVCNotFound");
      assertThat(s.condition(Condition.RECONCILING).orElseThrow().status()).isEqualTo("True");
    });

    Given.boundPvc(ns, "arrives-later", "csi");

    await().atMost(Duration.ofSeconds(10)).until(() -> "CreatingPod".equals(TestCluster.get(ns, "late-source").getStatus().phase()));
  }

  @Test
  void aMissingSecretFailsTheRunAtTheDeadlineWithWhatIsMissing() {
    Given.boundPvc(ns, "data", "csi");
    apply("no-secret", "data", "never-created");

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(TestCluster.get(ns, "no-secret").getStatus().message()).isEqualTo("Waiting: Secret never-created not found in namespace " + ns));

    await().atMost(Duration.ofSeconds(30)).until(() -> "Failed".equals(TestCluster.get(ns, "no-secret").getStatus().phase()));
    DataMoverStatus s = TestCluster.get(ns, "no-secret").getStatus();
    assertThat(s.reason()).isEqualTo("SecretNotFound");
    assertThat(s.message()).isEqualTo("Secret never-created not found in namespace " + ns + " (gave up after 8s)");
    assertThat(s.condition(Condition.STALLED).orElseThrow().isTrue()).isTrue();
    assertThat(TestCluster.eventReasons(ns, "no-secret")).containsExactly("SecretNotFound", "SecretNotFound");
  }

  @Test
  void aSecretWithoutTheKeysTheMoverNeedsIsNamed() {
    Given.boundPvc(ns, "data2", "csi");
    Given.secret(ns, "half", Map.of("AWS_ACCESS_KEY_ID", "id", "BUCKET_HOST", "minio"));
    apply("half-secret", "data2", "half");

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(TestCluster.get(ns, "half-secret").getStatus().message())
            .startsWith("Waiting: Secret half lacks key(s) AWS_SECRET_ACCESS_KEY, BUCKET_NAME"));
  }
}
