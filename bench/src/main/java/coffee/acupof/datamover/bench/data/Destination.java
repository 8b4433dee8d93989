package coffee.acupof.datamover.bench.data;

/**
 * Where one contender keeps its backup of one tree: {@code bucket/path} on a server. Every contender has a
 * bucket of its own, so they never see each other's objects.
 */
public record Destination(S3Target server, String bucket, String path) {

  /** The name of the rclone remote that {@link S3Target#rcloneRemote(String)} defines for the contenders. */
  public static final String REMOTE = "bench";

  /** {@code bench:bucket/path}. */
  public String remotePath() {
    return REMOTE + ":" + bucket + "/" + path;
  }
}
