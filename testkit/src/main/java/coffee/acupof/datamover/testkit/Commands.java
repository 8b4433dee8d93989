package coffee.acupof.datamover.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs short-lived commands (kubectl, kustomize, scripts) to completion. Input and output go through
 * temporary files, so a command producing much output cannot block on a full pipe.
 */
public final class Commands {

  private Commands() {}

  /** What a finished command did. */
  public record Result(List<String> command, int exitCode, String stdout, String stderr) {
    /** This result, or an exception with the command line and both outputs when it failed. */
    public Result orThrow() {
      if (exitCode != 0) {
        throw new IllegalStateException(this.toString());
      }
      return this;
    }

    @Override
    public String toString() {
      return String.join(" ", command) + " exited with " + exitCode
          + "\n--- stderr ---\n" + stderr + "--- stdout ---\n" + stdout;
    }
  }

  /**
   * Runs {@code command} in {@code dir} with {@code stdin} (may be null) and {@code env} added to
   * this JVM's environment, and returns its result whatever the exit code.
   *
   * @throws IllegalStateException when it does not finish within {@code timeout}
   */
  public static Result exec(List<String> command, Path dir, String stdin, Map<String, String> env, Duration timeout) {
    Path scratch = null;
    try {
      scratch = Files.createTempDirectory("command-");
      Path in = Files.writeString(scratch.resolve("stdin"), stdin == null ? "" : stdin, StandardCharsets.UTF_8);
      Path out = scratch.resolve("stdout");
      Path err = scratch.resolve("stderr");
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectInput(in.toFile())
          .redirectOutput(out.toFile())
          .redirectError(err.toFile());
      if (dir != null) {
        builder.directory(dir.toFile());
      }
      builder.environment().putAll(env);
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeout.toSeconds()
            + "s\n--- stderr ---\n" + Files.readString(err, StandardCharsets.UTF_8)
            + "--- stdout ---\n" + Files.readString(out, StandardCharsets.UTF_8));
      }
      return new Result(
          List.copyOf(command), process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
    } finally {
      deleteQuietly(scratch);
    }
  }

  /**
   * Runs {@code command}, waits up to {@code timeout} and returns its stdout.
   *
   * @throws IllegalStateException when the command exits non-zero or times out; the message holds
   *     the command line, stderr and stdout
   */
  public static String run(List<String> command, Path dir, Duration timeout) {
    return exec(command, dir, null, Map.of(), timeout).orThrow().stdout();
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // A leftover scratch file in a temporary directory is harmless; the command's result matters.
    }
  }
}
