package coffee.acupof.datamover.rclonemover;

import java.util.List;

/**
 * What rclone's error message says went wrong with the remote, what to fix, and whether another attempt can help:
 * rejected credentials and a TLS certificate the mover does not trust are configuration errors (exit 2, the Job is
 * not retried: the same Secret and CA give the same answer), the rest are transfer errors (exit 3, retried).
 * A pure function of the message and the configuration's hints.
 */
public enum RemoteError {
  CREDENTIALS(true, "SignatureDoesNotMatch", "InvalidAccessKeyId", "AccessDenied", "Access Denied",
      "StatusCode: 401", "StatusCode: 403", "401 Unauthorized", "403 Forbidden", "authentication failed"),
  /** Before {@link #UNTRUSTED_CERTIFICATE}: Go reports a name mismatch as an x509 error too. */
  CERTIFICATE_NAME(true, "certificate is valid for", "certificate is not valid for",
      "doesn't contain any IP SANs", "legacy Common Name field"),
  UNTRUSTED_CERTIFICATE(true, "x509:", "tls: failed to verify certificate", "certificate signed by unknown authority"),
  PLAIN_HTTP(true, "server gave HTTP response to HTTPS client", "first record does not look like a TLS handshake"),
  UNREACHABLE(false, "connection refused", "no such host", "i/o timeout", "dial tcp", "network is unreachable",
      "connection reset", "context deadline exceeded"),
  NOT_FOUND(false, "NoSuchBucket", "bucket does not exist", "directory not found"),
  NO_SPACE(false, "no space left"),
  OTHER(false);

  private final boolean configuration;
  private final List<String> phrases;

  RemoteError(boolean configuration, String... phrases) {
    this.configuration = configuration;
    this.phrases = List.of(phrases);
  }

  /** The first kind whose phrases the message contains, else {@link #OTHER}. */
  public static RemoteError of(String message) {
    for (RemoteError kind : values()) {
      if (kind.phrases.stream().anyMatch(message::contains)) {
        return kind;
      }
    }
    return OTHER;
  }

  /** Whether another attempt with the same configuration cannot help (exit 2 instead of 3). */
  public boolean configuration() {
    return configuration;
  }

  /** What to fix, in the terms of the API first and of the variables for hand runs. */
  public String hint(RemoteConfig config) {
    RemoteConfig.Hints hints = config.hints();
    return switch (this) {
      case CREDENTIALS -> "the remote rejected the credentials: check the remote's Secret ("
          + hints.secretField() + "): " + hints.credentials();
      case CERTIFICATE_NAME -> "the remote's TLS certificate is not valid for the host name it was reached by:"
          + " check " + hints.endpoint() + " against the names the certificate holds";
      case UNTRUSTED_CERTIFICATE -> "the remote's TLS certificate is not trusted: set spec.customCA (a Secret or"
          + " ConfigMap key holding the CA bundle) — MOVER_CA_BUNDLE for hand runs"
          + config.caBundle().map(ca -> "; the CA bundle in use (" + ca + ") did not verify it").orElse("");
      case PLAIN_HTTP -> "the endpoint speaks plain HTTP: set TLS_HOST=false (or use an http:// endpoint)";
      case UNREACHABLE -> "cannot reach the remote endpoint: check " + hints.endpoint() + " and network policies";
      case NOT_FOUND -> "bucket or path not found: check " + hints.path();
      case NO_SPACE -> "no space left on the target volume";
      case OTHER -> "see the rclone messages above";
    };
  }
}
