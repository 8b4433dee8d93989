package coffee.acupof.datamover.mover;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A timestamped backup copies the files that the newest complete point of the same source already holds
 * server-side ({@code --copy-dest}): the second backup of an unchanged tree uploads nothing and still restores
 * byte-identically. Progress lines come on stdout while it transfers.
 */
class CopyDestIT {

  private static final String BUCKET = "copydest";

  @TempDir static Path tmp;
  @RegisterExtension static final S3Bucket bucket = new S3Bucket(BUCKET);

  private Mover mover(Path data, String point) {
    return bucket.mover(tmp).env("MOVER_PATH", "app").env("MOVER_SOURCE", "ns/app")
        .env("ADD_TIMESTAMP_PREFIX", "true").env("MOVER_TIMESTAMP", point).env("MOVER_DATA_DIR", data.toString());
  }

  /**
   * Files from 1 MiB on are copied server-side when unchanged; smaller ones are uploaded (a copy would cost more
   * requests than the upload).
   */
  @Test
  void unchangedFilesAreCopiedServerSide() throws IOException {
    Path data = tmp.resolve("data");
    Instant t = Instant.parse("2025-01-01T00:00:00Z");
    int mib = 1024 * 1024;
    for (int i = 0; i < 4; i++) {
      Trees.write(data, "large/f-" + i + ".bin", Trees.randomBytes(i, mib + 100 * i), t);
    }
    for (int i = 0; i < 10; i++) {
      Trees.write(data, "small/f-" + i + ".txt", "small file " + i + "\n", t);
    }
    long large = 4L * mib + 600;
    long small = 10 * "small file 0\n".length();

    Mover.Run first = mover(data, "2026-01-01-000000").backup();
    assertThat(first.exitCode()).as(first.describe()).isZero();
    assertThat(first.<Number>get("$.uploadedBytes").longValue()).isEqualTo(large + small);
    assertThat(first.<Number>get("$.serverSideCopies").longValue()).isZero();

    Mover.Run second = mover(data, "2026-01-02-000000").backup();
    assertThat(second.exitCode()).as(second.describe()).isZero();
    assertThat(second.<Number>get("$.uploadedBytes").longValue()).as(second.lastLine()).isEqualTo(small);
    assertThat(second.<Number>get("$.serverSideCopies").longValue()).isEqualTo(4);
    assertThat(second.<Number>get("$.serverSideCopyBytes").longValue()).isEqualTo(large);
    assertThat(second.files()).isEqualTo(14);
    assertThat(bucket.s3().listObjects(BUCKET, "app/2026-01-02-000000")).hasSize(15);

    // A changed large file is uploaded, even with the same size and time; the others are copied server-side.
    Trees.write(data, "large/f-0.bin", Trees.randomBytes(99, mib), t);
    Mover.Run third = mover(data, "2026-01-03-000000").backup();
    assertThat(third.exitCode()).as(third.describe()).isZero();
    assertThat(third.<Number>get("$.uploadedBytes").longValue()).isEqualTo(small + mib);
    assertThat(third.<Number>get("$.serverSideCopies").longValue()).isEqualTo(3);

    Map<String, Trees.Entry> before = Trees.snapshot(data);
    Path restored = tmp.resolve("restored-3");
    Mover.Run restore = mover(restored, "2026-01-03-000000").env("MOVER_RESTORE_POINT", "2026-01-03-000000").restore();
    assertThat(restore.exitCode()).as(restore.describe()).isZero();
    assertThat(Trees.snapshot(restored)).isEqualTo(before);
    Path restored2 = tmp.resolve("restored-2");
    Mover.Run restore2 = mover(restored2, "2026-01-02-000000").env("MOVER_RESTORE_POINT", "2026-01-02-000000")
        .restore();
    assertThat(restore2.exitCode()).as(restore2.describe()).isZero();
    assertThat(Trees.snapshot(restored2).get("large/f-0.bin").sha256())
        .isNotEqualTo(before.get("large/f-0.bin").sha256());
    assertThat(Trees.snapshot(restored2).get("large/f-1.bin")).isEqualTo(before.get("large/f-1.bin"));
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
