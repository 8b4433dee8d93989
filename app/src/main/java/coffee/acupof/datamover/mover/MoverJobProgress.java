package coffee.acupof.datamover.mover;

import coffee.acupof.datamover.cluster.Ownership;
import coffee.acupof.datamover.runtime.phase.RunPhase;
import coffee.acupof.datamover.runtime.phase.RunStatus;
import coffee.acupof.datamover.runtime.phase.Transition;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1Pod;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Where a run's mover Job stands, as its Job and pods in the cache say — the same reading for every
 * kind that runs the mover (backup, restore, prune). The run fails only when the Job has failed for
 * good (attempts exhausted, deadline, or a permanent error the mover reported); a failed attempt
 * followed by a successful one succeeds.
 */
public sealed interface MoverJobProgress {
  /** How long a finished Job's result may take to show up in the pod cache before the run moves on without it. */
  Duration RESULT_GRACE = Duration.ofSeconds(30);

  /** No Job of that name exists yet. */
  record NotCreated() implements MoverJobProgress {}

  /** A Job of that name exists and belongs to another object. */
  record Foreign(String message) implements MoverJobProgress {}

  /**
   * The Job is finished but the pod holding the mover's result is not in the cache yet (Job and Pod
   * informers are separate watches); the pod's update wakes the run, the delay is a backstop.
   */
  record AwaitingResult(Duration recheckAfter) implements MoverJobProgress {}

  /** The mover succeeded; its result, when the pod's termination message has one. */
  record Succeeded(int attempts, Optional<MoverResult> result) implements MoverJobProgress {}

  /** The Job failed for good: {@code reason} is Kubernetes' (BackoffLimitExceeded, …), the message ends with the mover's. */
  record Failed(int attempts, String reason, String message) implements MoverJobProgress {}

  /**
   * The Job runs (or waits for its next attempt). {@code warning}: something the user should look at
   * (the last attempt failed and another one starts after a back-off, the pod cannot be scheduled, the
   * volume is not bound for long); {@code podStarted}: some pod ran.
   */
  record Running(int attempts, String reason, String message, boolean warning, boolean podStarted) implements MoverJobProgress {

    /**
     * This state while no mover pod has started. The scheduler's complaint about the pod is expected
     * for a while (it waits for its volume to bind: "unbound immediate PersistentVolumeClaims", and its
     * condition lags behind the binding), so it becomes a Warning only once the start is {@code late};
     * a late start with an unbound volume and no other Warning is one that says {@code notBound} (which
     * volume, what to check).
     */
    public Running beforeStart(boolean late, boolean volumeBound, String notBound) {
      if (!late) {
        return UNSCHEDULABLE.equals(reason) ? new Running(attempts, RUNNING, message, false, podStarted) : this;
      }
      return warning || volumeBound ? this : new Running(attempts, WAITING_FOR_VOLUME, notBound, true, podStarted);
    }

    /**
     * The transition of a run in {@code current} whose status shows {@code shown}: this state when the
     * status must say it — a Warning, or the running state that ends the Warning the status shows — with
     * the kind's {@code fields} (attempts, Job name); else the status as it is, since normal progress (a
     * pod pending, then running) is not written. Either way looked at again after {@code recheck}.
     */
    public <B> Transition<B> transition(RunPhase<B> current, RunStatus<?> shown, UnaryOperator<B> fields, Duration recheck) {
      boolean endsWarning = Set.of(ATTEMPT_FAILED, UNSCHEDULABLE, WAITING_FOR_VOLUME).contains(String.valueOf(shown.reason()));
      if (!warning && !endsWarning) {
        return Transition.keep(current, shown).requeueAfter(recheck);
      }
      Transition<B> stay = Transition.stay(current, reason, message).with(fields).requeueAfter(recheck);
      return warning ? stay.warning() : stay;
    }
  }

  /** Reason of a running attempt (written when it ends a Warning). */
  String RUNNING = "MoverRunning";
  /** Reason after a failed attempt while another one remains. */
  String ATTEMPT_FAILED = "MoverAttemptFailed";
  /** Reason while the mover pod cannot be scheduled (the scheduler's message follows). */
  String UNSCHEDULABLE = "MoverPodUnschedulable";
  /** Reason while the volume the mover mounts is still not bound after half of its time to bind. */
  String WAITING_FOR_VOLUME = "MoverWaitingForVolume";

  /**
   * @param job the Job under the run's deterministic name, if any
   * @param pods the pods of that Job
   * @param owner the run that should own the Job
   * @param maxAttempts attempts the Job allows
   * @param waitingNote appended to the message while no pod has started (e.g. " (clone not bound yet)")
   */
  static MoverJobProgress of(
      String jobName, Optional<V1Job> job, List<V1Pod> pods, KubernetesObject owner, OffsetDateTime now, int maxAttempts, String waitingNote) {
    if (job.isEmpty()) {
      return new NotCreated();
    }
    if (!Ownership.isOwnedBy(job.get().getMetadata(), owner)) {
      return new Foreign("Job " + jobName + " already exists and does not belong to this " + owner.getKind()
          + "; delete it or use another " + owner.getKind() + " name");
    }
    MoverJobState state = MoverJobState.of(job.get(), pods);
    boolean finished = state.succeeded() || state.failed();
    boolean withinGrace = state.finishedAt().map(t -> Duration.between(t, now).compareTo(RESULT_GRACE) < 0).orElse(false);
    if (finished && !state.podsCaughtUp() && withinGrace) {
      return new AwaitingResult(Duration.ofSeconds(2));
    }
    if (state.succeeded()) {
      return new Succeeded(state.attempts(), state.successResult());
    }
    if (state.failed()) {
      String mover = state.lastFailureMessage().map(m -> ": " + m).orElse("");
      return new Failed(
          state.attempts(),
          state.failureReason(),
          "mover Job " + jobName + " failed after " + plural(state.attempts(), "attempt") + " (" + state.failureReason() + ")" + mover);
    }
    Optional<String> lastFailure = state.lastFailureMessage();
    if (state.attempts() == 0) {
      return new Running(0, RUNNING, "Waiting for the mover pod of Job " + jobName + waitingNote, false, state.anyPodStarted());
    }
    if (!state.podActive() && lastFailure.isPresent()) {
      return new Running(
          state.attempts(),
          ATTEMPT_FAILED,
          "Mover attempt " + state.attempts() + " of " + maxAttempts + " failed, the next one starts after a back-off: " + lastFailure.get(),
          true,
          state.anyPodStarted());
    }
    Optional<String> unschedulable = state.unschedulable();
    if (!state.podRunning() && unschedulable.isPresent()) {
      return new Running(
          state.attempts(),
          UNSCHEDULABLE,
          "The mover pod of Job " + jobName + " cannot be scheduled, attempt " + state.attempts() + " of " + maxAttempts + ": " + unschedulable.get(),
          true,
          state.anyPodStarted());
    }
    String what = state.podRunning() ? " running, attempt " : " waiting for its pod to start, attempt ";
    return new Running(
        state.attempts(),
        RUNNING,
        "Mover Job " + jobName + what + state.attempts() + " of " + maxAttempts
            + lastFailure.map(m -> "; previous attempt failed: " + m).orElse(""),
        false,
        state.anyPodStarted());
  }

  /** {@code 1 file}, {@code 2 files}. */
  static String plural(long count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }
}
