package coffee.acupof.datamover.mover;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import java.util.Optional;

/**
 * The machine-readable result the mover writes as its termination message (and last log line).
 * Unknown fields are ignored, absent ones are null.
 */
public record MoverResult(
    String operation,
    String status,
    Integer exitCode,
    String destination,
    String pointInTime,
    Long files,
    Long bytes,
    Long errors,
    Long deleted,
    Double durationSeconds,
    String rcloneVersion,
    String message,
    java.util.List<Point> points,
    Long kept,
    Long deletedPoints,
    Boolean dryRun) {

  /**
   * One point in time in a result: {@code list} says whether it is {@code complete} (and its
   * {@code source} for fixed paths); {@code prune} (contract 1.1) what it did with it ({@code action}:
   * {@code keep}, {@code delete}, {@code would-delete} in a dry run, or {@code ignore} for folders
   * that are not this source's) and why.
   */
  public record Point(String name, Boolean complete, String source, String action, String reason) {
    public static final String KEEP = "keep";
    public static final String DELETE = "delete";
  }

  private static final Gson GSON = new Gson();

  /**
   * Reads a termination message. The mover writes one JSON object; with the
   * FallbackToLogsOnError policy a crashed container leaves log lines instead, in which case the
   * last line that parses as a result wins and otherwise nothing is returned.
   */
  public static Optional<MoverResult> parse(String terminationMessage) {
    if (terminationMessage == null || terminationMessage.isBlank()) {
      return Optional.empty();
    }
    String[] lines = terminationMessage.strip().split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      String line = lines[i].strip();
      if (!line.startsWith("{")) {
        continue;
      }
      try {
        MoverResult result = GSON.fromJson(line, MoverResult.class);
        if (result != null && result.operation() != null) {
          return Optional.of(result);
        }
      } catch (JsonParseException e) {
        // not a result line; keep looking
      }
    }
    return Optional.empty();
  }

  /**
   * The one line to show a user for a termination message: the result's message when it parses,
   * else the last non-empty line of whatever the container left (at most 512 characters).
   */
  public static String summary(String terminationMessage) {
    Optional<MoverResult> result = parse(terminationMessage);
    if (result.isPresent() && result.get().message() != null) {
      return result.get().message();
    }
    if (terminationMessage == null || terminationMessage.isBlank()) {
      return "";
    }
    String[] lines = terminationMessage.strip().split("\n");
    String last = lines[lines.length - 1].strip();
    return last.length() > 512 ? last.substring(0, 512) : last;
  }
}
