package coffee.acupof.datamover.runtime.phase;

/**
 * A phase of a kind that is a run (DataMover, DataMoverRestore): implemented by each kind's phase
 * enum. {@code B} is the kind's status builder, so a {@link Transition} to a phase knows which status
 * it changes.
 */
public interface RunPhase<B> {
  /** The value written to {@code status.phase}. */
  String wireName();

  /** Completed or failed: nothing more happens to the run. */
  boolean isTerminal();

  /** The run failed (a terminal phase). */
  boolean isFailure();
}
