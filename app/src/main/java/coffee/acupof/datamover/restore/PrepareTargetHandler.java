package coffee.acupof.datamover.restore;

import coffee.acupof.datamover.api.DataMoverRestoreStatus;
import coffee.acupof.datamover.api.RestorePhase;
import coffee.acupof.datamover.cluster.ChildNames;
import coffee.acupof.datamover.cluster.ClusterException;
import coffee.acupof.datamover.cluster.ClusterOperations;
import coffee.acupof.datamover.cluster.ClusterView;
import coffee.acupof.datamover.cluster.Ownership;
import coffee.acupof.datamover.config.DataMoverProperties;
import coffee.acupof.datamover.mover.MoverJobDeadlines;
import coffee.acupof.datamover.mover.MoverJobProgress;
import coffee.acupof.datamover.runtime.CoreKinds;
import coffee.acupof.datamover.runtime.Notice;
import coffee.acupof.datamover.runtime.phase.RunPhase;
import coffee.acupof.datamover.runtime.phase.Transition;
import coffee.acupof.datamover.volume.VolumeBinding;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Phase {@code PreparingTarget}: creates the target PVC from its template when it does not exist, or,
 * for a volume populator, the prime PVC the data is restored into before its volume is handed to the
 * user's PVC. Moves on once the PVC is in the cache and, unless its class binds on first consumer,
 * bound ({@link VolumeBinding}); running twice never creates a second one.
 */
@Component
public class PrepareTargetHandler implements RestorePhaseHandler {
  private final ClusterView cluster;
  private final ClusterOperations operations;
  private final RestoreCleanup cleanup;
  private final DataMoverProperties properties;

  public PrepareTargetHandler(ClusterView cluster, ClusterOperations operations, RestoreCleanup cleanup, DataMoverProperties properties) {
    this.cluster = cluster;
    this.operations = operations;
    this.cleanup = cleanup;
    this.properties = properties;
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
    Optional<V1PersistentVolumeClaim> target = cluster.pvc(run.namespace(), name);
    if (target.isPresent()) {
      return awaitBound(run, target.get(), "target PVC " + name)
          .orElseGet(() -> restoring(run, "TargetReady", "Target PVC " + name + " is ready"));
    }
    if (run.spec().targetPvcTemplate() == null) {
      return Transition.fail(RestorePhase.FAILED, "TargetPVCNotFound", "target PVC " + name + " disappeared before the restore started");
    }
    return create(run, RestorePvcBuilder.target(run.restore()), "CreatingTargetPVC", "Creating target PVC " + name + " from the template");
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
      return awaitBound(run, prime.get(), "PVC " + primeName)
          .orElseGet(() -> restoring(run, "PrimePVCCreated", "Restoring into PVC " + primeName + "; PVC " + run.targetPvc() + " gets its volume afterwards")
              .with(b -> b.primePvc(primeName))
              .alsoOn(consumer.get(), CoreKinds.PVCS));
    }
    return create(run, RestorePvcBuilder.prime(run.restore(), consumer.get()), "CreatingPrimePVC",
            "Creating PVC " + primeName + " to restore into before PVC " + run.targetPvc() + " binds")
        .with(b -> b.primePvc(primeName));
  }

  /** While the PVC the restore fills is not bound and its class binds at once: the restore Job waits ({@link VolumeBinding}). */
  private Optional<Transition<DataMoverRestoreStatus.Builder>> awaitBound(RestoreRun run, V1PersistentVolumeClaim pvc, String what) {
    return VolumeBinding.awaitBound(run, cluster, pvc, MoverJobDeadlines.of(properties).bind(), RestorePhase.PREPARING_TARGET, RestorePhase.FAILED,
        "TargetPVCNotBound", what, "check its storage class");
  }

  /** Into {@code Restoring}, naming the restore Job it starts (and setting {@code jobName}), so creating the Job writes nothing more. */
  private Transition<DataMoverRestoreStatus.Builder> restoring(RestoreRun run, String reason, String message) {
    return Transition.<DataMoverRestoreStatus.Builder>to(
            RestorePhase.RESTORING,
            reason,
            message + "; starting restore Job " + run.jobName() + " (up to " + MoverJobProgress.plural(properties.mover().attempts(), "attempt") + ")")
        .with(b -> b.jobName(run.jobName()));
  }

  /**
   * Creates {@code pvc}; the status, which named it when the phase began, stays as it is, and the
   * reconcile that created it records an Event ({@code reason}, {@code message}).
   */
  private Transition<DataMoverRestoreStatus.Builder> create(RestoreRun run, V1PersistentVolumeClaim pvc, String reason, String message) {
    boolean created;
    try {
      created = operations.createPvc(pvc);
    } catch (ClusterException e) {
      if (e.isPermanent()) {
        return Transition.fail(
            RestorePhase.FAILED, "TargetPVCRejected", "the API server refused PVC " + pvc.getMetadata().getName() + ": " + e.getMessage());
      }
      throw e;
    }
    // The PVC informer reports the new claim and triggers the next reconcile.
    Transition<DataMoverRestoreStatus.Builder> creating = Transition.keep(RestorePhase.PREPARING_TARGET, run.status());
    return created ? creating.recording(Notice.normal(reason, message)) : creating;
  }
}
