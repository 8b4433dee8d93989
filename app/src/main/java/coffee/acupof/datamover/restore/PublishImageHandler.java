package coffee.acupof.datamover.restore;

import coffee.acupof.datamover.api.DataMoverRestoreStatus;
import coffee.acupof.datamover.api.RestorePhase;
import coffee.acupof.datamover.cluster.ChildNames;
import coffee.acupof.datamover.cluster.ClusterException;
import coffee.acupof.datamover.cluster.ClusterView;
import coffee.acupof.datamover.config.DataMoverProperties;
import coffee.acupof.datamover.runtime.OptionalInformer;
import coffee.acupof.datamover.runtime.phase.RunPhase;
import coffee.acupof.datamover.runtime.phase.Transition;
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
 * stays in the target).
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
    OptionalInformer.State state = snapshots.state();
    if (state == OptionalInformer.State.ABSENT) {
      return Transition.fail(RestorePhase.FAILED, Snapshots.CRDS_MISSING_REASON, "copyMethod Snapshot: " + Snapshots.CRDS_MISSING);
    }
    if (state == OptionalInformer.State.STARTING) {
      return Transition.stay(RestorePhase.CREATING_SNAPSHOT, run.status().reason(), run.status().message()).requeueAfter(Snapshots.CACHE_RECHECK);
    }
    String name = ChildNames.snapshot(run.name());
    String target = run.targetPvc();
    Optional<VolumeSnapshot> existing = snapshots.snapshot(run.namespace(), name);
    if (existing.isEmpty()) {
      return create(run, name, target);
    }
    if (!RestoreImageBuilder.belongsTo(existing.get(), run.restore())) {
      return Transition.fail(RestorePhase.FAILED, "VolumeSnapshotConflict",
          "VolumeSnapshot " + name + " already exists and does not belong to this DataMoverRestore; delete it or use another name");
    }
    return switch (SnapshotWait.of(existing.get(), "PVC " + target, run, deadline)) {
      case SnapshotWait.Ready ready -> Transition.<DataMoverRestoreStatus.Builder>to(
              RestorePhase.CLEANING_UP, "ImagePublished", ready.message() + "; published as status.latestImage")
          .with(b -> b.latestImage(RestoreImageBuilder.reference(existing.get())));
      case SnapshotWait.Waiting waiting -> {
        Transition<DataMoverRestoreStatus.Builder> stay =
            Transition.<DataMoverRestoreStatus.Builder>stay(RestorePhase.CREATING_SNAPSHOT, waiting.reason(), waiting.message())
                .requeueAfter(waiting.recheckAfter());
        yield waiting.warning() ? stay.warning() : stay;
      }
      case SnapshotWait.TimedOut timedOut -> Transition.fail(RestorePhase.FAILED, timedOut.reason(),
          timedOut.message() + "; the restored data is in PVC " + target);
    };
  }

  private Transition<DataMoverRestoreStatus.Builder> create(RestoreRun run, String name, String target) {
    if (cluster.pvc(run.namespace(), target).isEmpty()) {
      return Transition.fail(RestorePhase.FAILED, "TargetPVCLost", "PVC " + target + " was deleted before its snapshot was taken");
    }
    String className = run.spec().volumeSnapshotClassName();
    try {
      snapshots.create(RestoreImageBuilder.build(run.restore(), target));
    } catch (ClusterException e) {
      if (e.isPermanent()) {
        return Transition.fail(RestorePhase.FAILED, "VolumeSnapshotRejected", "the API server refused VolumeSnapshot " + name + ": " + e.getMessage());
      }
      throw e;
    }
    return Transition.<DataMoverRestoreStatus.Builder>stay(RestorePhase.CREATING_SNAPSHOT, "CreatingVolumeSnapshot",
            "Taking VolumeSnapshot " + name + " of the restored PVC " + target
                + (className == null ? " with the default class of its driver" : " with class " + className))
        .requeueAfter(deadline);
  }
}
