package coffee.acupof.datamover.mover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups written by the bash mover (contract 1) stay restorable: the objects it wrote (kept under
 * {@code src/test/resources/bash-mover-backup/}) are put into S3Proxy as they were, and the Java mover restores
 * both layouts byte-identically, lists and verifies them, and never writes into the old point.
 */
class LegacyBackupIT {

  private static final String BUCKET = "fixture";
  private static final String POINT = "2025-01-02-030405";

  @TempDir static Path tmp;
  @RegisterExtension static final S3Bucket bucket = new S3Bucket(BUCKET);
  static Path fixture;

  @BeforeAll
  static void start() throws IOException, URISyntaxException {
    fixture = Path.of(LegacyBackupIT.class.getResource("/bash-mover-backup").toURI());
    try (Stream<Path> walk = Files.walk(fixture)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        String key = fixture.relativize(file).toString();
        if (!key.equals("README.md")) {
          bucket.s3().putObject(BUCKET, key, Files.readAllBytes(file));
        }
      }
    }
  }

  private Mover mover(String path) {
    return bucket.mover(tmp).env("MOVER_PATH", path).env("MOVER_SOURCE", "legacy/pvc");
  }

  /** Every object of the old backup is restored with exactly the bytes the bash mover stored. */
  private void assertRestoredExactly(Path target, String objects) throws IOException {
    Map<String, String> files = Map.of("hello.txt", "hello.txt", "nested/deeper/file.txt", "nested/deeper/file.txt",
        "nested/random.bin", "nested/random.bin", "ünïcødé/café.txt", "ünïcødé/café.txt");
    for (var entry : files.entrySet()) {
      assertThat(Files.readAllBytes(target.resolve(entry.getKey()))).as(entry.getKey())
          .isEqualTo(Files.readAllBytes(fixture.resolve(objects).resolve(entry.getValue())));
    }
    assertThat(Files.readSymbolicLink(target.resolve("link-to-file")).toString()).isEqualTo(
        Files.readString(fixture.resolve(objects).resolve("link-to-file.rclonelink"), StandardCharsets.UTF_8));
    assertThat(target.resolve("empty-dir")).isEmptyDirectory();
    assertThat(Trees.snapshot(target).get("hello.txt").mode()).isEqualTo("0640");
    assertThat(Trees.snapshot(target).get("nested").mode()).isEqualTo("0750");
    assertThat(target.resolve(".datamover")).doesNotExist();
  }

  @Test
  void pointInTimeOfTheBashMoverRestoresByteIdentically() throws IOException {
    Path target = tmp.resolve("restored-point");
    Mover.Run restore = mover("timestamped").env("MOVER_DATA_DIR", target.toString()).restore();
    assertThat(restore.exitCode()).as(restore.describe()).isZero();
    assertThat(restore.pointInTime()).isEqualTo(POINT);
    assertThat(restore.files()).isEqualTo(5);
    assertRestoredExactly(target, "timestamped/" + POINT);

    Mover.Run list = mover("timestamped").list();
    assertThat(list.outputLines()).containsExactly(POINT + " complete");
    Mover.Run verify = mover("timestamped").env("MOVER_VERIFY_DOWNLOAD_PERCENT", "100").run("verify");
    assertThat(verify.exitCode()).as(verify.describe()).isZero();
    assertThat(verify.<Integer>get("$.verified")).isEqualTo(5);
  }

  @Test
  void fixedPathOfTheBashMoverRestoresByteIdentically() throws IOException {
    Path target = tmp.resolve("restored-fixed");
    Mover.Run restore = mover("fixed-path").env("MOVER_DATA_DIR", target.toString()).env("MOVER_RESTORE_POINT", "fixed")
        .restore();
    assertThat(restore.exitCode()).as(restore.describe()).isZero();
    assertThat(restore.pointInTime()).isNull();
    assertRestoredExactly(target, "fixed-path");
  }

  /** The old point has no claim: a new run with the same timestamp never writes into it. */
  @Test
  void theOldPointIsNeverOverwritten() throws IOException {
    Path data = tmp.resolve("new-data");
    Trees.write(data, "hello.txt", "a newer volume\n", null);
    List<String> before = bucket.s3().listObjects(BUCKET, "timestamped");
    Mover.Run refused = mover("timestamped").env("MOVER_DATA_DIR", data.toString())
        .env("ADD_TIMESTAMP_PREFIX", "true").env("MOVER_TIMESTAMP", POINT).backup();
    assertThat(refused.exitCode()).as(refused.describe()).isEqualTo(4);
    assertThat(refused.message()).contains("complete backup of source 'legacy/pvc'", "MOVER_PATH");
    assertThat(bucket.s3().listObjects(BUCKET, "timestamped")).containsExactlyInAnyOrderElementsOf(before);
    assertThat(bucket.s3().getObject(BUCKET, "timestamped/" + POINT + "/hello.txt"))
        .isEqualTo(Files.readAllBytes(fixture.resolve("timestamped/" + POINT + "/hello.txt")));
  }
}
