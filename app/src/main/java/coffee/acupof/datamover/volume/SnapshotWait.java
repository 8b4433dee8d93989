package coffee.acupof.datamover.volume;

import coffee.acupof.datamover.runtime.Durations;
import coffee.acupof.datamover.runtime.phase.RunContext;
import java.time.Duration;
import java.util.Optional;

/**
 * Where a VolumeSnapshot a run took stands, read from what the snapshot-controller wrote: ready to use,
 * still waiting (for the controller, for the driver, or retrying after the driver's error), or not ready
 * within the run's deadline, counted from the start of the run's phase. Each says so in words for the
 * run's status. A wait that has used half of the deadline is a Warning, as is the driver's error.
 */
public sealed interface SnapshotWait {
  /** Reason while the driver reports an error (the snapshot-controller retries). */
  String ERROR = "SnapshotError";
  /** Reason while the snapshot is not ready yet. */
  String WAITING = "WaitingForSnapshot";

  /** Ready to use as a data source. */
  record Ready(String message) implements SnapshotWait {}

  /**
   * Not ready yet; {@code warning} when the driver reported an error (the controller retries).
   *
   * @param recheckAfter when the wait becomes a Warning, or the deadline passes
   */
  record Waiting(String reason, String message, boolean warning, Duration recheckAfter) implements SnapshotWait {}

  /** Not ready within the deadline. */
  record TimedOut(String reason, String message) implements SnapshotWait {}

  /**
   * @param what the snapshot's source in words, e.g. {@code source PVC data}
   * @param deadline how long the run's phase may wait for it
   */
  static SnapshotWait of(VolumeSnapshot snapshot, String what, RunContext<?> run, Duration deadline) {
    String name = "VolumeSnapshot " + snapshot.name() + " of " + what;
    if (snapshot.isReady()) {
      return new Ready(name + " is ready to use" + snapshot.restoreSize().map(s -> " (restore size " + s.toSuffixedString() + ")").orElse(""));
    }
    Optional<String> error = snapshot.errorMessage();
    boolean bound = snapshot.getStatus() != null && snapshot.getStatus().boundVolumeSnapshotContentName() != null;
    if (run.timeInPhase().compareTo(deadline) >= 0) {
      String why = error.map(e -> "; its last error: " + e)
          .orElse(bound ? "" : "; no VolumeSnapshotContent was ever bound to it: check that the snapshot-controller runs");
      return new TimedOut("SnapshotNotReady", name + " was not ready to use within " + Durations.human(deadline) + why
          + "; check the CSI driver's snapshot support (kubectl describe volumesnapshot " + snapshot.name()
          + "), or raise datamover.deadlines.snapshot-ready for a slow driver");
    }
    Duration left = recheckAfter(run, deadline);
    if (error.isPresent()) {
      return new Waiting(ERROR, name + " is not ready to use: " + error.get() + " (the snapshot-controller retries)", true, left);
    }
    boolean slow = run.timeInPhase().compareTo(deadline.dividedBy(2)) >= 0;
    String late = slow ? "; not ready after " + Durations.human(deadline.dividedBy(2)) + ", the run fails after " + Durations.human(deadline) : "";
    if (!bound) {
      return new Waiting(WAITING, "Waiting for the snapshot-controller to take " + name + late, slow, left);
    }
    return new Waiting(WAITING, "Waiting for " + name + " to become ready to use (the CSI driver is cutting it)" + late, slow, left);
  }

  /** When to look at a snapshot that is not ready again: when half of {@code deadline} has passed (a Warning), then at the deadline. */
  static Duration recheckAfter(RunContext<?> run, Duration deadline) {
    Duration half = run.remaining(deadline.dividedBy(2));
    return half.isZero() ? run.remaining(deadline) : half;
  }
}
