package coffee.acupof.datamover.mover;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The operator's side of the mover contract (docs/mover-contract.md, version 1): the environment
 * variables the Job sets and the exit codes the entrypoint returns.
 */
public final class MoverContract {
  public static final String ENV_OPERATION = "MOVER_OPERATION";
  public static final String ENV_DATA_DIR = "MOVER_DATA_DIR";
  public static final String ENV_TIMESTAMP = "MOVER_TIMESTAMP";
  public static final String ENV_SOURCE = "MOVER_SOURCE";
  public static final String ENV_ADD_TIMESTAMP_PREFIX = "ADD_TIMESTAMP_PREFIX";
  /** Contract 1.1: where in the remote (a sub-path of the bucket, or the remote path). */
  public static final String ENV_PATH = "MOVER_PATH";
  /** Contract 1.1: identity of the run, recorded in the claim of the point it writes. */
  public static final String ENV_RUN_ID = "MOVER_RUN_ID";

  public static final String OPERATION_BACKUP = "backup";
  public static final String OPERATION_RESTORE = "restore";
  /** Restore: {@code latest}, a point in time, or {@code fixed}. */
  public static final String ENV_RESTORE_POINT = "MOVER_RESTORE_POINT";
  /** Restore: write into a directory that already holds files. */
  public static final String ENV_ALLOW_NONEMPTY_TARGET = "MOVER_ALLOW_NONEMPTY_TARGET";
  /** Contract 1.1, restore: read a named folder that has no completion marker (backups of the Go operator). */
  public static final String ENV_ALLOW_UNVERIFIED = "MOVER_ALLOW_UNVERIFIED_BACKUP";
  /** Contract 1.1: retention of the complete points in time of one source in one path. */
  public static final String OPERATION_PRUNE = "prune";
  public static final String ENV_KEEP_LAST = "MOVER_KEEP_LAST";
  public static final String ENV_KEEP_HOURLY = "MOVER_KEEP_HOURLY";
  public static final String ENV_KEEP_DAILY = "MOVER_KEEP_DAILY";
  public static final String ENV_KEEP_WEEKLY = "MOVER_KEEP_WEEKLY";
  public static final String ENV_KEEP_MONTHLY = "MOVER_KEEP_MONTHLY";
  public static final String ENV_KEEP_YEARLY = "MOVER_KEEP_YEARLY";
  public static final String ENV_KEEP_WITHIN = "MOVER_KEEP_WITHIN";
  public static final String ENV_KEEP_TIMEZONE = "MOVER_KEEP_TIMEZONE";
  /** Form (b): the rclone.conf file and the section of it that defines the remote. */
  public static final String ENV_CONFIG_FILE = "MOVER_CONFIG_FILE";
  public static final String ENV_CONFIG_SECTION = "MOVER_CONFIG_SECTION";
  /** PEM file of the CA(s) to trust for the remote's TLS endpoint; works with every form. */
  public static final String ENV_CA_BUNDLE = "MOVER_CA_BUNDLE";
  /** Where the operator mounts the rclone.conf Secret key, and the file name it gives it. */
  public static final String CONFIG_DIR = "/etc/datamover/rclone";
  public static final String CONFIG_FILE = "rclone.conf";
  /** Where the operator mounts the custom CA key, and the file name it gives it. */
  public static final String CA_DIR = "/etc/datamover/ca";
  public static final String CA_FILE = "ca.crt";
  public static final String DATA_DIR = "/data";
  public static final String TMP_DIR = "/tmp";
  public static final String CONTAINER_NAME = "mover";

  /** Exit code of a configuration error: retrying cannot help. */
  public static final int EXIT_CONFIGURATION = 2;
  /** Exit code of a transfer error: worth another attempt. */
  public static final int EXIT_TRANSFER = 3;
  /** Exit code of a safety refusal (e.g. an empty source): retrying cannot help. */
  public static final int EXIT_SAFETY = 4;

  /** Secret keys the old operator's S3 form needs; the mover has defaults for the others. */
  public static final java.util.List<String> S3_REQUIRED_KEYS =
      java.util.List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "BUCKET_HOST", "BUCKET_NAME");
  /** A Secret holding this key configures a remote of any rclone type instead (contract form c). */
  public static final String REMOTE_TYPE_KEY = "REMOTE_TYPE";

  private static final DateTimeFormatter POINT_IN_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmmss").withZone(ZoneOffset.UTC);

  private MoverContract() {}

  /** The point-in-time folder name ({@code YYYY-MM-DD-HHMMSS}, UTC) of a moment. */
  public static String pointInTime(OffsetDateTime time) {
    return POINT_IN_TIME.format(time);
  }
}
