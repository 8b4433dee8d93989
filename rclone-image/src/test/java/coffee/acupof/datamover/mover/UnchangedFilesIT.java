package coffee.acupof.datamover.mover;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup skips the files that its previous marker recorded with the same size, modification time, status change
 * time and inode, and whose objects still have the marker's size and MD5 — and only those. A file rewritten with
 * its old size and time, an object replaced or removed behind the mover's back, are copied again, at a fixed path
 * and into a new point in time.
 */
class UnchangedFilesIT {

  private static final String BUCKET = "unchanged";
  private static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");

  @TempDir static Path tmp;
  @RegisterExtension static final S3Bucket bucket = new S3Bucket(BUCKET);

  private Mover mover(Path data, String path) {
    return bucket.mover(tmp).env("MOVER_PATH", path).env("MOVER_SOURCE", "ns/app")
        .env("MOVER_DATA_DIR", data.toString());
  }

  private static Path tree(String name) {
    Path data = tmp.resolve(name);
    for (int i = 0; i < 20; i++) {
      Trees.write(data, "d" + (i % 4) + "/f-" + i + ".txt", "file number " + i + "\n", T0);
    }
    return data;
  }

  private static String content(int i) {
    return "file number " + i + "\n";
  }

  private String object(String key) {
    return new String(bucket.s3().getObject(BUCKET, key), StandardCharsets.UTF_8);
  }

  @Test
  void aFixedPathBackupCopiesExactlyWhatChangedOnEitherSide() throws IOException {
    Path data = tree("fixed");
    Mover.Run first = mover(data, "fixed").backup();
    assertThat(first.exitCode()).as(first.describe()).isZero();
    assertThat(first.files()).isEqualTo(20);
    var marker = JsonPath.parse(object("fixed/.datamover/sources/ns_app/manifest.json"));
    assertThat(marker.<List<String>>read("$.files[?(@.path == 'd1/f-1.txt')].mtime")).containsExactly(T0.toString());
    assertThat(marker.<List<Object>>read("$.files[*].ctime")).hasSize(20);
    assertThat(marker.<List<Object>>read("$.files[*].inode")).hasSize(20);

    Mover.Run nothing = mover(data, "fixed").backup();
    assertThat(nothing.exitCode()).as(nothing.describe()).isZero();
    assertThat(nothing.files()).as(nothing.lastLine()).isZero();

    // Rewritten with the same size and modification time: only its status change time tells.
    Trees.write(data, "d3/f-3.txt", "FILE NUMBER 3\n", T0);
    // Replaced and removed behind the mover's back.
    bucket.s3().putObject(BUCKET, "fixed/d1/f-5.txt", "FILE NUMBER 5\n".getBytes(StandardCharsets.UTF_8));
    bucket.s3().deleteObject(BUCKET, "fixed/d3/f-7.txt");

    Mover.Run again = mover(data, "fixed").backup();
    assertThat(again.exitCode()).as(again.describe()).isZero();
    assertThat(again.files()).as(again.lastLine()).isEqualTo(3);
    assertThat(object("fixed/d3/f-3.txt")).isEqualTo("FILE NUMBER 3\n");
    assertThat(object("fixed/d1/f-5.txt")).isEqualTo(content(5));
    assertThat(object("fixed/d3/f-7.txt")).isEqualTo(content(7));

    Path restored = tmp.resolve("fixed-restored");
    Mover.Run restore = mover(restored, "fixed").restore();
    assertThat(restore.exitCode()).as(restore.describe()).isZero();
    assertThat(Trees.snapshot(restored)).isEqualTo(Trees.snapshot(data));
  }

  @Test
  void aNewPointCopiesUnchangedFilesServerSideButNeverAnObjectChangedSince() throws IOException {
    Path data = tree("points");
    Map<String, String> timestamped = Map.of("ADD_TIMESTAMP_PREFIX", "true");
    Mover.Run first = mover(data, "points").env(timestamped).env("MOVER_TIMESTAMP", "2026-01-01-000000").backup();
    assertThat(first.exitCode()).as(first.describe()).isZero();

    Trees.write(data, "d3/f-3.txt", "FILE NUMBER 3\n", T0);
    bucket.s3().putObject(BUCKET, "points/2026-01-01-000000/d1/f-5.txt",
        "FILE NUMBER 5\n".getBytes(StandardCharsets.UTF_8));
    Files.delete(data.resolve("d0/f-0.txt"));

    Mover.Run second = mover(data, "points").env(timestamped).env("MOVER_TIMESTAMP", "2026-01-02-000000").backup();
    assertThat(second.exitCode()).as(second.describe()).isZero();
    assertThat(second.files()).isEqualTo(19);
    assertThat(second.<Number>get("$.serverSideCopies").longValue()).as(second.lastLine()).isEqualTo(17);
    assertThat(second.<Number>get("$.uploadedBytes").longValue())
        .isEqualTo("FILE NUMBER 3\n".length() + content(5).length());
    assertThat(object("points/2026-01-02-000000/d3/f-3.txt")).isEqualTo("FILE NUMBER 3\n");
    assertThat(object("points/2026-01-02-000000/d1/f-5.txt")).isEqualTo(content(5));
    assertThat(bucket.s3().listObjects(BUCKET, "points/2026-01-02-000000/d0/")).doesNotContain(
        "points/2026-01-02-000000/d0/f-0.txt");

    Path restored = tmp.resolve("points-restored");
    Mover.Run restore = mover(restored, "points").env("MOVER_RESTORE_POINT", "2026-01-02-000000").restore();
    assertThat(restore.exitCode()).as(restore.describe()).isZero();
    assertThat(Trees.snapshot(restored)).isEqualTo(Trees.snapshot(data));
  }
}
