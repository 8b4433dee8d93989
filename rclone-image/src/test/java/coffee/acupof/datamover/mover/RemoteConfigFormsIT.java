package coffee.acupof.datamover.mover;

import static org.assertj.core.api.Assertions.assertThat;

import coffee.acupof.datamover.testkit.S3Server;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three ways to configure the remote: (a) the old operator's S3 variables, (b) an rclone.conf with a section
 * (VolSync style, here over HTTPS with a custom CA bundle), (c) REMOTE_* variables; plus RCLONE_* pass-through.
 */
class RemoteConfigFormsIT {

  private static final String BUCKET = "forms";

  @TempDir static Path tmp;
  static S3Server http;
  static S3Server https;
  static Path data;

  @BeforeAll
  static void start() {
    http = S3Server.start();
    https = S3Server.builder().tls(true).start();
    http.createBucket(BUCKET);
    https.createBucket(BUCKET);
    data = tmp.resolve("forms-data");
    Instant t = Instant.parse("2025-06-07T08:09:10.5Z");
    Trees.write(data, "config/app.yaml", "replicas: 3\n", t);
    Trees.write(data, "db/data.bin", Trees.randomBytes(5, 10_000), t);
  }

  @AfterAll
  static void stop() {
    if (http != null) {
      http.close();
    }
    if (https != null) {
      https.close();
    }
  }

  private Mover mover() {
    return new Mover(tmp).secret(http.secretKey(), https.secretKey());
  }

  private void assertRoundTrip(Mover configured, String expectedDestination) throws IOException {
    Mover.Run backup = configured.copy().env("MOVER_DATA_DIR", data.toString()).backup();
    assertThat(backup.exitCode()).as(backup.describe()).isZero();
    assertThat(backup.destination()).isEqualTo(expectedDestination);
    assertThat(backup.files()).isEqualTo(2);
    Path target = Files.createTempDirectory(tmp, "forms-restore-").resolve("data");
    Mover.Run restore = configured.copy().env("MOVER_DATA_DIR", target.toString()).restore();
    assertThat(restore.exitCode()).as(restore.describe()).isZero();
    assertThat(restore.destination()).isEqualTo(expectedDestination);
    assertThat(Trees.snapshot(target)).isEqualTo(Trees.snapshot(data));
  }

  @Test
  void formA_oldOperatorVariables() throws IOException {
    Mover a = mover().env(Mover.s3Form(http, BUCKET)).env("MOVER_PATH", "form-a");
    assertRoundTrip(a, "s3:" + BUCKET + "/form-a");
    assertThat(http.listObjects(BUCKET, "form-a")).contains("form-a/config/app.yaml", "form-a/db/data.bin");
  }

  @Test
  void formA_overTlsWithCustomCa() throws IOException {
    Path ca = https.caCertificate().orElseThrow();
    Mover a = mover().env(Mover.s3Form(https, BUCKET)).env("TLS_HOST", "True")
        .env("MOVER_PATH", "form-a-tls").env("MOVER_CA_BUNDLE", ca.toString());
    assertRoundTrip(a, "s3:" + BUCKET + "/form-a-tls");

    Mover.Run untrusted = mover().env(Mover.s3Form(https, BUCKET)).env("MOVER_PATH", "form-a-tls")
        .env("MOVER_DATA_DIR", data.toString()).backup();
    assertThat(untrusted.exitCode()).as(untrusted.describe()).isEqualTo(3);
    assertThat(untrusted.message()).contains("TLS verification").contains("MOVER_CA_BUNDLE");
  }

  @Test
  void formB_rcloneConfFileWithSectionAndCustomCa() throws IOException {
    Path conf = tmp.resolve("rclone-secret/rclone.conf");
    Files.createDirectories(conf.getParent());
    Files.writeString(conf, "[other]\ntype = local\n\n" + https.rcloneConfigSection("volsync-s3"));
    Path ca = https.caCertificate().orElseThrow();
    Mover b = mover()
        .env("MOVER_CONFIG_FILE", conf.toString())
        .env("MOVER_CONFIG_SECTION", "volsync-s3")
        .env("MOVER_PATH", BUCKET + "/mysql-pv-claim")
        .env("MOVER_CA_BUNDLE", ca.toString());
    assertRoundTrip(b, "volsync-s3:" + BUCKET + "/mysql-pv-claim");
    assertThat(https.listObjects(BUCKET, "mysql-pv-claim")).contains("mysql-pv-claim/config/app.yaml");

    // Form (b) wins over leftover (a) variables (here pointing at nothing useful).
    Mover both = b.copy().env("BUCKET_HOST", "127.0.0.1").env("BUCKET_PORT", "1").env("BUCKET_NAME", "nope")
        .env("AWS_ACCESS_KEY_ID", "x").env("AWS_SECRET_ACCESS_KEY", "y-not-used");
    Mover.Run run = both.env("MOVER_DATA_DIR", data.toString()).backup();
    assertThat(run.exitCode()).as(run.describe()).isZero();
    assertThat(run.destination()).isEqualTo("volsync-s3:" + BUCKET + "/mysql-pv-claim");
    assertThat(run.files()).isZero();

    Mover.Run noCa = b.copy().env("MOVER_CA_BUNDLE", null).env("MOVER_DATA_DIR", data.toString()).backup();
    assertThat(noCa.exitCode()).as(noCa.describe()).isEqualTo(3);
    assertThat(noCa.message()).contains("MOVER_CA_BUNDLE");

    Mover.Run notPem = b.copy().env("MOVER_CA_BUNDLE", conf.toString()).env("MOVER_DATA_DIR", data.toString()).backup();
    assertThat(notPem.exitCode()).isEqualTo(2);
    assertThat(notPem.message()).contains("MOVER_CA_BUNDLE").contains("no PEM certificate");

    Mover.Run wrongSection = b.copy().env("MOVER_CONFIG_SECTION", "missing").env("MOVER_DATA_DIR", data.toString())
        .backup();
    assertThat(wrongSection.exitCode()).isEqualTo(2);
    assertThat(wrongSection.message()).contains("section 'missing' not found").contains("volsync-s3");

    Mover.Run noPath = b.copy().env("MOVER_PATH", null).env("MOVER_DATA_DIR", data.toString()).backup();
    assertThat(noPath.exitCode()).isEqualTo(2);
    assertThat(noPath.message()).contains("MOVER_PATH is required");

    Mover.Run noFile = b.copy().env("MOVER_CONFIG_FILE", tmp.resolve("absent.conf").toString())
        .env("MOVER_DATA_DIR", data.toString()).backup();
    assertThat(noFile.exitCode()).isEqualTo(2);
    assertThat(noFile.message()).contains("MOVER_CONFIG_FILE");
  }

  @Test
  void formC_remoteVariables() throws IOException {
    Mover c = mover()
        .env("REMOTE_TYPE", "s3")
        .env("REMOTE_PROVIDER", "Other")
        .env("REMOTE_ENDPOINT", http.endpoint())
        .env("REMOTE_ACCESS_KEY_ID", http.accessKey())
        .env("REMOTE_SECRET_ACCESS_KEY", http.secretKey())
        .env("REMOTE_REGION", http.region())
        .env("REMOTE_FORCE_PATH_STYLE", "true")
        .env("MOVER_PATH", BUCKET + "/form-c");
    assertRoundTrip(c, "remote:" + BUCKET + "/form-c");
    assertThat(http.listObjects(BUCKET, "form-c")).contains("form-c/db/data.bin");

    Mover.Run badType = c.copy().env("REMOTE_TYPE", "s4").env("MOVER_DATA_DIR", data.toString()).backup();
    assertThat(badType.exitCode()).isEqualTo(2);
    assertThat(badType.message()).contains("REMOTE_TYPE 's4' is not an rclone backend");

    Mover.Run noPath = c.copy().env("MOVER_PATH", null).env("MOVER_DATA_DIR", data.toString()).backup();
    assertThat(noPath.exitCode()).isEqualTo(2);
    assertThat(noPath.message()).contains("MOVER_PATH is required");

    Mover.Run wrongSecret = c.copy().env("REMOTE_SECRET_ACCESS_KEY", "wrong-secret-value-123")
        .secret("wrong-secret-value-123").env("MOVER_DATA_DIR", data.toString()).backup();
    assertThat(wrongSecret.exitCode()).isEqualTo(3);
    assertThat(wrongSecret.message()).contains("rejected the credentials").contains("REMOTE_");
  }

  /**
   * REMOTE_* may describe any backend; here a crypt remote over a remote that is defined only by pass-through
   * RCLONE_CONFIG_* variables. Its plain-text REMOTE_PASSWORD is obscured by the mover (through stdin).
   */
  @Test
  void formC_anyBackendWithPasswordOptionAndRclonePassThrough() throws IOException {
    String password = "form-c-crypt-password-42";
    Map<String, String> base = http.rcloneEnvironment("base");
    Mover c = mover().env(base)
        .env("RCLONE_TRANSFERS", "2")
        .env("REMOTE_TYPE", "crypt")
        .env("REMOTE_REMOTE", "base:" + BUCKET + "/form-c-crypt")
        .env("REMOTE_PASSWORD", password)
        .env("MOVER_PATH", "inner")
        .secret(password);
    assertRoundTrip(c, "remote:inner");
    assertThat(http.listObjects(BUCKET, "form-c-crypt")).isNotEmpty()
        .noneMatch(key -> key.contains("app.yaml") || key.contains("inner"));
  }
}
