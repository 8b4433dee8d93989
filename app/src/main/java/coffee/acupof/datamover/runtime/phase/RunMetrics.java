package coffee.acupof.datamover.runtime.phase;

import java.time.Duration;
import java.time.OffsetDateTime;

/** The metrics a run kind keeps; the {@link PhaseMachine} calls them after successful status writes. */
public interface RunMetrics<T> {
  /** A run left {@code from} for {@code to} after {@code timeInPhase}; {@code outcome} is how the phase's work went. */
  void transition(T run, RunPhase<?> from, RunPhase<?> to, Outcome outcome, Duration timeInPhase);

  /** The run is in {@code phase} since {@code since} (replaces the series of its previous phase). */
  void currentPhase(T run, RunPhase<?> phase, OffsetDateTime since);

  /** The run is gone: remove its series. */
  void forget(String namespace, String name);
}
