package coffee.acupof.datamover.mover;

import static org.assertj.core.api.Assertions.assertThat;

import coffee.acupof.datamover.testkit.S3Server;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ADD_TIMESTAMP_PREFIX=true: one folder per point in time, retries reuse the folder named by MOVER_TIMESTAMP,
 * {@code list} shows complete and incomplete points, and "latest" restores the newest complete one.
 */
class TimestampLayoutIT {

  private static final String BUCKET = "timestamps";
  private static final String T1 = "2026-03-01-010000";
  private static final String T2 = "2026-03-02-020000";
  private static final String T3 = "2026-03-03-030000";
  private static final String T4 = "2026-03-04-040000";

  @TempDir static Path tmp;
  static S3Server s3;

  @BeforeAll
  static void start() {
    s3 = S3Server.start();
    s3.createBucket(BUCKET);
  }

  @AfterAll
  static void stop() {
    if (s3 != null) {
      s3.close();
    }
  }

  private Mover mover(String path, Path data) {
    return new Mover(tmp).env(Mover.s3Form(s3, BUCKET))
        .env("MOVER_PATH", path)
        .env("ADD_TIMESTAMP_PREFIX", "TRUE")
        .env("MOVER_DATA_DIR", data.toString())
        .secret(s3.secretKey());
  }

  private static Path version(Path dir, String label) {
    Instant t = Instant.parse("2025-01-01T00:00:00Z");
    Trees.write(dir, "version.txt", label + "\n", t);
    Trees.write(dir, "sub/common.txt", "same in every version\n", t);
    return dir;
  }

  @Test
  void timestampFoldersRetriesListAndLatestComplete() throws IOException {
    Path data = version(tmp.resolve("ts-data"), "one");
    Trees.write(data, "stale.txt", "removed before the retry\n", null);

    Mover.Run first = mover("app", data).env("MOVER_TIMESTAMP", T1).backup();
    assertThat(first.exitCode()).as(first.describe()).isZero();
    assertThat(first.destination()).isEqualTo("s3:" + BUCKET + "/app/" + T1);
    assertThat(first.pointInTime()).isEqualTo(T1);
    assertThat(s3.listObjects(BUCKET, "app")).containsExactlyInAnyOrder(
        "app/" + T1 + "/version.txt", "app/" + T1 + "/sub/common.txt", "app/" + T1 + "/stale.txt",
        "app/" + T1 + "/.datamover/manifest.json");

    // A retry of the same run (same MOVER_TIMESTAMP) reuses the folder and makes it match the source.
    Files.delete(data.resolve("stale.txt"));
    Trees.write(data, "added.txt", "added before the retry\n", null);
    Mover.Run retry = mover("app", data).env("MOVER_TIMESTAMP", T1).backup();
    assertThat(retry.exitCode()).as(retry.describe()).isZero();
    assertThat(retry.destination()).isEqualTo(first.destination());
    assertThat(retry.files()).isEqualTo(1);
    assertThat(retry.deleted()).isEqualTo(1);
    assertThat(s3.listObjects(BUCKET, "app")).containsExactlyInAnyOrder(
        "app/" + T1 + "/version.txt", "app/" + T1 + "/sub/common.txt", "app/" + T1 + "/added.txt",
        "app/" + T1 + "/.datamover/manifest.json");

    Path data2 = version(tmp.resolve("ts-data-2"), "two");
    assertThat(mover("app", data2).env("MOVER_TIMESTAMP", T2).backup().exitCode()).isZero();

    // T3: a backup whose marker is gone (interrupted before the marker was written).
    Path data3 = version(tmp.resolve("ts-data-3"), "three");
    assertThat(mover("app", data3).env("MOVER_TIMESTAMP", T3).backup().exitCode()).isZero();
    s3.deleteObject(BUCKET, "app/" + T3 + "/.datamover/manifest.json");
    // T4: data written without any marker.
    s3.putObject(BUCKET, "app/" + T4 + "/version.txt", "four\n".getBytes(StandardCharsets.UTF_8));
    // Not a point in time: ignored by list and restore.
    s3.putObject(BUCKET, "app/notes/readme.txt", "hello\n".getBytes(StandardCharsets.UTF_8));

    Mover.Run list = mover("app", data).list();
    assertThat(list.exitCode()).as(list.describe()).isZero();
    assertThat(list.<String>get("$.operation")).isEqualTo("list");
    assertThat(list.outputLines()).containsExactly(
        T4 + " incomplete", T3 + " incomplete", T2 + " complete", T1 + " complete");
    assertThat(list.<List<String>>get("$.points[*].name")).containsExactly(T4, T3, T2, T1);
    assertThat(list.<List<Boolean>>get("$.points[*].complete")).containsExactly(false, false, true, true);
    assertThat(list.pointInTime()).isEqualTo(T2);
    assertThat(list.destination()).isEqualTo("s3:" + BUCKET + "/app");

    Path latest = tmp.resolve("restore-latest");
    Mover.Run restoreLatest = mover("app", latest).restore();
    assertThat(restoreLatest.exitCode()).as(restoreLatest.describe()).isZero();
    assertThat(restoreLatest.pointInTime()).isEqualTo(T2);
    assertThat(restoreLatest.destination()).isEqualTo("s3:" + BUCKET + "/app/" + T2);
    assertThat(Files.readString(latest.resolve("version.txt"))).isEqualTo("two\n");
    assertThat(Trees.snapshot(latest)).isEqualTo(Trees.snapshot(data2));

    Path named = tmp.resolve("restore-named");
    Mover.Run restoreNamed = mover("app", named).env("MOVER_RESTORE_POINT", T1).restore();
    assertThat(restoreNamed.exitCode()).as(restoreNamed.describe()).isZero();
    assertThat(restoreNamed.pointInTime()).isEqualTo(T1);
    assertThat(Trees.snapshot(named)).isEqualTo(Trees.snapshot(data));

    for (String incomplete : List.of(T3, T4)) {
      Path target = tmp.resolve("restore-incomplete-" + incomplete);
      Mover.Run refused = mover("app", target).env("MOVER_RESTORE_POINT", incomplete).restore();
      assertThat(refused.exitCode()).as(refused.describe()).isEqualTo(4);
      assertThat(refused.message()).contains(incomplete).contains("no completion marker");
      assertThat(target).satisfiesAnyOf(
          t -> assertThat(Files.exists(t)).isFalse(),
          t -> assertThat(Files.list(t).toList()).isEmpty());
    }
  }

  @Test
  void timestampIsComputedWhenAbsent() {
    Path data = version(tmp.resolve("now-data"), "now");
    LocalDateTime before = LocalDateTime.now(ZoneOffset.UTC).withNano(0);
    Mover.Run run = mover("computed", data).backup();
    assertThat(run.exitCode()).as(run.describe()).isZero();
    String pit = run.pointInTime();
    assertThat(pit).matches("\\d{4}-\\d{2}-\\d{2}-\\d{6}");
    LocalDateTime at = LocalDateTime.parse(pit, DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmmss"));
    assertThat(Duration.between(before, at).abs()).isLessThan(Duration.ofMinutes(5));
    assertThat(run.destination()).isEqualTo("s3:" + BUCKET + "/computed/" + pit);
    assertThat(s3.listObjects(BUCKET, "computed")).contains("computed/" + pit + "/.datamover/manifest.json");
  }

  @Test
  void bucketRootIsTheDefaultPath() {
    String bucket = "ts-root";
    s3.createBucket(bucket);
    Path data = version(tmp.resolve("root-data"), "root");
    Mover.Run run = new Mover(tmp).env(Mover.s3Form(s3, bucket)).env("ADD_TIMESTAMP_PREFIX", "true")
        .env("MOVER_TIMESTAMP", T1).env("MOVER_DATA_DIR", data.toString()).secret(s3.secretKey()).backup();
    assertThat(run.exitCode()).as(run.describe()).isZero();
    assertThat(run.destination()).isEqualTo("s3:" + bucket + "/" + T1);
    assertThat(s3.listObjects(bucket)).contains(T1 + "/version.txt", T1 + "/.datamover/manifest.json");
    assertThat(run.files()).isEqualTo(2);
  }
}
