package coffee.acupof.datamover.restore;

import coffee.acupof.datamover.api.DataMoverRestoreStatus;
import coffee.acupof.datamover.api.RestorePhase;
import coffee.acupof.datamover.cluster.ChildNames;
import coffee.acupof.datamover.cluster.ClusterOperations;
import coffee.acupof.datamover.runtime.phase.Transition;
import org.springframework.stereotype.Component;

/**
 * Removes what a restore created for itself (the mover Job, the prime PVC of a volume populator);
 * never the target PVC, never the user's PVC.
 */
@Component
public class RestoreCleanup {
  private final ClusterOperations operations;

  public RestoreCleanup(ClusterOperations operations) {
    this.operations = operations;
  }

  /** Deletes the Job and the prime PVC (both may already be gone). */
  public void removeChildren(RestoreRun run) {
    operations.deleteJob(run.namespace(), run.jobName());
    if (run.spec().isPopulator()) {
      operations.deletePvc(run.namespace(), ChildNames.primePvc(run.name()));
    }
  }

  /** The PVC a populator fills was deleted: nothing is left behind, and the restore fails. */
  public Transition<DataMoverRestoreStatus.Builder> targetDeleted(RestoreRun run) {
    removeChildren(run);
    return Transition.fail(
        RestorePhase.FAILED,
        "TargetPVCDeleted",
        "PVC " + run.targetPvc() + " was deleted before it received the restored data; the restore's Job and prime PVC are removed");
  }
}
