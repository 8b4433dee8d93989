package coffee.acupof.datamover.mover;

import io.kubernetes.client.openapi.models.V1ContainerStateTerminated;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobCondition;
import io.kubernetes.client.openapi.models.V1JobStatus;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** What a mover Job and its pods say about the run: finished or not, attempts, the mover's words. */
public record MoverJobState(String jobName, V1JobStatus status, List<V1Pod> pods) {

  public static MoverJobState of(V1Job job, List<V1Pod> pods) {
    V1JobStatus status = job.getStatus() == null ? new V1JobStatus() : job.getStatus();
    List<V1Pod> sorted =
        pods.stream()
            .sorted(Comparator.comparing(p -> Optional.ofNullable(p.getMetadata().getCreationTimestamp()).orElse(OffsetDateTime.MIN)))
            .toList();
    return new MoverJobState(job.getMetadata().getName(), status, sorted);
  }

  /** Whether the Job has finished, Complete or Failed (whatever its pods say). */
  public static boolean finished(V1Job job) {
    MoverJobState state = of(job, List.of());
    return state.succeeded() || state.failed();
  }

  /**
   * The Job succeeded: {@code Complete}, or already {@code SuccessCriteriaMet}, which the Job controller
   * writes first and which always ends in {@code Complete}.
   */
  public boolean succeeded() {
    return finalCondition(true).isPresent();
  }

  /**
   * The Job failed for good: {@code Failed}, or already {@code FailureTarget}, which the Job controller
   * writes first (while it waits for the last pods to end) and which always ends in {@code Failed}.
   */
  public boolean failed() {
    return finalCondition(false).isPresent();
  }

  private Optional<V1JobCondition> finalCondition(boolean success) {
    return success ? condition("Complete").or(() -> condition("SuccessCriteriaMet")) : condition("Failed").or(() -> condition("FailureTarget"));
  }

  /** The Job controller's reason for failing the Job, e.g. BackoffLimitExceeded or DeadlineExceeded. */
  public String failureReason() {
    return finalCondition(false).map(V1JobCondition::getReason).filter(r -> r != null && !r.isBlank()).orElse("MoverFailed");
  }

  /** Pods started so far: failed, succeeded and running ones. */
  public int attempts() {
    int counted = count(status.getFailed()) + count(status.getSucceeded()) + count(status.getActive());
    return Math.max(counted, (int) pods.stream().filter(p -> terminated(p).isPresent()).count());
  }

  /** Whether a mover pod is running or about to (the Job counts it as active). */
  public boolean podActive() {
    return count(status.getActive()) > 0;
  }

  public boolean anyPodStarted() {
    return pods.stream()
        .map(p -> p.getStatus() == null ? null : p.getStatus().getPhase())
        .anyMatch(phase -> "Running".equals(phase) || "Succeeded".equals(phase) || "Failed".equals(phase));
  }

  /** The result of the pod that succeeded, read from its termination message. */
  public Optional<MoverResult> successResult() {
    return pods.reversed().stream()
        .map(MoverJobState::terminated)
        .flatMap(Optional::stream)
        .filter(t -> t.getExitCode() != null && t.getExitCode() == 0)
        .findFirst()
        .flatMap(t -> MoverResult.parse(t.getMessage()));
  }

  /** The last failed attempt's message (the mover's result message, or its last log line). */
  public Optional<String> lastFailureMessage() {
    return pods.reversed().stream()
        .map(MoverJobState::terminated)
        .flatMap(Optional::stream)
        .filter(t -> t.getExitCode() != null && t.getExitCode() != 0)
        .findFirst()
        .map(t -> {
          String summary = MoverResult.summary(t.getMessage());
          String code = "exit code " + t.getExitCode();
          return summary.isBlank() ? code : summary + " (" + code + ")";
        });
  }

  /** When the Job reached its final condition (Complete or Failed), if it says. */
  public Optional<OffsetDateTime> finishedAt() {
    return finalCondition(succeeded()).map(V1JobCondition::getLastTransitionTime);
  }

  /** Whether a mover pod is running right now (not pending: scheduled, its volume bound, started). */
  public boolean podRunning() {
    return pods.stream().anyMatch(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()));
  }

  /**
   * The scheduler's word on the newest pod when it cannot be placed ({@code PodScheduled=False},
   * reason {@code Unschedulable}), e.g. {@code 0/3 nodes are available: 3 Insufficient memory}.
   */
  public Optional<String> unschedulable() {
    if (pods.isEmpty()) {
      return Optional.empty();
    }
    V1PodStatus newest = pods.getLast().getStatus();
    if (newest == null || newest.getConditions() == null) {
      return Optional.empty();
    }
    return newest.getConditions().stream()
        .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()) && "Unschedulable".equals(c.getReason()))
        .findFirst()
        .map(c -> c.getMessage() == null || c.getMessage().isBlank() ? "no node fits it" : c.getMessage());
  }

  /** Whether the pods in the cache show a terminated mover container for every attempt the Job counted. */
  public boolean podsCaughtUp() {
    long terminated = pods.stream().filter(p -> terminated(p).isPresent()).count();
    return terminated >= count(status.getFailed()) + count(status.getSucceeded());
  }

  private Optional<V1JobCondition> condition(String type) {
    if (status.getConditions() == null) {
      return Optional.empty();
    }
    return status.getConditions().stream()
        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
        .findFirst();
  }

  private static Optional<V1ContainerStateTerminated> terminated(V1Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getContainerStatuses().stream()
        .filter(s -> MoverContract.CONTAINER_NAME.equals(s.getName()))
        .map(V1ContainerStatus::getState)
        .filter(s -> s != null && s.getTerminated() != null)
        .map(s -> s.getTerminated())
        .findFirst();
  }

  private static int count(Integer value) {
    return value == null ? 0 : value;
  }
}
