package coffee.acupof.datamover.testkit;

import coffee.acupof.datamover.testkit.node.ContainerExit;
import coffee.acupof.datamover.testkit.node.ContainerRuntime;
import coffee.acupof.datamover.testkit.node.Kubelet;
import coffee.acupof.datamover.testkit.node.PodRun;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The container runtime of the {@link Kubelet} stand-in for end-to-end tests and the sandbox: it runs
 * a pod's container as a local process of the configured command (the mover's entrypoint) in place
 * of the image's, so the whole system runs without Docker.
 *
 * <ul>
 *   <li>The container's environment is resolved from the API server as the kubelet does
 *       ({@link PodEnvironment}: the Secret's keys, {@code additionalEnv}, …); a missing Secret keeps
 *       the pod Pending with CreateContainerConfigError until it appears.
 *   <li>A container cannot mount here, so mount paths in environment values are translated to the
 *       directories the kubelet gives the pod (the PV's directory for a PVC, a directory of the
 *       pod's own for an emptyDir, one with the projected keys for a Secret or ConfigMap volume, e.g.
 *       {@code MOVER_CONFIG_FILE=/etc/datamover/rclone/rclone.conf}); the process runs in the pod's
 *       directory with {@code HOME} there.
 *   <li>The termination message file is named to the process by {@code MOVER_RESULT_FILE} (the
 *       mover contract's variable) when the container does not set it; the kubelet writes what the
 *       process wrote there, or the end of its log with {@code FallbackToLogsOnError}, with the exit
 *       code into the pod's status.
 * </ul>
 *
 * <p>Creating pods, retries, back-off, pod failure policy and deadlines are the real Job controller's;
 * a pod it deletes has its process stopped (SIGTERM, then SIGKILL after 10 seconds). Process output
 * goes to {@link #podLog(String, String) <root>/.logs/<namespace>/<pod>.log}.
 */
public final class LocalExecutor implements ContainerRuntime, AutoCloseable {
  private static final int MESSAGE_LIMIT = 4096;
  private static final int FALLBACK_LOG_LINES = 80;
  private static final int FALLBACK_LOG_LIMIT = 2048;

  private final PodEnvironment environment;
  private final Kubelet kubelet;
  private final String namespace;
  private final Path root;
  private final List<String> command;
  private final Map<String, String> baseEnvironment;
  private final Set<Process> processes = ConcurrentHashMap.newKeySet();

  private LocalExecutor(Builder b) {
    this.environment = new PodEnvironment(new CoreV1Api(b.client));
    this.kubelet = b.kubelet;
    this.namespace = b.namespace;
    this.root = b.root.toAbsolutePath();
    this.command = List.copyOf(b.command);
    this.baseEnvironment = Map.copyOf(b.baseEnvironment);
  }

  /** Settings of an executor reading Secrets and ConfigMaps through {@code client}, writing its logs under {@code root}. */
  public static Builder builder(ApiClient client, Path root) {
    return new Builder(client, root);
  }

  /** Settings of a {@link LocalExecutor}. */
  public static final class Builder {
    private final ApiClient client;
    private final Path root;
    private Kubelet kubelet;
    private String namespace = "";
    private List<String> command = List.of();
    private final Map<String, String> baseEnvironment = new LinkedHashMap<>();

    private Builder(ApiClient client, Path root) {
      this.client = client;
      this.root = root;
      String path = System.getenv("PATH");
      if (path != null) {
        baseEnvironment.put("PATH", path);
      }
    }

    /** The kubelet stand-in whose pods this runs (required). */
    public Builder kubelet(Kubelet value) {
      this.kubelet = value;
      return this;
    }

    /** Only pods of this namespace (default: every namespace without a runtime of its own). */
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
     * the directory of rclone. Only PATH is inherited from this JVM.
     */
    public Builder baseEnvironment(String name, String value) {
      this.baseEnvironment.put(name, value);
      return this;
    }

    /** Makes the executor the kubelet's runtime for the namespace. */
    public LocalExecutor start() {
      if (command.isEmpty()) {
        throw new IllegalStateException("LocalExecutor needs the command to run in place of the image entrypoint");
      }
      if (kubelet == null) {
        throw new IllegalStateException("LocalExecutor needs the kubelet stand-in whose pods it runs: .kubelet(...)");
      }
      LocalExecutor executor = new LocalExecutor(this);
      kubelet.use(namespace, executor);
      return executor;
    }
  }

  /** The log (stdout and stderr) of a pod this executor ran. */
  public Path podLog(String namespace, String pod) {
    return root.resolve(".logs").resolve(namespace).resolve(pod + ".log");
  }

  @Override
  public StartedContainer start(PodRun run) throws ContainerConfigException {
    Map<String, String> env = environment.resolve(run.pod(), run.container());
    Path resultFile = run.directory().resolve("termination-log");
    Path log = podLog(run.namespace(), run.name());
    ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command));
    if (run.container().getArgs() != null) {
      builder.command().addAll(run.container().getArgs());
    }
    builder.environment().clear();
    builder.environment().putAll(baseEnvironment);
    builder.environment().put("HOME", run.directory().resolve("home").toString());
    if (run.mounts().containsKey("/tmp")) {
      builder.environment().put("TMPDIR", run.mounts().get("/tmp").toString());
    }
    env.forEach((k, v) -> builder.environment().put(k, translate(v, run.mounts())));
    builder.environment().putIfAbsent("MOVER_RESULT_FILE", resultFile.toString());
    try {
      Files.createDirectories(run.directory().resolve("home"));
      Files.createDirectories(log.getParent());
      Files.write(resultFile, new byte[0]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    builder.redirectErrorStream(true).redirectOutput(log.toFile()).directory(run.directory().toFile());
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + builder.command(), e);
    }
    processes.add(process);
    String policy = run.container().getTerminationMessagePolicy();
    return () -> {
      try {
        int exitCode = process.waitFor();
        return new ContainerExit(exitCode, terminationMessage(resultFile, log, exitCode, policy));
      } catch (InterruptedException deleted) {
        stop(process);
        throw deleted;
      } finally {
        processes.remove(process);
      }
    };
  }

  private static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** {@code value} with a leading container mount path replaced by the directory behind it. */
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
        message = String.join("\n", lines.subList(Math.max(0, lines.size() - FALLBACK_LOG_LINES), lines.size()));
        if (message.length() > FALLBACK_LOG_LIMIT) {
          message = message.substring(message.length() - FALLBACK_LOG_LIMIT);
        }
      }
      return message.length() > MESSAGE_LIMIT ? message.substring(0, MESSAGE_LIMIT) : message;
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * Stops running pods: the kubelet no longer hands it pods, and processes still running are killed
   * (their pods end Failed). Objects, directories and logs stay.
   */
  @Override
  public void close() {
    kubelet.stopUsing(namespace, this);
    processes.forEach(Process::destroyForcibly);
  }
}
