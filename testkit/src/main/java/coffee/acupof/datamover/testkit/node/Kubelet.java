package coffee.acupof.datamover.testkit.node;

import coffee.acupof.datamover.testkit.MergePatch;
import coffee.acupof.datamover.testkit.node.ContainerRuntime.ContainerConfigException;
import coffee.acupof.datamover.testkit.node.ContainerRuntime.StartedContainer;
import coffee.acupof.datamover.testkit.storage.LocalProvisioner;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateRunning;
import io.kubernetes.client.openapi.models.V1ContainerStateTerminated;
import io.kubernetes.client.openapi.models.V1ContainerStateWaiting;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeAddress;
import io.kubernetes.client.openapi.models.V1NodeCondition;
import io.kubernetes.client.openapi.models.V1NodeStatus;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolume;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the kubelet of one node, the only part of a node that tests need: it registers the Node
 * (Ready, with allocatable resources and no taints, so the real kube-scheduler binds pods to it) and
 * runs the pods bound to it with the {@link ContainerRuntime} chosen for the pod's namespace.
 *
 * <p>For each pod it does what a kubelet does, and nothing more: it waits until the pod's PVCs are
 * bound to a volume it can mount (a {@link LocalProvisioner} directory), writes the keys of its Secret
 * and ConfigMap volumes as files with their modes ({@link KeyVolumes}), starts the first container,
 * marks the pod Running, and when the container ends writes its exit code, reason and termination
 * message and the pod's phase ({@code Succeeded} or {@code Failed}: pods of Jobs have
 * {@code restartPolicy: Never}). A running pod that is deleted (by the Job controller at its active
 * deadline, by the garbage collector, by a user) has its container stopped and is then removed.
 * Everything else — pods from a Job's template, back-off, pod failure policy, deadlines, Job
 * status — is the real Job controller's.
 *
 * <p>Pods of a namespace without a runtime (and no default one) stay Pending until one is set.
 */
public final class Kubelet implements AutoCloseable {
  /** The name of the node that {@link coffee.acupof.datamover.testkit.LocalCluster} registers. */
  public static final String DEFAULT_NODE = "local-node";

  private static final Logger LOG = LoggerFactory.getLogger(Kubelet.class);
  private static final long POLL_MILLIS = 250;
  private static final long RETRY_MILLIS = 500;
  private static final int KILLED_EXIT_CODE = 137;
  private static final String ALL_NAMESPACES = "";

  private final ApiClient client;
  private final CoreV1Api core;
  private final KeyVolumes keyVolumes;
  private final String nodeName;
  private final Path root;
  private final Map<String, ContainerRuntime> runtimes = new ConcurrentHashMap<>();
  private final Map<String, Future<?>> running = new ConcurrentHashMap<>();
  /** Pods this kubelet has run to their end: a list read before that end must not start them again. */
  private final Set<String> finished = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(daemon("kubelet-poll"));
  private final ExecutorService workers = Executors.newCachedThreadPool(daemon("kubelet-pod"));
  private volatile boolean closed;

  private Kubelet(ApiClient client, String nodeName, Path root) {
    this.client = client;
    this.core = new CoreV1Api(client);
    this.keyVolumes = new KeyVolumes(core);
    this.nodeName = nodeName;
    this.root = root.toAbsolutePath();
  }

  /**
   * Registers Node {@code nodeName} (or takes over an existing one) and starts running the pods bound
   * to it; the pods' own directories go under {@code root}.
   *
   * @throws IllegalStateException when the Node cannot be registered
   */
  public static Kubelet start(ApiClient client, String nodeName, Path root) {
    Kubelet kubelet = new Kubelet(client, nodeName, root);
    kubelet.registerNode();
    kubelet.poller.scheduleWithFixedDelay(kubelet::poll, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
    return kubelet;
  }

  /** The name of this kubelet's Node. */
  public String nodeName() {
    return nodeName;
  }

  /**
   * Runs the pods of {@code namespace} with {@code runtime} from now on; a blank namespace makes it
   * the runtime of every namespace that has none of its own.
   */
  public void use(String namespace, ContainerRuntime runtime) {
    runtimes.put(namespace == null ? ALL_NAMESPACES : namespace, runtime);
  }

  /** Undoes {@link #use(String, ContainerRuntime)} when {@code runtime} is still the one of {@code namespace}. */
  public void stopUsing(String namespace, ContainerRuntime runtime) {
    runtimes.remove(namespace == null ? ALL_NAMESPACES : namespace, runtime);
  }

  // --- the Node -----------------------------------------------------------------------------------

  private void registerNode() {
    Map<String, String> labels = Map.of(
        "kubernetes.io/hostname", nodeName,
        "kubernetes.io/os", "linux",
        "kubernetes.io/arch", "amd64");
    try {
      core.createNode(new V1Node().metadata(new V1ObjectMeta().name(nodeName).labels(labels))).execute();
    } catch (ApiException e) {
      if (e.getCode() != 409) {
        throw new IllegalStateException("cannot register Node " + nodeName + ": " + e.getResponseBody(), e);
      }
    }
    OffsetDateTime now = now();
    Map<String, Quantity> resources = Map.of(
        "cpu", Quantity.fromString("16"),
        "memory", Quantity.fromString("64Gi"),
        "pods", Quantity.fromString("250"),
        "ephemeral-storage", Quantity.fromString("100Gi"));
    V1NodeStatus status = new V1NodeStatus()
        .capacity(resources)
        .allocatable(resources)
        .addresses(List.of(
            new V1NodeAddress().type("InternalIP").address("127.0.0.1"),
            new V1NodeAddress().type("Hostname").address(nodeName)))
        .conditions(List.of(new V1NodeCondition()
            .type("Ready").status("True").reason("KubeletReady").message("kubelet stand-in is posting ready status")
            .lastHeartbeatTime(now).lastTransitionTime(now)));
    try {
      // The TaintNodesByCondition admission gives a new Node the not-ready taint; the node lifecycle
      // controller would remove it once the Node is Ready, and does not run here.
      MergePatch.apply(client, "/api/v1/nodes/" + nodeName, "{\"spec\":{\"taints\":null,\"unschedulable\":null}}");
      MergePatch.apply(client, "/api/v1/nodes/" + nodeName + "/status", JSON.getGson().toJson(Map.of("status", status)));
    } catch (ApiException e) {
      throw new IllegalStateException("cannot mark Node " + nodeName + " Ready: " + e.getResponseBody(), e);
    }
    LOG.info("Node {} registered and Ready", nodeName);
  }

  // --- pods ---------------------------------------------------------------------------------------

  private void poll() {
    if (closed) {
      return;
    }
    try {
      List<V1Pod> pods = core.listPodForAllNamespaces().fieldSelector("spec.nodeName=" + nodeName).execute().getItems();
      Set<String> present = pods.stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
      running.forEach((uid, work) -> {
        if (!present.contains(uid)) {
          work.cancel(true);
        }
      });
      for (V1Pod pod : pods) {
        String uid = pod.getMetadata().getUid();
        boolean deleting = pod.getMetadata().getDeletionTimestamp() != null;
        Future<?> work = running.get(uid);
        if (work != null) {
          if (deleting) {
            work.cancel(true);
          }
        } else if (!isTerminal(pod) && !finished.contains(uid)) {
          if (deleting) {
            removeNow(pod);
          } else {
            runtimeFor(pod).ifPresent(runtime -> {
              FutureTask<Void> task = new FutureTask<>(() -> runPod(pod, runtime), null);
              running.put(uid, task);
              workers.execute(task);
            });
          }
        }
      }
    } catch (ApiException e) {
      LOG.warn("kubelet {}: listing pods failed: HTTP {} {}", nodeName, e.getCode(), e.getResponseBody());
    } catch (RuntimeException e) {
      LOG.warn("kubelet {}: poll failed", nodeName, e);
    }
  }

  private Optional<ContainerRuntime> runtimeFor(V1Pod pod) {
    return Optional.ofNullable(runtimes.getOrDefault(pod.getMetadata().getNamespace(), runtimes.get(ALL_NAMESPACES)));
  }

  private static boolean isTerminal(V1Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  private void runPod(V1Pod pod, ContainerRuntime runtime) {
    String key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    V1Container container = pod.getSpec().getContainers().getFirst();
    OffsetDateTime startedAt = null;
    try {
      Path directory = root.resolve(pod.getMetadata().getNamespace()).resolve(pod.getMetadata().getName());
      PodRun run = new PodRun(pod, container, awaitMounts(pod, container, directory), directory);
      StartedContainer started = startContainer(runtime, run);
      startedAt = now();
      writeStatus(pod, "Running", new V1ContainerState().running(new V1ContainerStateRunning().startedAt(startedAt)));
      LOG.info("pod {} running", key);
      ContainerExit exit = started.awaitExit();
      writeStatus(pod, exit.exitCode() == 0 ? "Succeeded" : "Failed", terminated(exit.exitCode(), exit.message(), startedAt));
      LOG.info("pod {} ended with exit code {}", key, exit.exitCode());
    } catch (InterruptedException deletedOrClosed) {
      if (!closed) {
        LOG.info("pod {} deleted: container stopped", key);
        if (startedAt != null) {
          writeStatusQuietly(pod, terminated(KILLED_EXIT_CODE, "", startedAt));
        }
        removeNow(pod);
      }
    } catch (ApiException e) {
      LOG.warn("kubelet {}: pod {}: HTTP {} {}", nodeName, key, e.getCode(), e.getResponseBody());
    } catch (RuntimeException e) {
      LOG.warn("kubelet {}: running pod {} failed", nodeName, key, e);
    } finally {
      finished.add(pod.getMetadata().getUid());
      running.remove(pod.getMetadata().getUid());
    }
  }

  /** Starts the container, retrying as the kubelet does while its configuration cannot be resolved. */
  private StartedContainer startContainer(ContainerRuntime runtime, PodRun run) throws InterruptedException, ApiException {
    String lastError = null;
    while (true) {
      try {
        return runtime.start(run);
      } catch (ContainerConfigException e) {
        if (!e.getMessage().equals(lastError)) {
          lastError = e.getMessage();
          // The pod stays Pending with the reason, as `kubectl get pod` shows it.
          writeStatus(run.pod(), "Pending", new V1ContainerState().waiting(
              new V1ContainerStateWaiting().reason("CreateContainerConfigError").message(e.getMessage())));
        }
        Thread.sleep(RETRY_MILLIS * 2);
      }
    }
  }

  /**
   * The host directories of the container's mounts. Waits, as the kubelet does before it starts a
   * container, until every PVC of the pod is bound to a volume.
   */
  private Map<String, Path> awaitMounts(V1Pod pod, V1Container container, Path directory) throws InterruptedException, ApiException {
    Map<String, Path> byVolume = new HashMap<>();
    for (V1Volume volume : Optional.ofNullable(pod.getSpec().getVolumes()).orElse(List.of())) {
      Path path = volume.getPersistentVolumeClaim() != null
          ? awaitClaimDirectory(pod.getMetadata().getNamespace(), volume.getPersistentVolumeClaim().getClaimName())
          : directory.resolve("volumes").resolve(volume.getName());
      if (KeyVolumes.handles(volume)) {
        awaitKeys(pod, volume, path);
      }
      createDirectories(path);
      byVolume.put(volume.getName(), path);
    }
    Map<String, Path> mounts = new LinkedHashMap<>();
    for (V1VolumeMount mount : Optional.ofNullable(container.getVolumeMounts()).orElse(List.of())) {
      Path path = byVolume.get(mount.getName());
      if (path == null) {
        throw new IllegalStateException("mount " + mount.getName() + " names no volume of the pod");
      }
      mounts.put(mount.getMountPath(), mount.getSubPath() == null || mount.getSubPath().isBlank() ? path : path.resolve(mount.getSubPath()));
    }
    return mounts;
  }

  /**
   * Writes the keys of a Secret or ConfigMap volume, retrying as the kubelet does while the object or
   * a key it must project is missing: the pod stays Pending with its container waiting in
   * {@code ContainerCreating} (a kubelet reports the reason as a FailedMount Event; here it is logged).
   */
  private void awaitKeys(V1Pod pod, V1Volume volume, Path path) throws InterruptedException, ApiException {
    String lastError = null;
    while (true) {
      try {
        keyVolumes.setUp(pod, volume, path);
        return;
      } catch (ApiException e) {
        if (!transientFailure(e)) {
          throw e;
        }
        Thread.sleep(RETRY_MILLIS);
      } catch (KeyVolumes.SetUpException e) {
        if (lastError == null) {
          writeStatus(pod, "Pending", new V1ContainerState().waiting(new V1ContainerStateWaiting().reason("ContainerCreating")));
        }
        if (!e.getMessage().equals(lastError)) {
          lastError = e.getMessage();
          LOG.warn("kubelet {}: pod {}/{}: {}", nodeName, pod.getMetadata().getNamespace(), pod.getMetadata().getName(), e.getMessage());
        }
        Thread.sleep(RETRY_MILLIS * 2);
      }
    }
  }

  private Path awaitClaimDirectory(String namespace, String claimName) throws InterruptedException, ApiException {
    while (true) {
      Optional<String> volume = retrying("read PVC " + namespace + "/" + claimName, () -> boundVolume(namespace, claimName));
      if (volume.isPresent()) {
        V1PersistentVolume pv = retrying("read PV " + volume.get(), () -> core.readPersistentVolume(volume.get()).execute());
        Optional<Path> directory = LocalProvisioner.directoryOf(pv);
        if (directory.isPresent()) {
          return directory.get();
        }
        throw new IllegalStateException("PV " + volume.get() + " of PVC " + namespace + "/" + claimName
            + " is not a volume of " + LocalProvisioner.NAME + ", the only kind this kubelet can mount");
      }
      Thread.sleep(RETRY_MILLIS);
    }
  }

  private Optional<String> boundVolume(String namespace, String claimName) throws ApiException {
    try {
      V1PersistentVolumeClaim claim = core.readNamespacedPersistentVolumeClaim(claimName, namespace).execute();
      boolean bound = claim.getStatus() != null && "Bound".equals(claim.getStatus().getPhase());
      return bound ? Optional.ofNullable(claim.getSpec().getVolumeName()) : Optional.empty();
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static V1ContainerState terminated(int exitCode, String message, OffsetDateTime startedAt) {
    return new V1ContainerState().terminated(new V1ContainerStateTerminated()
        .exitCode(exitCode)
        .reason(exitCode == 0 ? "Completed" : "Error")
        .message(message.isEmpty() ? null : message)
        .startedAt(startedAt)
        .finishedAt(now()));
  }

  /**
   * Writes the pod's phase and its container's state, with the conditions a kubelet writes beside them;
   * retried while the API server does not answer (see {@link #retrying}), so that a pod's end is never lost.
   */
  private void writeStatus(V1Pod pod, String phase, V1ContainerState state) throws ApiException, InterruptedException {
    boolean running = state.getRunning() != null;
    String ready = running ? "True" : "False";
    String reason = running ? null : state.getTerminated() != null ? "PodCompleted" : "ContainersNotReady";
    OffsetDateTime now = now();
    List<V1PodCondition> conditions = new ArrayList<>();
    Optional.ofNullable(pod.getStatus()).map(V1PodStatus::getConditions).orElse(List.of()).stream()
        .filter(c -> "PodScheduled".equals(c.getType()))
        .forEach(conditions::add);
    conditions.add(new V1PodCondition().type("Initialized").status("True").lastTransitionTime(now));
    conditions.add(new V1PodCondition().type("ContainersReady").status(ready).reason(reason).lastTransitionTime(now));
    conditions.add(new V1PodCondition().type("Ready").status(ready).reason(reason).lastTransitionTime(now));
    V1Container container = pod.getSpec().getContainers().getFirst();
    V1PodStatus status = new V1PodStatus()
        .phase(phase)
        .hostIP("127.0.0.1")
        .startTime(Optional.ofNullable(pod.getStatus()).map(V1PodStatus::getStartTime).orElse(now))
        .conditions(conditions)
        .containerStatuses(List.of(new V1ContainerStatus()
            .name(container.getName())
            .image(container.getImage())
            .imageID("")
            .ready(running)
            .started(running)
            .restartCount(0)
            .state(state)));
    pod.setStatus(status);
    String path = "/api/v1/namespaces/" + pod.getMetadata().getNamespace() + "/pods/" + pod.getMetadata().getName() + "/status";
    String body = JSON.getGson().toJson(Map.of("status", status));
    retrying("write the status of pod " + pod.getMetadata().getName(), () -> {
      MergePatch.apply(client, path, body);
      return null;
    });
  }

  /** No answer (a timeout, a refused connection), too many requests, or a server error: worth another try. */
  private static boolean transientFailure(ApiException e) {
    return e.getCode() == 0 || e.getCode() == 429 || e.getCode() >= 500;
  }

  /** A call to the API server. */
  @FunctionalInterface
  private interface ApiCall<T> {
    T call() throws ApiException;
  }

  /**
   * Runs {@code call} until the API server answers it, as a kubelet's sync loop keeps trying: no answer (a
   * timeout, a refused connection), 429 and 5xx are retried; any other answer is the caller's to handle. On a
   * loaded machine one slow request must not leave a pod Running forever with its end unwritten.
   */
  private <T> T retrying(String what, ApiCall<T> call) throws ApiException, InterruptedException {
    boolean reported = false;
    while (true) {
      try {
        return call.call();
      } catch (ApiException e) {
        if (!transientFailure(e) || closed) {
          throw e;
        }
        if (!reported) {
          LOG.warn("kubelet {}: {}: {}; retrying", nodeName, what, e.getCode() == 0 ? e.getMessage() : "HTTP " + e.getCode());
          reported = true;
        }
        Thread.sleep(RETRY_MILLIS);
      }
    }
  }

  private void writeStatusQuietly(V1Pod pod, V1ContainerState state) {
    try {
      writeStatus(pod, "Failed", state);
    } catch (ApiException e) {
      LOG.debug("pod {} is gone before its end was written: HTTP {}", pod.getMetadata().getName(), e.getCode());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Removes a pod whose containers are stopped, as the kubelet ends a graceful deletion. */
  private void removeNow(V1Pod pod) {
    try {
      core.deleteNamespacedPod(pod.getMetadata().getName(), pod.getMetadata().getNamespace()).gracePeriodSeconds(0).execute();
    } catch (ApiException e) {
      if (e.getCode() != 404) {
        LOG.warn("kubelet {}: cannot remove pod {}: HTTP {} {}", nodeName, pod.getMetadata().getName(), e.getCode(), e.getResponseBody());
      }
    }
  }

  private static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
  }

  private static void createDirectories(Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + directory, e);
    }
  }

  private static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Stops running pods: their containers are stopped, the pods and the Node stay as they are. */
  @Override
  public void close() {
    closed = true;
    poller.shutdownNow();
    workers.shutdownNow();
    try {
      workers.awaitTermination(15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
