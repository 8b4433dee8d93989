package coffee.acupof.datamover.mover;

import coffee.acupof.datamover.config.DataMoverProperties;
import coffee.acupof.datamover.runtime.phase.RunContext;
import java.time.Duration;
import java.util.Optional;

/**
 * The two deadlines of a run whose mover Job runs, counted from the start of its phase: the volume it
 * mounts must bind (or a pod start) within {@code bind}, and the Job must report an end within its
 * active deadline plus a grace ({@code total}).
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

  /** When to look again if nothing happens before: the nearer deadline that still applies. */
  public Duration recheckAfter(RunContext<?> run, boolean waitingForVolume) {
    Duration totalLeft = run.remaining(total);
    if (!waitingForVolume) {
      return totalLeft;
    }
    Duration bindLeft = run.remaining(bind);
    return bindLeft.compareTo(totalLeft) <= 0 ? bindLeft : totalLeft;
  }
}
