package coffee.acupof.datamover.restore;

import coffee.acupof.datamover.api.DataMoverRestoreStatus;
import coffee.acupof.datamover.api.RestorePhase;
import coffee.acupof.datamover.cluster.ChildNames;
import coffee.acupof.datamover.cluster.ClusterException;
import coffee.acupof.datamover.cluster.ClusterOperations;
import coffee.acupof.datamover.cluster.ClusterView;
import coffee.acupof.datamover.cluster.Ownership;
import coffee.acupof.datamover.runtime.CoreKinds;
import coffee.acupof.datamover.runtime.phase.RunPhase;
import coffee.acupof.datamover.runtime.phase.Transition;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Phase {@code PreparingTarget}: creates the target PVC from its template when it does not exist, or,
 * for a volume populator, the prime PVC the data is restored into before its volume is handed to the
 * user's PVC. Moves on once the PVC is in the cache; running twice never creates a second one.
 */
@Component
public class PrepareTargetHandler implements RestorePhaseHandler {
  private final ClusterView cluster;
  private final ClusterOperations operations;
  private final RestoreCleanup cleanup;

  public PrepareTargetHandler(ClusterView cluster, ClusterOperations operations, RestoreCleanup cleanup) {
    this.cluster = cluster;
    this.operations = operations;
    this.cleanup = cleanup;
  }

  @Override
  public RunPhase<DataMoverRestoreStatus.Builder> phase() {
    return RestorePhase.PREPARING_TARGET;
  }

  @Override
  public Transition<DataMoverRestoreStatus.Builder> handle(RestoreRun run) {
    return run.spec().isPopulator() ? prime(run) : target(run);
  }

  private Transition<DataMoverRestoreStatus.Builder> target(RestoreRun run) {
    String name = run.spec().targetPvc();
    if (cluster.pvc(run.namespace(), name).isPresent()) {
      return Transition.to(RestorePhase.RESTORING, "TargetReady", "Target PVC " + name + " is ready; starting the restore Job");
    }
    if (run.spec().targetPvcTemplate() == null) {
      return Transition.fail(RestorePhase.FAILED, "TargetPVCNotFound", "target PVC " + name + " disappeared before the restore started");
    }
    return create(RestorePvcBuilder.target(run.restore()), RestorePhase.PREPARING_TARGET, "CreatingTargetPVC", "Creating target PVC " + name + " from the template");
  }

  private Transition<DataMoverRestoreStatus.Builder> prime(RestoreRun run) {
    Optional<V1PersistentVolumeClaim> consumer = cluster.pvc(run.namespace(), run.targetPvc());
    if (consumer.isEmpty() || consumer.get().getMetadata().getDeletionTimestamp() != null) {
      return cleanup.targetDeleted(run);
    }
    String primeName = ChildNames.primePvc(run.name());
    Optional<V1PersistentVolumeClaim> prime = cluster.pvc(run.namespace(), primeName);
    if (prime.isPresent()) {
      if (!Ownership.isOwnedBy(prime.get().getMetadata(), run.restore())) {
        return Transition.fail(
            RestorePhase.FAILED,
            "PrimePVCConflict",
            "PVC " + primeName + " already exists and does not belong to this DataMoverRestore; delete it or use another name");
      }
      return Transition.<DataMoverRestoreStatus.Builder>to(
              RestorePhase.RESTORING, "PrimePVCCreated", "Restoring into PVC " + primeName + "; PVC " + run.targetPvc() + " gets its volume afterwards")
          .with(b -> b.primePvc(primeName))
          .alsoOn(consumer.get(), CoreKinds.PVCS);
    }
    return create(RestorePvcBuilder.prime(run.restore(), consumer.get()), RestorePhase.PREPARING_TARGET, "CreatingPrimePVC",
            "Creating PVC " + primeName + " to restore into before PVC " + run.targetPvc() + " binds")
        .with(b -> b.primePvc(primeName));
  }

  private Transition<DataMoverRestoreStatus.Builder> create(
      V1PersistentVolumeClaim pvc, RestorePhase stay, String reason, String message) {
    try {
      operations.createPvc(pvc);
    } catch (ClusterException e) {
      if (e.isPermanent()) {
        return Transition.fail(
            RestorePhase.FAILED, "TargetPVCRejected", "the API server refused PVC " + pvc.getMetadata().getName() + ": " + e.getMessage());
      }
      throw e;
    }
    // The PVC informer reports the new claim and triggers the next reconcile.
    return Transition.stay(stay, reason, message);
  }
}
