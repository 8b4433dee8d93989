package coffee.acupof.datamover.schedule;

import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.api.LastRun;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The runs of one schedule as the cache holds them, oldest scheduled first, and what the schedule
 * reads from them: which are active, which finished and how, and when each was scheduled.
 */
public record ScheduleRuns(List<ScheduledRun> all) {
  /** The scheduled (or requested) time of a run, on the run itself. */
  public static final String ANNOTATION_SCHEDULED_TIME = DataMoverApi.GROUP + "/scheduled-time";
  /** What started a run: {@code schedule}, {@code manual} or {@code creation}. */
  public static final String ANNOTATION_TRIGGER = DataMoverApi.GROUP + "/trigger";

  private static final Comparator<ScheduledRun> BY_SCHEDULED_TIME =
      Comparator.comparing(ScheduledRun::scheduledTime).thenComparing(ScheduledRun::name);

  public static ScheduleRuns of(List<ScheduledRun> runs) {
    return new ScheduleRuns(runs.stream().sorted(BY_SCHEDULED_TIME).toList());
  }

  public List<ScheduledRun> active() {
    return all.stream().filter(ScheduledRun::active).toList();
  }

  public List<ScheduledRun> succeeded() {
    return all.stream().filter(ScheduledRun::succeeded).toList();
  }

  public List<ScheduledRun> failed() {
    return all.stream().filter(ScheduledRun::failed).toList();
  }

  /** Finished runs, oldest completion first. */
  public List<ScheduledRun> finished() {
    return all.stream()
        .filter(r -> !r.active())
        .sorted(Comparator.comparing(ScheduleRuns::completionTime).thenComparing(ScheduledRun::name))
        .toList();
  }

  public Optional<ScheduledRun> newest() {
    return all.isEmpty() ? Optional.empty() : Optional.of(all.getLast());
  }

  static OffsetDateTime completionTime(ScheduledRun run) {
    return run.completionTime() != null ? run.completionTime() : run.scheduledTime();
  }

  /** The status line of one run. */
  static LastRun lastRun(ScheduledRun run) {
    String result = run.succeeded() ? LastRun.SUCCEEDED
        : run.failed() ? LastRun.FAILED
        : "Pending".equals(run.phase().wireName()) ? "Pending"
        : LastRun.RUNNING;
    return new LastRun(run.name(), run.scheduledTime(), run.trigger(), result, run.pointInTime(), run.message());
  }
}
