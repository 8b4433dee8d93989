package coffee.acupof.datamover.volume;

import coffee.acupof.datamover.api.CopyMethod;
import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.cluster.ChildNames;

/**
 * The PVC a backup's mover reads, by {@code copyMethod}: the CSI clone of the source ({@code Clone}), the
 * PVC made from the VolumeSnapshot of the source ({@code Snapshot}), both temporary and the run's own,
 * or the source itself, mounted read-only ({@code Direct}). Names are derived from the DataMover's, so
 * every phase and every restart finds the same objects.
 *
 * @param snapshot the VolumeSnapshot of a {@code Snapshot} run, else null
 */
public record WorkingVolume(CopyMethod method, String claim, String snapshot) {

  public static WorkingVolume of(DataMover owner) {
    CopyMethod method = owner.getSpec().copyMethodOrDefault();
    return switch (method) {
      case CLONE -> new WorkingVolume(method, ChildNames.clonePvc(owner.name()), null);
      case SNAPSHOT -> new WorkingVolume(method, ChildNames.snapshotPvc(owner.name()), ChildNames.snapshot(owner.name()));
      case DIRECT -> new WorkingVolume(method, owner.getSpec().sourcePvc(), null);
    };
  }

  /** Whether the run created the PVC (and may delete it); never the source of a {@code Direct} run. */
  public boolean temporary() {
    return method != CopyMethod.DIRECT;
  }

  /** The PVC in words: {@code clone x-clone}, {@code PVC x-from-snapshot (from VolumeSnapshot x-snapshot)}, {@code source PVC data}. */
  public String describe() {
    return switch (method) {
      case CLONE -> "clone " + claim;
      case SNAPSHOT -> "PVC " + claim + " (from VolumeSnapshot " + snapshot + ")";
      case DIRECT -> "source PVC " + claim;
    };
  }

  /** The start of the reasons about the PVC: {@code ClonePVC}, {@code SnapshotPVC}, {@code SourcePVC} (e.g. {@code ClonePVCLost}). */
  public String reasonPrefix() {
    return switch (method) {
      case CLONE -> "ClonePVC";
      case SNAPSHOT -> "SnapshotPVC";
      case DIRECT -> "SourcePVC";
    };
  }

  /** What to check when the PVC never binds. */
  public String notBoundHint() {
    return switch (method) {
      case CLONE -> "check that the storage class supports CSI volume cloning";
      case SNAPSHOT -> "check that the storage class can provision a volume from a VolumeSnapshot of its driver";
      case DIRECT -> "check the source's volume";
    };
  }
}
