package coffee.acupof.datamover.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import coffee.acupof.datamover.testkit.EnvtestAssets;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's sandbox command, {@code hack/sandbox.sh}, run as a newcomer runs it: it starts the whole
 * system, backs up the sample to Completed, prints the phase history and the bucket's objects, keeps
 * running for kubectl, and on SIGTERM stops everything it started.
 *
 * <p>It runs after packaging (Failsafe), so the operator jar exists; {@code DATAMOVER_SKIP_BUILD=1} keeps
 * the script from rebuilding the module that is being verified.
 */
class SandboxIT {
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
  private static final String READY_LINE = "Press Ctrl-C (or send SIGTERM) to stop the sandbox";
  private static final Pattern OBJECT =
      Pattern.compile("(?m)^ +(\\d+) {2}(\\d{4}-\\d{2}-\\d{2}-\\d{6})/(\\S+)$");

  @Test
  void theSandboxBacksUpTheSampleStaysUpForKubectlAndStopsEverythingOnSigterm() throws Exception {
    Path root = EnvtestAssets.repositoryRoot();
    Path output = Files.createTempFile("sandbox-it", ".out");
    ProcessBuilder builder = new ProcessBuilder("bash", "hack/sandbox.sh")
        .directory(root.toFile())
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().put("DATAMOVER_SKIP_BUILD", "1");
    Process sandbox = builder.start();
    Set<ProcessHandle> family = ConcurrentHashMap.newKeySet();
    try {
      String out = awaitOutput(sandbox, output, family);
      try {
        checkWhatWasPrinted(out);
        checkTheClusterWithKubectl(out);
        checkTheSecretStaysOutOfConsoleAndOperatorLog(out);

        Path files = Path.of(find(out, "All files of this sandbox are in (\\S+)"));
        List<Integer> ports = List.of(
            Integer.parseInt(find(out, "etcd \\+ kube-apiserver +https://127\\.0\\.0\\.1:(\\d+)")),
            Integer.parseInt(find(out, "operator +http://127\\.0\\.0\\.1:(\\d+)")),
            Integer.parseInt(find(out, "S3 server \\(S3Proxy\\) +http://127\\.0\\.0\\.1:(\\d+)")));
        assertThat(ports).allSatisfy(port -> assertThat(accepts(port)).as("port %d open while running", port).isTrue());

        family.addAll(sandbox.descendants().toList());
        sandbox.destroy(); // SIGTERM, as `kill` or a supervisor would send
        assertThat(sandbox.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
            .as("hack/sandbox.sh stopped within %s after SIGTERM", STOP_TIMEOUT).isTrue();
        String all = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(sandbox.exitValue()).isZero();
        assertThat(all).contains(
            "Stopping: operator, local executor, kubelet, CSI driver, S3 server, kube-scheduler, kube-controller-manager, API server.",
            "Sandbox stopped.");
        assertThat(ports).allSatisfy(port -> assertThat(accepts(port)).as("port %d open after the stop", port).isFalse());
        assertThat(files).doesNotExist();
        assertThat(family).as("processes the sandbox started").allSatisfy(p -> assertThat(p.isAlive()).as("%s alive", info(p)).isFalse());
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n--- output of hack/sandbox.sh ---\n"
            + Files.readString(output, StandardCharsets.UTF_8), e);
      }
    } finally {
      family.addAll(sandbox.descendants().toList());
      sandbox.destroyForcibly();
      family.forEach(ProcessHandle::destroyForcibly);
      for (ProcessHandle process : family) {
        try {
          process.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception stillThere) {
          // Reported by the assertion above when the test got that far; nothing more to do here.
        }
      }
      Files.deleteIfExists(output);
    }
  }

  /** Waits until the sandbox says it is running, remembering every process it starts on the way. */
  private static String awaitOutput(Process sandbox, Path output, Set<ProcessHandle> family) throws Exception {
    Instant deadline = Instant.now().plus(READY_TIMEOUT);
    while (true) {
      family.addAll(sandbox.descendants().toList());
      String out = Files.readString(output, StandardCharsets.UTF_8);
      if (out.contains(READY_LINE)) {
        return out;
      }
      if (!sandbox.isAlive()) {
        throw new AssertionError("hack/sandbox.sh exited with " + sandbox.exitValue() + " before it was ready:\n" + out);
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("hack/sandbox.sh was not ready within " + READY_TIMEOUT + ":\n" + out);
      }
      Thread.sleep(500);
    }
  }

  private static void checkWhatWasPrinted(String out) {
    assertThat(out).doesNotContain("Exception", "FAILED", "SLF4J");
    assertThat(out).contains(
        "namespace/demo created",
        "persistentvolumeclaim/sample-data created",
        "secret/storage-credentials created",
        "datamover.datamover.a-cup-of.coffee/sample-backup created",
        "datamoverschedule.datamover.a-cup-of.coffee/sample-schedule created",
        "Its first run has completed");

    // Every phase of a backup that deletes its clone, in order, as the watch saw them.
    List<String> phases = section(out, "Phase history", "Result").lines()
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("-") && !line.startsWith("PHASE") && !line.startsWith("Total"))
        .map(line -> line.split(" +")[0])
        .toList();
    assertThat(phases).containsSubsequence("CreatingClonedPVC", "ClonedPVCReady", "CreatingPod", "CleaningUp", "Completed");
    assertThat(phases.getLast()).isEqualTo("Completed");

    String result = section(out, "Result", "Sample restore");
    assertThat(result).containsPattern("sample-backup +Completed +sample-data +True");

    Map<String, Long> objects = new LinkedHashMap<>();
    List<String> folders = new ArrayList<>();
    Matcher matcher = OBJECT.matcher(result);
    while (matcher.find()) {
      objects.put(matcher.group(3), Long.parseLong(matcher.group(1)));
      folders.add(matcher.group(2));
    }
    assertThat(folders).as("one point-in-time folder").isNotEmpty().containsOnly(folders.getFirst());
    assertThat(result).containsPattern("s3:backups/" + folders.getFirst());
    assertThat(objects).containsKeys(
        "README.txt", "config/settings.yaml", "data/customers.csv", "logs/2026-01-15/app.log", ".datamover/manifest.json");
    assertThat(objects).containsEntry("data/images/logo.bin", 4096L);
    assertThat(result).contains(objects.size() + " objects");

    String restore = section(out, "Sample restore", "The sandbox is running");
    assertThat(restore).contains("datamoverrestore.datamover.a-cup-of.coffee/sample-restore created");
    assertThat(restore).containsPattern("sample-restore +Completed +sample-data +sample-data-restored +" + folders.getFirst() + " +True");
    assertThat(restore).contains("All 5 files match the original.").doesNotContain("DIFFERENT");
  }

  private static void checkTheClusterWithKubectl(String out) throws Exception {
    String kubeconfig = find(out, "export KUBECONFIG=(\\S+)");
    String kubectl = find(out, "alias kubectl=(\\S+)");
    assertThat(run(List.of(kubectl, "get", "datamover", "-n", "demo", "sample-backup", "-o", "jsonpath={.status.phase}"), kubeconfig))
        .isEqualTo("Completed");
    // The clone is gone for good (PVC protection and garbage collection run): the sample's PVC and the
    // restored one are left. (A run of the sample schedule may have its own clone right now.)
    assertThat(run(List.of(kubectl, "get", "pvc", "-n", "demo", "-o", "name"), kubeconfig).strip().lines().filter(l -> !l.contains("sample-schedule-")))
        .containsExactlyInAnyOrder("persistentvolumeclaim/sample-data", "persistentvolumeclaim/sample-data-restored");
    // The sample schedule has completed its first run.
    assertThat(run(List.of(kubectl, "get", "datamoverschedule", "-n", "demo", "sample-schedule", "-o", "jsonpath={.status.lastRun.trigger}"), kubeconfig))
        .isNotBlank();

    String health = find(out, "(http://127\\.0\\.0\\.1:\\d+/actuator/health)");
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(health)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("\"leader\":true");
    }
  }

  private static void checkTheSecretStaysOutOfConsoleAndOperatorLog(String out) throws IOException {
    Path rcloneConfig = Path.of(find(out, "--config (\\S+/rclone\\.conf)"));
    String secret = Files.readAllLines(rcloneConfig).stream()
        .filter(line -> line.startsWith("secret_access_key = "))
        .map(line -> line.substring("secret_access_key = ".length()))
        .findFirst()
        .orElseThrow();
    Path logs = Path.of(find(out, "Logs +(\\S+)/:"));
    assertThat(out).doesNotContain(secret);
    assertThat(Files.readString(logs.resolve("operator.log"))).doesNotContain(secret);
  }

  /** The text between the heading {@code from} and the heading {@code to}. */
  private static String section(String out, String from, String to) {
    int start = out.indexOf("\n" + from + "\n");
    int end = out.indexOf("\n" + to, start + 1);
    assertThat(start).as("section %s", from).isNotNegative();
    assertThat(end).as("section %s", to).isGreaterThan(start);
    return out.substring(start, end);
  }

  private static String find(String out, String regex) {
    Matcher matcher = Pattern.compile(regex).matcher(out);
    assertThat(matcher.find()).as("output matches %s", regex).isTrue();
    return matcher.group(1);
  }

  private static String run(List<String> command, String kubeconfig) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("KUBECONFIG", kubeconfig);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("%s: %s", command, output).isZero();
    return output;
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String info(ProcessHandle process) {
    return process.pid() + " " + process.info().commandLine().orElse("?");
  }
}
