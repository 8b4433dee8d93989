package coffee.acupof.datamover.config;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Operator settings under {@code datamover.*}; every one is documented in docs/configuration.md.
 *
 * @param kubeconfig path of a kubeconfig file; empty means the standard lookup (KUBECONFIG, ~/.kube/config, in-cluster)
 * @param watchNamespace the one namespace whose DataMovers this operator serves; empty means all namespaces
 * @param workers number of reconcile workers
 * @param mover defaults of the mover Job
 * @param deadlines how long each waiting step may take before the run is Failed
 * @param queue work-queue retry backoff and overall rate limit
 * @param leaderElection the Lease that keeps one active replica
 * @param schedules how schedules run retention
 */
@ConfigurationProperties("datamover")
public record DataMoverProperties(
    String kubeconfig,
    String watchNamespace,
    Integer workers,
    Mover mover,
    Deadlines deadlines,
    Queue queue,
    LeaderElection leaderElection,
    Schedules schedules) {

  public DataMoverProperties {
    kubeconfig = kubeconfig == null ? "" : kubeconfig;
    watchNamespace = watchNamespace == null ? "" : watchNamespace;
    workers = workers == null ? 2 : workers;
    mover = mover == null ? new Mover(null, null, null, null, null, null, null, null, null, null) : mover;
    deadlines = deadlines == null ? new Deadlines(null, null, null) : deadlines;
    queue = queue == null ? new Queue(null, null, null) : queue;
    leaderElection = leaderElection == null ? new LeaderElection(null, null, null, null, null, null) : leaderElection;
    schedules = schedules == null ? new Schedules(null, null, null) : schedules;
  }

  /**
   * @param image default mover image ({@code repository:tag}); a DataMover's {@code spec.image} overrides it
   * @param pullPolicy default image pull policy
   * @param attempts how many times a failing mover pod is started before the run is Failed
   * @param activeDeadline how long one mover Job may run in total (all attempts), then it is Failed
   * @param runAsUser uid (and gid, fsGroup) of the mover pod; the image's user by default
   * @param requests resource requests of the mover container
   * @param limits resource limits of the mover container
   * @param serviceAccountName service account of mover pods; empty means the namespace default
   * @param maxRunning at most this many mover Jobs run at once in all namespaces (0 = no cap); more wait in phase Pending
   * @param maxRunningPerNamespace at most this many in one namespace (0 = no cap)
   */
  public record Mover(
      String image,
      String pullPolicy,
      Integer attempts,
      Duration activeDeadline,
      Long runAsUser,
      Map<String, String> requests,
      Map<String, String> limits,
      String serviceAccountName,
      Integer maxRunning,
      Integer maxRunningPerNamespace) {
    public Mover {
      image = image == null ? "datamover/rclone-mover:0.1.0" : image;
      pullPolicy = pullPolicy == null ? "IfNotPresent" : pullPolicy;
      attempts = attempts == null ? 3 : attempts;
      activeDeadline = activeDeadline == null ? Duration.ofHours(6) : activeDeadline;
      runAsUser = runAsUser == null ? 65532L : runAsUser;
      requests = requests == null ? Map.of("cpu", "100m", "memory", "128Mi") : requests;
      limits = limits == null ? Map.of("memory", "1Gi") : limits;
      serviceAccountName = serviceAccountName == null ? "" : serviceAccountName;
      maxRunning = maxRunning == null ? 0 : maxRunning;
      maxRunningPerNamespace = maxRunningPerNamespace == null ? 0 : maxRunningPerNamespace;
    }
  }

  /**
   * @param validation how long a run waits for its source PVC and Secret to exist
   * @param cloneBind how long the clone may stay unbound while no mover pod runs
   * @param moverGrace extra time after the Job's active deadline before the operator gives up on a
   *     Job that never reports an end (e.g. no Job controller)
   */
  public record Deadlines(Duration validation, Duration cloneBind, Duration moverGrace) {
    public Deadlines {
      validation = validation == null ? Duration.ofMinutes(10) : validation;
      cloneBind = cloneBind == null ? Duration.ofMinutes(30) : cloneBind;
      moverGrace = moverGrace == null ? Duration.ofMinutes(10) : moverGrace;
    }
  }

  /**
   * @param baseDelay first retry delay of a failing item (doubles each failure)
   * @param maxDelay longest retry delay of a failing item
   * @param qps overall reconcile rate limit (token bucket refill per second)
   */
  public record Queue(Duration baseDelay, Duration maxDelay, Integer qps) {
    public Queue {
      baseDelay = baseDelay == null ? Duration.ofMillis(500) : baseDelay;
      maxDelay = maxDelay == null ? Duration.ofMinutes(5) : maxDelay;
      qps = qps == null ? 20 : qps;
    }
  }

  /**
   * @param enabled whether to elect a leader (off only for local experiments)
   * @param namespace namespace of the Lease; defaults to the pod's namespace, else "default"
   * @param leaseName name of the Lease object
   * @param leaseDuration how long a lease is valid without renewal
   * @param renewDeadline how long the leader keeps trying to renew before it gives up
   * @param retryPeriod interval between acquire/renew attempts
   */
  public record LeaderElection(
      Boolean enabled,
      String namespace,
      String leaseName,
      Duration leaseDuration,
      Duration renewDeadline,
      Duration retryPeriod) {
    public LeaderElection {
      enabled = enabled == null ? Boolean.TRUE : enabled;
      namespace = namespace == null ? "" : namespace;
      leaseName = leaseName == null ? "datamover-operator-leader" : leaseName;
      leaseDuration = leaseDuration == null ? Duration.ofSeconds(15) : leaseDuration;
      renewDeadline = renewDeadline == null ? Duration.ofSeconds(10) : renewDeadline;
      retryPeriod = retryPeriod == null ? Duration.ofSeconds(2) : retryPeriod;
    }
  }

  /**
   * @param pruneDeadline how long one retention (prune) Job may run
   * @param pruneRetryDelay wait before retrying a failed prune (doubles with each failure in a row)
   * @param pruneRetryMaxDelay longest wait between prune retries
   */
  public record Schedules(Duration pruneDeadline, Duration pruneRetryDelay, Duration pruneRetryMaxDelay) {
    public Schedules {
      pruneDeadline = pruneDeadline == null ? Duration.ofHours(1) : pruneDeadline;
      pruneRetryDelay = pruneRetryDelay == null ? Duration.ofMinutes(5) : pruneRetryDelay;
      pruneRetryMaxDelay = pruneRetryMaxDelay == null ? Duration.ofHours(6) : pruneRetryMaxDelay;
    }
  }
}
