package coffee.acupof.datamover.restore;

import coffee.acupof.datamover.api.DataMoverRestoreStatus;
import coffee.acupof.datamover.api.RestorePhase;
import coffee.acupof.datamover.cluster.ClusterException;
import coffee.acupof.datamover.runtime.phase.Outcome;
import coffee.acupof.datamover.runtime.phase.RunPhase;
import coffee.acupof.datamover.runtime.phase.Transition;
import org.springframework.stereotype.Component;

/**
 * Phase {@code CleaningUp}: deletes the finished restore Job (and a prime PVC still left). The data
 * is in place already, so a deletion that fails is reported and the restore still completes.
 */
@Component
public class RestoreCleanupHandler implements RestorePhaseHandler {
  private final RestoreCleanup cleanup;

  public RestoreCleanupHandler(RestoreCleanup cleanup) {
    this.cleanup = cleanup;
  }

  @Override
  public RunPhase<DataMoverRestoreStatus.Builder> phase() {
    return RestorePhase.CLEANING_UP;
  }

  @Override
  public Transition<DataMoverRestoreStatus.Builder> handle(RestoreRun run) {
    String restored = "Restored " + describe(run.status()) + " into PVC " + run.targetPvc();
    try {
      cleanup.removeChildren(run);
    } catch (ClusterException e) {
      if (!e.isPermanent()) {
        throw e;
      }
      return Transition.<DataMoverRestoreStatus.Builder>to(
              RestorePhase.COMPLETED, "CleanupFailed", restored + "; Job " + run.jobName() + " could not be deleted, delete it by hand: " + e.getMessage())
          .warning()
          .outcome(Outcome.FAILURE);
    }
    return Transition.to(RestorePhase.COMPLETED, "Completed", restored);
  }

  private static String describe(DataMoverRestoreStatus status) {
    String where = status.source() != null ? status.source() : "the backup";
    String counts = status.filesTransferred() == null ? "" : " (" + status.filesTransferred() + " files, " + status.bytesTransferred() + " bytes)";
    String unverified = Boolean.FALSE.equals(status.verified()) ? ", completeness not verified (no completion marker)" : "";
    return where + counts + unverified;
  }
}
