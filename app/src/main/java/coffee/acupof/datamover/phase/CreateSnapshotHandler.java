package coffee.acupof.datamover.phase;

import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.api.Phase;
import coffee.acupof.datamover.cluster.ClusterView;
import coffee.acupof.datamover.cluster.Ownership;
import coffee.acupof.datamover.config.DataMoverProperties;
import coffee.acupof.datamover.runtime.phase.Transition;
import coffee.acupof.datamover.volume.SnapshotSteps;
import coffee.acupof.datamover.volume.SnapshotWait;
import coffee.acupof.datamover.volume.Snapshots;
import coffee.acupof.datamover.volume.VolumeSnapshot;
import coffee.acupof.datamover.volume.VolumeSnapshotBuilder;
import java.time.Duration;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Phase {@code CreatingSnapshot} ({@code copyMethod: Snapshot}): takes the VolumeSnapshot of the source
 * under its deterministic name (with the run's class, or the driver's default) and waits until the
 * snapshot-controller says it is ready to use; then the PVC from it is made. The status says what the
 * snapshot waits for (and the driver's error, if any); a snapshot that is not ready within
 * {@code datamover.deadlines.snapshot-ready} fails the run with what to check. Running twice never takes
 * a second snapshot.
 */
@Component
public class CreateSnapshotHandler implements DataMoverPhaseHandler {
  public static final String COMPONENT = "snapshot";

  private final ClusterView cluster;
  private final Snapshots snapshots;
  private final Duration deadline;

  public CreateSnapshotHandler(ClusterView cluster, Snapshots snapshots, DataMoverProperties properties) {
    this.cluster = cluster;
    this.snapshots = snapshots;
    this.deadline = properties.deadlines().snapshotReady();
  }

  @Override
  public Phase phase() {
    return Phase.CREATING_SNAPSHOT;
  }

  @Override
  public Transition<DataMoverStatus.Builder> handle(Run run) {
    String name = run.volume().snapshot();
    String source = run.spec().sourcePvc();
    Optional<Transition<DataMoverStatus.Builder>> unusable = SnapshotSteps.unusable(snapshots, run, Phase.CREATING_SNAPSHOT, Phase.FAILED);
    if (unusable.isPresent()) {
      return unusable.get();
    }
    Optional<VolumeSnapshot> existing = snapshots.snapshot(run.namespace(), name);
    if (existing.isEmpty()) {
      return create(run, name, source);
    }
    VolumeSnapshot snapshot = existing.get();
    if (!Ownership.isOwnedBy(snapshot.getMetadata(), run.dataMover())) {
      return Transition.fail(Phase.FAILED, "VolumeSnapshotConflict",
          "VolumeSnapshot " + name + " already exists and does not belong to this DataMover; delete it or use another DataMover name");
    }
    return SnapshotSteps.follow(SnapshotWait.of(snapshot, "source PVC " + source, run, deadline), run, Phase.CREATING_SNAPSHOT, Phase.FAILED,
        ready -> Transition.<DataMoverStatus.Builder>to(
                Phase.CREATING_CLONED_PVC, "SnapshotReady", ready.message() + "; creating PVC " + run.volume().claim() + " from it")
            .with(b -> b.volumeSnapshotName(name)));
  }

  private Transition<DataMoverStatus.Builder> create(Run run, String name, String source) {
    if (cluster.pvc(run.namespace(), source).isEmpty()) {
      return Transition.fail(Phase.FAILED, "SourcePVCNotFound", "source PVC " + source + " disappeared before its snapshot was taken");
    }
    VolumeSnapshot snapshot = VolumeSnapshotBuilder.build(
        Ownership.childMetadata(DataMoverApi.DATAMOVERS, run.dataMover(), name, COMPONENT), source, run.spec().volumeSnapshotClassName());
    // The snapshot informer reports the new snapshot (and its readiness) and triggers the next reconcile.
    return SnapshotSteps.take(snapshots, snapshot, "source PVC " + source, run, Phase.CREATING_SNAPSHOT, Phase.FAILED, deadline)
        .with(b -> b.volumeSnapshotName(name));
  }
}
