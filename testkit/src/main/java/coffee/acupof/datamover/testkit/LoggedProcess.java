package coffee.acupof.datamover.testkit;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local server process whose stdout and stderr go to one log file.
 *
 * <p>{@link #close()} asks the process to stop (SIGTERM) and kills it when it does not stop in time.
 */
public final class LoggedProcess implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LoggedProcess.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

  private final String name;
  private final Process process;
  private final Path logFile;

  private LoggedProcess(String name, Process process, Path logFile) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
  }

  /**
   * Starts {@code command} with its output appended to {@code logFile}.
   *
   * @param name short name used in messages, e.g. "etcd"
   */
  public static LoggedProcess start(String name, List<String> command, Path logFile) {
    return start(name, command, logFile, Map.of());
  }

  /** Like {@link #start(String, List, Path)}, with {@code environment} added to this JVM's environment. */
  public static LoggedProcess start(String name, List<String> command, Path logFile, Map<String, String> environment) {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().putAll(environment);
    try {
      Process process = builder.start();
      LOG.debug("started {} (pid {}), log: {}", name, process.pid(), logFile);
      return new LoggedProcess(name, process, logFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", command), e);
    }
  }

  /** The short name given at start. */
  public String name() {
    return name;
  }

  /** The operating system's process id. */
  public long pid() {
    return process.pid();
  }

  /** True while the process runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** The exit code; only meaningful once {@link #isAlive()} is false. */
  public int exitValue() {
    return process.exitValue();
  }

  /** The file holding the process's stdout and stderr. */
  public Path logFile() {
    return logFile;
  }

  /** The last {@code lines} lines of the log file, or a note saying why it cannot be read. */
  public String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(cannot read " + logFile + ": " + e.getMessage() + ")";
    }
  }

  /** Stops the process: SIGTERM, then SIGKILL if it has not exited after 15 seconds. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (!waitForExit(STOP_TIMEOUT)) {
      LOG.warn("{} (pid {}) ignored SIGTERM for {}; killing it", name, process.pid(), STOP_TIMEOUT);
      process.destroyForcibly();
      waitForExit(STOP_TIMEOUT);
    }
  }

  private boolean waitForExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return false;
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ", log " + logFile + ")";
  }
}
