package coffee.acupof.datamover.phase;

import coffee.acupof.datamover.api.CopyMethod;
import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.api.Phase;
import coffee.acupof.datamover.cluster.ChildNames;
import coffee.acupof.datamover.cluster.ClusterException;
import coffee.acupof.datamover.cluster.ClusterOperations;
import coffee.acupof.datamover.runtime.phase.Outcome;
import coffee.acupof.datamover.runtime.phase.Transition;
import coffee.acupof.datamover.volume.Snapshots;
import coffee.acupof.datamover.volume.WorkingVolume;
import org.springframework.stereotype.Component;

/**
 * Phase {@code CleaningUp} ({@code deletePvcAfterBackup: true}): deletes the finished mover Job (its
 * pods hold the PVC) and the run's temporary objects: the clone, or the PVC from the snapshot and the
 * VolumeSnapshot. A {@code Direct} run's source is never deleted. As with the old operator, an object
 * that cannot be deleted is reported and the run still completes: the backup itself succeeded.
 */
@Component
public class CleanupHandler implements DataMoverPhaseHandler {
  public static final String CLEANUP_FAILED = "CloneDeleteFailed";

  private final ClusterOperations operations;
  private final Snapshots snapshots;

  public CleanupHandler(ClusterOperations operations, Snapshots snapshots) {
    this.operations = operations;
    this.snapshots = snapshots;
  }

  @Override
  public Phase phase() {
    return Phase.CLEANING_UP;
  }

  @Override
  public Transition<DataMoverStatus.Builder> handle(Run run) {
    WorkingVolume volume = run.volume();
    String previous = run.status().message() == null ? "Backup written" : run.status().message();
    String what = switch (volume.method()) {
      case CLONE -> "the clone " + volume.claim();
      case SNAPSHOT -> "PVC " + volume.claim() + " or VolumeSnapshot " + volume.snapshot();
      case DIRECT -> "mover Job " + ChildNames.moverJob(run.name());
    };
    try {
      operations.deleteJob(run.namespace(), ChildNames.moverJob(run.name()));
      if (volume.temporary()) {
        operations.deletePvc(run.namespace(), volume.claim());
      }
      if (volume.method() == CopyMethod.SNAPSHOT) {
        snapshots.delete(run.namespace(), volume.snapshot());
      }
    } catch (ClusterException e) {
      if (!e.isPermanent()) {
        throw e;
      }
      return Transition.to(
              Phase.COMPLETED, CLEANUP_FAILED, previous + "; " + what + " could not be deleted, delete it by hand: " + e.getMessage())
          .outcome(Outcome.FAILURE);
    }
    String deleted = switch (volume.method()) {
      case CLONE -> "clone " + volume.claim() + " deleted";
      case SNAPSHOT -> "PVC " + volume.claim() + " and VolumeSnapshot " + volume.snapshot() + " deleted";
      case DIRECT -> "mover Job deleted (the source is kept)";
    };
    return Transition.to(Phase.COMPLETED, "Completed", previous + "; " + deleted);
  }
}
