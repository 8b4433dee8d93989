package coffee.acupof.datamover.testkit;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodFailurePolicyRule;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays kubelet, PV controller and Job controller for the Jobs the operator creates, on this machine,
 * so the whole system runs without nodes or Docker.
 *
 * <ul>
 *   <li>Every PVC is a directory {@code <root>/<namespace>/<claim>}; a PVC whose {@code dataSource} is
 *       another PVC (a CSI clone) starts as a copy ({@code cp -a}) of its source's directory. A claim
 *       a pod uses is marked Bound.
 *   <li>For each Job labelled {@code app.kubernetes.io/managed-by=datamover-operator} it creates pods
 *       from the Job's template through the API server (so admission applies), resolves the
 *       container's environment from the API server as the kubelet does ({@link PodEnvironment}), and
 *       runs the configured local command in place of the image's entrypoint, with the container's
 *       mount paths translated to the directories above in environment values.
 *   <li>It writes pod status (Running, then terminated with the exit code and the termination message
 *       the process wrote, or the end of its log with FallbackToLogsOnError) and Job status (counters,
 *       Complete or Failed with BackoffLimitExceeded, DeadlineExceeded or PodFailurePolicy), honouring
 *       {@code backoffLimit}, {@code activeDeadlineSeconds} and {@code podFailurePolicy}.
 * </ul>
 *
 * <p>A container cannot mount a file here, so the executor tells the process where its termination
 * message file is through {@code MOVER_RESULT_FILE} (the mover contract's variable) when the
 * container does not set it. Process output goes to {@code <root>/.logs/<namespace>/<pod>.log}.
 */
public final class LocalExecutor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalExecutor.class);
  private static final String SELECTOR = "app.kubernetes.io/managed-by=datamover-operator";
  private static final int MESSAGE_LIMIT = 4096;

  private final ApiClient client;
  private final CoreV1Api core;
  private final BatchV1Api batch;
  private final PodEnvironment environment;
  private final String namespace;
  private final Path root;
  private final List<String> command;
  private final Map<String, String> baseEnvironment;
  private final Duration backoff;
  private final Set<String> handled = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(daemon("local-executor-poll"));
  private final ExecutorService runners = Executors.newCachedThreadPool(daemon("local-executor-job"));
  private final Map<String, Process> processes = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private LocalExecutor(Builder b) {
    this.client = b.client;
    this.core = new CoreV1Api(b.client);
    this.batch = new BatchV1Api(b.client);
    this.environment = new PodEnvironment(core);
    this.namespace = b.namespace;
    this.root = b.root.toAbsolutePath();
    this.command = List.copyOf(b.command);
    this.baseEnvironment = Map.copyOf(b.baseEnvironment);
    this.backoff = b.backoff;
  }

  public static Builder builder(ApiClient client, Path root) {
    return new Builder(client, root);
  }

  /** Settings of a {@link LocalExecutor}. */
  public static final class Builder {
    private final ApiClient client;
    private final Path root;
    private String namespace = "";
    private List<String> command = List.of();
    private final Map<String, String> baseEnvironment = new LinkedHashMap<>();
    private Duration backoff = Duration.ofSeconds(1);

    private Builder(ApiClient client, Path root) {
      this.client = client;
      this.root = root;
      String path = System.getenv("PATH");
      if (path != null) {
        baseEnvironment.put("PATH", path);
      }
    }

    /** Only Jobs of this namespace (default: all namespaces). */
    public Builder namespace(String value) {
      this.namespace = value;
      return this;
    }

    /** The command run in place of every container's image entrypoint; the container's args follow. */
    public Builder command(List<String> value) {
      this.command = value;
      return this;
    }

    /**
     * A variable every process gets before the container's own environment, e.g. {@code PATH} with
     * the directories of rclone and jq. Only PATH is inherited from this JVM.
     */
    public Builder baseEnvironment(String name, String value) {
      this.baseEnvironment.put(name, value);
      return this;
    }

    /** Delay after the first failed attempt; doubles for each further one (Kubernetes uses 10s). */
    public Builder backoff(Duration value) {
      this.backoff = value;
      return this;
    }

    public LocalExecutor start() {
      if (command.isEmpty()) {
        throw new IllegalStateException("LocalExecutor needs the command to run in place of the image entrypoint");
      }
      LocalExecutor executor = new LocalExecutor(this);
      executor.poller.scheduleWithFixedDelay(executor::poll, 0, 250, TimeUnit.MILLISECONDS);
      return executor;
    }
  }

  /** The directory holding the data of a PVC (created on first use). */
  public Path volume(String namespace, String claim) {
    return root.resolve(namespace).resolve(claim);
  }

  /** The log of a pod this executor ran. */
  public Path podLog(String namespace, String pod) {
    return root.resolve(".logs").resolve(namespace).resolve(pod + ".log");
  }

  private void poll() {
    if (closed) {
      return;
    }
    try {
      List<V1Job> jobs =
          namespace.isBlank()
              ? batch.listJobForAllNamespaces().labelSelector(SELECTOR).execute().getItems()
              : batch.listNamespacedJob(namespace).labelSelector(SELECTOR).execute().getItems();
      for (V1Job job : jobs) {
        if (!finished(job) && handled.add(job.getMetadata().getUid())) {
          runners.submit(() -> runJob(job));
        }
      }
    } catch (ApiException e) {
      LOG.warn("listing Jobs failed: HTTP {}", e.getCode());
    } catch (RuntimeException e) {
      LOG.warn("executor poll failed", e);
    }
  }

  private static boolean finished(V1Job job) {
    return job.getStatus() != null
        && job.getStatus().getConditions() != null
        && job.getStatus().getConditions().stream()
            .anyMatch(c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType())) && "True".equals(c.getStatus()));
  }

  private void runJob(V1Job job) {
    String ns = job.getMetadata().getNamespace();
    String name = job.getMetadata().getName();
    int attempts = (job.getSpec().getBackoffLimit() == null ? 6 : job.getSpec().getBackoffLimit()) + 1;
    Instant started = Instant.now();
    Instant deadline =
        job.getSpec().getActiveDeadlineSeconds() == null ? Instant.MAX : started.plusSeconds(job.getSpec().getActiveDeadlineSeconds());
    JobCounters counters = new JobCounters(timestamp(started));
    try {
      for (int attempt = 0; !closed; attempt++) {
        if (!exists(ns, name)) {
          return;
        }
        counters.active = 1;
        writeJobStatus(ns, name, counters, null);
        Attempt result = runPod(job, deadline);
        counters.active = 0;
        if (result == null) {
          return;
        }
        if (result.exitCode == 0) {
          counters.succeeded++;
          writeJobStatus(ns, name, counters, terminal("SuccessCriteriaMet", "Complete", "CompletionsReached", "Reached expected number of succeeded pods"));
          return;
        }
        counters.failed++;
        if (result.deadlineExceeded) {
          writeJobStatus(ns, name, counters, terminal("FailureTarget", "Failed", "DeadlineExceeded", "Job was active longer than specified deadline"));
          return;
        }
        if (failJobRule(job, result.exitCode)) {
          writeJobStatus(ns, name, counters, terminal("FailureTarget", "Failed", "PodFailurePolicy",
              "Container mover for pod " + ns + "/" + result.pod + " failed with exit code " + result.exitCode + " matching FailJob rule at index 0"));
          return;
        }
        if (counters.failed >= attempts) {
          writeJobStatus(ns, name, counters, terminal("FailureTarget", "Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit"));
          return;
        }
        writeJobStatus(ns, name, counters, null);
        Thread.sleep(backoff.multipliedBy(1L << Math.min(attempt, 6)).toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | ApiException e) {
      LOG.warn("running Job {}/{} failed", ns, name, e);
    }
  }

  private record Attempt(String pod, int exitCode, boolean deadlineExceeded) {}

  private Attempt runPod(V1Job job, Instant deadline) throws ApiException, InterruptedException {
    String ns = job.getMetadata().getNamespace();
    V1Pod pod = createPod(job);
    String podName = pod.getMetadata().getName();
    V1Container container = pod.getSpec().getContainers().getFirst();
    Path podDir = root.resolve(".pods").resolve(ns).resolve(podName);
    Map<String, Path> mounts = mounts(pod, container, podDir);
    Map<String, String> env;
    while (true) {
      try {
        env = environment.resolve(pod, container);
        break;
      } catch (PodEnvironment.ConfigError e) {
        // The kubelet keeps such a pod Pending and retries; so does this.
        patch("/api/v1/namespaces/" + ns + "/pods/" + podName + "/status",
            podStatus("Pending", containerState("waiting", Map.of("reason", "CreateContainerConfigError", "message", e.getMessage()))));
        if (Instant.now().isAfter(deadline) || !exists(ns, job.getMetadata().getName())) {
          return Instant.now().isAfter(deadline) ? new Attempt(podName, 1, true) : null;
        }
        Thread.sleep(1000);
      }
    }
    Path resultFile = podDir.resolve("termination-log");
    Path log = podLog(ns, podName);
    ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command));
    if (container.getArgs() != null) {
      builder.command().addAll(container.getArgs());
    }
    builder.environment().clear();
    builder.environment().putAll(baseEnvironment);
    builder.environment().put("HOME", podDir.resolve("home").toString());
    if (mounts.containsKey("/tmp")) {
      builder.environment().put("TMPDIR", mounts.get("/tmp").toString());
    }
    env.forEach((k, v) -> builder.environment().put(k, translate(v, mounts)));
    builder.environment().putIfAbsent("MOVER_RESULT_FILE", resultFile.toString());
    String startedAt = timestamp(Instant.now());
    try {
      Files.createDirectories(podDir.resolve("home"));
      Files.createDirectories(log.getParent());
      Files.write(resultFile, new byte[0]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    builder.redirectErrorStream(true).redirectOutput(log.toFile()).directory(podDir.toFile());
    patch("/api/v1/namespaces/" + ns + "/pods/" + podName + "/status",
        podStatus("Running", containerState("running", Map.of("startedAt", startedAt))));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + builder.command(), e);
    }
    processes.put(podName, process);
    boolean deadlineExceeded = false;
    try {
      while (!process.waitFor(500, TimeUnit.MILLISECONDS)) {
        if (Instant.now().isAfter(deadline)) {
          deadlineExceeded = true;
          break;
        }
        if (closed || !exists(ns, job.getMetadata().getName())) {
          process.destroyForcibly().waitFor();
          return null;
        }
      }
      if (deadlineExceeded) {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      }
    } finally {
      processes.remove(podName);
    }
    int exitCode = deadlineExceeded ? 137 : process.exitValue();
    String message = terminationMessage(resultFile, log, exitCode, container.getTerminationMessagePolicy());
    Map<String, String> terminated = new LinkedHashMap<>();
    terminated.put("exitCode", Integer.toString(exitCode));
    terminated.put("reason", exitCode == 0 ? "Completed" : deadlineExceeded ? "DeadlineExceeded" : "Error");
    terminated.put("message", message);
    terminated.put("startedAt", startedAt);
    terminated.put("finishedAt", timestamp(Instant.now()));
    patch("/api/v1/namespaces/" + ns + "/pods/" + podName + "/status",
        podStatus(exitCode == 0 ? "Succeeded" : "Failed", containerState("terminated", terminated)));
    return new Attempt(podName, exitCode, deadlineExceeded);
  }

  private V1Pod createPod(V1Job job) throws ApiException {
    String name = job.getMetadata().getName();
    Map<String, String> labels = new HashMap<>(job.getSpec().getTemplate().getMetadata().getLabels());
    labels.put("batch.kubernetes.io/job-name", name);
    labels.put("job-name", name);
    labels.put("batch.kubernetes.io/controller-uid", job.getMetadata().getUid());
    V1Pod pod =
        new V1Pod()
            .metadata(
                new V1ObjectMeta()
                    .generateName(name + "-")
                    .namespace(job.getMetadata().getNamespace())
                    .labels(labels)
                    .ownerReferences(
                        List.of(new V1OwnerReference().apiVersion("batch/v1").kind("Job").name(name).uid(job.getMetadata().getUid())
                            .controller(true).blockOwnerDeletion(true))))
            // The Java model turns an absent overhead into {}, which the RuntimeClass admission refuses.
            .spec(job.getSpec().getTemplate().getSpec().overhead(null).nodeName(null));
    return core.createNamespacedPod(job.getMetadata().getNamespace(), pod).execute();
  }

  /** Host directories of the container's mounts; PVCs are prepared (cloned, bound) first. */
  private Map<String, Path> mounts(V1Pod pod, V1Container container, Path podDir) throws ApiException {
    Map<String, Path> mounts = new LinkedHashMap<>();
    if (container.getVolumeMounts() == null) {
      return mounts;
    }
    for (V1VolumeMount mount : container.getVolumeMounts()) {
      V1Volume volume =
          pod.getSpec().getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
      Path dir;
      if (volume.getPersistentVolumeClaim() != null) {
        dir = prepareClaim(pod.getMetadata().getNamespace(), volume.getPersistentVolumeClaim().getClaimName());
      } else {
        dir = podDir.resolve("volumes").resolve(volume.getName());
      }
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      mounts.put(mount.getMountPath(), dir);
    }
    return mounts;
  }

  private Path prepareClaim(String ns, String claim) throws ApiException {
    V1PersistentVolumeClaim pvc = core.readNamespacedPersistentVolumeClaim(claim, ns).execute();
    Path dir = volume(ns, claim);
    synchronized (this) {
      if (!Files.isDirectory(dir)) {
        var source = pvc.getSpec().getDataSource();
        if (source != null && "PersistentVolumeClaim".equals(source.getKind()) && Files.isDirectory(volume(ns, source.getName()))) {
          copyTree(volume(ns, source.getName()), dir);
        } else {
          try {
            Files.createDirectories(dir);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
    }
    if (pvc.getStatus() == null || !"Bound".equals(pvc.getStatus().getPhase())) {
      JsonObject status = new JsonObject();
      status.addProperty("phase", "Bound");
      JsonObject body = new JsonObject();
      body.add("status", status);
      patch("/api/v1/namespaces/" + ns + "/persistentvolumeclaims/" + claim + "/status", body);
    }
    return dir;
  }

  private static void copyTree(Path from, Path to) {
    try {
      Files.createDirectories(to.getParent());
      Process cp = new ProcessBuilder("cp", "-a", from.toString(), to.toString()).redirectErrorStream(true).start();
      String output = new String(cp.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (cp.waitFor() != 0) {
        throw new IllegalStateException("cp -a " + from + " " + to + " failed: " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String translate(String value, Map<String, Path> mounts) {
    for (Map.Entry<String, Path> mount : mounts.entrySet()) {
      String path = mount.getKey();
      if (value.equals(path) || value.startsWith(path + "/")) {
        return mount.getValue() + value.substring(path.length());
      }
    }
    return value;
  }

  private static String terminationMessage(Path resultFile, Path log, int exitCode, String policy) {
    try {
      String message = Files.readString(resultFile);
      if (message.isBlank() && exitCode != 0 && "FallbackToLogsOnError".equals(policy) && Files.exists(log)) {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        message = String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
        if (message.length() > 2048) {
          message = message.substring(message.length() - 2048);
        }
      }
      return message.length() > MESSAGE_LIMIT ? message.substring(0, MESSAGE_LIMIT) : message;
    } catch (IOException e) {
      return "";
    }
  }

  private static boolean failJobRule(V1Job job, int exitCode) {
    if (job.getSpec().getPodFailurePolicy() == null) {
      return false;
    }
    for (V1PodFailurePolicyRule rule : job.getSpec().getPodFailurePolicy().getRules()) {
      var onExit = rule.getOnExitCodes();
      if (onExit == null) {
        continue;
      }
      boolean in = onExit.getValues().contains(exitCode);
      if ("FailJob".equals(rule.getAction()) && ("In".equals(onExit.getOperator()) == in)) {
        return true;
      }
    }
    return false;
  }

  private boolean exists(String ns, String job) {
    try {
      batch.readNamespacedJob(job, ns).execute();
      return true;
    } catch (ApiException e) {
      return e.getCode() != 404;
    }
  }

  private static final class JobCounters {
    final String startTime;
    int active;
    int failed;
    int succeeded;

    JobCounters(String startTime) {
      this.startTime = startTime;
    }
  }

  private static JsonArray terminal(String interim, String type, String reason, String message) {
    JsonArray conditions = new JsonArray();
    String now = timestamp(Instant.now());
    for (String t : List.of(interim, type)) {
      JsonObject c = new JsonObject();
      c.addProperty("type", t);
      c.addProperty("status", "True");
      c.addProperty("reason", reason);
      c.addProperty("message", message);
      c.addProperty("lastProbeTime", now);
      c.addProperty("lastTransitionTime", now);
      conditions.add(c);
    }
    return conditions;
  }

  private void writeJobStatus(String ns, String name, JobCounters counters, JsonArray conditions) throws ApiException {
    JsonObject status = new JsonObject();
    status.addProperty("startTime", counters.startTime);
    status.addProperty("active", counters.active);
    status.addProperty("failed", counters.failed);
    status.addProperty("succeeded", counters.succeeded);
    status.addProperty("ready", 0);
    if (conditions != null) {
      status.add("conditions", conditions);
      if ("Complete".equals(conditions.get(1).getAsJsonObject().get("type").getAsString())) {
        status.addProperty("completionTime", timestamp(Instant.now()));
      }
    }
    JsonObject body = new JsonObject();
    body.add("status", status);
    patch("/apis/batch/v1/namespaces/" + ns + "/jobs/" + name + "/status", body);
  }

  private static JsonObject containerState(String state, Map<String, String> fields) {
    JsonObject inner = new JsonObject();
    fields.forEach((k, v) -> {
      if ("exitCode".equals(k)) {
        inner.addProperty(k, Integer.parseInt(v));
      } else {
        inner.addProperty(k, v);
      }
    });
    JsonObject wrapper = new JsonObject();
    wrapper.add(state, inner);
    JsonObject container = new JsonObject();
    container.addProperty("name", "mover");
    container.addProperty("image", "local-executor");
    container.addProperty("imageID", "");
    container.addProperty("ready", "running".equals(state));
    container.addProperty("restartCount", 0);
    container.add("state", wrapper);
    return container;
  }

  private static JsonObject podStatus(String phase, JsonObject containerStatus) {
    JsonObject status = new JsonObject();
    status.addProperty("phase", phase);
    JsonArray statuses = new JsonArray();
    statuses.add(containerStatus);
    status.add("containerStatuses", statuses);
    JsonObject body = new JsonObject();
    body.add("status", status);
    return body;
  }

  private void patch(String path, JsonObject body) throws ApiException {
    MergePatch.apply(client, path, body.toString());
  }

  private static String timestamp(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Stops polling and kills running processes. Objects and directories stay. */
  @Override
  public void close() {
    closed = true;
    poller.shutdownNow();
    processes.values().forEach(Process::destroyForcibly);
    runners.shutdownNow();
  }

}
