package coffee.acupof.datamover.mover;

import static org.assertj.core.api.Assertions.assertThat;

import coffee.acupof.datamover.testkit.S3Server;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ENCRYPTED_* adds an rclone crypt layer: the bucket holds nothing readable without the key. */
class EncryptionIT {

  private static final String BUCKET = "encrypted";
  private static final String TS = "2026-04-05-060708";
  private static final String PLAINTEXT = "TOP-SECRET-PLAINTEXT-MARKER: the launch code is 0000";
  private static final String PASSWORD = "correct horse battery staple";
  private static final String SALT = "pepper-and-salt-2026";

  @TempDir static Path tmp;
  static S3Server s3;
  static Path data;

  @BeforeAll
  static void start() {
    s3 = S3Server.start();
    s3.createBucket(BUCKET);
    data = tmp.resolve("plain");
    Instant t = Instant.parse("2025-02-03T04:05:06Z");
    Trees.write(data, "secret-plans.txt", PLAINTEXT + "\n", t);
    Trees.write(data, "visible-folder-name/notes.txt", PLAINTEXT + " (notes)\n", t);
    Trees.write(data, "big.bin", Trees.randomBytes(3, 200_000), t);
  }

  @AfterAll
  static void stop() {
    if (s3 != null) {
      s3.close();
    }
  }

  private Mover mover(String path) {
    return new Mover(tmp).env(Mover.s3Form(s3, BUCKET))
        .env("MOVER_PATH", path)
        .env("ADD_TIMESTAMP_PREFIX", "true")
        .env("MOVER_TIMESTAMP", TS)
        .env("ENCRYPTED_PASSWORD", PASSWORD)
        .env("ENCRYPTED_PASSWORD2", SALT)
        .secret(s3.secretKey(), PASSWORD, SALT);
  }

  @Test
  void objectsAreUnreadableWithoutTheKeyAndRestoreWithTheKey() throws IOException {
    Mover.Run backup = mover("vault").env("MOVER_DATA_DIR", data.toString()).backup();
    assertThat(backup.exitCode()).as(backup.describe()).isZero();
    assertThat(backup.destination()).isEqualTo("s3:" + BUCKET + "/vault/" + TS);
    assertThat(backup.files()).isEqualTo(3);

    List<String> keys = s3.listObjects(BUCKET, "vault");
    assertThat(keys).hasSize(4); // three files and the marker
    for (String key : keys) {
      String below = key.substring("vault/".length());
      assertThat(below).as("object names are encrypted")
          .doesNotContain("secret", "plans", "visible", "notes", "big", ".datamover", "manifest", TS, "2026");
      byte[] raw = s3.getObject(BUCKET, key);
      assertThat(new String(raw, StandardCharsets.ISO_8859_1)).as("content of %s is encrypted", key)
          .doesNotContain("TOP-SECRET").doesNotContain("launch code").doesNotContain("formatVersion");
      assertThat(raw).startsWith("RCLONE\0\0".getBytes(StandardCharsets.ISO_8859_1));
    }
    byte[] plainBig = Files.readAllBytes(data.resolve("big.bin"));
    assertThat(keys).noneMatch(key -> Arrays.equals(s3.getObject(BUCKET, key), plainBig));

    Path target = tmp.resolve("decrypted");
    Mover.Run restore = mover("vault").env("MOVER_DATA_DIR", target.toString()).restore();
    assertThat(restore.exitCode()).as(restore.describe()).isZero();
    assertThat(restore.pointInTime()).isEqualTo(TS);
    assertThat(Trees.snapshot(target)).isEqualTo(Trees.snapshot(data));

    Mover.Run list = mover("vault").env("MOVER_DATA_DIR", target.toString()).list();
    assertThat(list.exitCode()).isZero();
    assertThat(list.outputLines()).containsExactly(TS + " complete");

    // Without the key (or with a wrong one) nothing can be found to restore, and nothing is written.
    Path noKeyTarget = tmp.resolve("no-key");
    Mover.Run noKey = mover("vault").env("ENCRYPTED_PASSWORD", null).env("ENCRYPTED_PASSWORD2", null)
        .env("MOVER_DATA_DIR", noKeyTarget.toString()).restore();
    assertThat(noKey.exitCode()).as(noKey.describe()).isEqualTo(4);
    assertThat(noKey.message()).contains("no complete backup");

    Path wrongKeyTarget = tmp.resolve("wrong-key");
    Mover.Run wrongKey = mover("vault").env("ENCRYPTED_PASSWORD", "not the password at all")
        .secret("not the password at all").env("MOVER_DATA_DIR", wrongKeyTarget.toString()).restore();
    assertThat(wrongKey.exitCode()).as(wrongKey.describe()).isNotZero();
    assertThat(wrongKeyTarget).satisfiesAnyOf(
        t -> assertThat(Files.exists(t)).isFalse(),
        t -> assertThat(Files.list(t).toList()).isEmpty());
  }

  /** ENCRYPTED_&lt;KEY&gt; maps to any crypt option: here names stay readable, contents are still encrypted. */
  @Test
  void cryptOptionsPassThrough() throws IOException {
    Mover mover = mover("vault-plain-names").env("ENCRYPTED_FILENAME_ENCRYPTION", "off");
    Mover.Run backup = mover.env("MOVER_DATA_DIR", data.toString()).backup();
    assertThat(backup.exitCode()).as(backup.describe()).isZero();
    String prefix = "vault-plain-names/" + TS + "/";
    assertThat(s3.listObjects(BUCKET, "vault-plain-names")).containsExactlyInAnyOrder(
        prefix + "secret-plans.txt.bin", prefix + "visible-folder-name/notes.txt.bin", prefix + "big.bin.bin",
        prefix + ".datamover/manifest.json.bin");
    assertThat(new String(s3.getObject(BUCKET, prefix + "secret-plans.txt.bin"), StandardCharsets.ISO_8859_1))
        .doesNotContain("TOP-SECRET");

    Path target = tmp.resolve("plain-names-restored");
    Mover.Run restore = mover.copy().env("MOVER_DATA_DIR", target.toString()).restore();
    assertThat(restore.exitCode()).as(restore.describe()).isZero();
    assertThat(Trees.snapshot(target)).isEqualTo(Trees.snapshot(data));
  }
}
