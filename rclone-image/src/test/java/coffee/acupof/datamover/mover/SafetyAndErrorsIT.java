package coffee.acupof.datamover.mover;

import static org.assertj.core.api.Assertions.assertThat;

import coffee.acupof.datamover.testkit.FreePorts;
import coffee.acupof.datamover.testkit.S3Server;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Safety valves (exit 4), configuration errors (exit 2) and transfer errors (exit 3), each with a message that
 * says what to fix.
 */
class SafetyAndErrorsIT {

  private static final String BUCKET = "safety";

  @TempDir static Path tmp;
  static S3Server s3;
  static Path data;

  @BeforeAll
  static void start() {
    s3 = S3Server.start();
    s3.createBucket(BUCKET);
    data = tmp.resolve("safety-data");
    Trees.write(data, "file.txt", "data\n", Instant.parse("2025-01-01T00:00:00Z"));
  }

  @AfterAll
  static void stop() {
    if (s3 != null) {
      s3.close();
    }
  }

  private Mover mover() {
    return new Mover(tmp).env(Mover.s3Form(s3, BUCKET)).env("MOVER_DATA_DIR", data.toString())
        .secret(s3.secretKey());
  }

  private static void assertFails(Mover.Run run, int exitCode, String... messageParts) {
    assertThat(run.exitCode()).as(run.describe()).isEqualTo(exitCode);
    assertThat(run.<String>get("$.status")).isEqualTo("failed");
    assertThat(run.message()).contains(messageParts);
  }

  // ---- safety valves ----------------------------------------------------------------------------------------

  @Test
  void emptySourceIsRefusedUnlessForced() throws IOException {
    Path empty = Files.createDirectories(tmp.resolve("empty-source/only-dirs/inside"));
    Path root = tmp.resolve("empty-source");
    Mover mover = mover().env("MOVER_DATA_DIR", root.toString()).env("MOVER_PATH", "empty");
    assertFails(mover.backup(), 4, "contains no files", "MOVER_ALLOW_EMPTY_SOURCE=true");
    assertThat(s3.listObjects(BUCKET, "empty")).isEmpty();

    Mover.Run forced = mover.copy().env("MOVER_ALLOW_EMPTY_SOURCE", "true").backup();
    assertThat(forced.exitCode()).as(forced.describe()).isZero();
    assertThat(forced.files()).isZero();
    assertThat(empty).isDirectory();

    // Restoring the forced empty backup recreates its directories.
    Path target = tmp.resolve("empty-restored");
    Mover.Run restore = mover.copy().env("MOVER_DATA_DIR", target.toString()).restore();
    assertThat(restore.exitCode()).as(restore.describe()).isZero();
    assertThat(target.resolve("only-dirs/inside")).isDirectory();
  }

  @Test
  void nonEmptyTargetIsRefusedUnlessAllowed() throws IOException {
    Mover mover = mover().env("MOVER_PATH", "nonempty");
    assertThat(mover.backup().exitCode()).isZero();

    Path target = tmp.resolve("occupied");
    Trees.write(target, "precious.txt", "do not lose me\n", null);
    Mover.Run refused = mover.copy().env("MOVER_DATA_DIR", target.toString()).restore();
    assertFails(refused, 4, "is not empty", "precious.txt", "MOVER_ALLOW_NONEMPTY_TARGET=true");
    assertThat(target.resolve("file.txt")).doesNotExist();

    Mover.Run allowed = mover.copy().env("MOVER_DATA_DIR", target.toString())
        .env("MOVER_ALLOW_NONEMPTY_TARGET", "true").restore();
    assertThat(allowed.exitCode()).as(allowed.describe()).isZero();
    assertThat(target.resolve("file.txt")).hasContent("data");
    assertThat(target.resolve("precious.txt")).hasContent("do not lose me");

    // A fresh file system's lost+found does not make a volume "non-empty".
    Path fresh = Files.createDirectories(tmp.resolve("fresh-volume/lost+found"));
    Mover.Run freshRestore = mover.copy().env("MOVER_DATA_DIR", fresh.getParent().toString()).restore();
    assertThat(freshRestore.exitCode()).as(freshRestore.describe()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/usr", "/usr/bin", "/etc", "/var", "/root", "/home", "/proc/self", "//usr/./lib/"})
  void systemDirectoriesAreNeverRestoreTargets(String dir) {
    Mover.Run run = mover().env("MOVER_PATH", "sys").env("MOVER_DATA_DIR", dir)
        .env("MOVER_ALLOW_NONEMPTY_TARGET", "true").restore();
    assertFails(run, 4, "MOVER_DATA_DIR");
  }

  @Test
  void symlinkToSystemDirectoryIsResolved() throws IOException {
    Path link = Files.createSymbolicLink(tmp.resolve("looks-harmless"), Path.of("/usr/bin"));
    Mover.Run run = mover().env("MOVER_PATH", "sys").env("MOVER_DATA_DIR", link.toString())
        .env("MOVER_ALLOW_NONEMPTY_TARGET", "true").restore();
    assertFails(run, 4, "resolves to the system directory '/usr/bin'");
  }

  @Test
  void incompleteOrMissingBackupsAreNotRestored() throws IOException {
    String ts = "2026-05-06-070809";
    s3.putObject(BUCKET, "partial/" + ts + "/file.txt", "partial\n".getBytes(StandardCharsets.UTF_8));
    Path target = tmp.resolve("partial-target");
    assertFails(mover().env("MOVER_PATH", "partial").env("MOVER_DATA_DIR", target.toString()).restore(),
        4, "no complete backup", ts, "no completion marker");
    assertFails(mover().env("MOVER_PATH", "partial").env("MOVER_DATA_DIR", target.toString())
        .env("MOVER_RESTORE_POINT", ts).restore(), 4, "no completion marker");
    assertFails(mover().env("MOVER_PATH", "partial").env("MOVER_DATA_DIR", target.toString())
        .env("MOVER_RESTORE_POINT", "2020-01-01-000000").restore(), 4, "not found", ts);
    assertFails(mover().env("MOVER_PATH", "nothing-here").env("MOVER_DATA_DIR", target.toString()).restore(),
        4, "no complete backup");
    assertThat(target).doesNotExist();

    // A fixed-path backup whose run was interrupted (inflight record, no marker) is not restored either.
    Path source = tmp.resolve("interrupted-source");
    Trees.write(source, "a.txt", "a\n", null);
    Mover fixed = mover().env("MOVER_PATH", "interrupted").env("MOVER_SOURCE", "ns/interrupted");
    assertThat(fixed.copy().env("MOVER_DATA_DIR", source.toString()).backup().exitCode()).isZero();
    s3.putObject(BUCKET, "interrupted/.datamover/sources/ns_interrupted/inflight.json",
        "{\"files\":[]}".getBytes(StandardCharsets.UTF_8));
    s3.deleteObject(BUCKET, "interrupted/.datamover/sources/ns_interrupted/manifest.json");
    assertFails(fixed.copy().env("MOVER_DATA_DIR", target.toString()).restore(), 4, "no completion marker");
  }

  @Test
  void reservedTopLevelNameIsRefused() {
    Path source = tmp.resolve("reserved");
    Trees.write(source, ".datamover/mine.txt", "user data that clashes\n", null);
    assertFails(mover().env("MOVER_PATH", "reserved").env("MOVER_DATA_DIR", source.toString()).backup(),
        4, "'.datamover'", "reserved");
  }

  // ---- configuration errors ---------------------------------------------------------------------------------

  @Test
  void tlsHostMustBeABoolean() {
    assertFails(mover().env("TLS_HOST", "yes").backup(), 2, "TLS_HOST must be true or false, got 'yes'");
  }

  @Test
  void bucketMustBeSetAndExist() {
    assertFails(mover().env("BUCKET_NAME", null).backup(), 2, "BUCKET_NAME is required");
    assertFails(mover().env("BUCKET_NAME", "no-such-bucket").backup(), 2,
        "bucket 'no-such-bucket' does not exist", "BUCKET_NAME");
    assertThat(s3.listObjects(BUCKET, "no-such-bucket")).isEmpty();
  }

  @Test
  void someRemoteMustBeConfigured() {
    Mover.Run run = new Mover(tmp).env("MOVER_DATA_DIR", data.toString()).backup();
    assertFails(run, 2, "no remote configured", "MOVER_CONFIG_FILE", "REMOTE_TYPE", "AWS_ACCESS_KEY_ID",
        "BUCKET_NAME");
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-1-2-030405", "2026-02-30-000000", "20260102030405", "2026-01-02T03:04:05",
      "2026-01-02-030405; rm -rf /"})
  void timestampMustBeValid(String timestamp) {
    Mover.Run run = mover().env("ADD_TIMESTAMP_PREFIX", "true").env("MOVER_TIMESTAMP", timestamp).backup();
    assertFails(run, 2, "MOVER_TIMESTAMP must be a UTC time formatted YYYY-MM-DD-HHMMSS");
  }

  @Test
  void otherConfigurationErrors() {
    assertFails(mover().run("sync"), 2, "must be backup, restore or list", "'sync'");
    assertFails(mover().env("MOVER_OPERATION", "restroe").run(null), 2, "'restroe'");
    assertFails(mover().env("ADD_TIMESTAMP_PREFIX", "sometimes").backup(), 2, "ADD_TIMESTAMP_PREFIX must be true or false");
    assertFails(mover().env("BUCKET_PORT", "http").backup(), 2, "BUCKET_PORT must be a port number");
    assertFails(mover().env("BUCKET_HOST", "https://minio.example.com").backup(), 2, "BUCKET_HOST must be a host name");
    assertFails(mover().env("AWS_SECRET_ACCESS_KEY", null).backup(), 2, "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    assertFails(mover().env("MOVER_DATA_DIR", tmp.resolve("absent").toString()).backup(), 2,
        "MOVER_DATA_DIR", "does not exist");
    assertFails(mover().env("MOVER_PATH", "a/../b").backup(), 2, "MOVER_PATH must not contain");
    assertFails(mover().env("MOVER_RESTORE_POINT", "yesterday").env("MOVER_DATA_DIR", tmp.resolve("x").toString())
        .restore(), 2, "MOVER_RESTORE_POINT must be");
  }

  @Test
  void operationComesFromEnvironmentOrFirstArgumentAndDefaultsToBackup() {
    Mover.Run byDefault = mover().env("MOVER_PATH", "default-op").run(null);
    assertThat(byDefault.exitCode()).as(byDefault.describe()).isZero();
    assertThat(byDefault.<String>get("$.operation")).isEqualTo("backup");
    Mover.Run byEnv = mover().env("MOVER_PATH", "default-op").env("MOVER_OPERATION", "list").run(null);
    assertThat(byEnv.<String>get("$.operation")).isEqualTo("list");
    Mover.Run argWins = mover().env("MOVER_PATH", "default-op").env("MOVER_OPERATION", "backup").run("list");
    assertThat(argWins.<String>get("$.operation")).isEqualTo("list");
    assertThat(argWins.<List<Object>>get("$.points")).hasSize(1);
  }

  // ---- errors of the remote, interruptions ------------------------------------------------------------------

  @Test
  void wrongCredentialsAreConfigurationErrors() {
    String wrongSecret = "definitely-not-the-secret-0123456789";
    assertFails(mover().env("AWS_SECRET_ACCESS_KEY", wrongSecret).secret(wrongSecret).backup(), 2,
        "rejected the credentials: check the remote's Secret (spec.secretName)",
        "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    assertFails(mover().env("AWS_ACCESS_KEY_ID", "AKNOBODY").backup(), 2, "rejected the credentials");
    assertFails(mover().env("AWS_SECRET_ACCESS_KEY", wrongSecret).secret(wrongSecret)
        .env("MOVER_DATA_DIR", tmp.resolve("creds-restore").toString()).restore(), 2, "rejected the credentials");
    assertFails(mover().env("AWS_SECRET_ACCESS_KEY", wrongSecret).secret(wrongSecret).list(), 2,
        "rejected the credentials");
  }

  @Test
  void interruptedBackupFailsWithoutMarker() throws IOException {
    Path big = tmp.resolve("interrupt-source");
    Trees.writeLarge(big.resolve("big.bin"), 1, 8L * 1024 * 1024);
    Mover mover = mover().env("MOVER_PATH", "interrupted-run").env("ADD_TIMESTAMP_PREFIX", "true")
        .env("MOVER_TIMESTAMP", "2026-07-08-091011").env("MOVER_DATA_DIR", big.toString())
        .env("RCLONE_BWLIMIT", "512k");
    Mover.Run run = mover.runAndInterrupt("backup", "copying");
    assertFails(run, 3, "interrupted");
    assertThat(s3.listObjects(BUCKET, "interrupted-run")).noneMatch(key -> key.endsWith("manifest.json"));
    assertFails(mover.copy().env("MOVER_DATA_DIR", tmp.resolve("interrupt-target").toString()).restore(), 4,
        "no completion marker");
  }

  @Test
  void unreachableEndpointIsATransferError() {
    int closedPort = FreePorts.next();
    Mover.Run run = mover().env("BUCKET_PORT", String.valueOf(closedPort)).env("RCLONE_RETRIES", "1")
        .env("RCLONE_LOW_LEVEL_RETRIES", "1").backup();
    assertFails(run, 3, "cannot reach the remote endpoint", "BUCKET_HOST");
  }
}
