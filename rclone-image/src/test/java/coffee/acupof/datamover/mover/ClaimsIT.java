package coffee.acupof.datamover.mover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 7: the mover never deletes or overwrites files that another source or another run wrote. Point in time
 * folders are claimed; a fixed path refuses a file that another source owns.
 */
class ClaimsIT {

  private static final String BUCKET = "claims";
  private static final String SECOND = "2026-08-09-101112";
  private static final Instant T = Instant.parse("2025-03-04T05:06:07Z");

  @TempDir static Path tmp;
  @RegisterExtension static final S3Bucket bucket = new S3Bucket(BUCKET);

  private Mover mover(String path, String source, Path data) {
    Mover mover = bucket.mover(tmp).env("MOVER_SOURCE", source)
        .env("MOVER_DATA_DIR", data.toString());
    return path == null ? mover : mover.env("MOVER_PATH", path);
  }

  private static Path volume(String name, String content) {
    Path dir = tmp.resolve(name);
    Trees.write(dir, "common.txt", content + "\n", T);
    Trees.write(dir, "only-" + name + ".txt", name + "\n", T);
    return dir;
  }

  private static List<String> keys(String prefix) {
    return prefix.isEmpty() ? bucket.s3().listObjects(BUCKET) : bucket.s3().listObjects(BUCKET, prefix);
  }

  /** Same second, two sources: the first point stays intact and restorable, the second is refused. */
  @ParameterizedTest
  @ValueSource(strings = {"", "shared"})
  void sameSecondTwoSources(String path) throws IOException {
    String tag = path.isEmpty() ? "root" : "path";
    Path a = volume("a-" + tag, "volume A");
    Path b = volume("b-" + tag, "volume B, longer");
    String prefix = path.isEmpty() ? SECOND : path + "/" + SECOND;
    Mover.Run first = mover(path.isEmpty() ? null : path, "ns/a", a).env("ADD_TIMESTAMP_PREFIX", "true")
        .env("MOVER_TIMESTAMP", SECOND).backup();
    assertThat(first.exitCode()).as(first.describe()).isZero();
    List<String> afterFirst = keys(prefix);

    Mover.Run second = mover(path.isEmpty() ? null : path, "ns/b", b).env("ADD_TIMESTAMP_PREFIX", "true")
        .env("MOVER_TIMESTAMP", SECOND).backup();
    assertThat(second.exitCode()).as(second.describe()).isEqualTo(4);
    assertThat(second.message()).contains("already holds the complete backup of source 'ns/a'",
        "Give each source its own path (spec.path / MOVER_PATH)");
    assertThat(keys(prefix)).containsExactlyInAnyOrderElementsOf(afterFirst);

    Path restored = tmp.resolve("restored-a-" + tag);
    Mover.Run restore = mover(path.isEmpty() ? null : path, "ns/a", restored).env("MOVER_RESTORE_POINT", SECOND)
        .restore();
    assertThat(restore.exitCode()).as(restore.describe()).isZero();
    assertThat(Trees.snapshot(restored)).isEqualTo(Trees.snapshot(a));
  }

  /** A retry of one run (same run id) reuses its point, also after a failed attempt left its claim behind. */
  @Test
  void aRetryOfTheSameRunReusesItsPoint() throws IOException {
    Path a = volume("retry", "retried volume");
    String point = "2026-08-10-000000";
    put("retry/" + point + "/.datamover/claims/uid-1234.json", "{\"source\":\"ns/retry\",\"runId\":\"uid-1234\"}");
    put("retry/" + point + "/stale-from-attempt-1.txt", "x");
    Mover mover = mover("retry", "ns/retry", a).env("ADD_TIMESTAMP_PREFIX", "true").env("MOVER_TIMESTAMP", point)
        .env("MOVER_RUN_ID", "uid-1234");
    Mover.Run run = mover.backup();
    assertThat(run.exitCode()).as(run.describe()).isZero();
    assertThat(run.<String>get("$.runId")).isEqualTo("uid-1234");
    assertThat(run.deleted()).isEqualTo(1);
    assertThat(keys("retry")).containsExactlyInAnyOrder("retry/" + point + "/common.txt",
        "retry/" + point + "/only-retry.txt", "retry/" + point + "/.datamover/manifest.json");
    Mover.Run again = mover.copy().backup();
    assertThat(again.exitCode()).as(again.describe()).isZero();
    assertThat(again.files()).isZero();
    // Another run id for the same point is refused.
    Mover.Run other = mover.copy().env("MOVER_RUN_ID", "uid-9999").backup();
    assertThat(other.exitCode()).as(other.describe()).isEqualTo(4);
    assertThat(other.message()).contains("run uid-1234");
  }

  /** A slow backup of a small and a 4 MiB file into {@code path}/{@code point}, started in the background. */
  private record SlowBackup(Mover mover, Path data, String prefix, CompletableFuture<Mover.Run> running) {}

  /**
   * Starts a slow backup and, once its first (small) file is in the bucket, plants another run's claim (named so
   * that it sorts after this run's even within the same server second) and that run's {@code objects}.
   */
  private SlowBackup plantClaimDuringBackup(String path, String point, long seed, String otherRun,
      Map<String, String> objects) {
    Path data = tmp.resolve(path);
    try {
      Trees.writeLarge(data.resolve("big.bin"), seed, 4L * 1024 * 1024);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Trees.write(data, "aaa-first.txt", "mine\n", T);
    String prefix = path + "/" + point + "/";
    Mover mover = mover(path, "ns/a", data).env("ADD_TIMESTAMP_PREFIX", "true").env("MOVER_TIMESTAMP", point)
        .env("RCLONE_BWLIMIT", "1M").env("RCLONE_TRANSFERS", "1");
    CompletableFuture<Mover.Run> running = CompletableFuture.supplyAsync(mover::backup);
    awaitKey(prefix + "aaa-first.txt");
    put(prefix + ".datamover/claims/" + otherRun + ".json",
        "{\"source\":\"ns/other\",\"runId\":\"" + otherRun + "\"}");
    objects.forEach((name, content) -> put(prefix + name, content));
    return new SlowBackup(mover, data, prefix, running);
  }

  private static void put(String key, String content) {
    bucket.s3().putObject(BUCKET, key, content.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A second run claims the folder while this one copies and overwrites one of its files: this run, which
   * claimed first, finds the change before writing its marker and fails retryably; nothing of the other run is
   * deleted.
   */
  @Test
  void aSimultaneousClaimThatChangedAFileIsCaught() {
    SlowBackup backup = plantClaimDuringBackup("sim", "2026-08-11-000000", 11, "zz-other-run",
        Map.of("aaa-first.txt", "the other run's content\n", "other-only.txt", "other\n"));
    Mover.Run run = backup.running().join();
    assertThat(run.exitCode()).as(run.describe()).isEqualTo(3);
    assertThat(run.message()).contains("differ from the source after another run wrote there", "no marker");
    assertThat(keys("sim")).contains(backup.prefix() + "other-only.txt",
        backup.prefix() + ".datamover/claims/zz-other-run.json")
        .doesNotContain(backup.prefix() + ".datamover/manifest.json");
  }

  /** A later claim that changed nothing: this run writes its marker and deletes nothing of the other. */
  @Test
  void aSimultaneousClaimThatChangedNothingLetsTheFirstRunComplete() throws IOException {
    String point = "2026-08-12-000000";
    SlowBackup backup = plantClaimDuringBackup("sim-ok", point, 12, "zz-later-run",
        Map.of("later-only.txt", "later\n"));
    Mover.Run run = backup.running().join();
    assertThat(run.exitCode()).as(run.describe()).isZero();
    assertThat(keys("sim-ok")).contains(backup.prefix() + "later-only.txt",
        backup.prefix() + ".datamover/claims/zz-later-run.json", backup.prefix() + ".datamover/manifest.json");
    Mover.Run list = backup.mover().copy().list();
    assertThat(list.outputLines()).containsExactly(point + " complete claimed-by=zz-later-run");
    Path restored = tmp.resolve("simultaneous-ok-restored");
    Mover.Run restore = backup.mover().copy().env("MOVER_DATA_DIR", restored.toString()).restore();
    assertThat(restore.exitCode()).as(restore.describe()).isZero();
    assertThat(Trees.snapshot(restored)).isEqualTo(Trees.snapshot(backup.data()));
  }

  /** Two real runs of different sources started together for the same second: one wins, the other is refused. */
  @Test
  void twoRunsAtTheSameMoment() throws IOException {
    Path a = tmp.resolve("race-a");
    Path b = tmp.resolve("race-b");
    Trees.writeLarge(a.resolve("data.bin"), 21, 2L * 1024 * 1024);
    Trees.writeLarge(b.resolve("data.bin"), 22, 2L * 1024 * 1024);
    String point = "2026-08-13-000000";
    Mover ma = mover("race", "ns/a", a).env("ADD_TIMESTAMP_PREFIX", "true").env("MOVER_TIMESTAMP", point)
        .env("RCLONE_BWLIMIT", "2M");
    Mover mb = mover("race", "ns/b", b).env("ADD_TIMESTAMP_PREFIX", "true").env("MOVER_TIMESTAMP", point)
        .env("RCLONE_BWLIMIT", "2M");
    CompletableFuture<Mover.Run> ra = CompletableFuture.supplyAsync(ma::backup);
    CompletableFuture<Mover.Run> rb = CompletableFuture.supplyAsync(mb::backup);
    Mover.Run runA = ra.join();
    Mover.Run runB = rb.join();
    assertThat(List.of(runA.exitCode(), runB.exitCode())).as(runA.describe() + runB.describe())
        .containsExactlyInAnyOrder(0, 4);
    boolean aWon = runA.exitCode() == 0;
    Mover.Run lost = aWon ? runB : runA;
    assertThat(lost.message()).contains("MOVER_PATH");
    Path restored = tmp.resolve("race-restored");
    Mover.Run restore = (aWon ? ma : mb).copy().env("MOVER_DATA_DIR", restored.toString()).restore();
    assertThat(restore.exitCode()).as(restore.describe()).isZero();
    assertThat(Trees.snapshot(restored)).isEqualTo(Trees.snapshot(aWon ? a : b));
  }

  /** Fixed path, a file name in common: the second source is refused; the first restores byte-identically. */
  @Test
  void fixedPathWithACommonFileName() throws IOException {
    Path a = volume("fixed-a", "fixed A");
    Path b = volume("fixed-b", "fixed B");
    Mover.Run first = mover("fixed", "ns/a", a).backup();
    assertThat(first.exitCode()).as(first.describe()).isZero();
    byte[] before = bucket.s3().getObject(BUCKET, "fixed/common.txt");
    Mover.Run second = mover("fixed", "ns/b", b).backup();
    assertThat(second.exitCode()).as(second.describe()).isEqualTo(4);
    assertThat(second.message()).contains("source 'ns_a'", "'common.txt'", "own path");
    assertThat(bucket.s3().getObject(BUCKET, "fixed/common.txt")).isEqualTo(before);
    assertThat(keys("fixed")).noneMatch(k -> k.contains("ns_b") || k.contains("only-fixed-b"));

    Path restored = tmp.resolve("fixed-restored");
    Mover.Run restore = mover("fixed", "ns/a", restored).restore();
    assertThat(restore.exitCode()).as(restore.describe()).isZero();
    assertThat(Trees.snapshot(restored)).isEqualTo(Trees.snapshot(a));
  }

  private static void awaitKey(String key) {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (!bucket.s3().objectExists(BUCKET, key)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(key + " never appeared");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

}
