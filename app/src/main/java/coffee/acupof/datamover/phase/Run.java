package coffee.acupof.datamover.phase;

import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverSpec;
import coffee.acupof.datamover.api.DataMoverStatus;
import java.time.Duration;
import java.time.OffsetDateTime;

/** One DataMover as the cache holds it, and the time the reconcile started. */
public record Run(DataMover dataMover, OffsetDateTime now) {

  public DataMoverSpec spec() {
    return dataMover.getSpec();
  }

  public DataMoverStatus status() {
    return dataMover.getStatus();
  }

  public String namespace() {
    return dataMover.namespace();
  }

  public String name() {
    return dataMover.name();
  }

  /** How long the run has been in its current phase (since creation for a new run). */
  public Duration timeInPhase() {
    OffsetDateTime since = status().phaseTransitionTime();
    if (since == null) {
      since = dataMover.getMetadata().getCreationTimestamp();
    }
    if (since == null) {
      return Duration.ZERO;
    }
    Duration elapsed = Duration.between(since, now);
    return elapsed.isNegative() ? Duration.ZERO : elapsed;
  }

  /** Time left until {@code deadline} measured from the start of the current phase (never negative). */
  public Duration remaining(Duration deadline) {
    Duration left = deadline.minus(timeInPhase());
    return left.isNegative() ? Duration.ZERO : left;
  }
}
