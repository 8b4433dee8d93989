package coffee.acupof.datamover.rclonemover;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The result of a run as it builds up: the contract 1 fields (operation, destination, pointInTime, files, bytes,
 * errors, deleted, rcloneVersion) and the fields added in 1.1. {@link #toJson} renders the one-line JSON object,
 * always under the 4096-byte limit of a termination message.
 */
public final class Report {

  /** The largest result JSON in bytes (Kubernetes keeps at most 4096 of a termination message). */
  static final int LIMIT = 4000;
  private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

  private String operation;
  private String destination = "";
  private String pointInTime;
  private long files;
  private long bytes;
  private long errors;
  private long deleted;
  private String rcloneVersion = "";
  private final Map<String, JsonElement> extra = new LinkedHashMap<>();
  private JsonArray points;
  private String pointsName = "points";

  public Report(String operation) {
    this.operation = operation;
  }

  public Report operation(String value) {
    operation = value;
    return this;
  }

  public Report destination(String value) {
    destination = value;
    return this;
  }

  public Report pointInTime(Optional<String> value) {
    pointInTime = value.orElse(null);
    return this;
  }

  public Report transferred(Rclone.Stats stats) {
    files = stats.transfers();
    bytes = stats.bytes();
    errors = stats.errors();
    return this;
  }

  public Report errors(long value) {
    errors = value;
    return this;
  }

  public long errors() {
    return errors;
  }

  public long files() {
    return files;
  }

  public long bytes() {
    return bytes;
  }

  public Report deleted(long value) {
    deleted = value;
    return this;
  }

  public Report rcloneVersion(String value) {
    rcloneVersion = value;
    return this;
  }

  /** A field added in contract 1.1. */
  public Report put(String name, Object value) {
    extra.put(name, GSON.toJsonTree(value));
    return this;
  }

  /** The list of {@code list} (its points) or of {@code prune} (under another name): the newest first. */
  public Report points(String name, JsonArray value) {
    pointsName = name;
    points = value;
    return this;
  }

  /** The JSON line; when too long, the list keeps its first entries and the message says so. */
  public String toJson(int exitCode, String message, long durationSeconds) {
    String json = render(exitCode, message, durationSeconds, points);
    if (fits(json) || points == null) {
      return fits(json) ? json : render(exitCode, message.substring(0, Math.min(300, message.length())) + "...",
          durationSeconds, null);
    }
    int keep = points.size();
    while (!fits(json) && keep > 0) {
      keep = keep * 3 / 4;
      JsonArray head = new JsonArray();
      for (int i = 0; i < keep; i++) {
        head.add(points.get(i));
      }
      json = render(exitCode, message + " (the first " + keep + " of " + points.size()
          + " are in this JSON; all are listed above)", durationSeconds, head);
    }
    return fits(json) ? json : render(exitCode, message.substring(0, Math.min(300, message.length())) + "...",
        durationSeconds, null);
  }

  private static boolean fits(String json) {
    return json.getBytes(StandardCharsets.UTF_8).length <= LIMIT;
  }

  private String render(int exitCode, String message, long durationSeconds, JsonArray list) {
    JsonObject o = new JsonObject();
    o.addProperty("operation", operation);
    o.addProperty("status", exitCode == 0 ? "success" : "failed");
    o.addProperty("exitCode", exitCode);
    o.addProperty("destination", destination);
    o.addProperty("pointInTime", pointInTime);
    o.addProperty("files", files);
    o.addProperty("bytes", bytes);
    o.addProperty("errors", errors);
    o.addProperty("deleted", deleted);
    o.addProperty("durationSeconds", durationSeconds);
    o.addProperty("rcloneVersion", rcloneVersion);
    o.addProperty("message", message);
    extra.forEach(o::add);
    if (list != null) {
      o.add(pointsName, list);
    }
    return GSON.toJson(o);
  }
}
