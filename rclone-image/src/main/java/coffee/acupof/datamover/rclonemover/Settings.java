package coffee.acupof.datamover.rclonemover;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The contract's variables that every operation shares, parsed and validated once (the remote's variables are in
 * {@link RemoteConfig}, the retention policy in {@link RetentionPolicy}).
 *
 * @param dataDir MOVER_DATA_DIR made absolute with symlinks of its existing part resolved ({@code realpath -m})
 * @param rawDataDir MOVER_DATA_DIR as given, for messages
 * @param timestamp MOVER_TIMESTAMP, or now in UTC
 * @param source MOVER_SOURCE (or the host name), recorded in markers and claims
 * @param sourceGiven whether MOVER_SOURCE was set (the operator always sets it); then {@code restore} and
 *     {@code verify} read only backups of that source
 * @param sourceId {@code source} with characters outside {@code [A-Za-z0-9._-]} replaced by {@code _}
 * @param runId MOVER_RUN_ID, or {@code <sourceId>@<timestamp>}
 * @param allowUnverifiedBackup MOVER_ALLOW_UNVERIFIED_BACKUP (1.1): {@code restore} of a named point in time
 *     folder without a completion marker (a backup of the Go DataMover Operator)
 */
public record Settings(
    Operation operation,
    Path dataDir,
    String rawDataDir,
    boolean addTimestamp,
    String timestamp,
    String source,
    boolean sourceGiven,
    String sourceId,
    String runId,
    String restorePoint,
    boolean allowEmptySource,
    boolean allowNonEmptyTarget,
    boolean allowUnverifiedBackup,
    int maxDeletePercent,
    boolean verifyAfterBackup,
    int verifyDownloadPercent,
    Duration progressInterval) {

  /** A point in time folder name: {@code YYYY-MM-DD-HHMMSS} (UTC). */
  public static final Pattern POINT_NAME = Pattern.compile("^[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{6}$");
  public static final DateTimeFormatter POINT_FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd-HHmmss").withResolverStyle(ResolverStyle.STRICT);
  private static final Pattern UNSAFE_ID_CHARS = Pattern.compile("[^A-Za-z0-9._-]");
  private static final int MAX_ID_LENGTH = 200;

  /** Parses the shared variables for {@code operation}. */
  public static Settings parse(Operation operation, Env env, Clock clock) {
    String rawDataDir = env.get("MOVER_DATA_DIR", "/data");
    Path dataDir = realpath(rawDataDir);
    boolean addTimestamp = env.bool("ADD_TIMESTAMP_PREFIX", false);
    boolean allowEmpty = env.bool("MOVER_ALLOW_EMPTY_SOURCE", false);
    boolean allowNonEmpty = env.bool("MOVER_ALLOW_NONEMPTY_TARGET", false);
    boolean allowUnverified = env.bool("MOVER_ALLOW_UNVERIFIED_BACKUP", false);
    String timestamp = env.get("MOVER_TIMESTAMP")
        .map(Settings::checkTimestamp)
        .orElseGet(() -> LocalDateTime.now(clock.withZone(ZoneOffset.UTC)).format(POINT_FORMAT));
    String source = env.get("MOVER_SOURCE").or(() -> env.get("HOSTNAME")).orElseGet(Settings::hostName);
    String sourceId = safeId(source);
    String runId = env.get("MOVER_RUN_ID").orElse(sourceId + "@" + timestamp);
    int maxDelete = env.integer("MOVER_MAX_DELETE_PERCENT", 50, 0, 100);
    boolean verifyAfter = env.bool("MOVER_VERIFY_AFTER_BACKUP", false);
    int downloadPercent = env.integer("MOVER_VERIFY_DOWNLOAD_PERCENT", 0, 0, 100);
    Duration progress = env.duration("MOVER_PROGRESS_INTERVAL").orElse(Duration.ofSeconds(10));
    if (progress.toSeconds() < 1) {
      throw MoverFailure.configuration("MOVER_PROGRESS_INTERVAL must be at least 1s");
    }
    return new Settings(operation, dataDir, rawDataDir, addTimestamp, timestamp, source, env.isSet("MOVER_SOURCE"),
        sourceId, runId, env.get("MOVER_RESTORE_POINT", "latest"), allowEmpty, allowNonEmpty, allowUnverified,
        maxDelete, verifyAfter, downloadPercent, progress);
  }

  /** {@code value} with characters outside {@code [A-Za-z0-9._-]} replaced by {@code _}, as object names use. */
  public static String safeId(String value) {
    String id = UNSAFE_ID_CHARS.matcher(value).replaceAll("_");
    if (id.isEmpty() || id.equals(".") || id.equals("..")) {
      id = "default";
    }
    return id.length() > MAX_ID_LENGTH ? id.substring(0, MAX_ID_LENGTH) : id;
  }

  /** The point's time, if {@code name} is a valid point in time name. */
  public static Optional<LocalDateTime> pointTime(String name) {
    if (!POINT_NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDateTime.parse(name, POINT_FORMAT));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static String checkTimestamp(String raw) {
    if (pointTime(raw).isEmpty()) {
      throw MoverFailure.configuration("MOVER_TIMESTAMP must be a UTC time formatted YYYY-MM-DD-HHMMSS "
          + "(e.g. 2026-01-02-030405), got '" + raw + "'");
    }
    return raw;
  }

  /** Like {@code realpath -m}: absolute, normalised, with the symlinks of the existing part resolved. */
  static Path realpath(String raw) {
    Path path = Path.of(raw).toAbsolutePath().normalize();
    Path existing = path;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return path;
    }
    try {
      return existing.toRealPath().resolve(existing.relativize(path)).normalize();
    } catch (IOException e) {
      return path;
    }
  }

  private static String hostName() {
    try {
      return Files.readString(Path.of("/etc/hostname")).strip();
    } catch (IOException e) {
      return "default";
    }
  }
}
