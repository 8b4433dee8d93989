package coffee.acupof.datamover.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs short-lived commands (such as kubectl) to completion and returns their output. */
public final class Commands {

  private Commands() {}

  /**
   * Runs {@code command}, waits up to {@code timeout} and returns its stdout.
   *
   * <p>Output is buffered in temporary files under {@code scratchDir} (deleted afterwards), so a
   * command producing much output cannot block on a full pipe.
   *
   * @throws IllegalStateException when the command exits non-zero or times out; the message holds
   *     the command line, stderr and stdout
   */
  public static String run(List<String> command, Path scratchDir, Duration timeout) {
    Path stdout = null;
    Path stderr = null;
    try {
      stdout = Files.createTempFile(scratchDir, "command-", ".out");
      stderr = Files.createTempFile(scratchDir, "command-", ".err");
      Process process = new ProcessBuilder(command)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(stdout.toFile())
          .redirectError(stderr.toFile())
          .start();
      boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!exited) {
        process.destroyForcibly();
        throw failure(command, "did not finish in " + timeout.toSeconds() + "s", stdout, stderr);
      }
      if (process.exitValue() != 0) {
        throw failure(command, "failed with exit code " + process.exitValue(), stdout, stderr);
      }
      return Files.readString(stdout, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
    } finally {
      deleteQuietly(stdout);
      deleteQuietly(stderr);
    }
  }

  private static IllegalStateException failure(List<String> command, String what, Path stdout, Path stderr)
      throws IOException {
    return new IllegalStateException(
        String.join(" ", command) + " " + what
            + "\n--- stderr ---\n" + Files.readString(stderr, StandardCharsets.UTF_8)
            + "--- stdout ---\n" + Files.readString(stdout, StandardCharsets.UTF_8));
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // A leftover scratch file in a temporary directory is harmless; the command's result matters.
    }
  }
}
