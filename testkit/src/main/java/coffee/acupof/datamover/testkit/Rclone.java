package coffee.acupof.datamover.testkit;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The rclone binary pinned for tests ({@value #VERSION}, the version of the mover image) and a way to run it.
 *
 * <p>The binary is found, in this order, through
 * <ol>
 *   <li>the system property {@code rclone.binary} (set by the Maven build from {@code RCLONE_BINARY}),
 *   <li>the environment variable {@code RCLONE_BINARY},
 *   <li>{@code <repo>/hack/rclone.sh}, which installs the pinned version into a cache directory on first use
 *       and prints its path; the repository root comes from the system property {@code datamover.root} or is
 *       searched upwards from the working directory.
 * </ol>
 *
 * <p>rclone refuses to work ("unsupported transport") while {@code AWS_CA_BUNDLE} is set, which it is on some
 * build machines; every process started through this class has it removed from its environment. Use
 * {@link #environment()} or {@link #sanitize(ProcessBuilder)} for processes started elsewhere that run rclone
 * (such as the mover entrypoint).
 */
public final class Rclone {

  /** The rclone version of the mover image and of the tests. */
  public static final String VERSION = "1.75.2";

  /** Variables removed from the environment of every rclone process. */
  public static final List<String> UNSAFE_ENVIRONMENT = List.of("AWS_CA_BUNDLE");

  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
  private static Path binary;

  private Rclone() {}

  /** The absolute path of the pinned rclone executable; installs it through hack/rclone.sh when needed. */
  public static synchronized Path binary() {
    if (binary == null) {
      binary = locate();
    }
    return binary;
  }

  /** The directory holding {@link #binary()}, to put first on a child process's {@code PATH}. */
  public static Path directory() {
    return binary().getParent();
  }

  /** This process's environment without the variables that break rclone ({@link #UNSAFE_ENVIRONMENT}). */
  public static Map<String, String> environment() {
    Map<String, String> env = new HashMap<>(System.getenv());
    UNSAFE_ENVIRONMENT.forEach(env::remove);
    return env;
  }

  /** Removes the variables that break rclone from {@code builder}'s environment; returns {@code builder}. */
  public static ProcessBuilder sanitize(ProcessBuilder builder) {
    UNSAFE_ENVIRONMENT.forEach(builder.environment()::remove);
    return builder;
  }

  /**
   * Runs rclone with {@code args} and waits for it.
   *
   * @param extraEnvironment variables added to the sanitised environment (e.g. {@code RCLONE_CONFIG_<NAME>_*})
   * @param stdin bytes fed to rclone's standard input, or {@code null} for none
   * @param timeout how long to wait before killing it
   * @return the exit code and output; a non-zero exit code is not an exception, check {@link Result#ok()}
   */
  public static Result run(Map<String, String> extraEnvironment, byte[] stdin, Duration timeout, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(binary().toString());
    command.addAll(args);
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("rclone-", ".out");
      err = Files.createTempFile("rclone-", ".err");
      ProcessBuilder builder = sanitize(new ProcessBuilder(command))
          .redirectOutput(out.toFile())
          .redirectError(err.toFile());
      builder.environment().putAll(extraEnvironment);
      if (stdin == null) {
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      }
      Process process = builder.start();
      if (stdin != null) {
        try (OutputStream in = process.getOutputStream()) {
          in.write(stdin);
        }
      }
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        return new Result(-1, Files.readAllBytes(out),
            Files.readString(err, StandardCharsets.UTF_8) + "\n(killed after " + timeout.toSeconds() + "s)");
      }
      return new Result(process.exitValue(), Files.readAllBytes(out), Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  /** The outcome of {@link #run}. */
  public record Result(int exitCode, byte[] stdout, String stderr) {

    /** True when rclone exited with code 0. */
    public boolean ok() {
      return exitCode == 0;
    }

    /** Standard output as UTF-8 text. */
    public String stdoutText() {
      return new String(stdout, StandardCharsets.UTF_8);
    }

    /** Throws with rclone's stderr unless {@link #ok()}; returns this result. */
    public Result orThrow(String what) {
      if (!ok()) {
        throw new IllegalStateException(what + " failed (rclone exit " + exitCode + "): " + stderr.strip());
      }
      return this;
    }
  }

  private static Path locate() {
    Optional<Path> configured = configured(System.getProperty("rclone.binary"))
        .or(() -> configured(System.getenv("RCLONE_BINARY")));
    if (configured.isPresent()) {
      Path path = configured.get().toAbsolutePath();
      if (!Files.isExecutable(path)) {
        throw new IllegalStateException("rclone binary " + path + " (rclone.binary / RCLONE_BINARY) is not executable");
      }
      return path;
    }
    Path script = repositoryRoot().resolve("hack/rclone.sh");
    List<String> command = List.of("bash", script.toString());
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("rclone-sh-", ".out");
      err = Files.createTempFile("rclone-sh-", ".err");
      ProcessBuilder builder = sanitize(new ProcessBuilder(command))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(out.toFile())
          .redirectError(err.toFile());
      Process process = builder.start();
      if (!process.waitFor(INSTALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(script + " did not finish in " + INSTALL_TIMEOUT.toMinutes() + " minutes");
      }
      String stdout = Files.readString(out, StandardCharsets.UTF_8).strip();
      if (process.exitValue() != 0 || stdout.isEmpty()) {
        throw new IllegalStateException(script + " failed (exit " + process.exitValue() + "): "
            + Files.readString(err, StandardCharsets.UTF_8).strip());
      }
      Path path = Paths.get(stdout.lines().reduce((first, second) -> second).orElseThrow());
      if (!Files.isExecutable(path)) {
        throw new IllegalStateException(script + " printed " + path + ", which is not executable");
      }
      return path;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + script, e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  /**
   * The repository root: the system property {@code datamover.root}, else the first directory upwards from the
   * working directory that holds {@code hack/rclone.sh}.
   */
  public static Path repositoryRoot() {
    Optional<Path> property = configured(System.getProperty("datamover.root"));
    if (property.isPresent() && Files.isRegularFile(property.get().resolve("hack/rclone.sh"))) {
      return property.get().toAbsolutePath();
    }
    for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("hack/rclone.sh"))) {
        return dir;
      }
    }
    throw new IllegalStateException("cannot find the repository root (hack/rclone.sh): set -Ddatamover.root=<repo>");
  }

  /** A path from a property or variable, ignoring blanks and unresolved Maven placeholders such as ${env.X}. */
  private static Optional<Path> configured(String value) {
    if (value == null || value.isBlank() || value.contains("${")) {
      return Optional.empty();
    }
    return Optional.of(Paths.get(value.strip()));
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // A leftover temp file is harmless.
    }
  }
}
