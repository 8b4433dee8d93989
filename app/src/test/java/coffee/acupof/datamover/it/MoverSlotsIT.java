package coffee.acupof.datamover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coffee.acupof.datamover.api.DataMoverStatus;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With {@code datamover.mover.max-running=1}, a second run waits in phase Pending with a message
 * saying how many run and wait, and goes on by itself when the first one's Job ends.
 */
class MoverSlotsIT {
  @Test
  void aRunOverTheCapWaitsInPendingAndStartsWhenASlotFrees() throws Exception {
    String ns = TestCluster.newNamespace("mover-slots");
    Given.secret(ns, "s3", Given.S3_KEYS);
    Given.boundPvc(ns, "first-data", "csi");
    Given.boundPvc(ns, "second-data", "csi");
    try (RunningOperator operator = RunningOperator.start(ns, Map.of("datamover.mover.max-running", "1"))) {
      Given.dataMover(ns, "first", "first-data", "s3", "deletePvcAfterBackup: false");
      await().atMost(Duration.ofSeconds(30)).until(() -> "CreatingPod".equals(TestCluster.get(ns, "first").getStatus().phase()));

      try (Given.PhaseHistory history = new Given.PhaseHistory(ns, "second")) {
        Given.dataMover(ns, "second", "second-data", "s3", "deletePvcAfterBackup: false");
        await().atMost(Duration.ofSeconds(30)).until(() -> "Pending".equals(TestCluster.get(ns, "second").getStatus().phase()));
        DataMoverStatus pending = TestCluster.get(ns, "second").getStatus();
        assertThat(pending.reason()).isEqualTo("WaitingForMoverSlot");
        assertThat(pending.message()).containsIgnoringCase("waiting for a mover slot: 1 of 1 mover Jobs running; 0 runs wait ahead of this one");
        assertThat(pending.condition("Reconciling").orElseThrow().isTrue()).isTrue();
        assertThat(pending.condition("Stalled").orElseThrow().isTrue()).isFalse();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> !Schedules.jobExists(ns, "second"));

        Schedules.finishRun(ns, "first", true);
        await().atMost(Duration.ofSeconds(30)).until(() -> "CreatingPod".equals(TestCluster.get(ns, "second").getStatus().phase()));
        await().atMost(Duration.ofSeconds(5)).until(() -> history.phases().contains("CreatingPod"));
        assertThat(history.phases()).containsSubsequence("", "Pending", "CreatingClonedPVC", "CreatingPod");
      }
      assertThat(TestCluster.eventReasons(ns, "second")).containsSubsequence("WaitingForMoverSlot", "MoverSlotGranted");
      assertThat(operator.http("/actuator/prometheus").body())
          .contains("datamover_current_phase{application=\"datamover-operator\",name=\"second\",namespace=\"" + ns + "\",phase=\"CreatingPod\"} 1.0");
    }
  }
}
