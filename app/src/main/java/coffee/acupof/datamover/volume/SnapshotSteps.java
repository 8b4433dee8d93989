package coffee.acupof.datamover.volume;

import coffee.acupof.datamover.cluster.ClusterException;
import coffee.acupof.datamover.runtime.OptionalInformer;
import coffee.acupof.datamover.runtime.phase.RunContext;
import coffee.acupof.datamover.runtime.phase.RunPhase;
import coffee.acupof.datamover.runtime.phase.RunStatus;
import coffee.acupof.datamover.runtime.phase.Transition;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * The steps every phase that takes a VolumeSnapshot shares, whatever the kind (a backup's snapshot of
 * its source, a restore's image): what to do while snapshots cannot be used, and how the snapshot's
 * state ({@link SnapshotWait}) turns into a transition.
 */
public final class SnapshotSteps {
  private SnapshotSteps() {}

  /**
   * While the snapshot CRDs are absent the run fails with what to install (they were there when it was
   * validated); while their caches fill it looks again in a moment; empty once snapshots can be used.
   */
  public static <B> Optional<Transition<B>> unusable(
      Snapshots snapshots, RunContext<?> run, RunPhase<B> current, RunPhase<B> failed) {
    OptionalInformer.State state = snapshots.state();
    if (state == OptionalInformer.State.ABSENT) {
      return Optional.of(Transition.fail(failed, Snapshots.CRDS_MISSING_REASON, "copyMethod Snapshot: " + Snapshots.CRDS_MISSING));
    }
    if (state == OptionalInformer.State.STARTING) {
      RunStatus<?> status = run.object().getStatus();
      return Optional.of(Transition.stay(current, status.reason(), status.message()).requeueAfter(Snapshots.CACHE_RECHECK));
    }
    return Optional.empty();
  }

  /**
   * Creates {@code snapshot} (of {@code what}, e.g. {@code source PVC data}) and stays in {@code current}
   * until its informer reports it, or until {@code deadline}; a snapshot the API server refuses fails
   * the run with the server's message.
   */
  public static <B> Transition<B> take(
      Snapshots snapshots, VolumeSnapshot snapshot, String what, RunPhase<B> current, RunPhase<B> failed, Duration deadline) {
    try {
      snapshots.create(snapshot);
    } catch (ClusterException e) {
      if (e.isPermanent()) {
        return Transition.fail(failed, "VolumeSnapshotRejected", "the API server refused VolumeSnapshot " + snapshot.name() + ": " + e.getMessage());
      }
      throw e;
    }
    String className = snapshot.getSpec().volumeSnapshotClassName();
    return Transition.<B>stay(current, "CreatingVolumeSnapshot", "Taking VolumeSnapshot " + snapshot.name() + " of " + what
            + (className == null ? " with the default class of its driver" : " with class " + className))
        .requeueAfter(deadline);
  }

  /**
   * The transition for a snapshot's state: {@code ready} when it is ready to use; staying in
   * {@code current} while it is not (a Warning while the driver reports an error), until the deadline;
   * {@code failed} after it.
   */
  public static <B> Transition<B> follow(
      SnapshotWait wait, RunPhase<B> current, RunPhase<B> failed, Function<SnapshotWait.Ready, Transition<B>> ready) {
    return switch (wait) {
      case SnapshotWait.Ready r -> ready.apply(r);
      case SnapshotWait.Waiting waiting -> {
        Transition<B> stay = Transition.<B>stay(current, waiting.reason(), waiting.message()).requeueAfter(waiting.recheckAfter());
        yield waiting.warning() ? stay.warning() : stay;
      }
      case SnapshotWait.TimedOut timedOut -> Transition.fail(failed, timedOut.reason(), timedOut.message());
    };
  }
}
