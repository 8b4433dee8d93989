package coffee.acupof.datamover.mover;

import static org.assertj.core.api.Assertions.assertThat;

import coffee.acupof.datamover.testkit.S3Server;
import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A timestamped backup copies the files that the newest complete point of the same source already holds
 * server-side ({@code --copy-dest}): the second backup of an unchanged tree uploads nothing and still restores
 * byte-identically. Progress lines come on stdout while it transfers.
 */
class CopyDestIT {

  private static final String BUCKET = "copydest";

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

  private Mover mover(Path data, String point) {
    return new Mover(tmp).env(Mover.s3Form(s3, BUCKET)).env("MOVER_PATH", "app").env("MOVER_SOURCE", "ns/app")
        .env("ADD_TIMESTAMP_PREFIX", "true").env("MOVER_TIMESTAMP", point).env("MOVER_DATA_DIR", data.toString())
        .secret(s3.secretKey());
  }

  @Test
  void unchangedFilesAreCopiedServerSide() throws IOException {
    Path data = tmp.resolve("data");
    Instant t = Instant.parse("2025-01-01T00:00:00Z");
    for (int i = 0; i < 30; i++) {
      Trees.write(data, "d" + (i % 3) + "/f-" + i + ".bin", Trees.randomBytes(i, 10_000 + i), t);
    }
    long total = 30 * 10_000 + (29 * 30 / 2);

    Mover.Run first = mover(data, "2026-01-01-000000").backup();
    assertThat(first.exitCode()).as(first.describe()).isZero();
    assertThat(first.<Number>get("$.uploadedBytes").longValue()).isEqualTo(total);
    assertThat(first.<Number>get("$.serverSideCopies").longValue()).isZero();

    Mover.Run second = mover(data, "2026-01-02-000000").backup();
    assertThat(second.exitCode()).as(second.describe()).isZero();
    assertThat(second.<Number>get("$.uploadedBytes").longValue()).as(second.lastLine()).isZero();
    assertThat(second.<Number>get("$.serverSideCopies").longValue()).isEqualTo(30);
    assertThat(second.<Number>get("$.serverSideCopyBytes").longValue()).isEqualTo(total);
    assertThat(s3.listObjects(BUCKET, "app/2026-01-02-000000")).hasSize(31);

    // One changed file: uploaded; the others copied server-side.
    Trees.write(data, "d0/f-0.bin", Trees.randomBytes(99, 10_000), t);
    Mover.Run third = mover(data, "2026-01-03-000000").backup();
    assertThat(third.exitCode()).as(third.describe()).isZero();
    assertThat(third.<Number>get("$.uploadedBytes").longValue()).isEqualTo(10_000);
    assertThat(third.<Number>get("$.serverSideCopies").longValue()).isEqualTo(29);

    for (String point : List.of("2026-01-02-000000", "2026-01-03-000000")) {
      Path restored = tmp.resolve("restored-" + point);
      Mover.Run restore = mover(restored, point).env("MOVER_RESTORE_POINT", point).restore();
      assertThat(restore.exitCode()).as(restore.describe()).isZero();
      if (point.endsWith("03-000000")) {
        assertThat(Trees.snapshot(restored)).isEqualTo(Trees.snapshot(data));
      } else {
        assertThat(Trees.snapshot(restored)).hasSameSizeAs(Trees.snapshot(data));
      }
    }
  }

  @Test
  void progressLinesWhileTransferring() throws IOException {
    Path data = tmp.resolve("progress");
    Trees.writeLarge(data.resolve("big.bin"), 5, 3L * 1024 * 1024);
    Mover.Run run = mover(data, "2026-02-01-000000").env("MOVER_PATH", "progress")
        .env("MOVER_PROGRESS_INTERVAL", "1s").env("RCLONE_BWLIMIT", "1M").backup();
    assertThat(run.exitCode()).as(run.describe()).isZero();
    List<String> progress = run.outputLines().stream().filter(l -> l.contains("\"type\":\"progress\"")).toList();
    assertThat(progress).as(run.stdout()).hasSizeGreaterThanOrEqualTo(2);
    var last = JsonPath.parse(progress.getLast());
    assertThat(last.<Number>read("$.totalBytes").longValue()).isEqualTo(3L * 1024 * 1024);
    assertThat(last.<Number>read("$.bytes").longValue()).isEqualTo(3L * 1024 * 1024);
    assertThat(last.<Number>read("$.totalFiles").longValue()).isEqualTo(1);
    assertThat(last.<String>read("$.operation")).isEqualTo("backup");
    assertThat(progress).as("a rate while transferring")
        .anyMatch(line -> JsonPath.parse(line).<Number>read("$.bytesPerSecond").longValue() > 0);
    assertThat(run.lastLine()).contains("\"operation\":\"backup\"");
  }
}
