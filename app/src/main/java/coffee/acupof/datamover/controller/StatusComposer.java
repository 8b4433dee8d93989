package coffee.acupof.datamover.controller;

import coffee.acupof.datamover.api.Condition;
import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.api.Phase;
import coffee.acupof.datamover.phase.Transition;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Applies a handler's {@link Transition} to a DataMover's status: phase, times, reason, message and
 * the kstatus conditions. A pure function, so the same inputs give an equal status and the
 * reconciler can skip the write.
 */
public final class StatusComposer {
  private StatusComposer() {}

  public static DataMoverStatus compose(DataMover dataMover, Transition transition, OffsetDateTime now) {
    DataMoverStatus old = dataMover.getStatus();
    long generation = dataMover.generation();
    DataMoverStatus.Builder b = old.toBuilder().observedGeneration(generation);
    if (old.startTime() == null) {
      b.startTime(now);
    }
    Phase next = transition.next();
    if (next != old.phaseValue() || old.phase() == null) {
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
      DataMoverStatus old, Phase phase, String reason, String message, long generation, OffsetDateTime now) {
    boolean completed = phase == Phase.COMPLETED;
    boolean failed = phase == Phase.FAILED;
    return List.of(
        condition(old, Condition.READY, completed, reason, message, generation, now),
        condition(old, Condition.RECONCILING, !completed && !failed, reason, message, generation, now),
        condition(old, Condition.STALLED, failed, reason, message, generation, now));
  }

  private static Condition condition(
      DataMoverStatus old, String type, boolean value, String reason, String message, long generation, OffsetDateTime now) {
    String status = value ? "True" : "False";
    OffsetDateTime since =
        old.condition(type).filter(c -> status.equals(c.status())).map(Condition::lastTransitionTime).orElse(now);
    return new Condition(type, status, reason, message, generation, since);
  }
}
