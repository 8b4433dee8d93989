package coffee.acupof.datamover.runtime.phase;

import coffee.acupof.datamover.runtime.EventType;
import coffee.acupof.datamover.runtime.Notice;
import coffee.acupof.datamover.runtime.ResourceKind;
import io.kubernetes.client.common.KubernetesObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What a phase handler decided: the next phase (possibly the same), a machine-readable reason and a
 * human message (both go to the status, the conditions and, when they change, an Event of
 * {@link #eventType()}), further status changes on the kind's status builder {@code B}, the outcome
 * of the phase's work for metrics, an optional delay after which to look again (deadlines only), and
 * Events recorded with the step whatever the status does ({@link #recording}).
 *
 * <p>{@link #to} is a Normal Event with a successful outcome, {@link #fail} a Warning with a failed
 * one; {@link #warning()} and {@link #outcome(Outcome)} change either.
 *
 * <p>The status is written once per phase on a normal run: the transition that enters a phase says
 * what the phase will do (with the deterministic names of the children it creates), and normal
 * progress inside the phase returns {@link #keep} (nothing to write). A stay writes only what the user
 * should look at (a {@link #warning()}), or the state that ends such a warning.
 */
public record Transition<B>(
    RunPhase<B> next,
    String reason,
    String message,
    EventType eventType,
    Outcome outcome,
    UnaryOperator<B> changes,
    Optional<Duration> requeueAfter,
    List<Notice> alsoOn,
    List<Notice> events) {

  public static <B> Transition<B> to(RunPhase<B> next, String reason, String message) {
    return new Transition<>(
        next,
        reason,
        message,
        next.isFailure() ? EventType.WARNING : EventType.NORMAL,
        next.isFailure() ? Outcome.FAILURE : Outcome.SUCCESS,
        UnaryOperator.identity(),
        Optional.empty(),
        List.of(),
        List.of());
  }

  /** Staying in the current phase (waiting, or a step of work done within it). */
  public static <B> Transition<B> stay(RunPhase<B> current, String reason, String message) {
    return to(current, reason, message);
  }

  /**
   * Normal progress inside {@code current}: the status keeps the reason and message it has (written
   * when the phase was entered, or by the last warning), so nothing is written and no Event recorded.
   */
  public static <B> Transition<B> keep(RunPhase<B> current, RunStatus<?> status) {
    return stay(current, status.reason(), status.message());
  }

  /** Ending the run in its failed phase: a Warning Event, a failed outcome. */
  public static <B> Transition<B> fail(RunPhase<B> failed, String reason, String message) {
    if (!failed.isFailure()) {
      throw new IllegalArgumentException(failed.wireName() + " is not a failed phase");
    }
    return to(failed, reason, message);
  }

  /** The same transition with further status changes applied after the ones already present. */
  public Transition<B> with(UnaryOperator<B> more) {
    UnaryOperator<B> first = changes;
    return new Transition<>(next, reason, message, eventType, outcome, b -> more.apply(first.apply(b)), requeueAfter, alsoOn, events);
  }

  /** The same transition, reconciled again after {@code delay} unless an event comes first. */
  public Transition<B> requeueAfter(Duration delay) {
    return new Transition<>(next, reason, message, eventType, outcome, changes, Optional.of(delay), alsoOn, events);
  }

  /** The same transition, announced by a Warning Event (something the user should look at). */
  public Transition<B> warning() {
    return new Transition<>(next, reason, message, EventType.WARNING, outcome, changes, requeueAfter, alsoOn, events);
  }

  /**
   * The same transition, whose Event is also recorded on {@code object} (when the Event is recorded at
   * all: on a new phase or reason).
   */
  public Transition<B> alsoOn(KubernetesObject object, ResourceKind<?, ?> kind) {
    List<Notice> more = new ArrayList<>(alsoOn);
    more.add(new Notice(eventType, reason, message).on(object, kind));
    return new Transition<>(next, reason, message, eventType, outcome, changes, requeueAfter, List.copyOf(more), events);
  }

  /** The same transition with another outcome of the phase's work. */
  public Transition<B> outcome(Outcome value) {
    return new Transition<>(next, reason, message, eventType, value, changes, requeueAfter, alsoOn, events);
  }

  /**
   * The same transition, recording {@code event} once the step is taken, whether or not the status
   * changes: the Event of a step of work inside a phase (a child created) that {@code kubectl describe}
   * should show although the status, which named the child when the phase was entered, stays as it is.
   * Record it only from the reconcile that did the work (e.g. the one whose create call created the
   * child), so a repeated step does not repeat it.
   */
  public Transition<B> recording(Notice event) {
    List<Notice> more = new ArrayList<>(events);
    more.add(event);
    return new Transition<>(next, reason, message, eventType, outcome, changes, requeueAfter, alsoOn, List.copyOf(more));
  }
}
