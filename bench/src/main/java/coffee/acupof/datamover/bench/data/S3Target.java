package coffee.acupof.datamover.bench.data;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An S3 server on 127.0.0.1 that the contenders back up to, with the counters it reports: requests per S3
 * operation so far.
 */
public interface S3Target extends AutoCloseable {

  /** {@code minio} or {@code s3proxy}. */
  String name();

  /** What runs, e.g. {@code MinIO RELEASE.2026-02-12T20-18-48Z}. */
  String version();

  int port();

  String accessKey();

  String secretKey();

  /** The rclone S3 provider setting for this server ({@code Minio}, {@code Other}). */
  String provider();

  /** Requests served so far, per S3 operation (e.g. {@code PutObject}), from the server's own metrics. */
  Map<String, Double> requestsByOperation();

  /** The endpoint URL, {@code http://127.0.0.1:<port>}. */
  default String endpoint() {
    return "http://127.0.0.1:" + port();
  }

  /** Variables that define the rclone remote {@code remote} for this server (no config file needed). */
  default Map<String, String> rcloneRemote(String remote) {
    String prefix = "RCLONE_CONFIG_" + remote.toUpperCase() + "_";
    Map<String, String> env = new LinkedHashMap<>();
    env.put(prefix + "TYPE", "s3");
    env.put(prefix + "PROVIDER", provider());
    env.put(prefix + "ENDPOINT", endpoint());
    env.put(prefix + "ACCESS_KEY_ID", accessKey());
    env.put(prefix + "SECRET_ACCESS_KEY", secretKey());
    env.put(prefix + "REGION", "us-east-1");
    env.put(prefix + "FORCE_PATH_STYLE", "true");
    return env;
  }

  @Override
  void close();
}
