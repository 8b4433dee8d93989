package coffee.acupof.datamover.phase;

import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.api.Phase;
import coffee.acupof.datamover.cluster.ChildNames;
import coffee.acupof.datamover.cluster.ClusterException;
import coffee.acupof.datamover.cluster.ClusterOperations;
import coffee.acupof.datamover.cluster.ClusterView;
import coffee.acupof.datamover.cluster.Ownership;
import coffee.acupof.datamover.runtime.phase.Transition;
import coffee.acupof.datamover.volume.ClonePvcBuilder;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Phase {@code CreatingClonedPVC}: creates the CSI clone of the source PVC under its deterministic
 * name and moves on once the clone is seen in the cache. Running twice never makes a second clone.
 */
@Component
public class CreateClonedPvcHandler implements DataMoverPhaseHandler {
  private final ClusterView cluster;
  private final ClusterOperations operations;

  public CreateClonedPvcHandler(ClusterView cluster, ClusterOperations operations) {
    this.cluster = cluster;
    this.operations = operations;
  }

  @Override
  public Phase phase() {
    return Phase.CREATING_CLONED_PVC;
  }

  @Override
  public Transition<DataMoverStatus.Builder> handle(Run run) {
    String cloneName = ChildNames.clonePvc(run.name());
    Optional<V1PersistentVolumeClaim> clone = cluster.pvc(run.namespace(), cloneName);
    if (clone.isPresent()) {
      if (!Ownership.isOwnedBy(clone.get().getMetadata(), run.dataMover())) {
        return Transition.fail(Phase.FAILED, 
            "ClonePVCConflict",
            "PVC " + cloneName + " already exists and does not belong to this DataMover; delete it or use another DataMover name");
      }
      return Transition.to(Phase.CLONED_PVC_READY, "ClonePVCCreated", "Clone " + cloneName + " of " + run.spec().sourcePvc() + " exists")
          .with(b -> b.restoredPvcName(cloneName));
    }
    Optional<V1PersistentVolumeClaim> source = cluster.pvc(run.namespace(), run.spec().sourcePvc());
    if (source.isEmpty()) {
      return Transition.fail(Phase.FAILED, "SourcePVCNotFound", "source PVC " + run.spec().sourcePvc() + " disappeared before it could be cloned");
    }
    try {
      operations.createPvc(ClonePvcBuilder.build(run.dataMover(), source.get()));
    } catch (ClusterException e) {
      if (e.isPermanent()) {
        return Transition.fail(Phase.FAILED, "ClonePVCRejected", "the API server refused clone " + cloneName + ": " + e.getMessage());
      }
      throw e;
    }
    // The PVC informer reports the new clone and triggers the next reconcile.
    return Transition.stay(Phase.CREATING_CLONED_PVC, "CreatingClonePVC", "Creating clone " + cloneName + " of " + run.spec().sourcePvc())
        .with(b -> b.restoredPvcName(cloneName));
  }
}
