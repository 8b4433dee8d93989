package coffee.acupof.datamover.bench.data;

import coffee.acupof.datamover.bench.Prometheus;
import coffee.acupof.datamover.testkit.FreePorts;
import coffee.acupof.datamover.testkit.LoggedProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * MinIO (single drive, built by hack/minio.sh) on 127.0.0.1 with generated credentials and its Prometheus
 * metrics open, storing objects under a directory of the benchmark's work area.
 */
final class MinioServer implements S3Target {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final LoggedProcess process;
  private final int port;
  private final String accessKey;
  private final String secretKey;
  private final String version;

  private MinioServer(LoggedProcess process, int port, String accessKey, String secretKey, String version) {
    this.process = process;
    this.port = port;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    this.version = version;
  }

  /** Starts {@code binary} with its data in {@code dir} (created, should be empty) and waits until it is ready. */
  static MinioServer start(Path binary, Path dir, String version) {
    try {
      Files.createDirectories(dir.resolve("data"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int port = FreePorts.next();
    int consolePort = FreePorts.next();
    String accessKey = "bench" + random(6);
    String secretKey = "secret" + random(16);
    List<String> command = List.of(binary.toString(), "server", "--quiet",
        "--address", "127.0.0.1:" + port, "--console-address", "127.0.0.1:" + consolePort, dir.resolve("data").toString());
    Map<String, String> env = Map.of(
        "MINIO_ROOT_USER", accessKey,
        "MINIO_ROOT_PASSWORD", secretKey,
        "MINIO_PROMETHEUS_AUTH_TYPE", "public",
        "MINIO_BROWSER", "off",
        "MINIO_UPDATE", "off");
    LoggedProcess process = LoggedProcess.start("minio", command, dir.resolve("minio.log"), env);
    MinioServer server = new MinioServer(process, port, accessKey, secretKey, version);
    try {
      server.awaitReady();
    } catch (RuntimeException e) {
      process.close();
      throw e;
    }
    return server;
  }

  private void awaitReady() {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    URI ready = URI.create(endpoint() + "/minio/health/ready");
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
      while (Instant.now().isBefore(deadline)) {
        if (!process.isAlive()) {
          throw new IllegalStateException("MinIO exited with " + process.exitValue() + ":\n" + process.logTail(30));
        }
        try {
          if (http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            return;
          }
        } catch (IOException notYet) {
          // still starting
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for MinIO", e);
    }
    throw new IllegalStateException("MinIO was not ready within " + START_TIMEOUT + ":\n" + process.logTail(30));
  }

  private static String random(int bytes) {
    byte[] value = new byte[bytes];
    new SecureRandom().nextBytes(value);
    return HexFormat.of().formatHex(value);
  }

  @Override
  public String name() {
    return "minio";
  }

  @Override
  public String version() {
    return "MinIO " + version + " (single drive)";
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public String accessKey() {
    return accessKey;
  }

  @Override
  public String secretKey() {
    return secretKey;
  }

  @Override
  public String provider() {
    return "Minio";
  }

  @Override
  public Map<String, Double> requestsByOperation() {
    List<Prometheus.Sample> samples = Prometheus.scrape(endpoint() + "/minio/metrics/v3/api/requests");
    return Prometheus.sumBy(samples.stream().filter(s -> "s3".equals(s.labels().get("type"))).toList(),
        "minio_api_requests_total", labels -> labels.getOrDefault("name", "unknown"));
  }

  @Override
  public void close() {
    process.close();
  }
}
