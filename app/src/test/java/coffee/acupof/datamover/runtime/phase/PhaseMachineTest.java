package coffee.acupof.datamover.runtime.phase;

import static coffee.acupof.datamover.Fixtures.CREATED;
import static coffee.acupof.datamover.Fixtures.dataMover;
import static coffee.acupof.datamover.Fixtures.inPhase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.api.Phase;
import coffee.acupof.datamover.phase.DataMoverPhaseHandler;
import coffee.acupof.datamover.phase.Run;
import coffee.acupof.datamover.runtime.EventType;
import coffee.acupof.datamover.runtime.Notice;
import coffee.acupof.datamover.runtime.Step;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PhaseMachineTest {
  private final List<String> metrics = new ArrayList<>();
  private final Map<Phase, Function<Run, Transition<DataMoverStatus.Builder>>> behaviour = new java.util.EnumMap<>(Phase.class);

  private PhaseMachine<DataMover, DataMoverStatus, DataMoverStatus.Builder, Run> machine() {
    List<DataMoverPhaseHandler> handlers =
        Arrays.stream(Phase.values())
            .filter(p -> !p.isTerminal())
            .<DataMoverPhaseHandler>map(p -> new DataMoverPhaseHandler() {
              @Override
              public Phase phase() {
                return p;
              }

              @Override
              public Transition<DataMoverStatus.Builder> handle(Run run) {
                return behaviour.get(p).apply(run);
              }
            })
            .toList();
    return new PhaseMachine<>(Arrays.asList(Phase.values()), handlers, Phase::fromWireName, Run::new, new RunMetrics<>() {
      @Override
      public void transition(DataMover run, RunPhase<?> from, RunPhase<?> to, Outcome outcome, Duration timeInPhase) {
        metrics.add(from + "->" + to + " " + outcome.label() + " " + timeInPhase.toSeconds() + "s");
      }

      @Override
      public void currentPhase(DataMover run, RunPhase<?> phase, OffsetDateTime since) {
        metrics.add("current " + phase);
      }

      @Override
      public void forget(String namespace, String name) {
        metrics.add("forget " + name);
      }
    });
  }

  @Test
  void aNewPhaseIsANormalEventAndItsMetricsComeOnlyAfterTheWrite() {
    behaviour.put(Phase.NEW, run -> Transition.to(Phase.CREATING_CLONED_PVC, "Validated", "inputs found"));

    Step<DataMoverStatus> step = machine().reconcile(dataMover("b"), CREATED.plusSeconds(7));

    assertThat(step.status().phase()).isEqualTo("CreatingClonedPVC");
    assertThat(step.notices()).containsExactly(Notice.normal("Validated", "inputs found"));
    assertThat(metrics).containsExactly("current New");
    step.afterWrite().run();
    assertThat(metrics).containsExactly("current New", "New->CreatingClonedPVC success 7s", "current CreatingClonedPVC");
  }

  @Test
  void aFailureIsAWarningWithAFailedOutcome() {
    behaviour.put(Phase.NEW, run -> Transition.fail(Phase.FAILED, "SecretNotFound", "Secret s3 not found"));

    Step<DataMoverStatus> step = machine().reconcile(dataMover("b"), CREATED);
    step.afterWrite().run();

    assertThat(step.notices()).extracting(Notice::type).containsExactly(EventType.WARNING);
    assertThat(metrics).contains("New->Failed failure 0s");
  }

  @Test
  void theTransitionChoosesItsEventTypeAndOutcome() {
    behaviour.put(
        Phase.CLEANING_UP,
        run -> Transition.<DataMoverStatus.Builder>to(Phase.COMPLETED, "CloneDeleteFailed", "delete it by hand").warning().outcome(Outcome.FAILURE));

    Step<DataMoverStatus> step = machine().reconcile(inPhase(dataMover("b"), Phase.CLEANING_UP, CREATED), CREATED.plusSeconds(2));
    step.afterWrite().run();

    assertThat(step.notices()).containsExactly(Notice.warning("CloneDeleteFailed", "delete it by hand"));
    assertThat(metrics).contains("CleaningUp->Completed failure 2s");
  }

  @Test
  void waitingWithTheSameReasonRecordsNothingNew() {
    behaviour.put(Phase.NEW, run -> Transition.stay(Phase.NEW, "SecretNotFound", "Waiting").warning().requeueAfter(Duration.ofMinutes(5)));
    DataMover dm = dataMover("b");
    Step<DataMoverStatus> first = machine().reconcile(dm, CREATED);
    dm.status(first.status());

    Step<DataMoverStatus> second = machine().reconcile(dm, CREATED.plusSeconds(30));

    assertThat(first.notices()).hasSize(1);
    assertThat(second.notices()).isEmpty();
    assertThat(second.status()).isEqualTo(first.status());
    assertThat(second.requeueAfter()).contains(Duration.ofMinutes(5));
  }

  @Test
  void terminalAndUnknownPhasesAreLeftAlone() {
    DataMover done = inPhase(dataMover("done"), Phase.COMPLETED, CREATED);
    DataMover odd = dataMover("odd").status(new DataMoverStatus(
        "SomethingElse", null, null, null, null, null, null, null, null, null, null, null, null, null, null, null));

    assertThat(machine().reconcile(done, CREATED).status()).isSameAs(done.getStatus());
    assertThat(machine().reconcile(odd, CREATED).status()).isSameAs(odd.getStatus());
  }

  @Test
  void everyPhaseThatIsNotTerminalNeedsAHandler() {
    assertThatThrownBy(() -> new PhaseMachine<DataMover, DataMoverStatus, DataMoverStatus.Builder, Run>(
            Arrays.asList(Phase.values()), List.of(), Phase::fromWireName, Run::new, null))
        .hasMessageContaining("no PhaseHandler bean for phase");
  }
}
