package coffee.acupof.datamover.restore;

import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.api.DataMoverRestoreStatus;
import coffee.acupof.datamover.api.RestorePhase;
import coffee.acupof.datamover.cluster.ClusterException;
import coffee.acupof.datamover.cluster.ClusterOperations;
import coffee.acupof.datamover.cluster.ClusterView;
import coffee.acupof.datamover.cluster.Ownership;
import coffee.acupof.datamover.runtime.phase.Outcome;
import coffee.acupof.datamover.runtime.phase.RunPhase;
import coffee.acupof.datamover.runtime.phase.Transition;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Phase {@code CleaningUp}: deletes the finished restore Job (and a prime PVC still left), and with
 * {@code deleteTargetPvcAfterSnapshot} the target PVC once its snapshot is published — only a target
 * this restore created from its template, never a PVC that existed before. The data is in place
 * already, so a deletion that fails is reported and the restore still completes.
 */
@Component
public class RestoreCleanupHandler implements RestorePhaseHandler {
  private final ClusterView cluster;
  private final ClusterOperations operations;
  private final RestoreCleanup cleanup;

  public RestoreCleanupHandler(ClusterView cluster, ClusterOperations operations, RestoreCleanup cleanup) {
    this.cluster = cluster;
    this.operations = operations;
    this.cleanup = cleanup;
  }

  @Override
  public RunPhase<DataMoverRestoreStatus.Builder> phase() {
    return RestorePhase.CLEANING_UP;
  }

  @Override
  public Transition<DataMoverRestoreStatus.Builder> handle(RestoreRun run) {
    DataMoverRestoreStatus status = run.status();
    String restored = "Restored " + describe(status) + " into PVC " + run.targetPvc()
        + (status.latestImage() == null ? "" : "; published VolumeSnapshot " + status.latestImage().getName() + " as status.latestImage");
    boolean deleteTarget = status.latestImage() != null && Boolean.TRUE.equals(run.spec().deleteTargetPvcAfterSnapshot()) && createdTarget(run);
    try {
      cleanup.removeChildren(run);
      if (deleteTarget) {
        operations.deletePvc(run.namespace(), run.targetPvc());
      }
    } catch (ClusterException e) {
      if (!e.isPermanent()) {
        throw e;
      }
      return Transition.<DataMoverRestoreStatus.Builder>to(
              RestorePhase.COMPLETED, "CleanupFailed", restored + "; Job " + run.jobName()
                  + (deleteTarget ? " or PVC " + run.targetPvc() : "") + " could not be deleted, delete it by hand: " + e.getMessage())
          .warning()
          .outcome(Outcome.FAILURE);
    }
    return Transition.to(RestorePhase.COMPLETED, "Completed",
        restored + (deleteTarget ? "; PVC " + run.targetPvc() + " deleted (deleteTargetPvcAfterSnapshot: the snapshot holds the data)" : ""));
  }

  /** Whether the target is a PVC this restore created from its template (labelled so), not one that existed before. */
  private boolean createdTarget(RestoreRun run) {
    return cluster.pvc(run.namespace(), run.targetPvc())
        .map(V1PersistentVolumeClaim::getMetadata)
        .map(meta -> meta.getLabels() == null ? Map.<String, String>of() : meta.getLabels())
        .filter(labels -> run.name().equals(labels.get(Ownership.ownerLabel(DataMoverApi.RESTORES))))
        .filter(labels -> RestorePvcBuilder.TARGET_COMPONENT.equals(labels.get(DataMoverApi.LABEL_COMPONENT)))
        .isPresent();
  }

  private static String describe(DataMoverRestoreStatus status) {
    String where = status.source() != null ? status.source() : "the backup";
    String counts = status.filesTransferred() == null ? "" : " (" + status.filesTransferred() + " files, " + status.bytesTransferred() + " bytes)";
    String unverified = Boolean.FALSE.equals(status.verified()) ? ", completeness not verified (no completion marker)" : "";
    return where + counts + unverified;
  }
}
