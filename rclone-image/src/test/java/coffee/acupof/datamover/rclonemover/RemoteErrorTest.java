package coffee.acupof.datamover.rclonemover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which of rclone's errors are configuration errors (exit 2, not retried) and which transfer errors (exit 3), and
 * what the message tells the user to fix — with the texts rclone 1.75 prints for them.
 */
class RemoteErrorTest {

  private static final String S3_CALL = "Failed to lsjson: operation error S3: ListObjectsV2, https response error ";
  private static final String SEND_FAILED = "Failed to lsjson: operation error S3: ListObjectsV2, exceeded maximum"
      + " number of attempts, 2, https response error StatusCode: 0, RequestID: , HostID: , request send failed,"
      + " Get \"https://minio.example.com:9000/backups?delimiter=%2F&list-type=2\": ";

  @TempDir Path work;

  @Test
  void rejectedCredentialsAreConfigurationErrors() {
    for (String error : List.of(
        S3_CALL + "StatusCode: 403, RequestID: 4442587FB7D0A2F9, api error SignatureDoesNotMatch: The request"
            + " signature we calculated does not match the signature you provided.",
        S3_CALL + "StatusCode: 403, api error InvalidAccessKeyId: The AWS Access Key Id you provided does not exist",
        S3_CALL + "StatusCode: 403, api error AccessDenied: Access Denied.")) {
      MoverFailure failure = preflightFails(error);
      assertThat(RemoteError.of(error)).isEqualTo(RemoteError.CREDENTIALS);
      assertThat(failure.kind()).isEqualTo(MoverFailure.Kind.CONFIGURATION);
      assertThat(failure.getMessage()).startsWith("configuration error: the remote rejected the credentials: check"
          + " the remote's Secret (spec.secretName): AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
          .contains("(rclone: " + error + ")");
    }
  }

  @Test
  void untrustedCertificateIsAConfigurationErrorThatNamesCustomCa() {
    for (String error : List.of(
        SEND_FAILED + "tls: failed to verify certificate: x509: certificate signed by unknown authority",
        SEND_FAILED + "x509: certificate has expired or is not yet valid: current time 2026-01-02T03:04:05Z is after"
            + " 2025-12-01T00:00:00Z")) {
      MoverFailure failure = preflightFails(error);
      assertThat(RemoteError.of(error)).isEqualTo(RemoteError.UNTRUSTED_CERTIFICATE);
      assertThat(failure.kind()).isEqualTo(MoverFailure.Kind.CONFIGURATION);
      assertThat(failure.getMessage()).startsWith("configuration error: the remote's TLS certificate is not trusted:"
          + " set spec.customCA (a Secret or ConfigMap key holding the CA bundle) — MOVER_CA_BUNDLE for hand runs")
          .doesNotContain("did not verify it");
    }
  }

  @Test
  void aCaBundleThatDidNotVerifyTheCertificateIsNamed() throws Exception {
    Path ca = Files.writeString(work.resolve("ca.pem"),
        "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    Map<String, String> vars = formA();
    vars.put("MOVER_CA_BUNDLE", ca.toString());
    MoverFailure failure = preflightFails(vars,
        SEND_FAILED + "tls: failed to verify certificate: x509: certificate signed by unknown authority");
    assertThat(failure.kind()).isEqualTo(MoverFailure.Kind.CONFIGURATION);
    assertThat(failure.getMessage()).contains("spec.customCA")
        .contains("the CA bundle in use (" + ca + ") did not verify it");
  }

  @Test
  void certificateForAnotherHostIsAConfigurationErrorThatNamesTheEndpoint() {
    for (String error : List.of(
        SEND_FAILED + "tls: failed to verify certificate: x509: certificate is valid for 127.0.0.1, localhost, not"
            + " minio.example.com",
        SEND_FAILED + "tls: failed to verify certificate: x509: cannot validate certificate for 10.0.0.7 because it"
            + " doesn't contain any IP SANs")) {
      MoverFailure failure = preflightFails(error);
      assertThat(RemoteError.of(error)).isEqualTo(RemoteError.CERTIFICATE_NAME);
      assertThat(failure.kind()).isEqualTo(MoverFailure.Kind.CONFIGURATION);
      assertThat(failure.getMessage()).contains("not valid for the host name")
          .contains("BUCKET_HOST, BUCKET_PORT and TLS_HOST (https://minio.example.com:9000)");
    }
  }

  @Test
  void plainHttpEndpointIsAConfigurationError() {
    MoverFailure failure = preflightFails(SEND_FAILED + "http: server gave HTTP response to HTTPS client");
    assertThat(failure.kind()).isEqualTo(MoverFailure.Kind.CONFIGURATION);
    assertThat(failure.getMessage()).contains("set TLS_HOST=false");
  }

  @Test
  void networkAndServerFailuresStayTransferErrors() {
    for (String error : List.of(
        SEND_FAILED + "dial tcp 10.0.0.7:9000: connect: connection refused",
        SEND_FAILED + "read tcp 10.0.0.1:5000->10.0.0.7:9000: read: connection reset by peer",
        S3_CALL + "StatusCode: 503, api error SlowDown: Please reduce your request rate.",
        "")) {
      MoverFailure failure = preflightFails(error);
      assertThat(RemoteError.of(error).configuration()).as(error).isFalse();
      assertThat(failure.kind()).as(error).isEqualTo(MoverFailure.Kind.TRANSFER);
    }
    assertThat(preflightFails(SEND_FAILED + "dial tcp: lookup minio.example.com: no such host").getMessage())
        .startsWith("transfer error: cannot reach the remote endpoint: check BUCKET_HOST, BUCKET_PORT and TLS_HOST");
  }

  private static Map<String, String> formA() {
    return new HashMap<>(Map.of("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI-secret",
        "BUCKET_HOST", "minio.example.com", "BUCKET_PORT", "9000", "BUCKET_NAME", "backups"));
  }

  private MoverFailure preflightFails(String error) {
    return preflightFails(formA(), error);
  }

  /** Runs the mover's reachability check against an rclone that fails with {@code error}. */
  private MoverFailure preflightFails(Map<String, String> vars, String error) {
    Masker masker = new Masker();
    ScriptedRclone rclone = new ScriptedRclone(call -> call.args().getFirst().equals("lsjson")
        ? new ScriptedRclone.Answer("", 3, error.isEmpty() ? List.of() : List.of(error))
        : ScriptedRclone.Answer.ok(""));
    RemoteConfig config = RemoteConfig.parse(new Env(vars, masker), rclone, work, masker);
    return catchThrowableOfType(MoverFailure.class, () -> new Remote(rclone, config, work).preflight());
  }
}
