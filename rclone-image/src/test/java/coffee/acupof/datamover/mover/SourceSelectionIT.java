package coffee.acupof.datamover.mover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restore reads only backups of its source ({@code MOVER_SOURCE}): two sources timestamped into one path, each
 * restore and verify of {@code latest} gets its own source's newest point, a named point of the other source is
 * refused, and without {@code MOVER_SOURCE} (a hand run) {@code latest} is the newest complete point of any source.
 */
class SourceSelectionIT {

  private static final String BUCKET = "sources";
  private static final String A1 = "2026-04-01-010000";
  private static final String B1 = "2026-04-02-010000";
  private static final String A2 = "2026-04-03-010000";
  private static final String B2 = "2026-04-04-010000";

  @TempDir static Path tmp;
  @RegisterExtension static final S3Bucket bucket = new S3Bucket(BUCKET);

  private static Mover mover(String source, Path data) {
    return bucket.mover(tmp).env("MOVER_PATH", "shared").env("MOVER_SOURCE", source)
        .env("MOVER_DATA_DIR", data.toString());
  }

  private static Path volume(String name) {
    Path dir = tmp.resolve(name);
    Instant t = Instant.parse("2025-06-01T00:00:00Z");
    Trees.write(dir, "whose.txt", name + "\n", t);
    Trees.write(dir, "sub/" + name + ".txt", "data of " + name + "\n", t);
    return dir;
  }

  @BeforeAll
  static void twoSourcesTimestampedIntoOnePath() {
    for (var backup : List.of(List.of("ns/a", "a1", A1), List.of("ns/b", "b1", B1), List.of("ns/a", "a2", A2),
        List.of("ns/b", "b2", B2))) {
      Mover.Run run = mover(backup.get(0), volume(backup.get(1))).env("ADD_TIMESTAMP_PREFIX", "true")
          .env("MOVER_TIMESTAMP", backup.get(2)).backup();
      assertThat(run.exitCode()).as(run.describe()).isZero();
    }
  }

  @Test
  void latestIsTheNewestCompletePointOfTheSource() throws IOException {
    Path restoredA = tmp.resolve("restored-a");
    Mover.Run a = mover("ns/a", restoredA).restore();
    assertThat(a.exitCode()).as(a.describe()).isZero();
    assertThat(a.pointInTime()).isEqualTo(A2);
    assertThat(a.<Boolean>get("$.verified")).isTrue();
    assertThat(Trees.snapshot(restoredA)).isEqualTo(Trees.snapshot(tmp.resolve("a2")));
    assertThat(a.stderr()).contains("skipping newer point(s) in time of other sources: " + B2 + " (source 'ns/b')");

    Path restoredB = tmp.resolve("restored-b");
    Mover.Run b = mover("ns/b", restoredB).restore();
    assertThat(b.exitCode()).as(b.describe()).isZero();
    assertThat(b.pointInTime()).isEqualTo(B2);
    assertThat(Trees.snapshot(restoredB)).isEqualTo(Trees.snapshot(tmp.resolve("b2")));

    Mover.Run verify = mover("ns/a", tmp.resolve("unused")).run("verify");
    assertThat(verify.exitCode()).as(verify.describe()).isZero();
    assertThat(verify.pointInTime()).isEqualTo(A2);
  }

  @Test
  void aNamedPointOfAnotherSourceIsRefused() throws IOException {
    Path target = tmp.resolve("refused");
    Mover.Run restore = mover("ns/a", target).env("MOVER_RESTORE_POINT", B1).restore();
    assertThat(restore.exitCode()).as(restore.describe()).isEqualTo(4);
    assertThat(restore.message()).contains(B1, "source 'ns/b'", "not of 'ns/a'", "give each source its own path");
    assertThat(target).satisfiesAnyOf(t -> assertThat(Files.exists(t)).isFalse(),
        t -> assertThat(Files.list(t).toList()).isEmpty());

    Mover.Run verify = mover("ns/b", target).env("MOVER_RESTORE_POINT", A1).run("verify");
    assertThat(verify.exitCode()).as(verify.describe()).isEqualTo(4);
    assertThat(verify.message()).contains(A1, "source 'ns/a'", "not of 'ns/b'");

    Mover.Run own = mover("ns/a", tmp.resolve("named-own")).env("MOVER_RESTORE_POINT", A1).restore();
    assertThat(own.exitCode()).as(own.describe()).isZero();
    assertThat(Trees.snapshot(tmp.resolve("named-own"))).isEqualTo(Trees.snapshot(tmp.resolve("a1")));
  }

  @Test
  void aSourceWithoutBackupsThereIsRefusedNamingTheOthers() {
    Mover.Run run = mover("ns/c", tmp.resolve("none")).restore();
    assertThat(run.exitCode()).as(run.describe()).isEqualTo(4);
    assertThat(run.message()).contains("no complete backup of source 'ns/c'", B2 + " (source 'ns/b')",
        A2 + " (source 'ns/a')");
  }

  @Test
  void withoutMoverSourceLatestIsTheNewestCompletePoint() throws IOException {
    Path target = tmp.resolve("hand-run");
    Mover.Run run = mover("ns/a", target).env("MOVER_SOURCE", null).restore();
    assertThat(run.exitCode()).as(run.describe()).isZero();
    assertThat(run.pointInTime()).isEqualTo(B2);
    assertThat(Trees.snapshot(target)).isEqualTo(Trees.snapshot(tmp.resolve("b2")));
  }

  @Test
  void aFixedPathRestoreTakesOnlyTheBackupOfItsSource() throws IOException {
    Path data = volume("fixed-a");
    Mover.Run backup = mover("ns/a", data).env("MOVER_PATH", "fixed").backup();
    assertThat(backup.exitCode()).as(backup.describe()).isZero();

    Mover.Run other = mover("ns/b", tmp.resolve("fixed-b")).env("MOVER_PATH", "fixed").restore();
    assertThat(other.exitCode()).as(other.describe()).isEqualTo(4);
    assertThat(other.message()).contains("no fixed-path backup of source 'ns/b'", "ns_a");

    Path hand = tmp.resolve("fixed-hand");
    Mover.Run handRun = mover("ns/b", hand).env("MOVER_PATH", "fixed").env("MOVER_SOURCE", null).restore();
    assertThat(handRun.exitCode()).as(handRun.describe()).isZero();
    assertThat(Trees.snapshot(hand)).isEqualTo(Trees.snapshot(data));
  }
}
