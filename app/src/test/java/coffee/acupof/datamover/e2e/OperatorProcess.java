package coffee.acupof.datamover.e2e;

import coffee.acupof.datamover.it.TestCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The packaged operator (the jar a container would run) as a separate process, so a test can kill
 * it with SIGKILL as a node failure would.
 */
final class OperatorProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final int port;

  private OperatorProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /**
   * Starts {@code java -jar} on the operator jar with the given kubeconfig, serving one namespace,
   * with its lease in {@code leaseNamespace}, and waits until it is ready (leads, caches synced).
   */
  static OperatorProcess start(Path kubeconfig, String watchNamespace, String leaseNamespace, String... extraArgs) {
    String jar = System.getProperty("operator.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException("operator jar not found (" + jar + "); run through mvn verify, which packages it first");
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m", "-jar", jar,
        "--server.port=" + port,
        "--datamover.kubeconfig=" + kubeconfig,
        "--datamover.watch-namespace=" + watchNamespace,
        "--datamover.leader-election.namespace=" + leaseNamespace,
        "--datamover.leader-election.lease-duration=10s",
        "--datamover.leader-election.renew-deadline=8s",
        "--datamover.leader-election.retry-period=500ms"));
    command.addAll(List.of(extraArgs));
    try {
      Path log = Files.createTempFile("operator", ".log");
      Process process =
          new ProcessBuilder(command).directory(TestCluster.repoRoot().toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      OperatorProcess operator = new OperatorProcess(process, log, port);
      operator.awaitReady(Duration.ofSeconds(90));
      return operator;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitReady(Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    try (HttpClient http = HttpClient.newHttpClient()) {
      while (Instant.now().isBefore(deadline)) {
        if (!process.isAlive()) {
          throw new IllegalStateException("operator exited with " + process.exitValue() + ":\n" + logTail());
        }
        try {
          HttpResponse<String> response =
              http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness")).build(), HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() == 200) {
            return;
          }
        } catch (IOException notYet) {
          // still starting
        }
        Thread.sleep(250);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new IllegalStateException("operator not ready within " + timeout + ":\n" + logTail());
  }

  /** GETs a path of the operator's Actuator and returns the body. */
  String http(String path) {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  String logTail() {
    return logTail(60);
  }

  /** The last {@code count} lines of the operator's log. */
  String logTail(int count) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGKILL: no shutdown hook runs and the lease is not released. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(java.util.concurrent.TimeUnit.SECONDS.toMillis(20), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
      }
      Files.deleteIfExists(log);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException ignored) {
      // temp file
    }
  }
}
