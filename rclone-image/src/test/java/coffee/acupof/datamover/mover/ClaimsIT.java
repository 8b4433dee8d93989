package coffee.acupof.datamover.mover;

import static org.assertj.core.api.Assertions.assertThat;

import coffee.acupof.datamover.testkit.S3Server;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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

  private Mover mover(String path, String source, Path data) {
    Mover mover = new Mover(tmp).env(Mover.s3Form(s3, BUCKET)).env("MOVER_SOURCE", source)
        .env("MOVER_DATA_DIR", data.toString()).secret(s3.secretKey());
    return path == null ? mover : mover.env("MOVER_PATH", path);
  }

  private static Path volume(String name, String content) {
    Path dir = tmp.resolve(name);
    Trees.write(dir, "common.txt", content + "\n", T);
    Trees.write(dir, "only-" + name + ".txt", name + "\n", T);
    return dir;
  }

  private static List<String> keys(String prefix) {
    return prefix.isEmpty() ? s3.listObjects(BUCKET) : s3.listObjects(BUCKET, prefix);
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
    s3.putObject(BUCKET, "retry/" + point + "/.datamover/claims/uid-1234.json",
        "{\"source\":\"ns/retry\",\"runId\":\"uid-1234\"}".getBytes(StandardCharsets.UTF_8));
    s3.putObject(BUCKET, "retry/" + point + "/stale-from-attempt-1.txt", "x".getBytes(StandardCharsets.UTF_8));
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

  /**
   * A second run claims the folder while this one copies and overwrites one of its files: this run, which
   * claimed first, finds the change before writing its marker and fails retryably; nothing of the other run is
   * deleted.
   */
  @Test
  void aSimultaneousClaimThatChangedAFileIsCaught() throws IOException {
    Path a = tmp.resolve("simultaneous");
    Trees.writeLarge(a.resolve("big.bin"), 11, 4L * 1024 * 1024);
    Trees.write(a, "aaa-first.txt", "mine\n", T);
    String point = "2026-08-11-000000";
    String prefix = "sim/" + point + "/";
    Mover mover = mover("sim", "ns/a", a).env("ADD_TIMESTAMP_PREFIX", "true").env("MOVER_TIMESTAMP", point)
        .env("RCLONE_BWLIMIT", "1M").env("RCLONE_TRANSFERS", "1");
    CompletableFuture<Mover.Run> running = CompletableFuture.supplyAsync(mover::backup);
    awaitKey(prefix + "aaa-first.txt");
    s3.putObject(BUCKET, prefix + ".datamover/claims/zz-other-run.json",
        "{\"source\":\"ns/other\",\"runId\":\"zz-other-run\"}".getBytes(StandardCharsets.UTF_8));
    s3.putObject(BUCKET, prefix + "aaa-first.txt", "the other run's content\n".getBytes(StandardCharsets.UTF_8));
    s3.putObject(BUCKET, prefix + "other-only.txt", "other\n".getBytes(StandardCharsets.UTF_8));
    Mover.Run run = running.join();
    assertThat(run.exitCode()).as(run.describe()).isEqualTo(3);
    assertThat(run.message()).contains("differ from the source after another run wrote there", "no marker");
    assertThat(keys("sim")).contains(prefix + "other-only.txt", prefix + ".datamover/claims/zz-other-run.json")
        .doesNotContain(prefix + ".datamover/manifest.json");
  }

  /** A later claim that changed nothing: this run writes its marker and deletes nothing of the other. */
  @Test
  void aSimultaneousClaimThatChangedNothingLetsTheFirstRunComplete() throws IOException {
    Path a = tmp.resolve("simultaneous-ok");
    Trees.writeLarge(a.resolve("big.bin"), 12, 4L * 1024 * 1024);
    Trees.write(a, "aaa-first.txt", "mine\n", T);
    String point = "2026-08-12-000000";
    String prefix = "sim-ok/" + point + "/";
    Mover mover = mover("sim-ok", "ns/a", a).env("ADD_TIMESTAMP_PREFIX", "true").env("MOVER_TIMESTAMP", point)
        .env("RCLONE_BWLIMIT", "1M").env("RCLONE_TRANSFERS", "1");
    CompletableFuture<Mover.Run> running = CompletableFuture.supplyAsync(mover::backup);
    awaitKey(prefix + "aaa-first.txt");
    // Claims of the same server second are ordered by run id: "zz-…" sorts after this run's id either way.
    s3.putObject(BUCKET, prefix + ".datamover/claims/zz-later-run.json",
        "{\"source\":\"ns/later\",\"runId\":\"zz-later-run\"}".getBytes(StandardCharsets.UTF_8));
    s3.putObject(BUCKET, prefix + "later-only.txt", "later\n".getBytes(StandardCharsets.UTF_8));
    Mover.Run run = running.join();
    assertThat(run.exitCode()).as(run.describe()).isZero();
    assertThat(keys("sim-ok")).contains(prefix + "later-only.txt", prefix + ".datamover/claims/zz-later-run.json",
        prefix + ".datamover/manifest.json");
    Mover.Run list = mover.copy().list();
    assertThat(list.outputLines()).containsExactly(point + " complete claimed-by=zz-later-run");
    Path restored = tmp.resolve("simultaneous-ok-restored");
    Mover.Run restore = mover.copy().env("MOVER_DATA_DIR", restored.toString()).restore();
    assertThat(restore.exitCode()).as(restore.describe()).isZero();
    assertThat(Trees.snapshot(restored)).isEqualTo(Trees.snapshot(a));
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
    byte[] before = s3.getObject(BUCKET, "fixed/common.txt");
    Mover.Run second = mover("fixed", "ns/b", b).backup();
    assertThat(second.exitCode()).as(second.describe()).isEqualTo(4);
    assertThat(second.message()).contains("source 'ns_a'", "'common.txt'", "own path");
    assertThat(s3.getObject(BUCKET, "fixed/common.txt")).isEqualTo(before);
    assertThat(keys("fixed")).noneMatch(k -> k.contains("ns_b") || k.contains("only-fixed-b"));

    Path restored = tmp.resolve("fixed-restored");
    Mover.Run restore = mover("fixed", "ns/a", restored).restore();
    assertThat(restore.exitCode()).as(restore.describe()).isZero();
    assertThat(Trees.snapshot(restored)).isEqualTo(Trees.snapshot(a));
  }

  private static void awaitKey(String key) {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (!s3.objectExists(BUCKET, key)) {
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
