package coffee.acupof.datamover.restore;

import coffee.acupof.datamover.api.DataMoverRestoreStatus;
import coffee.acupof.datamover.api.RestorePhase;
import coffee.acupof.datamover.cluster.ChildNames;
import coffee.acupof.datamover.cluster.ClusterView;
import coffee.acupof.datamover.config.DataMoverProperties;
import coffee.acupof.datamover.runtime.phase.RunPhase;
import coffee.acupof.datamover.runtime.phase.Transition;
import coffee.acupof.datamover.volume.SnapshotSteps;
import coffee.acupof.datamover.volume.SnapshotWait;
import coffee.acupof.datamover.volume.Snapshots;
import coffee.acupof.datamover.volume.VolumeSnapshot;
import java.time.Duration;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Phase {@code CreatingSnapshot} of a restore with {@code copyMethod: Snapshot}: once the data is in the
 * target (for a volume populator: once the user's PVC holds the volume), takes a VolumeSnapshot of it
 * ({@link RestoreImageBuilder}) and waits until it is ready to use; then it is published as
 * {@code status.latestImage} and the restore completes. A snapshot not ready within
 * {@code datamover.deadlines.snapshot-ready} fails the restore with what to check (the restored data
 * stays in the target, {@code status.targetPvc}).
 */
@Component
public class PublishImageHandler implements RestorePhaseHandler {
  private final ClusterView cluster;
  private final Snapshots snapshots;
  private final Duration deadline;

  public PublishImageHandler(ClusterView cluster, Snapshots snapshots, DataMoverProperties properties) {
    this.cluster = cluster;
    this.snapshots = snapshots;
    this.deadline = properties.deadlines().snapshotReady();
  }

  @Override
  public RunPhase<DataMoverRestoreStatus.Builder> phase() {
    return RestorePhase.CREATING_SNAPSHOT;
  }

  @Override
  public Transition<DataMoverRestoreStatus.Builder> handle(RestoreRun run) {
    Optional<Transition<DataMoverRestoreStatus.Builder>> unusable =
        SnapshotSteps.unusable(snapshots, run, RestorePhase.CREATING_SNAPSHOT, RestorePhase.FAILED);
    if (unusable.isPresent()) {
      return unusable.get();
    }
    String name = ChildNames.snapshot(run.name());
    String target = run.targetPvc();
    Optional<VolumeSnapshot> existing = snapshots.snapshot(run.namespace(), name);
    if (existing.isEmpty()) {
      return create(run, target);
    }
    if (!RestoreImageBuilder.belongsTo(existing.get(), run.restore())) {
      return Transition.fail(RestorePhase.FAILED, "VolumeSnapshotConflict",
          "VolumeSnapshot " + name + " already exists and does not belong to this DataMoverRestore; delete it or use another name");
    }
    return SnapshotSteps.follow(SnapshotWait.of(existing.get(), "PVC " + target, run, deadline), run, RestorePhase.CREATING_SNAPSHOT, RestorePhase.FAILED,
        ready -> Transition.<DataMoverRestoreStatus.Builder>to(
                RestorePhase.CLEANING_UP, "ImagePublished", ready.message() + "; published as status.latestImage")
            .with(b -> b.latestImage(RestoreImageBuilder.reference(existing.get()))));
  }

  private Transition<DataMoverRestoreStatus.Builder> create(RestoreRun run, String target) {
    if (cluster.pvc(run.namespace(), target).isEmpty()) {
      return Transition.fail(RestorePhase.FAILED, "TargetPVCLost", "PVC " + target + " was deleted before its snapshot was taken");
    }
    return SnapshotSteps.take(snapshots, RestoreImageBuilder.build(run.restore(), target), "the restored PVC " + target, run,
        RestorePhase.CREATING_SNAPSHOT, RestorePhase.FAILED, deadline);
  }
}
