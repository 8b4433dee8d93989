package coffee.acupof.datamover.phase;

import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.api.Phase;
import coffee.acupof.datamover.cluster.ChildNames;
import coffee.acupof.datamover.cluster.ClusterException;
import coffee.acupof.datamover.cluster.ClusterOperations;
import coffee.acupof.datamover.cluster.ClusterView;
import coffee.acupof.datamover.cluster.Ownership;
import coffee.acupof.datamover.config.DataMoverProperties;
import coffee.acupof.datamover.mover.MoverJobBuilder;
import coffee.acupof.datamover.mover.MoverJobState;
import coffee.acupof.datamover.mover.MoverResult;
import coffee.acupof.datamover.runtime.phase.Transition;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import java.time.Duration;
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
  public static final String ATTEMPT_FAILED = "MoverAttemptFailed";

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
    Optional<V1Job> job = cluster.job(run.namespace(), jobName);
    if (job.isEmpty()) {
      return createJob(run, jobName);
    }
    if (!Ownership.isOwnedBy(job.get().getMetadata(), run.dataMover())) {
      return Transition.fail(Phase.FAILED, 
          "MoverJobConflict", "Job " + jobName + " already exists and does not belong to this DataMover; delete it or use another DataMover name");
    }
    MoverJobState state = MoverJobState.of(job.get(), cluster.podsOfJob(run.namespace(), jobName));
    if ((state.succeeded() || state.failed()) && !state.podsCaughtUp() && withinResultGrace(state, run)) {
      // Job and Pod informers are separate watches: the Job can be seen finished before the pod
      // holding the mover's result. The pod's update wakes this run; the delay is a backstop.
      return Transition.stay(Phase.CREATING_POD, run.status().reason(), run.status().message())
          .requeueAfter(Duration.ofSeconds(2));
    }
    if (state.succeeded()) {
      return succeeded(run, state);
    }
    if (state.failed()) {
      String mover = state.lastFailureMessage().map(m -> ": " + m).orElse("");
      return Transition.fail(Phase.FAILED, 
              state.failureReason(),
              "mover Job " + jobName + " failed after " + plural(state.attempts(), "attempt") + " (" + state.failureReason() + ")" + mover)
          .with(b -> b.attempts(state.attempts()).jobName(jobName));
    }
    return running(run, jobName, state);
  }

  /** How long a finished Job's result may take to show up in the pod cache before the run moves on without it. */
  static final Duration RESULT_GRACE = Duration.ofSeconds(30);

  private static boolean withinResultGrace(MoverJobState state, Run run) {
    return state.finishedAt().map(t -> Duration.between(t, run.now()).compareTo(RESULT_GRACE) < 0).orElse(false);
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
    return Transition.stay(
            Phase.CREATING_POD,
            "MoverJobCreated",
            "Created mover Job " + jobName + " (up to " + plural(properties.mover().attempts(), "attempt") + ")")
        .with(b -> b.jobName(jobName))
        .requeueAfter(properties.deadlines().cloneBind());
  }

  private Transition<DataMoverStatus.Builder> succeeded(Run run, MoverJobState state) {
    Optional<MoverResult> result = state.successResult();
    Phase next = run.spec().deleteCloneAfterBackup() ? Phase.CLEANING_UP : Phase.COMPLETED;
    String where = result.map(MoverResult::destination).filter(d -> d != null && !d.isBlank()).map(d -> " to " + d).orElse("");
    String counts =
        result.map(r -> " (" + plural(orZero(r.files()), "file") + ", " + orZero(r.bytes()) + " bytes)").orElse("");
    String message = "Backup written" + where + counts + " after " + plural(state.attempts(), "attempt");
    return Transition.to(next, "MoverSucceeded", message)
        .with(
            b -> {
              b.attempts(state.attempts()).jobName(state.jobName());
              result.ifPresent(
                  r -> b.destination(r.destination()).bytesTransferred(r.bytes()).filesTransferred(r.files()).pointInTime(r.pointInTime()));
              return b;
            });
  }

  private Transition<DataMoverStatus.Builder> running(Run run, String jobName, MoverJobState state) {
    Duration cloneBind = properties.deadlines().cloneBind();
    Duration total = properties.mover().activeDeadline().plus(properties.deadlines().moverGrace());
    boolean waitingForVolume = !state.anyPodStarted() && !cloneBound(run);
    if (waitingForVolume && run.timeInPhase().compareTo(cloneBind) >= 0) {
      String clone = ChildNames.clonePvc(run.name());
      return Transition.fail(Phase.FAILED, 
          "ClonePVCNotBound",
          "clone " + clone + " is still not bound after " + ValidateHandler.human(cloneBind)
              + " and no mover pod could start; check that the storage class supports CSI volume cloning (kubectl describe pvc " + clone + ")");
    }
    if (run.timeInPhase().compareTo(total) >= 0) {
      return Transition.fail(Phase.FAILED, 
          "MoverTimedOut", "mover Job " + jobName + " reported no result within " + ValidateHandler.human(total) + "; check the Job controller and the pod events");
    }
    int max = properties.mover().attempts();
    Optional<String> lastFailure = state.lastFailureMessage();
    String reason;
    String message;
    if (state.attempts() == 0) {
      reason = "MoverRunning";
      message = "Waiting for the mover pod of Job " + jobName + (waitingForVolume ? " (clone not bound yet)" : "");
    } else if (!state.podActive() && lastFailure.isPresent()) {
      reason = ATTEMPT_FAILED;
      message = "Mover attempt " + state.attempts() + " of " + max + " failed, the next one starts after a back-off: " + lastFailure.get();
    } else {
      reason = "MoverRunning";
      message = "Mover Job " + jobName + " running, attempt " + state.attempts() + " of " + max
          + lastFailure.map(m -> "; previous attempt failed: " + m).orElse("");
    }
    Duration next = waitingForVolume ? min(run.remaining(cloneBind), run.remaining(total)) : run.remaining(total);
    Transition<DataMoverStatus.Builder> stay =
        Transition.stay(Phase.CREATING_POD, reason, message)
            .with(b -> b.attempts(state.attempts()).jobName(jobName))
            .requeueAfter(next);
    return ATTEMPT_FAILED.equals(reason) ? stay.warning() : stay;
  }

  private boolean cloneBound(Run run) {
    return cluster
        .pvc(run.namespace(), ChildNames.clonePvc(run.name()))
        .map(V1PersistentVolumeClaim::getStatus)
        .map(s -> "Bound".equals(s.getPhase()))
        .orElse(false);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }

  static String plural(long count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }
}
