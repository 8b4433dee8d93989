package coffee.acupof.datamover.mover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A fixed-path backup that would delete more than MOVER_MAX_DELETE_PERCENT of the previous files is refused. */
class DeletionGuardIT {

  private static final String BUCKET = "guard";

  @TempDir static Path tmp;
  @RegisterExtension static final S3Bucket bucket = new S3Bucket(BUCKET);

  @Test
  void refusesUnlessAllowed() throws IOException {
    Path data = tmp.resolve("data");
    for (int i = 0; i < 10; i++) {
      Trees.write(data, "f-" + i + ".txt", "file " + i + "\n", Instant.parse("2025-01-01T00:00:00Z"));
    }
    Mover mover = bucket.mover(tmp).env("MOVER_PATH", "vol").env("MOVER_SOURCE", "ns/vol")
        .env("MOVER_DATA_DIR", data.toString());
    assertThat(mover.backup().exitCode()).isZero();
    List<String> before = bucket.s3().listObjects(BUCKET, "vol");

    for (int i = 0; i < 6; i++) {
      Files.delete(data.resolve("f-" + i + ".txt"));
    }
    Mover.Run refused = mover.copy().backup();
    assertThat(refused.exitCode()).as(refused.describe()).isEqualTo(4);
    assertThat(refused.message()).contains("would delete 6 of the 10 files (60%)", "MOVER_MAX_DELETE_PERCENT=50",
        "MOVER_MAX_DELETE_PERCENT=100");
    assertThat(bucket.s3().listObjects(BUCKET, "vol")).containsExactlyInAnyOrderElementsOf(before);

    Mover.Run allowed = mover.copy().env("MOVER_MAX_DELETE_PERCENT", "100").backup();
    assertThat(allowed.exitCode()).as(allowed.describe()).isZero();
    assertThat(allowed.deleted()).isEqualTo(6);
    assertThat(bucket.s3().listObjects(BUCKET, "vol")).hasSize(4 + 1);
  }
}
