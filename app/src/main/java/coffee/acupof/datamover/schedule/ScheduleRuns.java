package coffee.acupof.datamover.schedule;

import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.api.LastRun;
import coffee.acupof.datamover.api.Phase;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The runs (DataMovers) of one schedule as the cache holds them, oldest scheduled first, and what the
 * schedule reads from them: which are active, which finished and how, and when each was scheduled.
 */
public record ScheduleRuns(List<DataMover> all) {
  /** The scheduled (or requested) time of a run, on the run itself. */
  public static final String ANNOTATION_SCHEDULED_TIME = DataMoverApi.GROUP + "/scheduled-time";
  /** What started a run: {@code schedule}, {@code manual} or {@code creation}. */
  public static final String ANNOTATION_TRIGGER = DataMoverApi.GROUP + "/trigger";

  private static final Comparator<DataMover> BY_SCHEDULED_TIME =
      Comparator.comparing(ScheduleRuns::scheduledTime).thenComparing(DataMover::name);

  public static ScheduleRuns of(List<DataMover> runs) {
    return new ScheduleRuns(runs.stream().sorted(BY_SCHEDULED_TIME).toList());
  }

  public static OffsetDateTime scheduledTime(DataMover run) {
    String value = run.getMetadata().getAnnotations() == null ? null : run.getMetadata().getAnnotations().get(ANNOTATION_SCHEDULED_TIME);
    if (value != null) {
      try {
        return OffsetDateTime.parse(value);
      } catch (java.time.format.DateTimeParseException e) {
        // fall back to the creation time
      }
    }
    OffsetDateTime created = run.getMetadata().getCreationTimestamp();
    return created == null ? OffsetDateTime.MIN : created;
  }

  public static String trigger(DataMover run) {
    return run.getMetadata().getAnnotations() == null ? null : run.getMetadata().getAnnotations().get(ANNOTATION_TRIGGER);
  }

  public List<DataMover> active() {
    return all.stream().filter(r -> !r.getStatus().phaseValue().isTerminal()).toList();
  }

  public List<DataMover> succeeded() {
    return all.stream().filter(r -> r.getStatus().phaseValue() == Phase.COMPLETED).toList();
  }

  public List<DataMover> failed() {
    return all.stream().filter(r -> r.getStatus().phaseValue() == Phase.FAILED).toList();
  }

  /** Finished runs, oldest completion first. */
  public List<DataMover> finished() {
    return all.stream()
        .filter(r -> r.getStatus().phaseValue().isTerminal())
        .sorted(Comparator.comparing(ScheduleRuns::completionTime).thenComparing(DataMover::name))
        .toList();
  }

  public Optional<DataMover> newest() {
    return all.isEmpty() ? Optional.empty() : Optional.of(all.getLast());
  }

  static OffsetDateTime completionTime(DataMover run) {
    OffsetDateTime t = run.getStatus().completionTime();
    return t != null ? t : scheduledTime(run);
  }

  /** The status line of one run. */
  static LastRun lastRun(DataMover run) {
    Phase phase = run.getStatus().phaseValue();
    String result = switch (phase) {
      case COMPLETED -> LastRun.SUCCEEDED;
      case FAILED -> LastRun.FAILED;
      case PENDING -> "Pending";
      default -> LastRun.RUNNING;
    };
    return new LastRun(run.name(), scheduledTime(run), trigger(run), result, run.getStatus().pointInTime(), run.getStatus().message());
  }
}
