package coffee.acupof.datamover.deploy;

import coffee.acupof.datamover.testkit.ApiServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs kustomize and kubectl for {@link KustomizeIT}: with text on stdin, and returning the exit code
 * instead of throwing ({@code kubectl auth can-i} answers "no" with exit code 1). Input and output go
 * through temporary files, so no pipe can fill up and block.
 */
final class Processes {
  private static final Duration KUBECTL_TIMEOUT = Duration.ofMinutes(3);

  record Result(List<String> command, int exitCode, String stdout, String stderr) {
    /** The result, or an exception with the command line and both outputs when it failed. */
    Result orThrow() {
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

  private Processes() {}

  /** Runs {@code command} in {@code dir} with {@code stdin} (may be null) and extra environment. */
  static Result run(List<String> command, Path dir, String stdin, Map<String, String> env, Duration timeout) {
    Path scratch = null;
    try {
      scratch = Files.createTempDirectory("kustomize-it-");
      Path in = Files.writeString(scratch.resolve("stdin"), stdin == null ? "" : stdin, StandardCharsets.UTF_8);
      Path out = scratch.resolve("stdout");
      Path err = scratch.resolve("stderr");
      ProcessBuilder builder = new ProcessBuilder(command)
          .directory(dir.toFile())
          .redirectInput(in.toFile())
          .redirectOutput(out.toFile())
          .redirectError(err.toFile());
      builder.environment().putAll(env);
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeout.toSeconds()
            + "s\n--- stderr ---\n" + Files.readString(err));
      }
      return new Result(command, process.exitValue(), Files.readString(out), Files.readString(err));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
    } finally {
      deleteQuietly(scratch);
    }
  }

  /** kubectl (the test server's own build) with the admin kubeconfig; {@code stdin} may be null. */
  static Result kubectl(ApiServer server, String stdin, String... args) {
    List<String> command = new ArrayList<>(List.of(
        server.kubectl().toString(),
        "--kubeconfig=" + server.kubeconfig(),
        "--cache-dir=" + server.workDir().resolve("kubectl-cache")));
    command.addAll(List.of(args));
    return run(command, server.workDir(), stdin, Map.of(), KUBECTL_TIMEOUT);
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
      // Leftover scratch files in the temporary directory are harmless.
    }
  }
}
