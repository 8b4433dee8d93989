package coffee.acupof.datamover.mover;

import static org.assertj.core.api.Assertions.assertThat;

import coffee.acupof.datamover.testkit.S3Server;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets travel only through the environment: never on a command line, never in output, not even when rclone
 * logs at DEBUG level and dumps HTTP headers (rclone itself prints option values there; the mover masks
 * them). Every other test class checks the same through {@link Mover}; this one turns logging up.
 */
class SecretHandlingIT {

  private static final String BUCKET = "secrets";
  private static final String PASSWORD = "crypt-password-for-debug-test";
  private static final String SALT = "crypt-salt-for-debug-test";

  @TempDir static Path tmp;
  static S3Server s3;
  static Path data;

  @BeforeAll
  static void start() {
    s3 = S3Server.start();
    s3.createBucket(BUCKET);
    data = tmp.resolve("data");
    Trees.write(data, "a.txt", "alpha\n", Instant.parse("2025-01-01T00:00:00Z"));
    Trees.write(data, "b/c.txt", "charlie\n", Instant.parse("2025-01-01T00:00:00Z"));
  }

  @AfterAll
  static void stop() {
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  void debugLoggingAndHeaderDumpsDoNotRevealSecrets() throws IOException {
    Mover mover = new Mover(tmp).env(Mover.s3Form(s3, BUCKET))
        .env("MOVER_PATH", "debug")
        .env("ADD_TIMESTAMP_PREFIX", "true")
        .env("ENCRYPTED_PASSWORD", PASSWORD)
        .env("ENCRYPTED_PASSWORD2", SALT)
        .env("RCLONE_LOG_LEVEL", "DEBUG")
        .env("RCLONE_DUMP", "headers,auth")
        .secret(s3.secretKey(), s3.accessKey(), PASSWORD, SALT);

    Mover.Run backup = mover.copy().env("MOVER_DATA_DIR", data.toString()).backup();
    assertThat(backup.exitCode()).as(backup.describe()).isZero();
    // The masking is visible: rclone's debug lines about the options show *** instead of values.
    assertThat(backup.stderr()).contains("secret_access_key=\"***\"").contains("password=\"***\"");
    // The watcher did see the child processes (so its "no secret on a command line" check means something).
    assertThat(backup.commandLines()).anyMatch(line -> line.contains("copy") && line.contains("--files-from0"));

    Path target = tmp.resolve("restored");
    Mover.Run restore = mover.copy().env("MOVER_DATA_DIR", target.toString()).restore();
    assertThat(restore.exitCode()).as(restore.describe()).isZero();
    assertThat(Files.readString(target.resolve("b/c.txt"))).isEqualTo("charlie\n");

    // Wrong credentials at DEBUG level: rclone's errors and dumps still show no secret.
    String wrong = "a-wrong-secret-that-must-stay-hidden";
    Mover.Run failed = mover.copy().env("AWS_SECRET_ACCESS_KEY", wrong).secret(wrong)
        .env("MOVER_DATA_DIR", data.toString()).backup();
    assertThat(failed.exitCode()).as(failed.describe()).isEqualTo(3);
  }

  @Test
  void rcloneConfFileValuesAreMasked() throws IOException {
    Path conf = tmp.resolve("rclone.conf");
    Files.writeString(conf, s3.rcloneConfigSection("store"));
    Mover mover = new Mover(tmp)
        .env("MOVER_CONFIG_FILE", conf.toString())
        .env("MOVER_CONFIG_SECTION", "store")
        .env("MOVER_PATH", BUCKET + "/conf")
        .env("RCLONE_LOG_LEVEL", "DEBUG")
        .secret(s3.secretKey(), s3.accessKey());
    Mover.Run backup = mover.copy().env("MOVER_DATA_DIR", data.toString()).backup();
    assertThat(backup.exitCode()).as(backup.describe()).isZero();
    assertThat(Files.readString(conf)).as("the mounted config file is not modified").contains(s3.secretKey());
  }
}
