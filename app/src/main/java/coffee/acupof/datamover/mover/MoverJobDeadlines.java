package coffee.acupof.datamover.mover;

import coffee.acupof.datamover.config.DataMoverProperties;
import coffee.acupof.datamover.runtime.phase.RunContext;
import java.time.Duration;
import java.util.Optional;

/**
 * The two deadlines of a run whose mover Job runs, counted from the start of its phase: the volume it
 * mounts must bind (or a pod start) within {@code bind}, and the Job must report an end within its
 * active deadline plus a grace ({@code total}). A pod that has not started when half of {@code bind}
 * has passed (its volume not bound, or the scheduler unable to place it) is a Warning the status shows
 * ({@link #startLate}), well before the run fails for it.
 */
public record MoverJobDeadlines(Duration bind, Duration total) {

  /** Which deadline passed. */
  public enum Exceeded {
    VOLUME_NOT_BOUND,
    NO_RESULT
  }

  public static MoverJobDeadlines of(DataMoverProperties properties) {
    return new MoverJobDeadlines(
        properties.deadlines().cloneBind(), properties.mover().activeDeadline().plus(properties.deadlines().moverGrace()));
  }

  /** @param waitingForVolume no pod has started and the volume is not bound yet */
  public Optional<Exceeded> exceeded(RunContext<?> run, boolean waitingForVolume) {
    if (waitingForVolume && run.timeInPhase().compareTo(bind) >= 0) {
      return Optional.of(Exceeded.VOLUME_NOT_BOUND);
    }
    if (run.timeInPhase().compareTo(total) >= 0) {
      return Optional.of(Exceeded.NO_RESULT);
    }
    return Optional.empty();
  }

  /** Whether a Job whose pod has not started has used half of {@code bind}: the status warns of what holds it up. */
  public boolean startLate(RunContext<?> run) {
    return run.timeInPhase().compareTo(startWarning()) >= 0;
  }

  /** When the status warns of a pod that has not started (its volume not bound, the scheduler unable to place it): half of {@code bind}. */
  public Duration startWarning() {
    return bind.dividedBy(2);
  }

  /**
   * When to look again if nothing happens before: the nearer deadline that still applies ({@code bind}
   * only while the volume is not bound), and, while no pod has started, the moment to warn about it if
   * that is still ahead.
   */
  public Duration recheckAfter(RunContext<?> run, boolean podStarted, boolean volumeBound) {
    Duration next = run.remaining(total);
    if (!podStarted && !volumeBound) {
      next = min(next, run.remaining(bind));
    }
    if (!podStarted && !startLate(run)) {
      next = min(next, run.remaining(startWarning()));
    }
    return next;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
