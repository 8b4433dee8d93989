package coffee.acupof.datamover.runtime.phase;

import static coffee.acupof.datamover.Fixtures.CREATED;
import static coffee.acupof.datamover.Fixtures.dataMover;
import static org.assertj.core.api.Assertions.assertThat;

import coffee.acupof.datamover.api.Condition;
import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.api.Phase;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class RunStatusComposerTest {
  private final OffsetDateTime t1 = CREATED.plusSeconds(10);
  private final OffsetDateTime t2 = CREATED.plusSeconds(20);

  @Test
  void aRunningRunIsReconcilingAndNotReady() {
    DataMoverStatus s = RunStatusComposer.compose(dataMover("b"), Transition.to(Phase.CREATING_CLONED_PVC, "Validated", "ok"), t1);

    assertThat(s.phase()).isEqualTo("CreatingClonedPVC");
    assertThat(s.observedGeneration()).isEqualTo(1L);
    assertThat(s.startTime()).isEqualTo(t1);
    assertThat(s.phaseTransitionTime()).isEqualTo(t1);
    assertThat(s.completionTime()).isNull();
    assertThat(s.condition(Condition.READY).orElseThrow().status()).isEqualTo("False");
    assertThat(s.condition(Condition.RECONCILING).orElseThrow().status()).isEqualTo("True");
    assertThat(s.condition(Condition.STALLED).orElseThrow().status()).isEqualTo("False");
    assertThat(s.conditions()).allSatisfy(c -> {
      assertThat(c.observedGeneration()).isEqualTo(1L);
      assertThat(c.reason()).isEqualTo("Validated");
    });
  }

  @Test
  void keepingTheStatusChangesNothingNotEvenForARunNeverWritten() {
    DataMover fresh = dataMover("b");
    assertThat(RunStatusComposer.compose(fresh, Transition.keep(Phase.NEW, fresh.getStatus()), t1)).isEqualTo(fresh.getStatus());

    DataMover running = dataMover("r");
    running.status(RunStatusComposer.compose(running, Transition.to(Phase.CREATING_POD, "CreatingMoverJob", "starting mover Job r-mover"), t1));
    assertThat(RunStatusComposer.compose(running, Transition.keep(Phase.CREATING_POD, running.getStatus()), t2)).isEqualTo(running.getStatus());
  }

  @Test
  void aFailedRunIsStalledAndNotReady() {
    DataMoverStatus s = RunStatusComposer.compose(dataMover("b"), Transition.fail(Phase.FAILED, "SecretNotFound", "Secret s not found"), t1);

    assertThat(s.phase()).isEqualTo("Failed");
    assertThat(s.completionTime()).isEqualTo(t1);
    assertThat(s.condition(Condition.READY).orElseThrow()).satisfies(c -> {
      assertThat(c.status()).isEqualTo("False");
      assertThat(c.message()).isEqualTo("Secret s not found");
    });
    assertThat(s.condition(Condition.STALLED).orElseThrow().status()).isEqualTo("True");
    assertThat(s.condition(Condition.RECONCILING).orElseThrow().status()).isEqualTo("False");
  }

  @Test
  void aCompletedRunIsReady() {
    DataMoverStatus s = RunStatusComposer.compose(dataMover("b"), Transition.to(Phase.COMPLETED, "MoverSucceeded", "done"), t1);

    assertThat(s.condition(Condition.READY).orElseThrow().isTrue()).isTrue();
    assertThat(s.condition(Condition.STALLED).orElseThrow().isTrue()).isFalse();
  }

  @Test
  void theSameTransitionTwiceGivesAnEqualStatusSoNothingIsWritten() {
    DataMover dm = dataMover("b");
    var waiting = Transition.stay(Phase.NEW, "SecretNotFound", "Waiting: Secret s not found");
    dm.status(RunStatusComposer.compose(dm, waiting, t1));

    assertThat(RunStatusComposer.compose(dm, waiting, t2)).isEqualTo(dm.getStatus());
  }

  @Test
  void lastTransitionTimeMovesOnlyWhenAConditionsStatusChanges() {
    DataMover dm = dataMover("b");
    dm.status(RunStatusComposer.compose(dm, Transition.to(Phase.CREATING_CLONED_PVC, "Validated", "ok"), t1));

    DataMoverStatus s = RunStatusComposer.compose(dm, Transition.to(Phase.CLONED_PVC_READY, "ClonePVCCreated", "exists"), t2);

    assertThat(s.condition(Condition.RECONCILING).orElseThrow().lastTransitionTime()).isEqualTo(t1);
    assertThat(s.phaseTransitionTime()).isEqualTo(t2);
    assertThat(s.startTime()).isEqualTo(t1);
  }
}
