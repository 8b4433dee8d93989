package coffee.acupof.datamover.runtime.phase;

import java.util.Arrays;
import java.util.Optional;

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

  /**
   * The phase of {@code type} whose wire name is {@code value} (no value is the new run's phase, the
   * empty wire name); absent for a value this operator never writes.
   */
  static <P extends Enum<P> & RunPhase<?>> Optional<P> fromWireName(Class<P> type, String value) {
    String wire = value == null ? "" : value;
    return Arrays.stream(type.getEnumConstants()).filter(p -> p.wireName().equals(wire)).findFirst();
  }
}
