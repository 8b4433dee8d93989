package coffee.acupof.datamover.api;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Observed state of a schedule, recomputed whole on every reconcile; everything that must survive an
 * operator restart lives here. {@code lastScheduleTime}, {@code lastSuccessfulTime} and {@code active}
 * are the Go operator's (and CronJob's) fields. {@code lastTickTime} is the newest scheduled time the
 * operator has dealt with (a run started, or the time skipped because its starting deadline passed);
 * ticks after it are due. {@code path}, {@code source} and {@code latestPointInTime} say where the
 * schedule's backups are, for restores: the Secret is {@code spec.secretName}, the remote location
 * {@code path} inside it, and the newest complete point in time {@code latestPointInTime}.
 */
public record DataMoverScheduleStatus(
    Long observedGeneration,
    List<Condition> conditions,
    OffsetDateTime lastScheduleTime,
    OffsetDateTime nextScheduleTime,
    OffsetDateTime lastSuccessfulTime,
    OffsetDateTime lastFailureTime,
    OffsetDateTime lastTickTime,
    String lastManualTrigger,
    List<RunReference> active,
    LastRun lastRun,
    String path,
    String source,
    String latestPointInTime,
    RetentionStatus retention) {

  public static final DataMoverScheduleStatus EMPTY =
      new DataMoverScheduleStatus(null, null, null, null, null, null, null, null, null, null, null, null, null, null);

  public List<Condition> conditionsOrEmpty() {
    return conditions == null ? List.of() : conditions;
  }

  public Optional<Condition> condition(String type) {
    return conditionsOrEmpty().stream().filter(c -> c.type().equals(type)).findFirst();
  }
}
