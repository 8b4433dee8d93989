package coffee.acupof.datamover.schedule;

import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.api.DataMoverSchedule;
import coffee.acupof.datamover.api.RetentionStatus;
import coffee.acupof.datamover.cluster.ChildNames;
import coffee.acupof.datamover.cluster.ClusterException;
import coffee.acupof.datamover.cluster.ClusterOperations;
import coffee.acupof.datamover.cluster.ClusterView;
import coffee.acupof.datamover.config.DataMoverProperties;
import coffee.acupof.datamover.mover.MoverJobState;
import coffee.acupof.datamover.mover.MoverResult;
import coffee.acupof.datamover.mover.MoverSlots;
import coffee.acupof.datamover.mover.PruneJobBuilder;
import coffee.acupof.datamover.runtime.Notice;
import io.kubernetes.client.openapi.models.V1Job;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Retention of one schedule: after each successful backup (a new {@code latestPointInTime}) one prune
 * Job runs the mover's {@code prune} for the schedule's source and path — never while a backup of the
 * same source is active, and a backup never starts while it runs. Its result (points kept and deleted)
 * goes into the status; a failed prune is a Warning Event, {@code RetentionSucceeded=False} and a retry
 * after a back-off that doubles with each failure in a row, while backups go on as scheduled.
 */
final class RetentionFlow {
  static final String PRUNED = "Pruned";
  static final String PRUNE_FAILED = "PruneFailed";
  /** How long a finished prune Job's result may take to reach the pod cache. */
  private static final Duration RESULT_GRACE = Duration.ofSeconds(30);
  private static final Duration SLOT_RECHECK = Duration.ofSeconds(30);

  private final ClusterView cluster;
  private final ClusterOperations operations;
  private final MoverSlots slots;
  private final DataMoverProperties properties;

  RetentionFlow(ClusterView cluster, ClusterOperations operations, MoverSlots slots, DataMoverProperties properties) {
    this.cluster = cluster;
    this.operations = operations;
    this.slots = slots;
    this.properties = properties;
  }

  /** What retention decided: its status, Events, whether a prune failure is new, when to look again. */
  record Outcome(RetentionStatus status, List<Notice> notices, boolean newFailure, Optional<Duration> requeueAfter) {}

  /**
   * @param jobs the schedule's prune Jobs in the cache
   * @param latestPoint the schedule's newest complete point in time
   * @param sourceBusy a backup of the same source is active (or starts in this reconcile)
   */
  Outcome reconcile(DataMoverSchedule schedule, List<V1Job> jobs, String latestPoint, boolean sourceBusy, OffsetDateTime now) {
    RetentionStatus r = schedule.getStatus().retention() == null
        ? new RetentionStatus(null, null, null, null, null, null, null, null, null, null, null)
        : schedule.getStatus().retention();
    List<Notice> notices = new ArrayList<>();
    boolean newFailure = false;
    Optional<Duration> requeue = Optional.empty();
    boolean running = false;
    for (V1Job job : jobs.stream().sorted(Comparator.comparing(j -> j.getMetadata().getName())).toList()) {
      String name = job.getMetadata().getName();
      MoverJobState state = MoverJobState.of(job, cluster.podsOfJob(schedule.namespace(), name));
      if (!state.succeeded() && !state.failed()) {
        running = true;
        continue;
      }
      if (name.equals(r.lastJobName())) {
        operations.deleteJob(schedule.namespace(), name);
        continue;
      }
      if (!state.podsCaughtUp() && state.finishedAt().map(t -> Duration.between(t, now).compareTo(RESULT_GRACE) < 0).orElse(false)) {
        running = true;
        requeue = Optional.of(Duration.ofSeconds(2));
        continue;
      }
      if (state.succeeded()) {
        r = succeeded(job, state.successResult(), now);
        notices.add(Notice.normal(PRUNED, r.message()));
      } else {
        int failures = r.failuresOrZero() + 1;
        OffsetDateTime next = now.plus(backoff(failures));
        String mover = state.lastFailureMessage().map(m -> ": " + m).orElse("");
        String message = "retention Job " + name + " failed (" + state.failureReason() + ")" + mover + "; attempt " + (failures + 1) + " at " + next;
        r = new RetentionStatus(r.prunedThrough(), now, RetentionStatus.FAILED, name, r.retainedCount(), r.retained(), r.deletedCount(),
            r.deleted(), failures, next, message);
        notices.add(Notice.warning(PRUNE_FAILED, message));
        newFailure = true;
      }
    }
    boolean needed = latestPoint != null && !latestPoint.equals(r.prunedThrough());
    if (!needed || running) {
      return new Outcome(r, notices, newFailure, requeue);
    }
    if (sourceBusy) {
      return new Outcome(withMessage(r, "retention after " + latestPoint + " waits for the active backup of the source"), notices, newFailure, requeue);
    }
    if (r.nextAttemptTime() != null && now.isBefore(r.nextAttemptTime())) {
      return new Outcome(r, notices, newFailure, Optional.of(Duration.between(now, r.nextAttemptTime())));
    }
    MoverSlots.Decision slot =
        slots.request(new MoverSlots.Claim(DataMoverApi.SCHEDULE_KIND, schedule.namespace(), schedule.name(), now));
    if (slot instanceof MoverSlots.Wait wait) {
      return new Outcome(withMessage(r, "retention after " + latestPoint + " waits for a mover slot: " + wait.message()), notices, newFailure,
          Optional.of(SLOT_RECHECK));
    }
    String jobName = ChildNames.pruneJob(schedule.name(), latestPoint, r.failuresOrZero() + 1);
    try {
      operations.createJob(PruneJobBuilder.build(schedule, jobName, latestPoint, properties.schedules().pruneDeadline(), properties.mover()));
    } catch (ClusterException e) {
      if (!e.isPermanent()) {
        throw e;
      }
      return new Outcome(withMessage(r, "the API server refused retention Job " + jobName + ": " + e.getMessage()), notices, newFailure,
          Optional.of(backoff(1)));
    }
    return new Outcome(withMessage(r, "retention Job " + jobName + " prunes the points before " + latestPoint), notices, newFailure, requeue);
  }

  private static RetentionStatus succeeded(V1Job job, Optional<MoverResult> result, OffsetDateTime now) {
    String point = job.getMetadata().getAnnotations() == null ? null : job.getMetadata().getAnnotations().get(PruneJobBuilder.ANNOTATION_POINT);
    List<String> kept = names(result, MoverResult.Point.KEEP);
    List<String> deleted = names(result, MoverResult.Point.DELETE);
    int keptCount = result.map(MoverResult::kept).map(Long::intValue).orElse(kept.size());
    int deletedCount = result.map(MoverResult::deletedPoints).map(Long::intValue).orElse(deleted.size());
    String message = "kept " + keptCount + " and deleted " + deletedCount + " point(s) in time"
        + (kept.isEmpty() ? "" : "; newest kept " + kept.getFirst())
        + result.map(MoverResult::message).filter(m -> !m.isBlank()).map(m -> " (" + m + ")").orElse("");
    return new RetentionStatus(point, now, RetentionStatus.SUCCEEDED, job.getMetadata().getName(), keptCount, limit(kept), deletedCount,
        limit(deleted), null, null, message);
  }

  /** The points with this action, newest first. */
  private static List<String> names(Optional<MoverResult> result, String action) {
    return result.map(MoverResult::points).orElse(List.of()).stream()
        .filter(p -> action.equals(p.action()) && p.name() != null)
        .map(MoverResult.Point::name)
        .sorted(Comparator.reverseOrder())
        .toList();
  }

  private static List<String> limit(List<String> names) {
    return names.isEmpty() ? null : List.copyOf(names.subList(0, Math.min(names.size(), RetentionStatus.LIST_LIMIT)));
  }

  private static RetentionStatus withMessage(RetentionStatus r, String message) {
    return new RetentionStatus(r.prunedThrough(), r.lastPruneTime(), r.lastResult(), r.lastJobName(), r.retainedCount(), r.retained(),
        r.deletedCount(), r.deleted(), r.failures(), r.nextAttemptTime(), message);
  }

  /** The wait before attempt {@code failures + 1}: the base delay doubled per failure in a row, capped. */
  Duration backoff(int failures) {
    Duration delay = properties.schedules().pruneRetryDelay();
    Duration max = properties.schedules().pruneRetryMaxDelay();
    for (int i = 1; i < failures && delay.compareTo(max) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(max) > 0 ? max : delay;
  }
}
