package coffee.acupof.datamover.mover;

import static org.assertj.core.api.Assertions.assertThat;

import coffee.acupof.datamover.testkit.Rclone;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code MOVER_ALLOW_UNVERIFIED_BACKUP=true}: a point in time folder that the Go DataMover Operator wrote (plain
 * {@code rclone sync -v} into {@code YYYY-MM-DD-HHMMSS/}, no marker) restores byte-identically when named, reported
 * as unverified; it is refused without the variable; {@code latest} never picks it; the variable with
 * {@code latest} or {@code fixed} is a configuration error; a marked folder is verified as usual.
 */
class UnverifiedBackupIT {

  private static final String BUCKET = "unverified";
  private static final String GO_POINT = "2025-06-01-120000";
  private static final String MOVER_POINT = "2025-05-01-120000";

  @TempDir static Path tmp;
  @RegisterExtension static final S3Bucket bucket = new S3Bucket(BUCKET);
  static Path tree;

  @BeforeAll
  static void aBackupOfTheGoOperator() throws IOException {
    tree = tmp.resolve("go-volume");
    Instant t = Instant.parse("2024-03-04T05:06:07Z");
    Trees.write(tree, "hello.txt", "written by the Go operator's rclone sync\n", t);
    Trees.write(tree, "nested/deeper/file.txt", "nested\n", t.plusSeconds(60));
    Trees.write(tree, "ünïcødé/café.txt", "non-ASCII\n", t.plusSeconds(120));
    Trees.write(tree, "empty.bin", new byte[0], t);
    Trees.writeLarge(tree.resolve("large.bin"), 7, 3L * 1024 * 1024 + 17);
    // What the Go operator ran in its mover pod: rclone sync -v /data <remote>:<bucket>/<timestamp>.
    Rclone.Result sync = Rclone.run(bucket.s3().rcloneEnvironment("goop"), null, Duration.ofMinutes(2),
        List.of("--config", "/dev/null", "sync", "-v", tree.toString(), "goop:" + BUCKET + "/app/" + GO_POINT));
    assertThat(sync.ok()).as(sync.stderr()).isTrue();
    assertThat(bucket.s3().listObjects(BUCKET, "app/" + GO_POINT)).hasSize(5)
        .noneMatch(k -> k.contains(".datamover"));
  }

  private static Mover mover(Path target) {
    return bucket.mover(tmp).env("MOVER_PATH", "app").env("MOVER_SOURCE", "shop/db")
        .env("MOVER_DATA_DIR", target.toString());
  }

  /** The files of a tree: contents, sizes and modification times (no marker, so no modes or directories). */
  private static Map<String, Trees.Entry> files(Path root) throws IOException {
    return Trees.snapshot(root).entrySet().stream().filter(e -> e.getValue().type().equals("file"))
        .collect(Collectors.toMap(Map.Entry::getKey, e -> new Trees.Entry("file", e.getValue().size(),
            e.getValue().sha256(), null, null, e.getValue().mtime(), null)));
  }

  @Test
  void aNamedGoOperatorFolderRestoresByteIdenticallyOnlyWhenAllowed() throws IOException {
    Path refusedTarget = tmp.resolve("refused");
    Mover.Run refused = mover(refusedTarget).env("MOVER_RESTORE_POINT", GO_POINT).restore();
    assertThat(refused.exitCode()).as(refused.describe()).isEqualTo(4);
    assertThat(refused.message()).contains(GO_POINT, "no completion marker", "MOVER_ALLOW_UNVERIFIED_BACKUP=true");
    assertThat(refusedTarget).satisfiesAnyOf(t -> assertThat(Files.exists(t)).isFalse(),
        t -> assertThat(Files.list(t).toList()).isEmpty());

    Path target = tmp.resolve("restored");
    Mover.Run restore = mover(target).env("MOVER_RESTORE_POINT", GO_POINT)
        .env("MOVER_ALLOW_UNVERIFIED_BACKUP", "true").restore();
    assertThat(restore.exitCode()).as(restore.describe()).isZero();
    assertThat(restore.<Boolean>get("$.verified")).isFalse();
    assertThat(restore.pointInTime()).isEqualTo(GO_POINT);
    assertThat(restore.destination()).isEqualTo("s3:" + BUCKET + "/app/" + GO_POINT);
    assertThat(restore.files()).isEqualTo(5);
    assertThat(restore.message()).contains("UNVERIFIED", "completion marker", "could not be checked");
    assertThat(restore.stderr()).contains("WARNING: s3:" + BUCKET + "/app/" + GO_POINT
        + " has no completion marker: its completeness cannot be checked");
    assertThat(files(target)).isEqualTo(files(tree));
    assertThat(Files.readString(target.resolve("ünïcødé/café.txt"), StandardCharsets.UTF_8))
        .isEqualTo("non-ASCII\n");
  }

  @Test
  void latestNeverPicksAFolderWithoutMarker() throws IOException {
    Path data = tmp.resolve("mover-volume");
    Trees.write(data, "mover.txt", "a complete backup of the Java mover\n", null);
    Mover.Run backup = mover(data).env("ADD_TIMESTAMP_PREFIX", "true").env("MOVER_TIMESTAMP", MOVER_POINT).backup();
    assertThat(backup.exitCode()).as(backup.describe()).isZero();

    Path target = tmp.resolve("latest");
    Mover.Run latest = mover(target).restore();
    assertThat(latest.exitCode()).as(latest.describe()).isZero();
    assertThat(latest.pointInTime()).isEqualTo(MOVER_POINT);
    assertThat(latest.stderr()).contains("skipping newer incomplete point(s) in time: " + GO_POINT);

    // A marked folder ignores the variable: verified as usual.
    Path named = tmp.resolve("named-marked");
    Mover.Run marked = mover(named).env("MOVER_RESTORE_POINT", MOVER_POINT)
        .env("MOVER_ALLOW_UNVERIFIED_BACKUP", "true").restore();
    assertThat(marked.exitCode()).as(marked.describe()).isZero();
    assertThat(marked.<Boolean>get("$.verified")).isTrue();
    assertThat(Trees.snapshot(named)).isEqualTo(Trees.snapshot(data));
  }

  @Test
  void onlyANamedPointMayBeUnverified() {
    for (String point : List.of("latest", "fixed")) {
      Path target = tmp.resolve("config-" + point);
      Mover.Run run = mover(target).env("MOVER_RESTORE_POINT", point).env("MOVER_ALLOW_UNVERIFIED_BACKUP", "true")
          .restore();
      assertThat(run.exitCode()).as(run.describe()).isEqualTo(2);
      assertThat(run.message()).contains("MOVER_ALLOW_UNVERIFIED_BACKUP=true needs MOVER_RESTORE_POINT",
          "'" + point + "'");
      assertThat(Files.exists(target)).isFalse();
    }
  }

  @Test
  void anInterruptedBackupOfTheMoverIsNeverRestoredUnverified() {
    String point = "2025-07-01-000000";
    bucket.s3().putObject(BUCKET, "interrupted/" + point + "/half.txt", "half\n".getBytes(StandardCharsets.UTF_8));
    bucket.s3().putObject(BUCKET, "interrupted/" + point + "/.datamover/claims/run-1.json",
        "{\"kind\":\"datamover-claim\",\"source\":\"shop/db\",\"runId\":\"run-1\"}".getBytes(StandardCharsets.UTF_8));
    Mover.Run run = mover(tmp.resolve("interrupted")).env("MOVER_PATH", "interrupted")
        .env("MOVER_RESTORE_POINT", point).env("MOVER_ALLOW_UNVERIFIED_BACKUP", "true").restore();
    assertThat(run.exitCode()).as(run.describe()).isEqualTo(4);
    assertThat(run.message()).contains(point, "interrupted backup", "run-1");
  }
}
