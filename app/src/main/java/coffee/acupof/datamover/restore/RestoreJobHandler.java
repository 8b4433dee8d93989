package coffee.acupof.datamover.restore;

import coffee.acupof.datamover.api.DataMoverRestoreStatus;
import coffee.acupof.datamover.api.RestorePhase;
import coffee.acupof.datamover.cluster.ChildNames;
import coffee.acupof.datamover.cluster.ClusterException;
import coffee.acupof.datamover.cluster.ClusterOperations;
import coffee.acupof.datamover.cluster.ClusterView;
import coffee.acupof.datamover.config.DataMoverProperties;
import coffee.acupof.datamover.mover.MoverJobDeadlines;
import coffee.acupof.datamover.mover.MoverJobProgress;
import coffee.acupof.datamover.mover.MoverResult;
import coffee.acupof.datamover.runtime.CoreKinds;
import coffee.acupof.datamover.runtime.Durations;
import coffee.acupof.datamover.runtime.Notice;
import coffee.acupof.datamover.runtime.phase.RunPhase;
import coffee.acupof.datamover.runtime.phase.Transition;
import coffee.acupof.datamover.volume.VolumeBinding;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Phase {@code Restoring}: creates the restore's mover Job on the claim to fill and follows it as a
 * backup's Job is followed ({@link MoverJobProgress}). The mover restores only complete backups of
 * the source (or, when allowed, a named unmarked folder), refuses a target that holds files unless
 * {@code overwrite}, and verifies every file; its exit codes for refusals fail the Job at once. A
 * populator's user PVC deleted meanwhile ends the restore and removes what it created. As for a
 * backup, the Job's creation records an Event only and its normal progress writes nothing; Warnings
 * (a failed attempt, a pod that cannot be scheduled, a PVC not bound after half its time) are written.
 */
@Component
public class RestoreJobHandler implements RestorePhaseHandler {
  /** Reason of the Event recorded when the Job is created (the status does not change: it named the Job already). */
  public static final String JOB_CREATED = "RestoreJobCreated";

  private final ClusterView cluster;
  private final ClusterOperations operations;
  private final DataMoverProperties properties;
  private final RestoreCleanup cleanup;
  private final RestoreOrigins origins;

  public RestoreJobHandler(
      ClusterView cluster, ClusterOperations operations, DataMoverProperties properties, RestoreCleanup cleanup, RestoreOrigins origins) {
    this.cluster = cluster;
    this.operations = operations;
    this.properties = properties;
    this.cleanup = cleanup;
    this.origins = origins;
  }

  @Override
  public RunPhase<DataMoverRestoreStatus.Builder> phase() {
    return RestorePhase.RESTORING;
  }

  @Override
  public Transition<DataMoverRestoreStatus.Builder> handle(RestoreRun run) {
    Optional<V1PersistentVolumeClaim> consumer = Optional.empty();
    if (run.spec().isPopulator()) {
      consumer = cluster.pvc(run.namespace(), run.targetPvc()).filter(p -> p.getMetadata().getDeletionTimestamp() == null);
      if (consumer.isEmpty()) {
        return cleanup.targetDeleted(run);
      }
    }
    boolean claimBound = claimBound(run);
    MoverJobProgress progress =
        MoverJobProgress.of(
            run.jobName(),
            cluster.job(run.namespace(), run.jobName()),
            cluster.podsOfJob(run.namespace(), run.jobName()),
            run.restore(),
            run.now(),
            properties.mover().attempts(),
            claimBound ? "" : " (PVC " + run.restoreClaim() + " not bound yet)");
    Transition<DataMoverRestoreStatus.Builder> next = switch (progress) {
      case MoverJobProgress.NotCreated n -> createJob(run);
      case MoverJobProgress.Foreign f -> Transition.fail(RestorePhase.FAILED, "RestoreJobConflict", f.message());
      case MoverJobProgress.AwaitingResult a -> Transition.<DataMoverRestoreStatus.Builder>keep(RestorePhase.RESTORING, run.status())
          .requeueAfter(a.recheckAfter());
      case MoverJobProgress.Succeeded ok -> succeeded(run, ok);
      case MoverJobProgress.Failed failed ->
          Transition.<DataMoverRestoreStatus.Builder>fail(RestorePhase.FAILED, failed.reason(), failed.message() + hint(failed.message()))
              .with(b -> b.attempts(failed.attempts()).jobName(run.jobName()));
      case MoverJobProgress.Running r -> running(run, r, claimBound);
    };
    return consumer.map(c -> next.alsoOn(c, CoreKinds.PVCS)).orElse(next);
  }

  /** The mover speaks in its own variables; say which field of the restore changes them. */
  private static String hint(String moverMessage) {
    if (moverMessage.contains("MOVER_ALLOW_NONEMPTY_TARGET")) {
      return " (with a DataMoverRestore: set spec.overwrite: true)";
    }
    return "";
  }

  private Transition<DataMoverRestoreStatus.Builder> createJob(RestoreRun run) {
    if (cluster.pvc(run.namespace(), run.restoreClaim()).isEmpty()) {
      return Transition.fail(RestorePhase.FAILED, "TargetPVCLost", "PVC " + run.restoreClaim() + " was deleted before the restore ran");
    }
    boolean created;
    try {
      Optional<RestoreOrigin> origin = origins.of(run);
      if (origin.isEmpty()) {
        return Transition.fail(RestorePhase.FAILED, "ScheduleNotFound",
            "DataMoverSchedule " + run.spec().scheduleName() + " was deleted before the restore ran; its backups are still there: name their source and Secret instead");
      }
      created = operations.createJob(RestoreJobBuilder.build(run.restore(), origin.get(), run.restoreClaim(), properties.mover()));
    } catch (ClusterException e) {
      if (e.isPermanent()) {
        return Transition.fail(RestorePhase.FAILED, "RestoreJobRejected", "the API server refused Job " + run.jobName() + ": " + e.getMessage());
      }
      throw e;
    }
    // The status named the Job when the phase began; the Event says it exists now.
    Transition<DataMoverRestoreStatus.Builder> started = Transition.keep(RestorePhase.RESTORING, run.status())
        .with(b -> b.jobName(run.jobName()))
        .requeueAfter(MoverJobDeadlines.of(properties).recheckAfter(run, false, false));
    return !created ? started : started.recording(Notice.normal(
        JOB_CREATED,
        "Created restore Job " + run.jobName() + " for the " + run.spec().pointInTimeOrLatest() + " backup"
            + " (up to " + MoverJobProgress.plural(properties.mover().attempts(), "attempt") + ")"));
  }

  private Transition<DataMoverRestoreStatus.Builder> succeeded(RestoreRun run, MoverJobProgress.Succeeded ok) {
    Optional<MoverResult> result = ok.result();
    String from = result.map(MoverResult::destination).filter(d -> d != null && !d.isBlank()).orElse("the backup");
    String counts = result.map(r -> " (" + MoverJobProgress.plural(orZero(r.files()), "file") + ", " + orZero(r.bytes()) + " bytes)").orElse("");
    RestorePhase next = run.spec().isPopulator() ? RestorePhase.BINDING : run.afterDataIsIn();
    String message = "Restored " + from + counts + " into PVC " + run.restoreClaim()
        + (run.spec().isPopulator() ? "; handing its volume to PVC " + run.targetPvc()
            : next == RestorePhase.CREATING_SNAPSHOT ? "; taking VolumeSnapshot " + ChildNames.snapshot(run.name()) + " of it" : "");
    boolean verified = !Boolean.TRUE.equals(run.spec().allowUnverifiedBackup());
    Transition<DataMoverRestoreStatus.Builder> done =
        Transition.<DataMoverRestoreStatus.Builder>to(next, "RestoreSucceeded", message)
            .with(b -> {
              b.attempts(ok.attempts()).jobName(run.jobName()).verified(verified);
              result.ifPresent(r -> b.source(r.destination()).pointInTime(r.pointInTime()).bytesTransferred(r.bytes()).filesTransferred(r.files()));
              return b;
            });
    return verified ? done : done.warning();
  }

  private Transition<DataMoverRestoreStatus.Builder> running(RestoreRun run, MoverJobProgress.Running r, boolean claimBound) {
    MoverJobDeadlines deadlines = MoverJobDeadlines.of(properties);
    boolean waitingForVolume = !r.podStarted() && !claimBound;
    Optional<MoverJobDeadlines.Exceeded> exceeded = deadlines.exceeded(run, waitingForVolume);
    if (exceeded.isPresent()) {
      return switch (exceeded.get()) {
        case VOLUME_NOT_BOUND -> Transition.fail(
            RestorePhase.FAILED,
            "TargetPVCNotBound",
            "PVC " + run.restoreClaim() + " is still not bound after " + Durations.human(deadlines.bind())
                + " and no restore pod could start; check its storage class (kubectl describe pvc " + run.restoreClaim() + ")");
        case NO_RESULT -> Transition.fail(
            RestorePhase.FAILED,
            "RestoreTimedOut",
            "restore Job " + run.jobName() + " reported no result within " + Durations.human(deadlines.total())
                + "; check the Job controller and the pod events");
      };
    }
    MoverJobProgress.Running shown = r.podStarted() ? r : r.beforeStart(deadlines.startLate(run), claimBound,
        "Restore Job " + run.jobName() + " waits for PVC " + run.restoreClaim() + ", still not bound after " + Durations.human(deadlines.startWarning())
            + "; check its storage class (kubectl describe pvc " + run.restoreClaim() + "); the restore fails if it is not bound within "
            + Durations.human(deadlines.bind()));
    return shown.transition(
        RestorePhase.RESTORING, run.status(), b -> b.attempts(shown.attempts()).jobName(run.jobName()), deadlines.recheckAfter(run, r.podStarted(), claimBound));
  }

  private boolean claimBound(RestoreRun run) {
    return cluster.pvc(run.namespace(), run.restoreClaim()).map(VolumeBinding::bound).orElse(false);
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }
}
