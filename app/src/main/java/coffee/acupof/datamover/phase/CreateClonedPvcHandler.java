package coffee.acupof.datamover.phase;

import coffee.acupof.datamover.api.CopyMethod;
import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.api.Phase;
import coffee.acupof.datamover.cluster.ClusterException;
import coffee.acupof.datamover.cluster.ClusterOperations;
import coffee.acupof.datamover.cluster.ClusterView;
import coffee.acupof.datamover.cluster.Ownership;
import coffee.acupof.datamover.runtime.Notice;
import coffee.acupof.datamover.runtime.phase.Transition;
import coffee.acupof.datamover.volume.ClonePvcBuilder;
import coffee.acupof.datamover.volume.SnapshotPvcBuilder;
import coffee.acupof.datamover.volume.Snapshots;
import coffee.acupof.datamover.volume.VolumeSnapshot;
import coffee.acupof.datamover.volume.WorkingVolume;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Phase {@code CreatingClonedPVC}: creates the temporary PVC the mover reads under its deterministic
 * name — the CSI clone of the source ({@code Clone}) or a PVC from the run's ready VolumeSnapshot
 * ({@code Snapshot}) — and moves on once it is seen in the cache. Running twice never makes a second one.
 * The transition into this phase named the PVC; creating it records an Event and writes nothing.
 */
@Component
public class CreateClonedPvcHandler implements DataMoverPhaseHandler {
  private final ClusterView cluster;
  private final ClusterOperations operations;
  private final Snapshots snapshots;

  public CreateClonedPvcHandler(ClusterView cluster, ClusterOperations operations, Snapshots snapshots) {
    this.cluster = cluster;
    this.operations = operations;
    this.snapshots = snapshots;
  }

  @Override
  public Phase phase() {
    return Phase.CREATING_CLONED_PVC;
  }

  @Override
  public Transition<DataMoverStatus.Builder> handle(Run run) {
    WorkingVolume volume = run.volume();
    String name = volume.claim();
    String source = run.spec().sourcePvc();
    Optional<V1PersistentVolumeClaim> existing = cluster.pvc(run.namespace(), name);
    if (existing.isPresent()) {
      if (!Ownership.isOwnedBy(existing.get().getMetadata(), run.dataMover())) {
        return Transition.fail(Phase.FAILED,
            volume.reasonPrefix() + "Conflict",
            "PVC " + name + " already exists and does not belong to this DataMover; delete it or use another DataMover name");
      }
      String what = volume.method() == CopyMethod.CLONE ? "Clone " + name + " of " + source : "PVC " + name + " from VolumeSnapshot " + volume.snapshot();
      return Transition.to(Phase.CLONED_PVC_READY, volume.reasonPrefix() + "Created", what + " exists").with(b -> b.restoredPvcName(name));
    }
    Optional<V1PersistentVolumeClaim> sourcePvc = cluster.pvc(run.namespace(), source);
    if (sourcePvc.isEmpty()) {
      return Transition.fail(Phase.FAILED, "SourcePVCNotFound", "source PVC " + source + " disappeared before " + volume.describe() + " was made");
    }
    V1PersistentVolumeClaim pvc;
    if (volume.method() == CopyMethod.SNAPSHOT) {
      Optional<VolumeSnapshot> snapshot = snapshots.snapshot(run.namespace(), volume.snapshot());
      if (snapshot.isEmpty()) {
        return Transition.fail(Phase.FAILED, "VolumeSnapshotLost", "VolumeSnapshot " + volume.snapshot() + " was deleted before a PVC was made from it");
      }
      pvc = SnapshotPvcBuilder.build(run.dataMover(), sourcePvc.get(), snapshot.get());
    } else {
      pvc = ClonePvcBuilder.build(run.dataMover(), sourcePvc.get());
    }
    boolean created;
    try {
      created = operations.createPvc(pvc);
    } catch (ClusterException e) {
      if (e.isPermanent()) {
        return Transition.fail(Phase.FAILED, volume.reasonPrefix() + "Rejected", "the API server refused " + volume.describe() + ": " + e.getMessage());
      }
      throw e;
    }
    // The PVC informer reports the new PVC and triggers the next reconcile. The status named the PVC
    // when the phase began; the Event says it was created.
    Transition<DataMoverStatus.Builder> creating = Transition.keep(Phase.CREATING_CLONED_PVC, run.status()).with(b -> b.restoredPvcName(name));
    String what = volume.method() == CopyMethod.CLONE ? "clone " + name + " of " + source : "PVC " + name + " from VolumeSnapshot " + volume.snapshot();
    return created ? creating.recording(Notice.normal("Creating" + volume.reasonPrefix(), "Creating " + what)) : creating;
  }
}
