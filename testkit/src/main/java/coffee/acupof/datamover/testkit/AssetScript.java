package coffee.acupof.datamover.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs a script of {@code hack/} that builds or installs tools into a cache on first use and prints
 * the directory holding them (e.g. {@code hack/envtest-assets.sh}). Its progress goes to this JVM's
 * stderr, so a long first build is visible in the test output.
 */
final class AssetScript {
  private AssetScript() {}

  /**
   * Runs {@code script} with bash and returns the one directory it printed.
   *
   * @throws IllegalStateException when it fails, runs longer than {@code timeoutMinutes} or does not
   *     print exactly one existing directory
   */
  static Path printedDirectory(Path script, long timeoutMinutes) {
    ProcessBuilder builder =
        new ProcessBuilder("bash", script.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    try {
      Process process = builder.start();
      String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException(script + " did not finish in " + timeoutMinutes + " minutes");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            script + " failed with exit code " + process.exitValue() + "; its stderr above says which step");
      }
      return existingDirectory(stdout.strip(), script);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + script, e);
    }
  }

  private static Path existingDirectory(String printed, Path script) {
    if (printed.isEmpty() || printed.contains("\n")) {
      throw new IllegalStateException(script + " must print exactly one directory, printed: '" + printed + "'");
    }
    Path dir = Path.of(printed);
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException(script + " printed " + dir + ", which is not a directory");
    }
    return dir;
  }
}
