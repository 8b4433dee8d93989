package coffee.acupof.datamover.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class HeapCollectionPolicyTest {
  private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");
  private static final long MIB = 1024 * 1024;

  private final HeapCollectionPolicy policy = new HeapCollectionPolicy();

  private boolean dueAt(double seconds, boolean quiet, long committedMiB) {
    return policy.due(START.plusMillis((long) (seconds * 1000)), quiet, committedMiB * MIB);
  }

  @Test
  void startUpEndsWithOneCollectionOnceTheQueuesStayedEmptyForTwoSeconds() {
    assertThat(dueAt(0, false, 120)).as("informers still filling their caches").isFalse();
    assertThat(dueAt(1, true, 120)).as("empty only just now").isFalse();
    assertThat(dueAt(2.5, false, 120)).as("busy again").isFalse();
    assertThat(dueAt(3, true, 120)).isFalse();
    assertThat(dueAt(4.5, true, 120)).isFalse();

    assertThat(dueAt(5, true, 120)).as("empty for 2 s").isTrue();
  }

  @Test
  void aBusyPeriodThatGrewTheHeapEndsWithACollectionAtMostOnceAMinute() {
    collectedAt(5, 60);

    assertThat(dueAt(20, false, 90)).isFalse();
    assertThat(dueAt(30, true, 90)).isFalse();
    assertThat(dueAt(40, true, 90)).as("grown by 30 MiB, but only 35 s after the last collection").isFalse();
    assertThat(dueAt(65, true, 90)).as("a minute after the last one").isTrue();
  }

  @Test
  void aBusyPeriodThatLeftTheHeapAsItWasNeedsNoCollection() {
    collectedAt(5, 60);

    assertThat(dueAt(100, false, 67)).isFalse();
    assertThat(dueAt(198, true, 67)).isFalse();
    assertThat(dueAt(200, true, 67)).as("7 MiB more is not worth a collection").isFalse();
    assertThat(dueAt(300, true, 68)).as("8 MiB more is").isTrue();
  }

  @Test
  void theHeapLeftByTheLastCollectionIsTheBaseline() {
    collectedAt(5, 60);
    collectedAt(100, 80);

    assertThat(dueAt(200, true, 85)).as("grown from 80, not from 60").isFalse();
    assertThat(dueAt(210, true, 88)).isTrue();
    assertThat(policy.collections()).isEqualTo(2);
  }

  @Test
  void aBusyMomentStartsTheQuietWaitAgain() {
    collectedAt(5, 60);

    assertThat(dueAt(99, false, 90)).isFalse();
    assertThat(dueAt(100, true, 90)).isFalse();
    assertThat(dueAt(101.5, false, 90)).isFalse();
    assertThat(dueAt(102, true, 90)).isFalse();
    assertThat(dueAt(103.5, true, 90)).isFalse();
    assertThat(dueAt(104, true, 90)).isTrue();
  }

  private void collectedAt(double seconds, long committedMiB) {
    // The queues were empty for the 2 s before it, so a due collection at that time is what is recorded.
    dueAt(seconds - 2, true, committedMiB);
    assertThat(dueAt(seconds, true, committedMiB)).isTrue();
    policy.collected(START.plusMillis((long) (seconds * 1000)), committedMiB * MIB);
  }
}
