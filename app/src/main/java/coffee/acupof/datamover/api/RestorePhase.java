package coffee.acupof.datamover.api;

import coffee.acupof.datamover.runtime.phase.RunPhase;
import java.util.Optional;

/** The phases of a DataMoverRestore run. */
public enum RestorePhase implements RunPhase<DataMoverRestoreStatus.Builder> {
  /** Checking the inputs: the Secret, the target (or the PVC that names this restore as its data source). */
  NEW(""),
  /** Valid, waiting for a mover slot (the operator-wide cap on running mover Jobs). */
  PENDING("Pending"),
  /** Creating the target PVC from the template, or the prime PVC of a volume populator. */
  PREPARING_TARGET("PreparingTarget"),
  /** The mover Job copies the backup into the target. */
  RESTORING("Restoring"),
  /** Volume populator: the filled volume is handed to the user's PVC. */
  BINDING("Binding"),
  /** Removing the finished Job (and the prime PVC). */
  CLEANING_UP("CleaningUp"),
  COMPLETED("Completed"),
  FAILED("Failed");

  private final String wireName;

  RestorePhase(String wireName) {
    this.wireName = wireName;
  }

  @Override
  public String wireName() {
    return wireName;
  }

  @Override
  public boolean isTerminal() {
    return this == COMPLETED || this == FAILED;
  }

  @Override
  public boolean isFailure() {
    return this == FAILED;
  }

  /** The phase for a {@code status.phase} value; absent for a value this operator never writes. */
  public static Optional<RestorePhase> fromWireName(String value) {
    return RunPhase.fromWireName(RestorePhase.class, value);
  }

  @Override
  public String toString() {
    return this == NEW ? "New" : wireName;
  }
}
