package coffee.acupof.datamover.mover;

import coffee.acupof.datamover.config.DataMoverProperties;
import coffee.acupof.datamover.runtime.phase.RunContext;
import java.time.Duration;
import java.util.Optional;

/**
 * The two deadlines of a run whose mover Job runs, counted from the start of its phase: the volume it
 * mounts must bind (or a pod start) within {@code bind}, and the Job must report an end within its
 * active deadline plus a grace ({@code total}). A volume still not bound when half of {@code bind} has
 * passed is a Warning the status shows ({@link #bindSlow}), well before the run fails for it.
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

  /** Whether a volume that is not bound yet has used half of its time to bind: the status warns about it. */
  public boolean bindSlow(RunContext<?> run) {
    return run.timeInPhase().compareTo(bindWarning()) >= 0;
  }

  /** When the status warns of a volume that is still not bound: half of {@code bind}. */
  public Duration bindWarning() {
    return bind.dividedBy(2);
  }

  /**
   * When to look again if nothing happens before: the nearer deadline that still applies, or, while
   * the volume is not bound, the moment to warn about it if that is still ahead.
   */
  public Duration recheckAfter(RunContext<?> run, boolean waitingForVolume) {
    Duration totalLeft = run.remaining(total);
    if (!waitingForVolume) {
      return totalLeft;
    }
    Duration warnLeft = run.remaining(bindWarning());
    Duration bindLeft = warnLeft.isZero() ? run.remaining(bind) : warnLeft;
    return bindLeft.compareTo(totalLeft) <= 0 ? bindLeft : totalLeft;
  }
}
