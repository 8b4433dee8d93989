package coffee.acupof.datamover.bench.data;

import coffee.acupof.datamover.bench.Prometheus;
import coffee.acupof.datamover.testkit.S3Server;
import java.nio.file.Path;
import java.util.Map;

/** S3Proxy (filesystem backend) from the test kit, with its request metrics switched on. */
final class S3ProxyTarget implements S3Target {
  private final S3Server server;
  private final String version;

  private S3ProxyTarget(S3Server server, String version) {
    this.server = server;
    this.version = version;
  }

  /** Starts S3Proxy from {@code jar} ({@code version} is what the report calls it). */
  static S3ProxyTarget start(Path jar, String version) {
    // The benchmark moves gigabytes through it; a small heap would make it the bottleneck.
    return new S3ProxyTarget(S3Server.builder().jar(jar).maxHeap("1g").metrics(true).start(), version);
  }

  @Override
  public String name() {
    return "s3proxy";
  }

  @Override
  public String version() {
    return "S3Proxy " + version + " (filesystem backend)";
  }

  @Override
  public int port() {
    return server.port();
  }

  @Override
  public String accessKey() {
    return server.accessKey();
  }

  @Override
  public String secretKey() {
    return server.secretKey();
  }

  @Override
  public String provider() {
    return "Other";
  }

  @Override
  public Map<String, Double> requestsByOperation() {
    String url = server.metricsUrl().orElseThrow();
    return Prometheus.sumBy(Prometheus.scrape(url), "http_server_request_duration_seconds_count",
        labels -> labels.getOrDefault("s3_operation", "unknown"));
  }

  @Override
  public void close() {
    server.close();
  }
}
