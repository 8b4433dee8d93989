package coffee.acupof.datamover.phase;

import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.api.Phase;
import coffee.acupof.datamover.cluster.ChildNames;
import coffee.acupof.datamover.cluster.ClusterException;
import coffee.acupof.datamover.cluster.ClusterOperations;
import coffee.acupof.datamover.runtime.phase.Outcome;
import coffee.acupof.datamover.runtime.phase.Transition;
import org.springframework.stereotype.Component;

/**
 * Phase {@code CleaningUp} ({@code deletePvcAfterBackup: true}): deletes the finished mover Job (its
 * pods hold the clone) and the clone. As with the old operator, a clone that cannot be deleted is
 * reported and the run still completes: the backup itself succeeded.
 */
@Component
public class CleanupHandler implements DataMoverPhaseHandler {
  public static final String CLEANUP_FAILED = "CloneDeleteFailed";

  private final ClusterOperations operations;

  public CleanupHandler(ClusterOperations operations) {
    this.operations = operations;
  }

  @Override
  public Phase phase() {
    return Phase.CLEANING_UP;
  }

  @Override
  public Transition<DataMoverStatus.Builder> handle(Run run) {
    String clone = ChildNames.clonePvc(run.name());
    String previous = run.status().message() == null ? "Backup written" : run.status().message();
    try {
      operations.deleteJob(run.namespace(), ChildNames.moverJob(run.name()));
      operations.deletePvc(run.namespace(), clone);
    } catch (ClusterException e) {
      if (!e.isPermanent()) {
        throw e;
      }
      return Transition.to(
              Phase.COMPLETED, CLEANUP_FAILED, previous + "; the clone " + clone + " could not be deleted, delete it by hand: " + e.getMessage())
          .outcome(Outcome.FAILURE);
    }
    return Transition.to(Phase.COMPLETED, "Completed", previous + "; clone " + clone + " deleted");
  }
}
