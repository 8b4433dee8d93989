package coffee.acupof.datamover.phase;

import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.api.Phase;
import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What a handler decided: the next phase (possibly the same), a machine-readable reason and a
 * human message (both go to the status, the conditions and, when they change, an Event), further
 * status changes, and an optional delay after which to look again (only for deadlines).
 */
public record Transition(
    Phase next,
    String reason,
    String message,
    UnaryOperator<DataMoverStatus.Builder> changes,
    Optional<Duration> requeueAfter) {

  public static Transition to(Phase next, String reason, String message) {
    return new Transition(next, reason, message, UnaryOperator.identity(), Optional.empty());
  }

  public static Transition stay(Phase current, String reason, String message) {
    return to(current, reason, message);
  }

  public static Transition fail(String reason, String message) {
    return to(Phase.FAILED, reason, message);
  }

  /** The same transition with further status changes applied after the ones already present. */
  public Transition with(UnaryOperator<DataMoverStatus.Builder> more) {
    UnaryOperator<DataMoverStatus.Builder> first = changes;
    return new Transition(next, reason, message, b -> more.apply(first.apply(b)), requeueAfter);
  }

  /** The same transition, reconciled again after {@code delay} unless an event comes first. */
  public Transition requeueAfter(Duration delay) {
    return new Transition(next, reason, message, changes, Optional.of(delay));
  }
}
