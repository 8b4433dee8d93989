package coffee.acupof.datamover.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One timed run of a command with exactly the given environment (nothing inherited), its output appended to
 * a log file, as a container would run it.
 *
 * @param command the command line
 * @param environment the whole environment of the process
 * @param log where stdout and stderr go
 */
public record TimedCommand(List<String> command, Map<String, String> environment, Path log) {

  /** How a run ended. */
  public record Outcome(int exitCode, long nanos) {
    public double seconds() {
      return nanos / 1e9;
    }
  }

  public TimedCommand {
    command = List.copyOf(command);
    environment = Map.copyOf(environment);
  }

  /** Runs the command to its end and measures its wall time; a command that outlives {@code timeout} is killed. */
  public Outcome run(Duration timeout) {
    return run(timeout, process -> {});
  }

  /**
   * Like {@link #run(Duration)}; {@code whileRunning} is called once the process has started, on this thread,
   * e.g. to sample its memory until it exits.
   */
  public Outcome run(Duration timeout, Consumer<Process> whileRunning) {
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().clear();
    builder.environment().putAll(environment);
    try {
      Files.createDirectories(log.getParent());
      long started = System.nanoTime();
      Process process = builder.start();
      whileRunning.accept(process);
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor();
        throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout
            + "; the end of its log " + log + ":\n" + tail(log, 30));
      }
      return new Outcome(process.exitValue(), System.nanoTime() - started);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
    }
  }

  /** The last {@code lines} lines of a log file, for error messages. */
  public static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }
}
