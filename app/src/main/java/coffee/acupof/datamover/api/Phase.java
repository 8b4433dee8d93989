package coffee.acupof.datamover.api;

import coffee.acupof.datamover.runtime.phase.RunPhase;
import java.util.Optional;

/** The phases of a DataMover run, with the wire names of the Go DataMover Operator. */
public enum Phase implements RunPhase<DataMoverStatus.Builder> {
  NEW(""),
  /** Validated, waiting for a mover slot (the operator-wide cap on running mover Jobs). */
  PENDING("Pending"),
  CREATING_CLONED_PVC("CreatingClonedPVC"),
  CLONED_PVC_READY("ClonedPVCReady"),
  CREATING_POD("CreatingPod"),
  CLEANING_UP("CleaningUp"),
  COMPLETED("Completed"),
  FAILED("Failed");

  private final String wireName;

  Phase(String wireName) {
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
  public static Optional<Phase> fromWireName(String value) {
    return RunPhase.fromWireName(Phase.class, value);
  }

  @Override
  public String toString() {
    return this == NEW ? "New" : wireName;
  }
}
