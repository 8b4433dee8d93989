package coffee.acupof.datamover.schedule;

import coffee.acupof.datamover.api.Condition;
import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverSchedule;
import coffee.acupof.datamover.api.DataMoverScheduleSpec;
import coffee.acupof.datamover.api.DataMoverScheduleStatus;
import coffee.acupof.datamover.api.LastRun;
import coffee.acupof.datamover.api.Phase;
import coffee.acupof.datamover.api.RetentionStatus;
import coffee.acupof.datamover.api.RunReference;
import coffee.acupof.datamover.cluster.ClusterException;
import coffee.acupof.datamover.cluster.ClusterOperations;
import coffee.acupof.datamover.cluster.ClusterView;
import coffee.acupof.datamover.cluster.Ownership;
import coffee.acupof.datamover.config.DataMoverProperties;
import coffee.acupof.datamover.metrics.ScheduleMetrics;
import coffee.acupof.datamover.mover.MoverJobState;
import coffee.acupof.datamover.mover.MoverSlots;
import coffee.acupof.datamover.runtime.Conditions;
import coffee.acupof.datamover.runtime.KindLogic;
import coffee.acupof.datamover.runtime.Notice;
import coffee.acupof.datamover.runtime.Step;
import io.kubernetes.client.openapi.models.V1Job;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The level-based logic of {@code DataMoverSchedule}: each reconcile looks at the schedule, its runs
 * and its retention Jobs in the caches and the clock, does what is due (at most one run per reconcile,
 * history limits, retention) and returns the whole status. Nothing is remembered between reconciles
 * but the status, so a restart continues exactly where the last written status left off.
 *
 * <p>Ticks work as CronJob's: the ticks after {@code status.lastTickTime} (or the creation time) up to
 * now are due; one run starts for the most recent of them (a catch-up after downtime, with a Warning
 * Event saying how many were missed), unless it is more than {@code startingDeadlineSeconds} late. A
 * tick that cannot start because of {@code concurrencyPolicy: Forbid} (or a running retention Job)
 * stays due and runs once the way is free. While suspended or stalled no tick is taken; when that ends,
 * the missed ticks are caught up with one run, as CronJob does.
 */
public final class ScheduleLogic implements KindLogic<DataMoverSchedule, DataMoverScheduleStatus> {
  private static final Logger log = LoggerFactory.getLogger(ScheduleLogic.class);
  public static final String LAST_BACKUP_SUCCEEDED = "LastBackupSucceeded";
  public static final String RETENTION_SUCCEEDED = "RetentionSucceeded";
  /** Counting missed ticks stops here (an every-minute schedule after a long downtime). */
  private static final int MISSED_COUNT_LIMIT = 1000;

  private final ClusterView cluster;
  private final ClusterOperations operations;
  private final Function<DataMoverSchedule, List<DataMover>> runsOf;
  private final Function<DataMoverSchedule, List<V1Job>> pruneJobsOf;
  private final Function<DataMoverSchedule, Boolean> sourceBusy;
  private final RetentionFlow retention;
  private final ScheduleMetrics metrics;

  /**
   * @param runsOf the DataMovers the schedule owns, from the cache
   * @param pruneJobsOf the retention Jobs the schedule owns, from the cache
   * @param sourceBusy whether any DataMover of the schedule's source is active
   */
  public ScheduleLogic(
      ClusterView cluster,
      ClusterOperations operations,
      Function<DataMoverSchedule, List<DataMover>> runsOf,
      Function<DataMoverSchedule, List<V1Job>> pruneJobsOf,
      Function<DataMoverSchedule, Boolean> sourceBusy,
      MoverSlots slots,
      DataMoverProperties properties,
      ScheduleMetrics metrics) {
    this.cluster = cluster;
    this.operations = operations;
    this.runsOf = runsOf;
    this.pruneJobsOf = pruneJobsOf;
    this.sourceBusy = sourceBusy;
    this.retention = new RetentionFlow(cluster, operations, slots, properties);
    this.metrics = metrics;
  }

  /** A reason and message for a schedule that cannot run. */
  private record Problem(String reason, String message) {}

  /** What one reconcile changes, gathered as it goes. */
  private static final class Work {
    final List<Notice> notices = new ArrayList<>();
    final List<Runnable> after = new ArrayList<>();
    final List<DataMover> created = new ArrayList<>();
    OffsetDateTime lastTickTime;
    OffsetDateTime lastScheduleTime;
    String lastManualTrigger;
    String waiting;
  }

  @Override
  public Step<DataMoverScheduleStatus> reconcile(DataMoverSchedule schedule, OffsetDateTime now) {
    DataMoverScheduleSpec spec = schedule.getSpec();
    DataMoverScheduleStatus old = schedule.getStatus();
    String ns = schedule.namespace();
    ScheduleRuns runs = ScheduleRuns.of(runsOf.apply(schedule).stream().filter(r -> Ownership.isOwnedBy(r.getMetadata(), schedule)).toList());
    Work work = new Work();
    work.lastTickTime = old.lastTickTime();
    work.lastScheduleTime = old.lastScheduleTime();
    work.lastManualTrigger = old.lastManualTrigger();

    // Runs that finished since the last written status: Events and counters, once.
    OffsetDateTime lastSuccess = old.lastSuccessfulTime();
    OffsetDateTime lastFailure = old.lastFailureTime();
    String latestPoint = old.latestPointInTime();
    DataMover newestFinished = null;
    for (DataMover run : runs.finished()) {
      OffsetDateTime done = ScheduleRuns.completionTime(run);
      boolean ok = run.getStatus().phaseValue() == Phase.COMPLETED;
      OffsetDateTime mark = ok ? old.lastSuccessfulTime() : old.lastFailureTime();
      if (mark == null || done.isAfter(mark)) {
        work.notices.add(ok
            ? Notice.normal("BackupSucceeded", "Run " + run.name() + " completed: " + run.getStatus().message())
            : Notice.warning("BackupFailed", "Run " + run.name() + " failed: " + run.getStatus().message()));
        work.after.add(() -> metrics.runFinished(ns, schedule.name(), ok));
      }
      if (ok && (lastSuccess == null || !done.isBefore(lastSuccess))) {
        lastSuccess = done;
        if (run.getStatus().pointInTime() != null) {
          latestPoint = run.getStatus().pointInTime();
        }
      }
      if (!ok && (lastFailure == null || done.isAfter(lastFailure))) {
        lastFailure = done;
      }
      newestFinished = run;
    }
    Optional<LastRun> lastRun = runs.newest().map(ScheduleRuns::lastRun);

    Optional<CronSchedule> cron = Optional.empty();
    Problem problem = null;
    try {
      cron = Optional.of(CronSchedule.parse(spec.schedule(), spec.timeZoneOrDefault(), ns + "/" + schedule.name()));
    } catch (InvalidScheduleException e) {
      problem = new Problem(e.reason(), e.getMessage());
    }
    if (problem == null && cluster.secret(ns, spec.configSecretName()).isEmpty()) {
      problem = new Problem("SecretNotFound", "Secret " + spec.configSecretName() + " not found in namespace " + ns + "; no run starts until it exists");
    }
    if (problem == null && cluster.pvc(ns, spec.sourcePvc()).isEmpty()) {
      problem = new Problem("SourcePVCNotFound", "source PVC " + spec.sourcePvc() + " not found in namespace " + ns + "; no run starts until it exists");
    }

    for (DataMover excess : HistoryLimits.excess(runs, spec.successfulHistoryLimit(), spec.failedHistoryLimit())) {
      operations.deleteDataMover(ns, excess.name());
      work.after.add(() -> log.info("{}: deleted run {} beyond the history limit (its backup stays)", schedule.key(), excess.name()));
    }

    List<DataMover> active = new ArrayList<>(runs.active());
    List<V1Job> pruneJobs = pruneJobsOf.apply(schedule);
    if (problem == null) {
      startDueRuns(schedule, cron.get(), now, active, pruneJobs, work);
    }
    if (!work.created.isEmpty()) {
      lastRun = Optional.of(ScheduleRuns.lastRun(work.created.getLast()));
    } else if (lastRun.isEmpty()) {
      lastRun = Optional.ofNullable(old.lastRun());
    }

    RetentionFlow.Outcome pruning = spec.retention() == null
        ? new RetentionFlow.Outcome(null, List.of(), false, Optional.empty())
        : retention.reconcile(schedule, pruneJobs, latestPoint, sourceBusy.apply(schedule) || !work.created.isEmpty(), now);
    work.notices.addAll(pruning.notices());
    if (pruning.newFailure()) {
      work.after.add(() -> metrics.pruneFailed(ns, schedule.name()));
    }

    boolean runnable = problem == null;
    Optional<Instant> next = runnable && !spec.suspended() ? cron.flatMap(c -> c.next(now.toInstant())) : Optional.empty();
    List<RunReference> refs = new ArrayList<>(active.stream().map(RunReference::to).toList());
    work.created.forEach(c -> refs.add(RunReference.to(c)));
    List<Condition> conditions = conditions(schedule, problem, next, newestFinished, pruning.status(), work.waiting, now);
    DataMoverScheduleStatus status =
        new DataMoverScheduleStatus(
            schedule.generation(),
            conditions,
            work.lastScheduleTime,
            next.map(ScheduleLogic::utc).orElse(null),
            lastSuccess,
            lastFailure,
            work.lastTickTime,
            work.lastManualTrigger,
            refs.isEmpty() ? null : List.copyOf(refs),
            lastRun.orElse(null),
            RunBuilder.spec(schedule).effectivePath(),
            ns + "/" + spec.sourcePvc(),
            latestPoint,
            pruning.status());
    announceConditionChanges(old, status, work);

    Step<DataMoverScheduleStatus> step = Step.of(status);
    for (Notice n : work.notices) {
      step = step.notice(n);
    }
    Optional<Duration> wake = next.map(n -> Duration.between(now.toInstant(), n).plusSeconds(1));
    if (pruning.requeueAfter().isPresent() && (wake.isEmpty() || pruning.requeueAfter().get().compareTo(wake.get()) < 0)) {
      wake = pruning.requeueAfter();
    }
    Optional<Duration> requeue = wake;
    Optional<CronSchedule> parsed = cron;
    Optional<Instant> interval = next.flatMap(n -> parsed.flatMap(c -> c.next(n)));
    ScheduleMetrics.Snapshot snapshot = new ScheduleMetrics.Snapshot(
        lastSuccess,
        status.condition(LAST_BACKUP_SUCCEEDED).map(Condition::isTrue).orElse(null),
        status.nextScheduleTime(),
        interval.isPresent() ? Duration.between(next.get(), interval.get()).toSeconds() : null,
        runnable,
        pruning.status() == null ? null : pruning.status().retainedCount());
    work.after.add(() -> metrics.update(ns, schedule.name(), snapshot));
    for (Runnable r : work.after) {
      step = step.afterWrite(r);
    }
    return step.requeueAfter(requeue);
  }

  /** A pending manual run first, then the run at creation (if asked for), then the due tick. */
  private void startDueRuns(
      DataMoverSchedule schedule, CronSchedule cron, OffsetDateTime now, List<DataMover> active, List<V1Job> pruneJobs, Work work) {
    DataMoverScheduleSpec spec = schedule.getSpec();
    String trigger = spec.manualTrigger();
    if (trigger != null && !trigger.isEmpty() && !trigger.equals(work.lastManualTrigger)) {
      String name = RunBuilder.manualName(schedule.name(), schedule.generation());
      if (start(schedule, name, now.toInstant(), RunBuilder.TRIGGER_MANUAL, active, pruneJobs, work)) {
        work.lastManualTrigger = trigger;
        work.notices.add(Notice.normal("ManualRun", "manualTrigger '" + trigger + "': started run " + name));
      }
    }
    boolean neverTicked = work.lastTickTime == null && work.lastScheduleTime == null;
    OffsetDateTime created = schedule.getMetadata().getCreationTimestamp();
    if (neverTicked && Boolean.TRUE.equals(spec.runOnCreation()) && !spec.suspended()) {
      Instant at = created.toInstant().truncatedTo(ChronoUnit.MINUTES);
      String name = RunBuilder.scheduledName(schedule.name(), at);
      if (start(schedule, name, created.toInstant(), RunBuilder.TRIGGER_CREATION, active, pruneJobs, work)) {
        work.lastTickTime = created;
        work.lastScheduleTime = created;
        work.notices.add(Notice.normal("RunStarted", "runOnCreation: started run " + name));
      }
      return;
    }
    if (spec.suspended()) {
      return;
    }
    OffsetDateTime cursor = work.lastTickTime != null ? work.lastTickTime : work.lastScheduleTime != null ? work.lastScheduleTime : created;
    CronSchedule.Due due = cron.due(cursor.toInstant(), now.toInstant(), MISSED_COUNT_LIMIT);
    if (due.latest().isEmpty()) {
      return;
    }
    Instant tick = due.latest().get();
    String missed = due.count() > 1
        ? (due.more() ? "more than " + (MISSED_COUNT_LIMIT - 1) : Integer.toString(due.count() - 1)) + " earlier scheduled time(s) since "
            + utc(due.first().get()) + " were missed (the operator was down, or the schedule was suspended or could not run)"
        : null;
    Long deadline = spec.startingDeadlineSeconds();
    if (deadline != null && Duration.between(tick, now.toInstant()).getSeconds() > deadline) {
      work.lastTickTime = utc(tick);
      work.notices.add(Notice.warning("MissedSchedule", "the run scheduled for " + utc(tick) + " did not start within startingDeadlineSeconds ("
          + deadline + "s); it is skipped" + (missed == null ? "" : "; " + missed)));
      return;
    }
    String name = RunBuilder.scheduledName(schedule.name(), tick);
    if (start(schedule, name, tick, RunBuilder.TRIGGER_SCHEDULE, active, pruneJobs, work)) {
      work.lastTickTime = utc(tick);
      work.lastScheduleTime = utc(tick);
      if (missed != null) {
        work.notices.add(Notice.warning("MissedSchedules", missed + "; one run, " + name + ", catches up for the most recent, " + utc(tick)));
      }
    }
  }

  /**
   * Starts one run unless the concurrency policy or a running retention Job forbids it now; true when
   * the run exists afterwards (created now, or found from an earlier attempt) or was refused for good.
   */
  private boolean start(
      DataMoverSchedule schedule, String name, Instant scheduledTime, String trigger, List<DataMover> active, List<V1Job> pruneJobs, Work work) {
    String ns = schedule.namespace();
    if (active.stream().anyMatch(r -> r.name().equals(name)) || work.created.stream().anyMatch(r -> r.name().equals(name))) {
      return true;
    }
    Optional<V1Job> pruning = pruneJobs.stream().filter(j -> !MoverJobState.finished(j)).findFirst();
    if (pruning.isPresent()) {
      work.waiting = "run " + name + " waits for retention Job " + pruning.get().getMetadata().getName() + " to finish";
      return false;
    }
    String policy = schedule.getSpec().concurrencyPolicyOrDefault();
    List<DataMover> running = new ArrayList<>(active);
    running.addAll(work.created);
    if (!running.isEmpty() && DataMoverScheduleSpec.FORBID.equals(policy)) {
      work.waiting = "run " + name + " waits for " + String.join(", ", running.stream().map(DataMover::name).toList())
          + " to finish (concurrencyPolicy Forbid)";
      return false;
    }
    if (!running.isEmpty() && DataMoverScheduleSpec.REPLACE.equals(policy)) {
      for (DataMover old : running) {
        operations.deleteDataMover(ns, old.name());
        work.notices.add(Notice.normal("RunReplaced", "run " + old.name() + " was still active; deleted it for " + name + " (concurrencyPolicy Replace)"));
      }
      active.clear();
      work.created.clear();
    }
    DataMover run = RunBuilder.build(schedule, name, scheduledTime, trigger);
    try {
      operations.createDataMover(run);
    } catch (ClusterException e) {
      if (!e.isPermanent()) {
        throw e;
      }
      work.notices.add(Notice.warning("RunRejected", "the API server refused run " + name + ": " + e.getMessage()));
      return true;
    }
    work.created.add(run);
    work.after.add(() -> log.info("{}: started run {} ({}, scheduled for {})", schedule.key(), name, trigger, scheduledTime));
    return true;
  }


  private static List<Condition> conditions(
      DataMoverSchedule schedule, Problem problem, Optional<Instant> next, DataMover newestFinished, RetentionStatus retention,
      String waiting, OffsetDateTime now) {
    List<Condition> old = schedule.getStatus().conditionsOrEmpty();
    long generation = schedule.generation();
    List<Condition> conditions = new ArrayList<>();
    if (problem != null) {
      conditions.add(Conditions.of(old, Condition.READY, false, problem.reason(), problem.message(), generation, now));
      conditions.add(Conditions.of(old, Condition.STALLED, true, problem.reason(), problem.message(), generation, now));
    } else {
      String reason = schedule.getSpec().suspended() ? "Suspended" : "Scheduled";
      String message = schedule.getSpec().suspended()
          ? "Suspended: no scheduled runs (a manualTrigger still starts one)"
          : next.map(n -> "Next run at " + utc(n)).orElse("No further run");
      if (waiting != null) {
        message = message + "; " + waiting;
      }
      conditions.add(Conditions.of(old, Condition.READY, true, reason, message, generation, now));
      conditions.add(Conditions.of(old, Condition.STALLED, false, reason, message, generation, now));
    }
    if (newestFinished != null) {
      boolean ok = newestFinished.getStatus().phaseValue() == Phase.COMPLETED;
      String message = "Run " + newestFinished.name() + ": " + Objects.requireNonNullElse(newestFinished.getStatus().message(), "");
      conditions.add(Conditions.of(old, LAST_BACKUP_SUCCEEDED, ok, ok ? "BackupSucceeded" : "BackupFailed", message, generation, now));
    } else {
      schedule.getStatus().condition(LAST_BACKUP_SUCCEEDED).ifPresent(c ->
          conditions.add(new Condition(c.type(), c.status(), c.reason(), c.message(), generation, c.lastTransitionTime())));
    }
    if (retention != null && retention.lastResult() != null) {
      boolean ok = RetentionStatus.SUCCEEDED.equals(retention.lastResult());
      conditions.add(Conditions.of(old, RETENTION_SUCCEEDED, ok, ok ? RetentionFlow.PRUNED : RetentionFlow.PRUNE_FAILED,
          retention.message() == null ? "" : retention.message(), generation, now));
    }
    return List.copyOf(conditions);
  }

  /** Events for a schedule that became stalled or runnable again, or whose run must wait. */
  private static void announceConditionChanges(DataMoverScheduleStatus old, DataMoverScheduleStatus now, Work work) {
    Optional<Condition> stalled = now.condition(Condition.STALLED);
    Optional<Condition> before = old.condition(Condition.STALLED);
    if (stalled.isPresent() && stalled.get().isTrue() && (before.isEmpty() || !before.get().sameStateAs(stalled.get()))) {
      work.notices.add(Notice.warning(stalled.get().reason(), stalled.get().message()));
    } else if (stalled.isPresent() && !stalled.get().isTrue() && before.isPresent() && before.get().isTrue()) {
      work.notices.add(Notice.normal("Ready", now.condition(Condition.READY).map(Condition::message).orElse("")));
    }
    if (work.waiting != null) {
      String previous = old.condition(Condition.READY).map(Condition::message).orElse("");
      if (!previous.contains(work.waiting)) {
        work.notices.add(Notice.normal("RunPostponed", work.waiting));
      }
    }
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  @Override
  public void forget(String namespace, String name) {
    metrics.forget(namespace, name);
  }
}
