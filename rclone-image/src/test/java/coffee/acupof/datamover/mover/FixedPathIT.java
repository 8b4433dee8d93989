package coffee.acupof.datamover.mover;

import static org.assertj.core.api.Assertions.assertThat;

import coffee.acupof.datamover.testkit.S3Server;
import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ADD_TIMESTAMP_PREFIX=false (the old operator's default): the backup goes to a fixed path, by default the
 * bucket root, which may hold other objects. Later backups transfer only what changed and delete only what
 * this source wrote before.
 */
class FixedPathIT {

  @TempDir static Path tmp;
  static S3Server s3;

  @BeforeAll
  static void start() {
    s3 = S3Server.start();
  }

  @AfterAll
  static void stop() {
    if (s3 != null) {
      s3.close();
    }
  }

  private Mover mover(String bucket, Path data, String source) {
    return new Mover(tmp).env(Mover.s3Form(s3, bucket))
        .env("MOVER_DATA_DIR", data.toString())
        .env("MOVER_SOURCE", source)
        .secret(s3.secretKey());
  }

  @Test
  void secondBackupTransfersOnlyChangesAndDeletesOnlyItsOwnRemovedFiles() throws IOException {
    String bucket = "fixed-root";
    s3.createBucket(bucket);
    byte[] unrelated = "not written by the mover\n".getBytes(StandardCharsets.UTF_8);
    s3.putObject(bucket, "unrelated/keep.txt", unrelated);
    s3.putObject(bucket, "top-level.txt", unrelated);

    Path data = tmp.resolve("fixed-data");
    Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
    for (int i = 0; i < 50; i++) {
      Trees.write(data, "dir" + (i % 5) + "/file-" + i + ".txt", "content " + i + "\n", t0.plusSeconds(i));
    }
    Mover mover = mover(bucket, data, "prod/db");

    Mover.Run first = mover.backup();
    assertThat(first.exitCode()).as(first.describe()).isZero();
    assertThat(first.destination()).isEqualTo("s3:" + bucket);
    assertThat(first.pointInTime()).isNull();
    assertThat(first.files()).isEqualTo(50);
    assertThat(first.deleted()).isZero();
    assertThat(s3.listObjects(bucket)).contains("dir0/file-0.txt", "dir4/file-49.txt",
        ".datamover/sources/prod_db/manifest.json", "unrelated/keep.txt", "top-level.txt");

    // Change two files, add one, delete one.
    Trees.write(data, "dir1/file-1.txt", "changed content one\n", t0.plusSeconds(1000));
    Trees.write(data, "dir2/file-2.txt", "changed content two!\n", t0.plusSeconds(1001));
    Trees.write(data, "dir0/new.txt", "brand new\n", t0.plusSeconds(1002));
    Files.delete(data.resolve("dir3/file-3.txt"));
    long changedBytes = "changed content one\n".length() + "changed content two!\n".length() + "brand new\n".length();

    Mover.Run second = mover.backup();
    assertThat(second.exitCode()).as(second.describe()).isZero();
    assertThat(second.files()).as("only the changed and new files are transferred").isEqualTo(3);
    assertThat(second.bytes()).isEqualTo(changedBytes);
    assertThat(second.deleted()).isEqualTo(1);
    List<String> keys = s3.listObjects(bucket);
    assertThat(keys).doesNotContain("dir3/file-3.txt").contains("dir0/new.txt", "dir1/file-1.txt");
    assertThat(keys).doesNotContain(".datamover/sources/prod_db/inflight.json");
    assertThat(s3.getObject(bucket, "unrelated/keep.txt")).isEqualTo(unrelated);
    assertThat(s3.getObject(bucket, "top-level.txt")).isEqualTo(unrelated);
    assertThat(new String(s3.getObject(bucket, "dir1/file-1.txt"), StandardCharsets.UTF_8))
        .isEqualTo("changed content one\n");

    var manifest = JsonPath.parse(new String(
        s3.getObject(bucket, ".datamover/sources/prod_db/manifest.json"), StandardCharsets.UTF_8));
    assertThat(manifest.<String>read("$.layout")).isEqualTo("fixed");
    assertThat(manifest.<Integer>read("$.totalFiles")).isEqualTo(50);
    assertThat(manifest.<List<String>>read("$.files[*].path")).doesNotContain("dir3/file-3.txt").contains("dir0/new.txt");

    Mover.Run third = mover.backup();
    assertThat(third.exitCode()).as(third.describe()).isZero();
    assertThat(third.files()).isZero();
    assertThat(third.bytes()).isZero();
    assertThat(third.deleted()).isZero();

    // Restore (latest falls back to the fixed path when there are no timestamp folders): exactly this
    // source's files, never the unrelated objects.
    Path target = tmp.resolve("fixed-restored");
    Mover.Run restore = mover(bucket, target, "prod/db").restore();
    assertThat(restore.exitCode()).as(restore.describe()).isZero();
    assertThat(restore.pointInTime()).isNull();
    assertThat(restore.files()).isEqualTo(50);
    assertThat(Trees.snapshot(target)).isEqualTo(Trees.snapshot(data));
    assertThat(Files.exists(target.resolve("unrelated"))).isFalse();
    assertThat(Files.exists(target.resolve("top-level.txt"))).isFalse();

    Mover.Run explicit = mover(bucket, tmp.resolve("fixed-restored-2"), "prod/db")
        .env("MOVER_RESTORE_POINT", "Fixed").restore();
    assertThat(explicit.exitCode()).as(explicit.describe()).isZero();
    assertThat(Trees.snapshot(tmp.resolve("fixed-restored-2"))).isEqualTo(Trees.snapshot(data));
    // The source's marker is read where the catalog would find it: one download, no listing beyond the
    // reachability check (the run's last stderr line counts rclone's processes by command).
    assertThat(explicit.stderr()).as(explicit.describe()).contains("lsjson 1×", "cat 1×");
  }

  @Test
  void sourcesSharingAFixedPathNeverDeleteEachOthersFiles() throws IOException {
    String bucket = "fixed-shared";
    s3.createBucket(bucket);
    Instant t0 = Instant.parse("2024-02-01T00:00:00Z");
    Path a = tmp.resolve("source-a");
    Path b = tmp.resolve("source-b");
    Trees.write(a, "a/one.txt", "a1\n", t0);
    Trees.write(a, "a/two.txt", "a2\n", t0);
    Trees.write(b, "b/one.txt", "b1\n", t0);

    assertThat(mover(bucket, a, "ns/a").env("MOVER_PATH", "shared").backup().exitCode()).isZero();
    assertThat(mover(bucket, b, "ns/b").env("MOVER_PATH", "shared").backup().exitCode()).isZero();

    Files.delete(a.resolve("a/two.txt"));
    Mover.Run again = mover(bucket, a, "ns/a").env("MOVER_PATH", "shared").backup();
    assertThat(again.exitCode()).as(again.describe()).isZero();
    assertThat(again.deleted()).isEqualTo(1);
    assertThat(s3.listObjects(bucket, "shared")).contains("shared/a/one.txt", "shared/b/one.txt")
        .doesNotContain("shared/a/two.txt");

    Mover.Run list = mover(bucket, a, "ns/a").env("MOVER_PATH", "shared").list();
    assertThat(list.exitCode()).isZero();
    assertThat(list.<List<String>>get("$.points[*].source")).containsExactlyInAnyOrder("ns_a", "ns_b");

    // Restoring needs to know which source: ambiguous without MOVER_SOURCE.
    Mover.Run ambiguous = new Mover(tmp).env(Mover.s3Form(s3, bucket)).env("MOVER_PATH", "shared")
        .env("MOVER_DATA_DIR", tmp.resolve("shared-restore-x").toString()).secret(s3.secretKey()).restore();
    assertThat(ambiguous.exitCode()).isEqualTo(4);
    assertThat(ambiguous.message()).contains("MOVER_SOURCE").contains("ns_a").contains("ns_b");

    Path target = tmp.resolve("shared-restore-b");
    Mover.Run restoreB = mover(bucket, target, "ns/b").env("MOVER_PATH", "shared").restore();
    assertThat(restoreB.exitCode()).as(restoreB.describe()).isZero();
    assertThat(Trees.snapshot(target)).isEqualTo(Trees.snapshot(b));
    assertThat(Trees.snapshot(target)).doesNotContainKey("a");
  }

  /**
   * A run that adds no file name records what it may own by moving its previous marker to {@code inflight.json}:
   * interrupted there, the source is incomplete (never restored) and its next run still deletes what it removed;
   * the hashes carried over from the previous marker and looked up for the changed files are the stored ones.
   */
  @Test
  void aRunWithoutNewNamesIsRecordedByItsPreviousMarker() throws IOException {
    String bucket = "fixed-moved";
    s3.createBucket(bucket);
    Path data = tmp.resolve("moved-data");
    Instant t0 = Instant.parse("2024-03-01T00:00:00Z");
    for (int i = 0; i < 20; i++) {
      Trees.write(data, "dir/file-" + i + ".txt", "content " + i + "\n", t0);
    }
    Mover mover = mover(bucket, data, "prod/moved");
    assertThat(mover.backup().exitCode()).isZero();
    String marker = ".datamover/sources/prod_moved/manifest.json";
    String inflight = ".datamover/sources/prod_moved/inflight.json";
    byte[] firstMarker = s3.getObject(bucket, marker);

    // No new name: one file changed (a large one, so the copy can be interrupted), one removed.
    Trees.writeLarge(data.resolve("dir/file-0.txt"), 3, 4L * 1024 * 1024);
    Files.delete(data.resolve("dir/file-19.txt"));
    Mover.Run interrupted = mover.copy().env("RCLONE_BWLIMIT", "256k").runAndInterrupt("backup", "copying");
    assertThat(interrupted.exitCode()).as(interrupted.describe()).isEqualTo(3);
    assertThat(s3.listObjects(bucket)).doesNotContain(marker).contains(inflight);
    assertThat(s3.getObject(bucket, inflight)).as("the previous marker, moved").isEqualTo(firstMarker);
    Mover.Run refused = mover(bucket, tmp.resolve("moved-restore-refused"), "prod/moved").restore();
    assertThat(refused.exitCode()).as(refused.describe()).isEqualTo(4);
    assertThat(refused.message()).contains("no completion marker");

    Mover.Run next = mover.backup();
    assertThat(next.exitCode()).as(next.describe()).isZero();
    assertThat(next.deleted()).isEqualTo(1);
    assertThat(s3.listObjects(bucket)).contains(marker).doesNotContain(inflight, "dir/file-19.txt");
    Mover.Run verify = mover.copy().env("MOVER_RESTORE_POINT", "fixed").env("MOVER_VERIFY_DOWNLOAD_PERCENT", "100")
        .run("verify");
    assertThat(verify.exitCode()).as(verify.describe()).isZero();
    var recorded = JsonPath.parse(new String(s3.getObject(bucket, marker), StandardCharsets.UTF_8));
    assertThat(recorded.<List<String>>read("$.files[*].md5")).hasSize(19).doesNotContainNull();

    Path restored = tmp.resolve("moved-restored");
    Mover.Run restore = mover(bucket, restored, "prod/moved").restore();
    assertThat(restore.exitCode()).as(restore.describe()).isZero();
    assertThat(Trees.snapshot(restored)).isEqualTo(Trees.snapshot(data));
  }
}
