package coffee.acupof.datamover.runtime.phase;

import coffee.acupof.datamover.runtime.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a run waits for before it can start (a PVC, a Secret, a key) and the one way every kind
 * reports it: the run stays in its first phase with a Warning that names each missing input, and ends
 * in its failed phase once the deadline has passed.
 */
public final class MissingInputs {
  /**
   * One missing input: a machine-readable reason, what to fix in words, and, for an input no informer
   * watches (its appearance wakes nobody), how soon to look again.
   */
  public record Problem(String reason, String message, Optional<Duration> recheck) {
    public Problem(String reason, String message) {
      this(reason, message, Optional.empty());
    }
  }

  private MissingInputs() {}

  /**
   * @param problems at least one
   * @param waiting the phase the run waits in
   * @param failed the kind's failed phase
   * @param deadline how long the run may wait, from the start of the phase
   */
  public static <B> Transition<B> waitOrFail(
      RunContext<?> run, List<Problem> problems, RunPhase<B> waiting, RunPhase<B> failed, Duration deadline) {
    String reason = problems.getFirst().reason();
    String what = String.join("; ", problems.stream().map(Problem::message).toList());
    if (run.timeInPhase().compareTo(deadline) >= 0) {
      return Transition.fail(failed, reason, what + " (gave up after " + Durations.human(deadline) + ")");
    }
    // Waiting for something the user must provide: a Warning.
    Duration wake = problems.stream()
        .flatMap(p -> p.recheck().stream())
        .reduce(run.remaining(deadline), (a, b) -> a.compareTo(b) <= 0 ? a : b);
    return Transition.stay(waiting, reason, "Waiting: " + what).warning().requeueAfter(wake);
  }
}
