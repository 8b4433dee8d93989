package coffee.acupof.datamover.volume;

import coffee.acupof.datamover.cluster.ClusterException;
import coffee.acupof.datamover.runtime.Notice;
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
  /** Reason of the Event recorded when the operator created a VolumeSnapshot. */
  public static final String CREATING = "CreatingVolumeSnapshot";

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
      return Optional.of(Transition.keep(current, run.object().getStatus()).requeueAfter(Snapshots.CACHE_RECHECK));
    }
    return Optional.empty();
  }

  /**
   * Creates {@code snapshot} (of {@code what}, e.g. {@code source PVC data}) and stays in {@code current}
   * until its informer reports it, or until {@code deadline}; a snapshot the API server refuses fails
   * the run with the server's message. The status, which named the snapshot when the phase began, stays
   * as it is; creating it records a {@value #CREATING} Event.
   */
  public static <B> Transition<B> take(
      Snapshots snapshots, VolumeSnapshot snapshot, String what, RunContext<?> run, RunPhase<B> current, RunPhase<B> failed, Duration deadline) {
    boolean created;
    try {
      created = snapshots.create(snapshot);
    } catch (ClusterException e) {
      if (e.isPermanent()) {
        return Transition.fail(failed, "VolumeSnapshotRejected", "the API server refused VolumeSnapshot " + snapshot.name() + ": " + e.getMessage());
      }
      throw e;
    }
    Transition<B> taken = Transition.keep(current, run.object().getStatus()).requeueAfter(SnapshotWait.recheckAfter(run, deadline));
    if (!created) {
      return taken;
    }
    String className = snapshot.getSpec().volumeSnapshotClassName();
    return taken.recording(Notice.normal(CREATING, "Taking VolumeSnapshot " + snapshot.name() + " of " + what
        + (className == null ? " with the default class of its driver" : " with class " + className)));
  }

  /**
   * The transition for a snapshot's state: {@code ready} when it is ready to use; staying in
   * {@code current} while it is not, until the deadline; {@code failed} after it. While it is not ready,
   * the status is written only for a Warning (the driver reports an error, or half the deadline has
   * passed) and when a driver's error clears; a normal wait keeps what the status says.
   */
  public static <B> Transition<B> follow(
      SnapshotWait wait, RunContext<?> run, RunPhase<B> current, RunPhase<B> failed, Function<SnapshotWait.Ready, Transition<B>> ready) {
    return switch (wait) {
      case SnapshotWait.Ready r -> ready.apply(r);
      case SnapshotWait.Waiting waiting -> {
        RunStatus<?> shown = run.object().getStatus();
        if (!waiting.warning() && !SnapshotWait.ERROR.equals(shown.reason())) {
          yield Transition.<B>keep(current, shown).requeueAfter(waiting.recheckAfter());
        }
        Transition<B> stay = Transition.<B>stay(current, waiting.reason(), waiting.message()).requeueAfter(waiting.recheckAfter());
        yield waiting.warning() ? stay.warning() : stay;
      }
      case SnapshotWait.TimedOut timedOut -> Transition.fail(failed, timedOut.reason(), timedOut.message());
    };
  }
}
