package coffee.acupof.datamover.runtime.phase;

import coffee.acupof.datamover.api.Condition;
import coffee.acupof.datamover.runtime.Conditions;
import coffee.acupof.datamover.runtime.ManagedResource;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;

/**
 * Applies a handler's {@link Transition} to a run's status: phase, times, reason, message and the
 * kstatus conditions. A pure function, so the same inputs give an equal status and the reconciler
 * can skip the write.
 */
public final class RunStatusComposer {
  private RunStatusComposer() {}

  public static <S extends RunStatus<B>, B extends RunStatusBuilder<B, S>> S compose(
      ManagedResource<S> run, Transition<B> transition, OffsetDateTime now) {
    S old = run.getStatus();
    RunPhase<?> next = transition.next();
    boolean saysNothingNew = next.wireName().equals(old.phase() == null ? "" : old.phase())
        && Objects.equals(transition.reason(), old.reason()) && Objects.equals(transition.message(), old.message());
    if (saysNothingNew && old.startTime() == null) {
      // A new run that waits a moment before it has anything to say (Transition.keep) is not written yet.
      return transition.changes().apply(old.toBuilder()).build();
    }
    long generation = run.generation();
    B b = old.toBuilder().observedGeneration(generation);
    if (old.startTime() == null) {
      b.startTime(now);
    }
    if (!next.wireName().equals(old.phase())) {
      b.phase(next).phaseTransitionTime(now);
    }
    b.reason(transition.reason()).message(transition.message());
    b = transition.changes().apply(b);
    if (next.isTerminal() && old.completionTime() == null) {
      b.completionTime(now);
    }
    b.conditions(conditions(old, next, transition.reason(), transition.message(), generation, now));
    return b.build();
  }

  /**
   * Ready, Reconciling and Stalled as kstatus and GitOps tools read them: a running object is
   * Reconciling and not Ready; a completed one is Ready; a failed one is Stalled and not Ready.
   */
  static List<Condition> conditions(
      RunStatus<?> old, RunPhase<?> phase, String reason, String message, long generation, OffsetDateTime now) {
    boolean failed = phase.isFailure();
    boolean completed = phase.isTerminal() && !failed;
    return List.of(
        Conditions.of(old.conditionsOrEmpty(), Condition.READY, completed, reason, message, generation, now),
        Conditions.of(old.conditionsOrEmpty(), Condition.RECONCILING, !completed && !failed, reason, message, generation, now),
        Conditions.of(old.conditionsOrEmpty(), Condition.STALLED, failed, reason, message, generation, now));
  }
}
