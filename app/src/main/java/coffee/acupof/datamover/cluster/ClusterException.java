package coffee.acupof.datamover.cluster;

/**
 * A failed call to the API server. {@link #isPermanent()} tells a request the server refused for
 * good (invalid, forbidden) from one worth retrying (conflict, throttling, server error, network).
 */
public class ClusterException extends RuntimeException {
  private final int statusCode;

  public ClusterException(String message, int statusCode, Throwable cause) {
    super(message, cause);
    this.statusCode = statusCode;
  }

  /** HTTP status of the failed call, 0 when no response arrived. */
  public int statusCode() {
    return statusCode;
  }

  public boolean isPermanent() {
    return statusCode == 400 || statusCode == 403 || statusCode == 404 || statusCode == 422;
  }
}
