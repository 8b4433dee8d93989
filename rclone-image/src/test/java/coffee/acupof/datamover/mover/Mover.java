package coffee.acupof.datamover.mover;

import static org.assertj.core.api.Assertions.assertThat;

import coffee.acupof.datamover.testkit.MoverCommand;
import coffee.acupof.datamover.testkit.Rclone;
import coffee.acupof.datamover.testkit.S3Server;
import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the mover ({@link MoverCommand}: the Java program's jar) as a local process, the way the Job's container
 * would, with the pinned rclone first on {@code PATH}.
 *
 * <p>The environment is hermetic: variables of this machine that the contract reads ({@code MOVER_*},
 * {@code AWS_*}, {@code BUCKET_*}, {@code REMOTE_*}, {@code ENCRYPTED_*}, {@code RCLONE_*}, ...) are removed
 * first. Every run checks the invariants of the contract that hold for any outcome: the last stdout line is
 * the result JSON, it equals the result file, its exit code equals the process's, it is under 4096 bytes, the
 * private temp dir is gone, and no registered secret appears in stdout, stderr or the result file.
 */
final class Mover {

  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);
  private static final List<String> CONTRACT_PREFIXES = List.of(
      "MOVER_", "AWS_", "BUCKET_", "TLS_HOST", "REMOTE_", "ENCRYPTED_", "RCLONE_", "ADD_TIMESTAMP_PREFIX");

  private final Path scratch;
  private final Map<String, String> env = new LinkedHashMap<>();
  private final Set<String> secrets = new LinkedHashSet<>();
  private List<String> commandPrefix = List.of();
  private List<String> launcher = MoverCommand.command();
  private Path rcloneDirectory;

  /** A runner whose temp files live under {@code scratch}. */
  Mover(Path scratch) {
    this.scratch = scratch;
  }

  /** The environment of the S3 form (a) for {@code server} and {@code bucket}, as an old-operator Secret has it. */
  static Map<String, String> s3Form(S3Server server, String bucket) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("AWS_ACCESS_KEY_ID", server.accessKey());
    env.put("AWS_SECRET_ACCESS_KEY", server.secretKey());
    env.put("AWS_REGION", server.region());
    env.put("BUCKET_HOST", server.host());
    env.put("BUCKET_PORT", String.valueOf(server.port()));
    env.put("BUCKET_NAME", bucket);
    env.put("TLS_HOST", String.valueOf(server.tls()));
    return env;
  }

  /** Sets a variable for every later run ({@code null} removes it). */
  Mover env(String name, String value) {
    if (value == null) {
      env.remove(name);
    } else {
      env.put(name, value);
    }
    return this;
  }

  Mover env(Map<String, String> values) {
    values.forEach(this::env);
    return this;
  }

  /** Registers values that must never appear in what the mover prints or writes. */
  Mover secret(String... values) {
    for (String value : values) {
      if (value != null && !value.isEmpty()) {
        secrets.add(value);
      }
    }
    return this;
  }

  /**
   * Runs the mover through {@code prefix} (e.g. {@code setpriv --reuid=65532 ...}) with rclone taken from
   * {@code rcloneDirectory}; the run's temp dir and result file are then made writable for everyone.
   */
  Mover as(List<String> prefix, Path rcloneDirectory) {
    this.commandPrefix = List.copyOf(prefix);
    this.rcloneDirectory = rcloneDirectory;
    return this;
  }

  /** Runs the mover with another launcher, e.g. {@link MoverCommand#through} a jlink runtime. */
  Mover launcher(List<String> command) {
    this.launcher = List.copyOf(command);
    return this;
  }

  /** A copy with the same environment and secrets, to vary for one run. */
  Mover copy() {
    Mover copy = new Mover(scratch);
    copy.env.putAll(env);
    copy.secrets.addAll(secrets);
    copy.commandPrefix = commandPrefix;
    copy.rcloneDirectory = rcloneDirectory;
    copy.launcher = launcher;
    return copy;
  }

  Run backup() {
    return run("backup");
  }

  Run restore() {
    return run("restore");
  }

  Run list() {
    return run("list");
  }

  /** Runs the mover with {@code operation} as first argument (none when null). */
  Run run(String operation) {
    return run(operation, null);
  }

  /**
   * Runs the mover in its own process group and, once its stderr contains {@code marker}, sends SIGTERM
   * to the whole group, as {@code tini -g} does in the image when Kubernetes stops the pod.
   */
  Run runAndInterrupt(String operation, String marker) {
    return run(operation, marker);
  }

  private Run run(String operation, String interruptMarker) {
    try {
      Path runDir = Files.createTempDirectory(scratch, "run-");
      Path tmp = Files.createDirectories(runDir.resolve("tmp"));
      Path resultFile = runDir.resolve("result.json");
      Path stdout = runDir.resolve("stdout");
      Path stderr = runDir.resolve("stderr");
      if (!commandPrefix.isEmpty()) {
        for (Path dir : List.of(runDir, tmp)) {
          Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        }
      }
      List<String> command = new ArrayList<>(commandPrefix);
      if (interruptMarker != null) {
        command.add("setsid");
      }
      command.addAll(launcher);
      if (operation != null) {
        command.add(operation);
      }
      ProcessBuilder builder = Rclone.sanitize(new ProcessBuilder(command))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(stdout.toFile())
          .redirectError(stderr.toFile());
      Map<String, String> processEnv = builder.environment();
      processEnv.keySet().removeIf(name -> CONTRACT_PREFIXES.stream().anyMatch(name::startsWith));
      Path rcloneDir = rcloneDirectory != null ? rcloneDirectory : Rclone.directory();
      processEnv.put("PATH", rcloneDir + File.pathSeparator + processEnv.getOrDefault("PATH", "/usr/bin:/bin"));
      processEnv.put("TMPDIR", tmp.toString());
      processEnv.put("MOVER_RESULT_FILE", resultFile.toString());
      processEnv.putAll(env);
      Process process = builder.start();
      CommandLineWatcher watcher = new CommandLineWatcher(process);
      watcher.start();
      if (interruptMarker != null) {
        long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
        while (process.isAlive() && System.nanoTime() < deadline
            && !Files.readString(stderr, StandardCharsets.UTF_8).contains(interruptMarker)) {
          Thread.sleep(50);
        }
        Thread.sleep(500);
        new ProcessBuilder("kill", "-TERM", "--", "-" + process.pid()).inheritIO().start().waitFor();
      }
      if (!process.waitFor(RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new AssertionError("the mover did not finish within " + RUN_TIMEOUT + "; stderr:\n"
            + Files.readString(stderr, StandardCharsets.UTF_8));
      }
      watcher.stopWatching();
      Run run = new Run(process.exitValue(),
          Files.readString(stdout, StandardCharsets.UTF_8),
          Files.readString(stderr, StandardCharsets.UTF_8),
          Files.exists(resultFile) ? Files.readString(resultFile, StandardCharsets.UTF_8) : null,
          Set.copyOf(watcher.commandLines()));
      for (String secret : secrets) {
        assertThat(watcher.commandLines()).as("a secret value appears on a command line of the mover's processes")
            .noneMatch(line -> line.contains(secret));
      }
      // Visible in the failsafe report of the test: what ran and what it reported.
      System.out.println("mover " + operation + " (exit " + run.exitCode() + "): " + run.lastLine());
      checkInvariants(run, tmp);
      return run;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void checkInvariants(Run run, Path tmp) throws IOException {
    String described = run.describe();
    for (String secret : secrets) {
      assertThat(run.stdout()).as("a secret value appears in stdout\n%s", described).doesNotContain(secret);
      assertThat(run.stderr()).as("a secret value appears in stderr\n%s", described).doesNotContain(secret);
      if (run.resultFile() != null) {
        assertThat(run.resultFile()).as("a secret value appears in the result file").doesNotContain(secret);
      }
    }
    String last = run.lastLine();
    assertThat(last).as("last stdout line must be the result JSON\n%s", described).startsWith("{").endsWith("}");
    assertThat(run.resultFile()).as("result file\n%s", described).isNotNull();
    assertThat(run.resultFile().strip()).as("result file equals the last stdout line").isEqualTo(last);
    assertThat(last.getBytes(StandardCharsets.UTF_8).length).as("termination message limit").isLessThan(4096);
    assertThat(run.<Integer>get("$.exitCode")).as("exitCode in the result\n%s", described).isEqualTo(run.exitCode());
    assertThat(run.<String>get("$.status")).isEqualTo(run.exitCode() == 0 ? "success" : "failed");
    assertThat(run.message()).as("message is one line").doesNotContain("\n");
    for (String field : List.of("operation", "destination", "pointInTime", "files", "bytes", "errors", "deleted",
        "durationSeconds", "rcloneVersion", "message")) {
      assertThat(run.json().<Map<String, Object>>read("$")).as("result field %s", field).containsKey(field);
    }
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left.toList()).as("the mover removes its temp dir").isEmpty();
    }
  }

  /**
   * Samples the command lines of the mover's child processes (rclone) while it runs, so tests can
   * assert that no secret is ever passed as an argument (command lines are visible to every user of a node).
   */
  private static final class CommandLineWatcher extends Thread {
    private final Process process;
    private final Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;

    CommandLineWatcher(Process process) {
      this.process = process;
      setDaemon(true);
      setName("mover-cmdline-watcher");
    }

    @Override
    public void run() {
      while (running && process.isAlive()) {
        process.descendants().forEach(child -> child.info().arguments()
            .ifPresent(args -> seen.add(String.join(" ", args))));
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    void stopWatching() throws InterruptedException {
      running = false;
      join(2000);
    }

    Set<String> commandLines() {
      return seen;
    }
  }

  /** The outcome of one run. */
  record Run(int exitCode, String stdout, String stderr, String resultFile, Set<String> commandLines) {

    String lastLine() {
      List<String> lines = stdout.lines().filter(line -> !line.isBlank()).toList();
      return lines.isEmpty() ? "" : lines.getLast();
    }

    /** Lines of stdout before the result JSON. */
    List<String> outputLines() {
      List<String> lines = stdout.lines().filter(line -> !line.isBlank()).toList();
      return lines.isEmpty() ? List.of() : lines.subList(0, lines.size() - 1);
    }

    DocumentContext json() {
      return JsonPath.parse(lastLine());
    }

    <T> T get(String path) {
      return json().read(path);
    }

    String message() {
      return get("$.message");
    }

    long files() {
      return ((Number) get("$.files")).longValue();
    }

    long bytes() {
      return ((Number) get("$.bytes")).longValue();
    }

    long deleted() {
      return ((Number) get("$.deleted")).longValue();
    }

    String destination() {
      return get("$.destination");
    }

    String pointInTime() {
      return get("$.pointInTime");
    }

    String describe() {
      return "exit " + exitCode + "\n--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr;
    }
  }
}
