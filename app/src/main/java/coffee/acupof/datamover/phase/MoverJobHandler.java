package coffee.acupof.datamover.phase;

import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.api.Phase;
import coffee.acupof.datamover.cluster.ChildNames;
import coffee.acupof.datamover.cluster.ClusterException;
import coffee.acupof.datamover.cluster.ClusterOperations;
import coffee.acupof.datamover.cluster.ClusterView;
import coffee.acupof.datamover.config.DataMoverProperties;
import coffee.acupof.datamover.mover.MoverJobBuilder;
import coffee.acupof.datamover.mover.MoverJobDeadlines;
import coffee.acupof.datamover.mover.MoverJobProgress;
import coffee.acupof.datamover.mover.MoverResult;
import coffee.acupof.datamover.runtime.Durations;
import coffee.acupof.datamover.runtime.phase.Transition;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Phase {@code CreatingPod}: creates the mover Job and follows it. The run fails only when the Job
 * has failed for good (attempts exhausted, deadline, or a permanent error the mover reported); a
 * failed attempt followed by a successful one completes. Two deadlines guard against a run that
 * never starts: a clone that stays unbound while no pod runs, and a Job that never reports an end.
 */
@Component
public class MoverJobHandler implements DataMoverPhaseHandler {
  /** Reason after a failed attempt while another one remains (a Warning Event with the mover's message). */
  public static final String ATTEMPT_FAILED = MoverJobProgress.ATTEMPT_FAILED;

  private final ClusterView cluster;
  private final ClusterOperations operations;
  private final DataMoverProperties properties;

  public MoverJobHandler(ClusterView cluster, ClusterOperations operations, DataMoverProperties properties) {
    this.cluster = cluster;
    this.operations = operations;
    this.properties = properties;
  }

  @Override
  public Phase phase() {
    return Phase.CREATING_POD;
  }

  @Override
  public Transition<DataMoverStatus.Builder> handle(Run run) {
    String jobName = ChildNames.moverJob(run.name());
    boolean cloneBound = cloneBound(run);
    MoverJobProgress progress =
        MoverJobProgress.of(
            jobName,
            cluster.job(run.namespace(), jobName),
            cluster.podsOfJob(run.namespace(), jobName),
            run.dataMover(),
            run.now(),
            properties.mover().attempts(),
            cloneBound ? "" : " (clone not bound yet)");
    return switch (progress) {
      case MoverJobProgress.NotCreated n -> createJob(run, jobName);
      case MoverJobProgress.Foreign f -> Transition.fail(Phase.FAILED, "MoverJobConflict", f.message());
      case MoverJobProgress.AwaitingResult a ->
          Transition.<DataMoverStatus.Builder>stay(Phase.CREATING_POD, run.status().reason(), run.status().message())
              .requeueAfter(a.recheckAfter());
      case MoverJobProgress.Succeeded ok -> succeeded(run, jobName, ok);
      case MoverJobProgress.Failed failed ->
          Transition.<DataMoverStatus.Builder>fail(Phase.FAILED, failed.reason(), failed.message())
              .with(b -> b.attempts(failed.attempts()).jobName(jobName));
      case MoverJobProgress.Running r -> running(run, jobName, r, cloneBound);
    };
  }

  private Transition<DataMoverStatus.Builder> createJob(Run run, String jobName) {
    String cloneName = ChildNames.clonePvc(run.name());
    if (cluster.pvc(run.namespace(), cloneName).isEmpty()) {
      return Transition.fail(Phase.FAILED, "ClonePVCLost", "clone " + cloneName + " was deleted before the mover ran");
    }
    try {
      operations.createJob(MoverJobBuilder.build(run.dataMover(), properties.mover()));
    } catch (ClusterException e) {
      if (e.isPermanent()) {
        return Transition.fail(Phase.FAILED, "MoverJobRejected", "the API server refused Job " + jobName + ": " + e.getMessage());
      }
      throw e;
    }
    return Transition.<DataMoverStatus.Builder>stay(
            Phase.CREATING_POD,
            "MoverJobCreated",
            "Created mover Job " + jobName + " (up to " + plural(properties.mover().attempts(), "attempt") + ")")
        .with(b -> b.jobName(jobName))
        .requeueAfter(properties.deadlines().cloneBind());
  }

  private Transition<DataMoverStatus.Builder> succeeded(Run run, String jobName, MoverJobProgress.Succeeded ok) {
    Optional<MoverResult> result = ok.result();
    Phase next = run.spec().deleteCloneAfterBackup() ? Phase.CLEANING_UP : Phase.COMPLETED;
    String where = result.map(MoverResult::destination).filter(d -> d != null && !d.isBlank()).map(d -> " to " + d).orElse("");
    String counts =
        result.map(r -> " (" + plural(orZero(r.files()), "file") + ", " + orZero(r.bytes()) + " bytes)").orElse("");
    String message = "Backup written" + where + counts + " after " + plural(ok.attempts(), "attempt");
    return Transition.<DataMoverStatus.Builder>to(next, "MoverSucceeded", message)
        .with(
            b -> {
              b.attempts(ok.attempts()).jobName(jobName);
              result.ifPresent(
                  r -> b.destination(r.destination()).bytesTransferred(r.bytes()).filesTransferred(r.files()).pointInTime(r.pointInTime()));
              return b;
            });
  }

  private Transition<DataMoverStatus.Builder> running(Run run, String jobName, MoverJobProgress.Running r, boolean cloneBound) {
    MoverJobDeadlines deadlines = MoverJobDeadlines.of(properties);
    boolean waitingForVolume = !r.podStarted() && !cloneBound;
    Optional<MoverJobDeadlines.Exceeded> exceeded = deadlines.exceeded(run, waitingForVolume);
    if (exceeded.isPresent()) {
      String clone = ChildNames.clonePvc(run.name());
      return switch (exceeded.get()) {
        case VOLUME_NOT_BOUND -> Transition.fail(
            Phase.FAILED,
            "ClonePVCNotBound",
            "clone " + clone + " is still not bound after " + Durations.human(deadlines.bind())
                + " and no mover pod could start; check that the storage class supports CSI volume cloning (kubectl describe pvc " + clone + ")");
        case NO_RESULT -> Transition.fail(
            Phase.FAILED,
            "MoverTimedOut",
            "mover Job " + jobName + " reported no result within " + Durations.human(deadlines.total())
                + "; check the Job controller and the pod events");
      };
    }
    Transition<DataMoverStatus.Builder> stay =
        Transition.<DataMoverStatus.Builder>stay(Phase.CREATING_POD, r.reason(), r.message())
            .with(b -> b.attempts(r.attempts()).jobName(jobName))
            .requeueAfter(deadlines.recheckAfter(run, waitingForVolume));
    return r.attemptFailed() ? stay.warning() : stay;
  }

  private boolean cloneBound(Run run) {
    return cluster
        .pvc(run.namespace(), ChildNames.clonePvc(run.name()))
        .map(V1PersistentVolumeClaim::getStatus)
        .map(s -> "Bound".equals(s.getPhase()))
        .orElse(false);
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }

  static String plural(long count, String noun) {
    return MoverJobProgress.plural(count, noun);
  }
}
