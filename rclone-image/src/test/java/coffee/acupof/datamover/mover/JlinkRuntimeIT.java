package coffee.acupof.datamover.mover;

import static org.assertj.core.api.Assertions.assertThat;

import coffee.acupof.datamover.testkit.MoverCommand;
import coffee.acupof.datamover.testkit.Rclone;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image runs the mover on a jlink runtime with the modules of {@code rclone-image/jlink-modules}. The same
 * kind of runtime is built here from the local JDK (once per build, under target/) and a backup and a restore run
 * through it, so a module missing from that list fails this test.
 */
class JlinkRuntimeIT {

  private static final String BUCKET = "jlink";

  @TempDir static Path tmp;
  @RegisterExtension static final S3Bucket bucket = new S3Bucket(BUCKET);
  static Path runtime;

  @BeforeAll
  static void start() throws IOException, InterruptedException {
    runtime = buildRuntime();
  }

  /** Builds the runtime unless target/ already has one for the same module list. */
  static Path buildRuntime() throws IOException, InterruptedException {
    String modules = Files.readString(Rclone.repositoryRoot().resolve("rclone-image/jlink-modules")).strip();
    Path dir = Path.of(System.getProperty("mover.jlink.runtime",
        Rclone.repositoryRoot().resolve("rclone-image/target/jlink-runtime").toString()));
    Path stamp = dir.resolve(".modules");
    if (Files.isRegularFile(stamp) && Files.readString(stamp).equals(modules)) {
      return dir;
    }
    if (Files.exists(dir)) {
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Path jlink = Path.of(System.getProperty("java.home"), "bin", "jlink");
    Process process = new ProcessBuilder(jlink.toString(), "--add-modules", modules, "--strip-debug",
        "--no-header-files", "--no-man-pages", "--compress=zip-6", "--output", dir.toString())
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as("jlink: %s", output).isZero();
    Files.writeString(stamp, modules);
    return dir;
  }

  @Test
  void backupAndRestoreThroughTheJlinkRuntime() throws IOException {
    Path data = tmp.resolve("data");
    Trees.generate(data, 2, 2, 5, 0);
    Mover mover = bucket.mover(tmp).launcher(MoverCommand.through(runtime))
        .env("MOVER_PATH", "jlink").env("MOVER_SOURCE", "ns/jlink").env("ADD_TIMESTAMP_PREFIX", "true");
    Mover.Run backup = mover.copy().env("MOVER_DATA_DIR", data.toString()).backup();
    assertThat(backup.exitCode()).as(backup.describe()).isZero();
    assertThat(backup.commandLines()).anyMatch(line -> line.contains("copy"));

    Path restored = tmp.resolve("restored");
    Mover.Run restore = mover.copy().env("MOVER_DATA_DIR", restored.toString()).restore();
    assertThat(restore.exitCode()).as(restore.describe()).isZero();
    assertThat(Trees.snapshot(restored)).isEqualTo(Trees.snapshot(data));

    Mover.Run prune = mover.copy().env("MOVER_KEEP_DAILY", "7").env("MOVER_KEEP_TIMEZONE", "Europe/Berlin")
        .env("MOVER_VERIFY_DOWNLOAD_PERCENT", "50").run("prune");
    assertThat(prune.exitCode()).as(prune.describe()).isZero();
    Mover.Run verify = mover.copy().env("MOVER_VERIFY_DOWNLOAD_PERCENT", "50").run("verify");
    assertThat(verify.exitCode()).as(verify.describe()).isZero();
    assertThat(List.of(Files.exists(runtime.resolve("bin/java")), Files.exists(runtime.resolve("bin/javac"))))
        .containsExactly(true, false);
  }
}
