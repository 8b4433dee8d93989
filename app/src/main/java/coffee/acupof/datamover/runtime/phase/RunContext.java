package coffee.acupof.datamover.runtime.phase;

import coffee.acupof.datamover.runtime.ManagedResource;
import java.time.Duration;
import java.time.OffsetDateTime;

/** One run as the cache holds it, and the time the reconcile started. Each kind's run record implements it. */
public interface RunContext<T extends ManagedResource<? extends RunStatus<?>>> {
  T object();

  OffsetDateTime now();

  default String namespace() {
    return object().namespace();
  }

  default String name() {
    return object().name();
  }

  /** How long the run has been in its current phase (since creation for a new run). */
  default Duration timeInPhase() {
    OffsetDateTime since = object().getStatus().phaseTransitionTime();
    if (since == null) {
      since = object().getMetadata().getCreationTimestamp();
    }
    if (since == null) {
      return Duration.ZERO;
    }
    Duration elapsed = Duration.between(since, now());
    return elapsed.isNegative() ? Duration.ZERO : elapsed;
  }

  /** Time left until {@code deadline} measured from the start of the current phase (never negative). */
  default Duration remaining(Duration deadline) {
    Duration left = deadline.minus(timeInPhase());
    return left.isNegative() ? Duration.ZERO : left;
  }
}
