package coffee.acupof.datamover.api;

import java.util.Arrays;
import java.util.Optional;

/**
 * How a run gets a stable view of the data it moves (VolSync's {@code copyMethod}): a backup copies a
 * CSI clone of its source, a PVC from a VolumeSnapshot of it, or reads the source directly; a restore
 * fills its target directly and may publish a VolumeSnapshot of the result.
 */
public enum CopyMethod {
  /** A CSI clone of the source (a DataMover's default). */
  CLONE("Clone"),
  /** A VolumeSnapshot of the volume: for a backup, the mover reads a PVC made from it; a restore publishes one of its target. */
  SNAPSHOT("Snapshot"),
  /** The volume itself: a backup mounts its source read-only; a restore writes its target (a restore's default). */
  DIRECT("Direct");

  private final String wireName;

  CopyMethod(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** The method a spec value names; empty for null or a value the CRD would not accept. */
  public static Optional<CopyMethod> fromWireName(String value) {
    return Arrays.stream(values()).filter(m -> m.wireName.equals(value)).findFirst();
  }

  @Override
  public String toString() {
    return wireName;
  }
}
