package coffee.acupof.datamover.mover;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code prune}: retention of the complete points of one source in one path, dry run and real; incomplete points
 * of this source after the grace period; never another source's point, a foreign folder, an unclaimed incomplete
 * folder, a future-dated point or the newest complete point.
 */
class PruneIT {

  private static final String BUCKET = "prune";
  private static final List<String> MINE = List.of("2026-01-01-000000", "2026-01-02-000000", "2026-01-03-000000",
      "2026-02-01-000000", "2026-03-01-000000");
  private static final String OTHERS = "2026-01-02-120000";
  private static final String FUTURE = "2099-01-01-000000";
  private static final String INCOMPLETE_MINE = "2025-12-01-000000";
  private static final String INCOMPLETE_UNCLAIMED = "2025-11-01-000000";

  @TempDir static Path tmp;
  @RegisterExtension static final S3Bucket bucket = new S3Bucket(BUCKET);
  static Path data;

  @BeforeAll
  static void start() {
    data = tmp.resolve("data");
    Trees.write(data, "file.txt", "prune me\n", Instant.parse("2025-01-01T00:00:00Z"));
  }

  private Mover mover(String path, String source) {
    return bucket.mover(tmp).env("MOVER_PATH", path).env("MOVER_SOURCE", source)
        .env("MOVER_DATA_DIR", data.toString());
  }

  private void backup(String path, String source, String point) {
    Mover.Run run = mover(path, source).env("ADD_TIMESTAMP_PREFIX", "true").env("MOVER_TIMESTAMP", point).backup();
    assertThat(run.exitCode()).as(run.describe()).isZero();
  }

  private static void put(String key, String content) {
    bucket.s3().putObject(BUCKET, key, content.getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> folders(String path) {
    return bucket.s3().listObjects(BUCKET, path).stream().map(k -> k.substring(path.length() + 1).split("/")[0])
        .distinct().sorted().toList();
  }

  @Test
  void keepsWhatThePolicyKeepsAndNothingThatIsNotThisSources() {
    String path = "app";
    for (String point : MINE) {
      backup(path, "ns/app", point);
    }
    backup(path, "ns/other", OTHERS);
    backup(path, "ns/app", FUTURE);
    put(path + "/" + INCOMPLETE_MINE + "/file.txt", "partial\n");
    put(path + "/" + INCOMPLETE_MINE + "/.datamover/claims/ns_app_" + INCOMPLETE_MINE + ".json",
        "{\"source\":\"ns/app\",\"runId\":\"ns_app@" + INCOMPLETE_MINE + "\"}");
    put(path + "/" + INCOMPLETE_UNCLAIMED + "/file.txt", "someone else's\n");
    put(path + "/notes/readme.txt", "not a point in time\n");
    List<String> all = folders(path);

    // Dry run: says what it would do, deletes nothing.
    Mover.Run dry = mover(path, "ns/app").env("MOVER_KEEP_LAST", "1").env("MOVER_KEEP_MONTHLY", "2")
        .env("MOVER_PRUNE_DRY_RUN", "true").run("prune");
    assertThat(dry.exitCode()).as(dry.describe()).isZero();
    assertThat(dry.outputLines()).contains(
        "2026-03-01-000000 keep (newest,last,monthly)",
        "2026-02-01-000000 keep (monthly)",
        "2026-01-03-000000 would-delete (not kept by the policy)",
        FUTURE + " ignore (dated in the future)",
        INCOMPLETE_UNCLAIMED + " ignore (incomplete, claimed by no run (not known to be this source's))",
        INCOMPLETE_MINE + " keep (incomplete, younger than MOVER_INCOMPLETE_GRACE (may still be running))");
    assertThat(dry.outputLines()).anyMatch(l -> l.startsWith(OTHERS + " ignore (another source's point (ns/other)"));
    assertThat(dry.<Boolean>get("$.dryRun")).isTrue();
    assertThat(dry.<List<String>>get("$.points[?(@.action == 'would-delete')].name"))
        .containsExactlyInAnyOrder("2026-01-01-000000", "2026-01-02-000000", "2026-01-03-000000");
    assertThat(folders(path)).isEqualTo(all);

    // Real run with no grace for incomplete points of this source.
    Mover.Run real = mover(path, "ns/app").env("MOVER_KEEP_LAST", "1").env("MOVER_KEEP_MONTHLY", "2")
        .env("MOVER_INCOMPLETE_GRACE", "0s").run("prune");
    assertThat(real.exitCode()).as(real.describe()).isZero();
    assertThat(real.deleted()).isEqualTo(4);
    assertThat(real.<List<String>>get("$.points[?(@.action == 'delete')].name")).containsExactlyInAnyOrder(
        "2026-01-01-000000", "2026-01-02-000000", "2026-01-03-000000", INCOMPLETE_MINE);
    assertThat(folders(path)).containsExactly(INCOMPLETE_UNCLAIMED, OTHERS, "2026-02-01-000000",
        "2026-03-01-000000", FUTURE, "notes");

    Mover.Run list = mover(path, "ns/app").list();
    assertThat(list.outputLines()).contains("2026-03-01-000000 complete", "2026-02-01-000000 complete");
    Path restored = tmp.resolve("restored");
    Mover.Run restore = mover(path, "ns/app").env("MOVER_DATA_DIR", restored.toString())
        .env("MOVER_RESTORE_POINT", "2026-02-01-000000").restore();
    assertThat(restore.exitCode()).as(restore.describe()).isZero();
  }

  @Test
  void anEmptyPolicyIsAConfigurationError() {
    Mover.Run run = mover("empty-policy", "ns/app").run("prune");
    assertThat(run.exitCode()).as(run.describe()).isEqualTo(2);
    assertThat(run.message()).contains("prune needs a retention policy", "MOVER_KEEP_LAST");
  }

  @Test
  void theNewestCompletePointIsNeverDeleted() {
    backup("newest", "ns/app", "2026-04-01-000000");
    backup("newest", "ns/app", "2026-04-02-000000");
    Mover.Run run = mover("newest", "ns/app").env("MOVER_KEEP_WITHIN", "0s").run("prune");
    assertThat(run.exitCode()).as(run.describe()).isZero();
    assertThat(folders("newest")).containsExactly("2026-04-02-000000");
  }
}
