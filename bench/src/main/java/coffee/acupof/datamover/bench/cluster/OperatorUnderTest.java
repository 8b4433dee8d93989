package coffee.acupof.datamover.bench.cluster;

import coffee.acupof.datamover.bench.ProcFs;
import coffee.acupof.datamover.bench.Prometheus;
import coffee.acupof.datamover.testkit.FreePorts;
import coffee.acupof.datamover.testkit.LoggedProcess;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The packaged operator as a process of its own, started with one JVM variant against the benchmark's API
 * server, with what can be read from outside: when it answered HTTP, led and was ready, its resident memory and
 * CPU time, and the JVM's own memory and thread figures from Actuator.
 */
final class OperatorUnderTest implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(20);

  private final LoggedProcess process;
  private final int port;
  private final long startedNanos;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** Seconds from launch to readiness milestones. */
  record Start(double httpSeconds, double leaderSeconds, double readySeconds) {}

  /** What the JVM reports about itself. */
  record JvmFigures(double heapUsedBytes, double nonHeapUsedBytes, double liveThreads) {}

  private OperatorUnderTest(LoggedProcess process, int port, long startedNanos) {
    this.process = process;
    this.port = port;
    this.startedNanos = startedNanos;
  }

  /**
   * Launches {@code command} (java, flags, jar) with {@code environment} added and the operator's arguments:
   * this kubeconfig, all namespaces, the Lease in {@code default}, a free HTTP port, log in {@code log}.
   */
  static OperatorUnderTest start(List<String> command, Map<String, String> environment, Path kubeconfig, Path log) {
    int port = FreePorts.next();
    List<String> full = new ArrayList<>(command);
    full.addAll(List.of("--server.port=" + port, "--datamover.kubeconfig=" + kubeconfig,
        "--datamover.leader-election.namespace=default"));
    long started = System.nanoTime();
    LoggedProcess process = LoggedProcess.start("operator", full, log, environment);
    return new OperatorUnderTest(process, port, started);
  }

  /** Waits until readiness is UP and returns when each milestone was first seen. */
  Start awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    double httpAt = Double.NaN;
    double leaderAt = Double.NaN;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the operator exited with " + process.exitValue() + ":\n" + process.logTail(40));
      }
      try {
        HttpResponse<String> response = http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
        double now = secondsSinceStart();
        if (Double.isNaN(httpAt)) {
          httpAt = now;
        }
        if (Double.isNaN(leaderAt) && leader(response.body())) {
          leaderAt = now;
        }
        if (response.statusCode() == 200) {
          return new Start(httpAt, Double.isNaN(leaderAt) ? now : leaderAt, now);
        }
      } catch (IOException notServingYet) {
        // still starting
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the operator", e);
      }
      Pause.of(POLL);
    }
    throw new IllegalStateException("the operator was not ready within " + timeout + ":\n" + process.logTail(40));
  }

  private static boolean leader(String body) {
    try {
      JsonObject operator = JsonParser.parseString(body).getAsJsonObject()
          .getAsJsonObject("components").getAsJsonObject("operator");
      JsonElement leader = operator.getAsJsonObject("details").get("leader");
      return leader != null && leader.getAsBoolean();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private double secondsSinceStart() {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  /** Resident memory now, in bytes. */
  long rssBytes() {
    return ProcFs.rssBytes(process.pid()).orElseThrow(() -> new IllegalStateException("the operator is gone:\n"
        + process.logTail(40)));
  }

  /** CPU used over {@code window} (waiting it out), as a percentage of one core. */
  double cpuPercent(Duration window) {
    long before = cpu();
    long started = System.nanoTime();
    Pause.of(window);
    long after = cpu();
    return (after - before) * 100.0 / ((System.nanoTime() - started) / 1e6);
  }

  private long cpu() {
    return ProcFs.cpuMillis(process.pid()).orElseThrow(() -> new IllegalStateException("the operator is gone:\n"
        + process.logTail(40)));
  }

  /** Heap and non-heap in use and live threads, from {@code /actuator/prometheus}. */
  JvmFigures jvm() {
    List<Prometheus.Sample> samples = Prometheus.scrape("http://127.0.0.1:" + port + "/actuator/prometheus");
    Map<String, Double> byArea = Prometheus.sumBy(samples, "jvm_memory_used_bytes", labels -> labels.getOrDefault("area", ""));
    return new JvmFigures(byArea.getOrDefault("heap", Double.NaN), byArea.getOrDefault("nonheap", Double.NaN),
        Prometheus.sum(samples, "jvm_threads_live_threads"));
  }

  /** The end of its log, for error messages. */
  String logTail() {
    return process.logTail(40);
  }


  /** SIGTERM: a graceful shutdown that gives the Lease up, so the next start finds it free. */
  @Override
  public void close() {
    process.close();
    http.close();
  }
}
