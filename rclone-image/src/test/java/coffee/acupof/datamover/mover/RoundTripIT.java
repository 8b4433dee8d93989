package coffee.acupof.datamover.mover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import coffee.acupof.datamover.testkit.Rclone;
import coffee.acupof.datamover.testkit.S3Server;
import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backup then restore of a large, awkward tree is byte-identical and keeps times, modes, symlinks, empty
 * directories and (as root) owners.
 */
class RoundTripIT {

  private static final String BUCKET = "roundtrip";
  private static final String TS = "2026-01-02-030405";
  private static final long LARGE = 64L * 1024 * 1024;

  @TempDir static Path tmp;
  static S3Server s3;
  static Path source;
  static Map<String, Trees.Entry> before;

  @BeforeAll
  static void setUp() throws IOException {
    s3 = S3Server.start();
    s3.createBucket(BUCKET);
    source = tmp.resolve("source");
    Trees.generate(source, 25, 4, 10, LARGE);
    if (Trees.isRoot()) {
      // Owners other than root: restored because the restore below runs as root too.
      Files.setAttribute(source.resolve("d0/s1/file-1.bin"), "unix:uid", 1234, LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(source.resolve("d0/s1/file-1.bin"), "unix:gid", 1234, LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(source.resolve("private-dir"), "unix:uid", 4321, LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(source.resolve("link-to-file"), "unix:uid", 777, LinkOption.NOFOLLOW_LINKS);
      // chown clears setuid: set it again.
      Files.setAttribute(source.resolve("bin/tool"), "unix:uid", 1234, LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(source.resolve("bin/tool"), "unix:mode", 04755);
      Trees.setDirectoryTimes(source, java.time.Instant.parse("2020-05-06T07:08:09.5Z"));
    }
    before = Trees.snapshot(source);
  }

  @AfterAll
  static void tearDown() {
    if (s3 != null) {
      s3.close();
    }
  }

  private Mover mover() {
    return new Mover(tmp)
        .env(Mover.s3Form(s3, BUCKET))
        .env("MOVER_PATH", "team/app")
        .env("MOVER_SOURCE", "ns1/data")
        .secret(s3.secretKey());
  }

  @Test
  void largeTreeRoundTripIsIdentical() throws IOException {
    assertThat(Trees.fileCount(before)).isGreaterThanOrEqualTo(1000);

    Mover.Run backup = mover().env("MOVER_DATA_DIR", source.toString())
        .env("ADD_TIMESTAMP_PREFIX", "true").env("MOVER_TIMESTAMP", TS).backup();

    assertThat(backup.exitCode()).as(backup.describe()).isZero();
    assertThat(backup.<String>get("$.operation")).isEqualTo("backup");
    assertThat(backup.destination()).isEqualTo("s3:" + BUCKET + "/team/app/" + TS);
    assertThat(backup.pointInTime()).isEqualTo(TS);
    assertThat(backup.files()).isEqualTo(Trees.fileCount(before));
    assertThat(backup.bytes()).isEqualTo(Trees.byteCount(before));
    assertThat(backup.<Integer>get("$.errors")).isZero();
    assertThat(backup.<String>get("$.rcloneVersion")).isEqualTo("v" + Rclone.VERSION);

    // Layout: everything below <path>/<timestamp>/, symlinks as .rclonelink objects, the marker inside.
    List<String> keys = s3.listObjects(BUCKET);
    String prefix = "team/app/" + TS + "/";
    assertThat(keys).allMatch(key -> key.startsWith(prefix));
    assertThat(keys).contains(prefix + ".datamover/manifest.json", prefix + "link-to-file.rclonelink",
        prefix + "d1/link-to-dir.rclonelink", prefix + "big/large.bin", prefix + "ünïcødé/naïve café.txt",
        prefix + "日本語/ファイル名.txt");
    assertThat(keys).hasSize((int) Trees.fileCount(before) + 1);

    DocumentContext manifest = JsonPath.parse(new String(s3.getObject(BUCKET, prefix + ".datamover/manifest.json"),
        java.nio.charset.StandardCharsets.UTF_8));
    assertThat(manifest.<Integer>read("$.formatVersion")).isEqualTo(1);
    assertThat(manifest.<String>read("$.source")).isEqualTo("ns1/data");
    assertThat(manifest.<String>read("$.pointInTime")).isEqualTo(TS);
    assertThat(manifest.<String>read("$.layout")).isEqualTo("timestamp");
    assertThat(((Number) manifest.read("$.totalFiles")).longValue()).isEqualTo(Trees.fileCount(before));
    assertThat(((Number) manifest.read("$.totalBytes")).longValue()).isEqualTo(Trees.byteCount(before));
    assertThat(manifest.<List<String>>read("$.directories[*].path"))
        .contains("empty", "d0/s0/empty-nested", "d0/s0/empty-nested/deeper", "private-dir");
    assertThat(manifest.<List<String>>read("$.files[?(@.path == 'big/large.bin')].path")).hasSize(1);

    Path target = tmp.resolve("restored");
    Mover.Run restore = mover().env("MOVER_DATA_DIR", target.toString()).restore();

    assertThat(restore.exitCode()).as(restore.describe()).isZero();
    assertThat(restore.<String>get("$.operation")).isEqualTo("restore");
    assertThat(restore.pointInTime()).isEqualTo(TS);
    assertThat(restore.destination()).isEqualTo("s3:" + BUCKET + "/team/app/" + TS);
    assertThat(restore.files()).isEqualTo(Trees.fileCount(before));
    assertThat(restore.bytes()).isEqualTo(Trees.byteCount(before));

    Map<String, Trees.Entry> after = Trees.snapshot(target);
    assertThat(after.keySet()).containsExactlyElementsOf(before.keySet());
    // Content (SHA-256), sizes, symlink targets, file and directory modes, times and owners.
    assertThat(after).isEqualTo(before);
    assertThat(Files.readSymbolicLink(target.resolve("link-to-file"))).isEqualTo(Path.of("d0/s0/file-0.txt"));
    assertThat(Files.readSymbolicLink(target.resolve("dangling-absolute"))).isEqualTo(Path.of("/nonexistent/target"));
    assertThat(after.get("bin/tool").mode()).isEqualTo("4755");
    assertThat(after.get("shared-tmp").mode()).isEqualTo("1777");
    assertThat(Files.isDirectory(target.resolve("d0/s0/empty-nested/deeper"))).isTrue();
    assertThat(Files.exists(target.resolve(".datamover"))).as("the marker is never restored as data").isFalse();
  }

  /**
   * The image runs as uid 65532: a restore then keeps contents, times and modes but cannot give files away,
   * so owners become the mover's user (root-owned metadata must not make the restore fail).
   */
  @Test
  void unprivilegedRestoreKeepsContentTimesAndModes() throws IOException {
    assumeTrue(Trees.isRoot(), "needs root to switch to an unprivileged user");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv");
    Path shared = Files.createTempDirectory("datamover-unprivileged-");
    try {
      Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
      Path bin = Files.createDirectories(shared.resolve("bin"));
      Files.copy(Rclone.binary(), bin.resolve("rclone"));
      Files.setPosixFilePermissions(bin.resolve("rclone"), PosixFilePermissions.fromString("rwxr-xr-x"));
      Path small = shared.resolve("small-source");
      Trees.generate(small, 2, 2, 5, 0);
      Map<String, Trees.Entry> smallBefore = Trees.snapshot(small);

      Mover.Run backup = mover().env("MOVER_DATA_DIR", small.toString()).env("MOVER_PATH", "unprivileged")
          .env("ADD_TIMESTAMP_PREFIX", "true").backup();
      assertThat(backup.exitCode()).as(backup.describe()).isZero();

      Path target = Files.createDirectories(shared.resolve("target"));
      Files.setAttribute(target, "unix:uid", 65532);
      Path scratch = Files.createDirectories(shared.resolve("scratch"));
      Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxrwxrwx"));
      Mover unprivileged = new Mover(scratch)
          .env(Mover.s3Form(s3, BUCKET)).env("MOVER_PATH", "unprivileged").secret(s3.secretKey())
          .as(List.of("/usr/bin/setpriv", "--reuid=65532", "--regid=65532", "--clear-groups"), bin)
          .env("HOME", scratch.toString());
      Mover.Run restore = unprivileged.env("MOVER_DATA_DIR", target.toString()).restore();

      assertThat(restore.exitCode()).as(restore.describe()).isZero();
      Map<String, Trees.Entry> after = Trees.snapshot(target);
      assertThat(after.keySet()).containsExactlyElementsOf(smallBefore.keySet());
      after.forEach((path, entry) -> {
        Trees.Entry expected = smallBefore.get(path);
        assertThat(entry.type()).as(path).isEqualTo(expected.type());
        assertThat(entry.sha256()).as(path).isEqualTo(expected.sha256());
        assertThat(entry.linkTarget()).as(path).isEqualTo(expected.linkTarget());
        assertThat(entry.mode()).as("mode of %s", path).isEqualTo(expected.mode());
        assertThat(entry.mtime()).as("mtime of %s", path).isEqualTo(expected.mtime());
        if (entry.uid() != null) {
          assertThat(entry.uid()).as("owner of %s", path).isEqualTo(65532);
        }
      });
    } finally {
      try (Stream<Path> walk = Files.walk(shared)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
