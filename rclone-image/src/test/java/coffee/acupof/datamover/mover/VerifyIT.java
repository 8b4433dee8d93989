package coffee.acupof.datamover.mover;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code verify}: a complete backup checks out; a corrupted and a missing object are found. */
class VerifyIT {

  private static final String BUCKET = "verify";
  private static final String POINT = "2026-05-06-070809";

  @TempDir static Path tmp;
  @RegisterExtension static final S3Bucket bucket = new S3Bucket(BUCKET);
  static Path data;

  @BeforeAll
  static void start() {
    data = tmp.resolve("data");
    Instant t = Instant.parse("2025-01-01T00:00:00Z");
    for (int i = 0; i < 20; i++) {
      Trees.write(data, "dir/file-" + i + ".txt", "content number " + i + "\n", t);
    }
  }

  private Mover mover(String path) {
    return bucket.mover(tmp).env("MOVER_PATH", path).env("MOVER_SOURCE", "ns/v")
        .env("MOVER_DATA_DIR", data.toString());
  }

  @Test
  void findsACorruptedAndAMissingObject() {
    Mover.Run backup = mover("v").env("ADD_TIMESTAMP_PREFIX", "true").env("MOVER_TIMESTAMP", POINT)
        .env("MOVER_VERIFY_AFTER_BACKUP", "true").backup();
    assertThat(backup.exitCode()).as(backup.describe()).isZero();
    assertThat(backup.message()).contains("verified s3:" + BUCKET + "/v/" + POINT + ": 20 file(s)");
    assertThat(backup.<Integer>get("$.verified")).isEqualTo(20);

    Mover.Run clean = mover("v").env("MOVER_VERIFY_DOWNLOAD_PERCENT", "100").run("verify");
    assertThat(clean.exitCode()).as(clean.describe()).isZero();
    assertThat(clean.<Integer>get("$.downloaded")).isEqualTo(20);
    assertThat(clean.pointInTime()).isEqualTo(POINT);

    // Same size, other content: found through the hash the marker recorded.
    String prefix = "v/" + POINT + "/dir/";
    bucket.s3().putObject(BUCKET, prefix + "file-3.txt", "content NUMBER 3\n".getBytes(StandardCharsets.UTF_8));
    bucket.s3().deleteObject(BUCKET, prefix + "file-7.txt");
    Mover.Run broken = mover("v").env("MOVER_RESTORE_POINT", POINT).run("verify");
    assertThat(broken.exitCode()).as(broken.describe()).isEqualTo(3);
    assertThat(broken.message()).contains("1 file(s) missing", "1 file(s) differ", "file-");
    assertThat(broken.<Integer>get("$.missing")).isEqualTo(1);
    assertThat(broken.<Integer>get("$.mismatched")).isEqualTo(1);
  }

  @Test
  void verifiesTheFixedPathToo() {
    Mover.Run backup = mover("fixed").backup();
    assertThat(backup.exitCode()).as(backup.describe()).isZero();
    Mover.Run verify = mover("fixed").env("MOVER_RESTORE_POINT", "fixed").env("MOVER_VERIFY_DOWNLOAD_PERCENT", "10")
        .run("verify");
    assertThat(verify.exitCode()).as(verify.describe()).isZero();
    assertThat(verify.<Integer>get("$.downloaded")).isEqualTo(2);
    bucket.s3().putObject(BUCKET, "fixed/dir/file-1.txt", "x".getBytes(StandardCharsets.UTF_8));
    Mover.Run broken = mover("fixed").env("MOVER_RESTORE_POINT", "fixed").run("verify");
    assertThat(broken.exitCode()).as(broken.describe()).isEqualTo(3);
    assertThat(broken.message()).contains("'dir/file-1.txt' has another size");
  }
}
