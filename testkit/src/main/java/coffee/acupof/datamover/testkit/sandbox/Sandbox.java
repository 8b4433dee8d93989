package coffee.acupof.datamover.testkit.sandbox;

import coffee.acupof.datamover.testkit.ApiServer;
import coffee.acupof.datamover.testkit.EnvtestAssets;
import coffee.acupof.datamover.testkit.FreePorts;
import coffee.acupof.datamover.testkit.LocalCluster;
import coffee.acupof.datamover.testkit.LocalExecutor;
import coffee.acupof.datamover.testkit.LoggedProcess;
import coffee.acupof.datamover.testkit.MoverCommand;
import coffee.acupof.datamover.testkit.Rclone;
import coffee.acupof.datamover.testkit.S3Server;
import coffee.acupof.datamover.testkit.node.Kubelet;
import coffee.acupof.datamover.testkit.storage.LocalProvisioner;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The local sandbox that {@code hack/sandbox.sh} runs: the whole system on this machine, a sample backup,
 * and then a cluster to explore with kubectl until the sandbox is stopped.
 *
 * <ol>
 *   <li>Starts etcd + kube-apiserver ({@link ApiServer}, its own), installs the CRD from {@code crd/}, runs
 *       kube-controller-manager with {@link LocalCluster#CONTROLLERS} (Jobs, PV binding, garbage
 *       collection, PVC and PV protection, namespaces) and kube-scheduler, plays the kubelet of one
 *       node ({@link Kubelet}) and a CSI driver whose volumes are directories ({@link LocalProvisioner},
 *       storage class {@value #STORAGE_CLASS}), starts an S3 server ({@link S3Server}, bucket
 *       {@value SampleData#BUCKET}), the {@link LocalExecutor} (the kubelet's container runtime: every
 *       mover pod runs as a local process of the Java mover of {@code rclone-image} with the pinned rclone)
 *       and the packaged operator jar as a child process.
 *   <li>Applies the sample with kubectl: namespace {@value SampleData#NAMESPACE}, PVC
 *       {@value SampleData#PVC} holding a few files, Secret {@value SampleData#SECRET} in the Go operator's
 *       form and DataMover {@value SampleData#DATAMOVER}; prints every phase change, then the phase
 *       history, {@code kubectl get datamovers -o wide} and the objects in the bucket.
 *   <li>Prints how to explore, and runs until SIGINT, SIGTERM or SIGHUP; then stops the operator, the
 *       executor, the stand-ins, the S3 server, the scheduler, the controller manager and the API server, in that order, and removes
 *       its files. When something does not come up it says what, with the end of the relevant log, stops
 *       everything and keeps its files.
 * </ol>
 *
 * <p>Everything lives in one temporary directory, printed first: the kubeconfig, the manifests, the
 * volumes and the logs.
 */
public final class Sandbox {
  static final String USAGE = """
      Usage: hack/sandbox.sh [--keep-running | --exit-when-done]

      Starts a local DataMover sandbox (etcd + kube-apiserver, kube-controller-manager, kube-scheduler,
      an S3 server, a local executor for mover pods and the operator), backs up a sample PVC, prints the result and
      keeps running for exploration with kubectl until Ctrl-C or SIGTERM.

        --keep-running     keep running after the sample backup (the default)
        --exit-when-done   stop everything and exit once the sample backup is Completed
        -h, --help         show this help
      """;

  private static final Duration OPERATOR_READY_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration PVC_BIND_TIMEOUT = Duration.ofSeconds(30);
  private static final int LOG_TAIL_LINES = 40;
  private static final int LABEL_WIDTH = 28;
  /** The storage class of the sample PVC, served by the sandbox's {@link LocalProvisioner}. */
  static final String STORAGE_CLASS = "sandbox-local";

  private final Options options;
  private final Path dir;
  private final Path logs;
  private final Path volumes;
  private final Console out = new Console();
  private final Logger log = LoggerFactory.getLogger(Sandbox.class);
  private final Thread mainThread = Thread.currentThread();
  private final AtomicBoolean stopRequested = new AtomicBoolean();
  private volatile boolean stopping;
  private boolean stopped;
  private boolean keepFiles;

  private ApiServer server;
  private ApiServer.ControllerManager controllerManager;
  private ApiServer.Scheduler scheduler;
  private Kubelet kubelet;
  private LocalProvisioner provisioner;
  private CompletableFuture<S3Server> s3Starting;
  private volatile long s3ReadyNanos;
  private S3Server s3;
  private LocalExecutor executor;
  private LoggedProcess operator;
  private int operatorPort;
  private Path kubeconfig;
  private Path rcloneConfig;
  private Path dataMoverFile;
  private Path restoreFile;
  private Path scheduleFile;

  private Sandbox(Options options, Path dir) {
    this.options = options;
    this.dir = dir;
    this.logs = dir.resolve("logs");
    this.volumes = dir.resolve("volumes");
  }

  public static void main(String[] args) throws IOException {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("sandbox: " + e.getMessage());
      System.err.print(USAGE);
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.print(USAGE);
      return;
    }
    Path dir = Files.createTempDirectory("datamover-sandbox-");
    Files.createDirectories(dir.resolve("logs"));
    configureLogging(dir.resolve("logs/sandbox.log"));
    System.exit(new Sandbox(options, dir).run());
  }

  /** The test kit's own messages go to a file (slf4j-simple, when it is on the class path), not the console. */
  private static void configureLogging(Path file) {
    System.setProperty("org.slf4j.simpleLogger.logFile", file.toString());
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
    System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
  }

  private int run() {
    installSignalHandlers();
    try {
      out.title("DataMover sandbox");
      out.line("All files of this sandbox are in " + dir);
      start();
      runSample();
      runScheduleSample();
      if (!options.exitWhenDone()) {
        printGuide();
        awaitStopRequest();
      }
      return 0;
    } catch (Exception e) {
      if (stopRequested.get()) {
        out.blank();
        out.line("Interrupted.");
        return 130;
      }
      keepFiles = true;
      report(e);
      return 1;
    } finally {
      stop();
    }
  }

  // --- start --------------------------------------------------------------------------------------

  private void start() throws Exception {
    Path s3proxyJar = options.s3proxyJar();
    long s3Started = System.nanoTime();
    s3Starting = CompletableFuture.supplyAsync(() -> {
      S3Server server = S3Server.builder().jar(s3proxyJar).start();
      s3ReadyNanos = System.nanoTime();
      return server;
    });

    out.section("Starting");
    long started = System.nanoTime();
    server = ApiServer.start();
    kubeconfig = server.writeKubeconfig(dir.resolve("kubeconfig"));
    link("etcd.log", server.workDir().resolve("etcd.log"));
    link("kube-apiserver.log", server.workDir().resolve("kube-apiserver.log"));
    component("etcd + kube-apiserver", server.url(), started);

    started = System.nanoTime();
    server.applyYaml(options.repo().resolve("crd"));
    component("CustomResourceDefinitions", "datamovers, datamoverrestores." + DataMoverWatch.GROUP, started);

    // The operator starts in the background while the other parts come up; it is awaited last.
    long operatorStarted = System.nanoTime();
    startOperator();

    started = System.nanoTime();
    controllerManager = server.startControllerManager(LocalCluster.CONTROLLERS.toArray(String[]::new));
    link("kube-controller-manager.log", controllerManager.logFile());
    component("kube-controller-manager", "Jobs, PV binder, garbage collector, protection", started);

    started = System.nanoTime();
    scheduler = server.startScheduler();
    link("kube-scheduler.log", scheduler.logFile());
    kubelet = Kubelet.start(server.adminClient(), Kubelet.DEFAULT_NODE, volumes.resolve(".pods"));
    component("kube-scheduler", "node " + kubelet.nodeName() + " (its kubelet played by the sandbox)", started);

    started = System.nanoTime();
    provisioner = LocalProvisioner.start(server.adminClient(), volumes);
    LocalProvisioner.ensureStorageClass(server.adminClient(), STORAGE_CLASS, "Immediate");
    component("storage class " + STORAGE_CLASS, "CSI driver played: volumes are directories", started);

    s3 = awaitS3();
    s3.createBucket(SampleData.BUCKET);
    link("s3proxy.log", s3.logFile());
    rcloneConfig = SampleData.writePrivate(dir.resolve("rclone.conf"), s3.rcloneConfigSection("sandbox"));
    // It started alongside the API server; show how long it took itself.
    component("S3 server (S3Proxy)", s3.endpoint() + ", bucket " + SampleData.BUCKET, s3Started, s3ReadyNanos);

    started = System.nanoTime();
    Files.createDirectories(volumes.resolve(".logs"));
    link("movers", volumes.resolve(".logs"));
    executor = LocalExecutor.builder(server.adminClient(), volumes)
        .command(MoverCommand.command())
        .baseEnvironment("PATH", Rclone.directory() + ":" + System.getenv("PATH"))
        .kubelet(kubelet)
        .start();
    component("local executor", "mover pods run the Java mover (" + MoverCommand.jar().getFileName() + "), rclone " + Rclone.VERSION, started);

    awaitOperatorReady();
    component("operator", "http://127.0.0.1:" + operatorPort + " (leader, caches synced)", operatorStarted);
  }

  private void component(String name, String where, long startedNanos) {
    component(name, where, startedNanos, System.nanoTime());
  }

  private void component(String name, String where, long startedNanos, long readyNanos) {
    Duration took = Duration.ofNanos(readyNanos - startedNanos);
    out.line(Console.INDENT + Console.pad(name, LABEL_WIDTH) + Console.pad(where, 58) + Console.duration(took));
  }

  private S3Server awaitS3() throws InterruptedException {
    try {
      return s3Starting.get(3, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      throw new Failure("The S3 server did not start.", e.getCause().getMessage());
    } catch (TimeoutException e) {
      throw new Failure("The S3 server did not start within 3 minutes.", "");
    }
  }

  private void startOperator() {
    Path jar = options.operatorJar();
    if (!Files.isRegularFile(jar)) {
      throw new Failure("The operator jar " + jar + " does not exist.", "Build it with: mvn -pl app -am package -DskipTests");
    }
    operatorPort = FreePorts.next();
    List<String> command = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-XX:TieredStopAtLevel=1",
        "-jar", jar.toString(),
        "--datamover.kubeconfig=" + kubeconfig,
        "--server.port=" + operatorPort,
        "--datamover.leader-election.namespace=default");
    operator = LoggedProcess.start("operator", command, logs.resolve("operator.log"));
  }

  private void awaitOperatorReady() throws InterruptedException {
    Instant deadline = Instant.now().plus(OPERATOR_READY_TIMEOUT);
    URI readiness = URI.create("http://127.0.0.1:" + operatorPort + "/actuator/health/readiness");
    String lastAnswer = "no answer";
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
      while (Instant.now().isBefore(deadline)) {
        if (!operator.isAlive()) {
          throw new Failure("The operator exited with code " + operator.exitValue() + " before it was ready.",
              "Last lines of " + operator.logFile() + ":\n" + operator.logTail(LOG_TAIL_LINES));
        }
        try {
          HttpResponse<String> response = http.send(
              HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() == 200) {
            return;
          }
          lastAnswer = "HTTP " + response.statusCode() + " " + response.body();
        } catch (IOException notServingYet) {
          lastAnswer = "not serving yet (" + notServingYet.getClass().getSimpleName() + ")";
        }
        Thread.sleep(250);
      }
    }
    throw new Failure(
        "The operator was not ready within " + OPERATOR_READY_TIMEOUT.toSeconds() + " s (" + readiness + ": " + lastAnswer + ").",
        "Last lines of " + operator.logFile() + ":\n" + operator.logTail(LOG_TAIL_LINES));
  }

  // --- the sample ---------------------------------------------------------------------------------

  private void runSample() throws Exception {
    out.section("Sample backup");
    Path volume = provisioner.volume(SampleData.NAMESPACE, SampleData.PVC);
    Map<String, Long> files = SampleData.writeFiles(volume);
    Path inputsFile = SampleData.writePrivate(dir.resolve("manifests/sample-inputs.yaml"), SampleData.inputsYaml(s3));
    dataMoverFile = SampleData.writePrivate(dir.resolve("manifests/sample-backup.yaml"), SampleData.dataMoverYaml());

    out.line(Console.INDENT + "Files of PVC " + SampleData.NAMESPACE + "/" + SampleData.PVC + " (in " + volume + "):");
    List<List<String>> rows = new ArrayList<>();
    new TreeMap<>(files).forEach((path, size) -> rows.add(List.of(Long.toString(size), path)));
    out.table(List.of("SIZE", "PATH"), rows, 2, 0);
    out.blank();

    kubectlShown("apply", "-f", inputsFile.toString());
    String volumeName = awaitBound(SampleData.NAMESPACE, SampleData.PVC);
    out.line(Console.INDENT + "PVC " + SampleData.NAMESPACE + "/" + SampleData.PVC + " is Bound to " + volumeName + ",");
    out.line(Console.INDENT + "a volume of the played CSI driver (a directory), bound by the real PV controller.");
    out.blank();

    try (DataMoverWatch watch = new DataMoverWatch(watchClient(), SampleData.NAMESPACE, SampleData.DATAMOVER)) {
      kubectlShown("apply", "-f", dataMoverFile.toString());
      List<PhaseEntry> history = follow(watch);
      printHistory(history);
    }
    printResult();
    restoreSample(files);
  }

  /** Restores the sample's newest backup into a new PVC with a DataMoverRestore and compares every file. */
  private void restoreSample(Map<String, Long> files) throws Exception {
    out.section("Sample restore");
    restoreFile = SampleData.writePrivate(dir.resolve("manifests/sample-restore.yaml"), SampleData.restoreYaml());
    kubectlShown("apply", "-f", restoreFile.toString());
    String phase = awaitRestore();
    kubectlShown("get", "datamoverrestores", "-n", SampleData.NAMESPACE, "-o", "wide");
    out.blank();
    if (!"Completed".equals(phase)) {
      throw new Failure("The sample restore ended " + phase + ".", "kubectl describe datamoverrestore -n " + SampleData.NAMESPACE + " " + SampleData.RESTORE);
    }
    Path original = provisioner.volume(SampleData.NAMESPACE, SampleData.PVC);
    Path restored = provisioner.directoryOf(awaitBound(SampleData.NAMESPACE, SampleData.RESTORED_PVC)).orElseThrow();
    out.line(Console.INDENT + "PVC " + SampleData.NAMESPACE + "/" + SampleData.RESTORED_PVC + " (in " + restored + ") against the original:");
    List<List<String>> rows = new ArrayList<>();
    int matching = 0;
    for (String path : new TreeMap<>(files).keySet()) {
      Path copy = restored.resolve(path);
      boolean same = Files.isRegularFile(copy) && Arrays.equals(sha256(original.resolve(path)), sha256(copy));
      matching += same ? 1 : 0;
      rows.add(List.of(Long.toString(files.get(path)), same ? "same" : "DIFFERENT", path));
    }
    out.table(List.of("SIZE", "SHA-256", "PATH"), rows, 2, 0);
    if (matching != files.size()) {
      throw new Failure((files.size() - matching) + " of " + files.size() + " restored files differ from the original.", "Compare " + original + " with " + restored);
    }
    out.line(Console.INDENT.repeat(2) + "All " + files.size() + " files match the original.");
  }

  /** Waits until the sample restore is Completed or Failed; returns the phase. */
  private String awaitRestore() throws InterruptedException {
    Instant deadline = Instant.now().plus(RUN_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      String phase = server.runKubectl("get", "datamoverrestores", "-n", SampleData.NAMESPACE, SampleData.RESTORE, "-o", "jsonpath={.status.phase}").strip();
      if (phase.equals("Completed") || phase.equals("Failed")) {
        return phase;
      }
      Thread.sleep(250);
    }
    throw new Failure("The sample restore did not end within " + RUN_TIMEOUT.toMinutes() + " min.",
        "kubectl describe datamoverrestore -n " + SampleData.NAMESPACE + " " + SampleData.RESTORE);
  }

  private static byte[] sha256(Path file) throws IOException {
    try {
      return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits until the PVC is Bound; returns the name of its PV. */
  private String awaitBound(String namespace, String pvc) throws InterruptedException {
    Instant deadline = Instant.now().plus(PVC_BIND_TIMEOUT);
    CoreV1Api core = new CoreV1Api(server.adminClient());
    while (true) {
      try {
        V1PersistentVolumeClaim claim = core.readNamespacedPersistentVolumeClaim(pvc, namespace).execute();
        if (claim.getStatus() != null && "Bound".equals(claim.getStatus().getPhase())) {
          return claim.getSpec().getVolumeName();
        }
      } catch (ApiException e) {
        log.warn("reading PVC {}/{} failed: HTTP {}", namespace, pvc, e.getCode());
      }
      if (Instant.now().isAfter(deadline)) {
        throw new Failure("PVC " + namespace + "/" + pvc + " was not bound within " + PVC_BIND_TIMEOUT.toSeconds() + " s.",
            "See " + logs.resolve("sandbox.log") + " and " + logs.resolve("kube-controller-manager.log"));
      }
      Thread.sleep(100);
    }
  }

  /** One phase as seen by the watch: when it was entered. */
  private record PhaseEntry(String phase, LocalTime at, long nanos) {}

  /** Prints every change of phase or message until the DataMover is Completed; returns the phases seen. */
  private List<PhaseEntry> follow(DataMoverWatch watch) throws InterruptedException {
    out.section("DataMover " + SampleData.NAMESPACE + "/" + SampleData.DATAMOVER + " (phase changes as they happen)");
    int phaseWidth = "CreatingClonedPVC".length() + 2;
    out.line(Console.INDENT + Console.pad("TIME", 12) + Console.pad("PHASE", phaseWidth) + "MESSAGE");
    Instant deadline = Instant.now().plus(RUN_TIMEOUT);
    List<PhaseEntry> history = new ArrayList<>();
    String lastPhase = null;
    String lastMessage = null;
    JsonObject last = null;
    while (true) {
      JsonObject version = watch.next(Duration.ofMillis(500));
      if (!operator.isAlive()) {
        throw new Failure("The operator exited with code " + operator.exitValue() + " during the sample backup.",
            "Last lines of " + operator.logFile() + ":\n" + operator.logTail(LOG_TAIL_LINES));
      }
      if (version == null) {
        if (Instant.now().isAfter(deadline)) {
          String phase = last == null ? "(none)" : display(DataMoverWatch.string(last, "status", "phase"));
          throw new Failure("DataMover " + SampleData.NAMESPACE + "/" + SampleData.DATAMOVER + " did not complete within "
                  + RUN_TIMEOUT.toMinutes() + " minutes; it is in phase " + phase + ".",
              "Last lines of " + operator.logFile() + ":\n" + operator.logTail(LOG_TAIL_LINES));
        }
        continue;
      }
      last = version;
      if (!version.has("status") || !version.get("status").isJsonObject()) {
        continue;
      }
      String phase = DataMoverWatch.string(version, "status", "phase");
      String message = DataMoverWatch.string(version, "status", "message");
      if (phase.equals(lastPhase) && message.equals(lastMessage)) {
        continue;
      }
      LocalTime now = LocalTime.now();
      if (!phase.equals(lastPhase)) {
        history.add(new PhaseEntry(phase, now, System.nanoTime()));
      }
      out.line(Console.INDENT + Console.pad(Console.time(now), 12) + Console.pad(display(phase), phaseWidth) + message);
      lastPhase = phase;
      lastMessage = message;
      if ("Completed".equals(phase)) {
        return history;
      }
      if ("Failed".equals(phase)) {
        throw moverFailure(version);
      }
    }
  }

  private static String display(String phase) {
    return phase.isEmpty() ? "\"\"" : phase;
  }

  private Failure moverFailure(JsonObject dataMover) {
    String reason = DataMoverWatch.string(dataMover, "status", "reason");
    String message = DataMoverWatch.string(dataMover, "status", "message");
    StringBuilder details = new StringBuilder();
    List<Path> podLogs = moverPodLogs();
    if (podLogs.isEmpty()) {
      details.append("No mover pod ran. Last lines of ").append(operator.logFile()).append(":\n")
          .append(operator.logTail(LOG_TAIL_LINES));
    }
    if (!podLogs.isEmpty()) {
      Path podLog = podLogs.getLast();
      details.append("Log of the last mover pod, ").append(podLog.getFileName().toString().replaceFirst("\\.log$", ""))
          .append(" (").append(podLog).append("):\n").append(tail(podLog));
      if (podLogs.size() > 1) {
        details.append("\n\nThe logs of the ").append(podLogs.size() - 1).append(" earlier attempt(s) are in ")
            .append(podLog.getParent()).append('.');
      }
    }
    return new Failure("DataMover " + SampleData.NAMESPACE + "/" + SampleData.DATAMOVER + " Failed: "
        + (reason.isEmpty() ? "" : reason + ": ") + message, details.toString());
  }

  private List<Path> moverPodLogs() {
    Path podLogs = volumes.resolve(".logs").resolve(SampleData.NAMESPACE);
    if (!Files.isDirectory(podLogs)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(podLogs)) {
      return files.sorted(Comparator.comparing(Sandbox::modified)).toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static long modified(Path file) {
    try {
      return Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  private static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }

  private void printHistory(List<PhaseEntry> history) {
    out.section("Phase history");
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < history.size(); i++) {
      PhaseEntry entry = history.get(i);
      String spent = i + 1 < history.size()
          ? Console.duration(Duration.ofNanos(history.get(i + 1).nanos() - entry.nanos()))
          : "";
      rows.add(List.of(display(entry.phase()), Console.time(entry.at()), spent));
    }
    out.table(List.of("PHASE", "ENTERED", "TIME IN PHASE"), rows, 1, 2);
    if (history.size() > 1) {
      Duration total = Duration.ofNanos(history.getLast().nanos() - history.getFirst().nanos());
      out.line(Console.INDENT + "Total: " + Console.duration(total) + " from the first status to Completed.");
    }
  }

  private void printResult() {
    out.section("Result");
    kubectlShown("get", "datamovers", "-n", SampleData.NAMESPACE, "-o", "wide");
    out.blank();
    out.line(Console.INDENT + "Objects in bucket " + SampleData.BUCKET + " (" + s3.endpoint() + "):");
    Rclone.Result listing = Rclone.run(s3.rcloneEnvironment("SANDBOX"), null, Duration.ofMinutes(1),
        List.of("--config", "/dev/null", "lsjson", "-R", "--files-only", "SANDBOX:" + SampleData.BUCKET));
    if (!listing.ok()) {
      throw new Failure("Listing the bucket failed (rclone exit " + listing.exitCode() + ").", listing.stderr());
    }
    List<List<String>> rows = new ArrayList<>();
    long total = 0;
    List<JsonObject> objects = new ArrayList<>();
    for (JsonElement element : JsonParser.parseString(listing.stdoutText()).getAsJsonArray()) {
      // S3Proxy's filesystem store also lists its directories, as keys ending in "/"; they are no objects.
      if (!element.getAsJsonObject().get("Path").getAsString().endsWith("/")) {
        objects.add(element.getAsJsonObject());
      }
    }
    objects.sort(Comparator.comparing(o -> o.get("Path").getAsString()));
    for (JsonObject object : objects) {
      long size = object.get("Size").getAsLong();
      total += size;
      rows.add(List.of(Long.toString(size), object.get("Path").getAsString()));
    }
    out.table(List.of("SIZE", "KEY"), rows, 2, 0);
    out.line(Console.INDENT.repeat(2) + rows.size() + " objects, " + Console.bytes(total)
        + "; .datamover/manifest.json is the completion marker, written last.");
  }

  /**
   * The sample schedule: applied with kubectl, it starts its first run at once (runOnCreation) and then
   * one every two minutes, keeping 3 points in time; shown once the first run has completed.
   */
  private void runScheduleSample() throws InterruptedException {
    out.section("Sample schedule");
    scheduleFile = SampleData.writePrivate(dir.resolve("manifests/sample-schedule.yaml"), SampleData.scheduleYaml());
    kubectlShown("apply", "-f", scheduleFile.toString());
    Instant deadline = Instant.now().plus(RUN_TIMEOUT);
    String jsonPath = "-o=jsonpath={.status.lastSuccessfulTime}";
    while (server.runKubectl("get", "datamoverschedule", SampleData.SCHEDULE, "-n", SampleData.NAMESPACE, jsonPath).isBlank()) {
      if (Instant.now().isAfter(deadline)) {
        throw new Failure("The first run of DataMoverSchedule " + SampleData.NAMESPACE + "/" + SampleData.SCHEDULE + " did not complete within "
            + RUN_TIMEOUT.toMinutes() + " minutes.", "Last lines of " + operator.logFile() + ":\n" + operator.logTail(LOG_TAIL_LINES));
      }
      Thread.sleep(250);
    }
    out.line(Console.INDENT + "Its first run has completed; a new one starts every two minutes and keeps the newest 3 points in time.");
    kubectlShown("get", "datamoverschedules", "-n", SampleData.NAMESPACE, "-o", "wide");
  }

  // --- exploring ----------------------------------------------------------------------------------

  private void printGuide() {
    String kubectl = server.kubectl().toString();
    String rclone = Rclone.binary().toString();
    String caBundle = System.getenv("AWS_CA_BUNDLE");
    if (caBundle != null && !caBundle.isBlank()) {
      rclone = "env -u AWS_CA_BUNDLE " + rclone; // rclone refuses to start while it is set
    }
    String actuator = "http://127.0.0.1:" + operatorPort + "/actuator";
    int width = 14;
    out.section("The sandbox is running: explore it from another terminal");
    out.field("kubectl", "export KUBECONFIG=" + kubeconfig, width);
    out.field("", "alias kubectl=" + kubectl + "   # or any kubectl", width);
    out.field("Try", "kubectl get datamovers -A", width);
    out.field("", "kubectl describe datamover -n " + SampleData.NAMESPACE + " " + SampleData.DATAMOVER, width);
    out.field("", "kubectl events -n " + SampleData.NAMESPACE, width);
    out.field("", "kubectl get pvc,jobs,pods -n " + SampleData.NAMESPACE, width);
    out.field("", "kubectl get nodes,pv,storageclasses", width);
    out.field("", "kubectl get datamoverrestores,pvc -n " + SampleData.NAMESPACE, width);
    out.field("Run again", "change metadata.name in " + dataMoverFile + ", then kubectl apply -f it", width);
    out.field("Restore", "change metadata.name and targetPvc in " + restoreFile + ", then kubectl apply -f it", width);
    out.field("Schedule", "kubectl get dms,dm -n " + SampleData.NAMESPACE + "   (" + scheduleFile + ")", width);
    out.field("", "kubectl patch dms -n " + SampleData.NAMESPACE + " " + SampleData.SCHEDULE
        + " --type merge -p '{\"spec\":{\"manualTrigger\":\"'$(date +%s)'\"}}'   # run now", width);
    out.field("S3", s3.endpoint() + ", bucket " + SampleData.BUCKET + "; keys in Secret "
        + SampleData.NAMESPACE + "/" + SampleData.SECRET + " and in " + rcloneConfig, width);
    out.field("", rclone + " --config " + rcloneConfig + " lsf -R sandbox:" + SampleData.BUCKET, width);
    out.field("Operator", actuator + "/health", width);
    out.field("", actuator + "/prometheus   (the datamover_* metrics)", width);
    out.field("Logs", logs + "/: operator.log, kube-apiserver.log, etcd.log,", width);
    out.field("", "kube-controller-manager.log, kube-scheduler.log, s3proxy.log, sandbox.log,", width);
    out.field("", "movers/<namespace>/<pod>.log", width);
    out.field("Volumes", volumes + "/<namespace>/<pvc>: the data of each PVC", width);
    out.blank();
    out.line("Press Ctrl-C (or send SIGTERM) to stop the sandbox; that removes " + dir + ".");
  }

  private void awaitStopRequest() {
    boolean operatorExitReported = false;
    while (!stopRequested.get()) {
      if (!operatorExitReported && !operator.isAlive()) {
        out.line("Note: the operator exited with code " + operator.exitValue() + "; see " + operator.logFile());
        operatorExitReported = true;
      }
      try {
        Thread.sleep(1000);
      } catch (InterruptedException signalled) {
        return;
      }
    }
  }

  // --- helpers ------------------------------------------------------------------------------------

  /** Runs kubectl as the admin, showing the command and its output as a user would see them. */
  private void kubectlShown(String... args) {
    out.line(Console.INDENT + "$ kubectl " + String.join(" ", args));
    out.block(server.runKubectl(args), 2);
  }

  /** An admin client whose reads never time out, for watches. */
  private ApiClient watchClient() {
    ApiClient client = server.adminClient();
    client.setReadTimeout(0);
    return client;
  }

  /** A symbolic link {@code logs/<name>} to a log kept elsewhere, so all logs are in one place. */
  private void link(String name, Path target) {
    try {
      Files.deleteIfExists(logs.resolve(name));
      Files.createSymbolicLink(logs.resolve(name), target);
    } catch (IOException e) {
      log.warn("cannot link {} to {}: {}", logs.resolve(name), target, e.toString());
    }
  }

  private void report(Exception e) {
    log.error("sandbox failed", e);
    out.blank();
    if (e instanceof Failure failure) {
      out.line("FAILED: " + failure.getMessage());
      if (!failure.details().isBlank()) {
        out.blank();
        out.block(failure.details(), 1);
      }
    } else {
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      out.line("FAILED: " + message.stripTrailing());
      out.line("(stack trace in " + logs.resolve("sandbox.log") + ")");
    }
  }

  /** A problem the sandbox explains itself: a one-line headline and details such as a log's end. */
  static final class Failure extends RuntimeException {
    private final String details;

    Failure(String headline, String details) {
      super(headline);
      this.details = details == null ? "" : details;
    }

    String details() {
      return details;
    }
  }

  // --- stopping -----------------------------------------------------------------------------------

  private void installSignalHandlers() {
    for (String name : List.of("INT", "TERM", "HUP")) {
      try {
        Signal.handle(new Signal(name), this::onSignal);
      } catch (IllegalArgumentException ignoredByParent) {
        // E.g. SIGINT of a background job, which the shell made ignored: hack/sandbox.sh sends SIGTERM.
      }
    }
    // Should the JVM exit some other way, the children must not outlive it.
    Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "stop-sandbox"));
  }

  private void onSignal(Signal signal) {
    if (!stopRequested.compareAndSet(false, true)) {
      out.blank();
      out.line("SIG" + signal.getName() + " again: killing everything now. Files are kept in " + dir);
      ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
      Runtime.getRuntime().halt(137);
    } else if (!stopping) {
      mainThread.interrupt();
    } else {
      out.line(" (stopping; send the signal again to kill everything at once)");
    }
  }

  /** Stops every part that was started, in the reverse order of dependence; removes the files unless kept. */
  private synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    stopping = true;
    Thread.interrupted();
    out.blank();
    out.append("Stopping");
    List<String> done = new ArrayList<>();
    stopPart("operator", operator, done);
    stopPart("local executor", executor, done);
    stopPart("kubelet", kubelet, done);
    stopPart("CSI driver", provisioner, done);
    if (s3 == null && s3Starting != null) {
      try {
        s3 = s3Starting.get(2, TimeUnit.MINUTES);
      } catch (Exception notStarted) {
        // It did not start; nothing to stop.
      }
    }
    // The S3 server and the API server delete their directories, logs included, when they stop.
    if (keepFiles) {
      keepLog("s3proxy.log");
    }
    stopPart("S3 server", s3, done);
    stopPart("kube-scheduler", scheduler, done);
    stopPart("kube-controller-manager", controllerManager, done);
    if (keepFiles) {
      keepLog("etcd.log");
      keepLog("kube-apiserver.log");
      keepLog("kube-controller-manager.log");
      keepLog("kube-scheduler.log");
    }
    stopPart("API server", server, done);
    out.line(".");
    if (keepFiles) {
      out.line("Files kept for a look: " + dir);
    } else {
      deleteRecursively(dir);
    }
    out.line("Sandbox stopped.");
  }

  private void stopPart(String name, AutoCloseable part, List<String> done) {
    if (part == null) {
      return;
    }
    try {
      part.close();
    } catch (Exception e) {
      log.warn("stopping {} failed", name, e);
    }
    out.append((done.isEmpty() ? ": " : ", ") + name);
    done.add(name);
  }

  /** Replaces the link {@code logs/<name>} with a copy of the log it points to. */
  private void keepLog(String name) {
    Path link = logs.resolve(name);
    try {
      if (Files.isSymbolicLink(link)) {
        Path target = Files.readSymbolicLink(link);
        Files.delete(link);
        if (Files.isRegularFile(target)) {
          Files.copy(target, link);
        }
      }
    } catch (IOException e) {
      log.warn("cannot keep {}", link, e);
    }
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        try {
          Files.deleteIfExists(path);
        } catch (IOException e) {
          // Best effort: a leftover in the temporary directory is harmless.
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // Already gone.
    }
  }

  // --- options ------------------------------------------------------------------------------------

  /** Command-line options; the jars default to the locations hack/sandbox.sh builds them in. */
  record Options(boolean exitWhenDone, boolean help, Path repo, Path operatorJar, Path s3proxyJar) {
    static Options parse(String[] args) {
      boolean exitWhenDone = false;
      boolean help = false;
      Path repo = null;
      Path operatorJar = null;
      Path s3proxyJar = null;
      for (String arg : args) {
        if (arg.equals("--keep-running")) {
          exitWhenDone = false;
        } else if (arg.equals("--exit-when-done")) {
          exitWhenDone = true;
        } else if (arg.equals("-h") || arg.equals("--help")) {
          help = true;
        } else if (arg.startsWith("--repo=")) {
          repo = Path.of(arg.substring("--repo=".length()));
        } else if (arg.startsWith("--operator-jar=")) {
          operatorJar = Path.of(arg.substring("--operator-jar=".length()));
        } else if (arg.startsWith("--s3proxy-jar=")) {
          s3proxyJar = Path.of(arg.substring("--s3proxy-jar=".length()));
        } else {
          throw new IllegalArgumentException("unknown option " + arg);
        }
      }
      if (help) {
        return new Options(false, true, null, null, null);
      }
      repo = (repo != null ? repo : EnvtestAssets.repositoryRoot()).toAbsolutePath();
      if (operatorJar == null) {
        operatorJar = repo.resolve("app/target/datamover-operator-0.1.0-SNAPSHOT.jar");
      }
      if (s3proxyJar == null) {
        String property = System.getProperty(S3Server.JAR_PROPERTY);
        if (property == null || property.isBlank()) {
          throw new IllegalArgumentException("give the S3Proxy jar: --s3proxy-jar=<path> or -D" + S3Server.JAR_PROPERTY + "=<path>");
        }
        s3proxyJar = Path.of(property);
      }
      return new Options(exitWhenDone, false, repo, operatorJar, s3proxyJar);
    }
  }
}
