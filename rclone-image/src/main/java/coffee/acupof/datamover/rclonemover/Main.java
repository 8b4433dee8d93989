package coffee.acupof.datamover.rclonemover;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The mover's entry point: {@code datamover-mover [backup|restore|list|prune|verify]} (or {@code MOVER_OPERATION}),
 * configured by environment variables (docs/mover-contract.md). It prints one JSON result as the last stdout line,
 * writes it to {@code MOVER_RESULT_FILE} (the termination message), and exits with the contract's code.
 */
public final class Main {

  /** The contract revision this program implements (1.1: contract 1 plus additive variables and fields). */
  public static final String CONTRACT_REVISION = "1.1";
  private static final String DEFAULT_RESULT_FILE = "/dev/termination-log";

  private Main() {}

  public static void main(String[] args) {
    Termination termination = Termination.install();
    PrintStream stdout = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
        StandardCharsets.UTF_8);
    PrintStream stderr = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true,
        StandardCharsets.UTF_8);
    int code = run(args, System.getenv(), stdout, stderr, Clock.systemUTC(), termination);
    termination.reported(code);
    System.exit(code);
  }

  /** Runs one operation and reports it; returns the exit code. */
  static int run(String[] args, Map<String, String> environment, PrintStream stdout, PrintStream stderr, Clock clock,
      Termination termination) {
    long start = System.nanoTime();
    Masker masker = new Masker();
    Output out = new Output(stdout, stderr, masker);
    Env env = new Env(environment, masker);
    String raw = args.length > 0 && !args[0].isEmpty() ? args[0] : env.get("MOVER_OPERATION", "backup");
    Report report = new Report(raw.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_-]", ""));
    Path work = null;
    RcloneCalls calls = new RcloneCalls();
    Concurrently.Pending<String> version = null;
    int code;
    String message;
    try {
      Operation operation = Operation.parse(raw).orElseThrow(() -> MoverFailure.configuration(
          "MOVER_OPERATION (or the first argument) must be backup, restore or list (or, since contract 1.1, prune"
              + " or verify), got '" + (raw.length() > 40 ? raw.substring(0, 40) : raw) + "'"));
      report.operation(operation.id());
      work = workDir(env);
      Path rcloneBinary = rcloneOnPath(env);
      Map<String, String> rcloneEnv = rcloneEnvironment(environment, work);
      RcloneProcess bare = new RcloneProcess(rcloneBinary, List.of(), rcloneEnv, masker, stderr,
          stats -> out.line(Transfer.progressLine(operation.id(), stats)), termination, calls);
      Path versionDir = work;
      version = Concurrently.start("version", () -> version(bare, versionDir));
      Settings settings = Settings.parse(operation, env, clock);
      RemoteConfig config = RemoteConfig.parse(env, bare, work, masker);
      Map<String, String> configured = new HashMap<>(rcloneEnv);
      configured.putAll(config.environment());
      Rclone rclone = bare.withFlags(config.flags(), configured);
      report.destination(config.display(""));
      Context ctx = new Context(settings, env, new Remote(rclone, config, work), work, out, clock, report,
          version);
      message = switch (operation) {
        case BACKUP -> BackupOperation.run(ctx);
        case RESTORE -> RestoreOperation.run(ctx);
        case LIST -> ListOperation.run(ctx);
        case PRUNE -> PruneOperation.run(ctx);
        case VERIFY -> VerifyOperation.run(ctx);
      };
      termination.check();
      code = 0;
    } catch (MoverFailure failure) {
      MoverFailure reported = termination.interrupted() ? MoverFailure.interrupted() : failure;
      code = reported.kind().exitCode();
      message = reported.getMessage();
    } catch (RuntimeException | Error e) {
      if (termination.interrupted()) {
        code = 3;
        message = MoverFailure.interrupted().getMessage();
      } else {
        code = 1;
        StackTraceElement at = e.getStackTrace().length > 0 ? e.getStackTrace()[0] : null;
        message = "internal error: " + e + (at == null ? "" : " at " + at.getFileName() + ":" + at.getLineNumber())
            + "; please report this";
        e.printStackTrace(stderr);
      }
    } finally {
      if (version != null) {
        report.rcloneVersion(version.orElse(""));
      }
      deleteTree(work);
    }
    message = oneLine(masker.mask(message));
    if (code != 0) {
      out.log(message);
    }
    if (calls.count() > 0) {
      out.log(calls.summary() + " of " + String.format(java.util.Locale.ROOT, "%.2f s",
          (System.nanoTime() - start) / 1e9));
    }
    String json = masker.mask(report.toJson(code, message, (System.nanoTime() - start) / 1_000_000_000L));
    writeResultFile(env, json);
    stdout.println(json);
    stdout.flush();
    return code;
  }

  private static String oneLine(String message) {
    String line = message.replace('\n', ' ').replace('\r', ' ');
    return line.length() <= 1500 ? line : line.substring(0, 1497) + "...";
  }

  private static Path workDir(Env env) {
    Path tmp = Path.of(env.get("TMPDIR", "/tmp"));
    try {
      return Files.createTempDirectory(tmp, "datamover.",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException | UnsupportedOperationException e) {
      throw MoverFailure.configuration("cannot create a private temp dir under '" + tmp + "': mount a writable"
          + " emptyDir at /tmp (readOnlyRootFilesystem) or set TMPDIR");
    }
  }

  private static Path rcloneOnPath(Env env) {
    for (String dir : env.get("PATH", "/usr/local/bin:/usr/bin:/bin").split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "rclone");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw MoverFailure.internal("rclone is not on PATH");
  }

  /**
   * The environment of every rclone process: the mover's own, without {@code AWS_CA_BUNDLE} (rclone refuses to start
   * with it; the CA goes in as {@code --ca-cert}), plus the mover's defaults where the environment does not set them.
   */
  static Map<String, String> rcloneEnvironment(Map<String, String> environment, Path work) {
    Map<String, String> rcloneEnv = new HashMap<>(environment);
    rcloneEnv.remove(RcloneProcess.AWS_CA_BUNDLE);
    rcloneEnv.putIfAbsent("RCLONE_CACHE_DIR", work.resolve("cache").toString());
    rcloneEnv.putIfAbsent("XDG_CACHE_HOME", work.resolve("cache").toString());
    // S3 uploads are not read back with a HEAD each: a backup lists what it wrote once and checks every size.
    rcloneEnv.putIfAbsent("RCLONE_S3_NO_HEAD", "true");
    // Twice rclone's 4 parallel transfers: on 10,000 small files against MinIO, restores take 6.2 s instead of 6.9 s
    // and full backups 10.9 s instead of 11.8 s (docs/benchmarks.md); 16 gained no more for backups. Large files
    // are unaffected (one multipart upload each, up to 4 x 5 MiB buffered per file: 160 MiB at 8, within the
    // Job's 1 GiB limit).
    rcloneEnv.putIfAbsent("RCLONE_TRANSFERS", "8");
    return rcloneEnv;
  }

  private static String version(Rclone rclone, Path work) {
    Path out = work.resolve("version.txt");
    rclone.run(Rclone.Call.of("version").to(out));
    try {
      List<String> lines = Files.exists(out) ? Files.readAllLines(out, StandardCharsets.UTF_8) : List.of();
      String[] first = lines.isEmpty() ? new String[0] : lines.getFirst().split(" ");
      return first.length > 1 ? first[1] : "";
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * Writes the result file only if it exists and is a writable file, or — for a path other than the default — if
   * its directory exists and is writable (the kubelet creates /dev/termination-log; never create it elsewhere).
   */
  private static void writeResultFile(Env env, String json) {
    Path file = Path.of(env.get("MOVER_RESULT_FILE", DEFAULT_RESULT_FILE));
    if (Files.exists(file)) {
      if (!Files.isRegularFile(file) || !Files.isWritable(file)) {
        return;
      }
    } else {
      Optional<Path> dir = Optional.ofNullable(file.toAbsolutePath().getParent());
      if (file.toString().equals(DEFAULT_RESULT_FILE) || dir.isEmpty() || !Files.isDirectory(dir.get())
          || !Files.isWritable(dir.get())) {
        return;
      }
    }
    try {
      Files.writeString(file, json + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      // best effort, as the termination message is
    }
  }

  static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      // a leftover temp dir is harmless
    }
  }
}
