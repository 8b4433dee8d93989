package coffee.acupof.datamover.rclonemover;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The completion marker ({@code .datamover/manifest.json}, contract format 1), written last by a backup, and the
 * fixed-path in-flight record, which has the same {@code files} list. Both are written and read as streams: a
 * marker of a million files never sits in memory. Markers of the bash mover (contract 1) read the same way.
 */
public final class Manifest {

  public static final String KIND = "datamover-manifest";
  public static final String INFLIGHT_KIND = "datamover-inflight";
  private static final Gson GSON = new Gson();

  private Manifest() {}

  /**
   * The fields before the lists. {@code runId} is new in contract 1.1 (absent in older markers).
   *
   * @param pointInTime empty for the fixed-path layout
   */
  public record Header(String kind, String source, Optional<String> runId, String layout,
      Optional<String> pointInTime, String destination, boolean encrypted, String startedAt, String completedAt,
      String rcloneVersion, long totalFiles, long totalBytes, long totalDirectories) {}

  /** One object of the backup; {@code path} as named in the remote. */
  public record File(String path, long size, Optional<String> mode, Optional<Long> uid, Optional<Long> gid,
      boolean link, Optional<String> md5, Optional<Stamp> stamp) {

    /** An entry without a {@link Stamp} (markers before contract 1.1 have none). */
    public File(String path, long size, Optional<String> mode, Optional<Long> uid, Optional<Long> gid, boolean link,
        Optional<String> md5) {
      this(path, size, mode, uid, gid, link, md5, Optional.empty());
    }

    /** The same entry with the MD5 the remote keeps for it. */
    public File withMd5(Optional<String> hash) {
      return new File(path, size, mode, uid, gid, link, hash, stamp);
    }

    /** The name in the volume: symlinks are stored as {@code NAME.rclonelink}. */
    public String localPath() {
      return link && path.endsWith(".rclonelink") ? path.substring(0, path.length() - ".rclonelink".length()) : path;
    }

    /** An entry from its marker JSON ({@link #json()}). */
    public static File parse(String json) {
      return file(GSON.fromJson(json, JsonObject.class));
    }

    /** This entry as the marker's JSON. */
    public String json() {
      JsonObject o = new JsonObject();
      o.addProperty("path", path);
      o.addProperty("size", size);
      o.addProperty("mode", mode.orElse(null));
      o.addProperty("uid", uid.orElse(null));
      o.addProperty("gid", gid.orElse(null));
      if (link) {
        o.addProperty("link", true);
      }
      md5.ifPresent(h -> o.addProperty("md5", h));
      stamp.ifPresent(t -> {
        o.addProperty("mtime", t.mtime());
        o.addProperty("ctime", t.ctime());
        o.addProperty("inode", t.inode());
      });
      return GSON.toJson(o);
    }
  }

  /**
   * When the volume's file last changed, as the file system says (contract 1.1): modification time, status change
   * time (which no program can set back) and inode number, as restic and Borg compare them. A file whose stamp
   * and size equal those of the marker that recorded it has not been written since.
   *
   * @param mtime modification time, ISO-8601 UTC with the file system's precision
   * @param ctime status change time, same form
   */
  public record Stamp(String mtime, String ctime, long inode) {}

  /** One directory below the volume root (empty ones included). */
  public record Directory(String path, Optional<String> mode, Optional<String> mtime, Optional<Long> uid,
      Optional<Long> gid) {

    /** A directory from its marker JSON ({@link #json()}). */
    public static Directory parse(String json) {
      return directory(GSON.fromJson(json, JsonObject.class));
    }

    public String json() {
      JsonObject o = new JsonObject();
      o.addProperty("path", path);
      o.addProperty("mode", mode.orElse(null));
      o.addProperty("mtime", mtime.orElse(null));
      o.addProperty("uid", uid.orElse(null));
      o.addProperty("gid", gid.orElse(null));
      return GSON.toJson(o);
    }
  }

  /** Writes a marker: {@code header} then {@code directories} and {@code files} (values: their JSON). */
  public static void write(Path out, Header header, SortedFile directories, SortedFile files) {
    try (Writer writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8);
        JsonWriter json = new JsonWriter(writer)) {
      json.setSerializeNulls(true);
      json.beginObject();
      json.name("formatVersion").value(1);
      json.name("kind").value(header.kind());
      json.name("contractVersion").value(1);
      json.name("contractRevision").value(Main.CONTRACT_REVISION);
      json.name("source").value(header.source());
      if (header.runId().isPresent()) {
        json.name("runId").value(header.runId().get());
      }
      json.name("layout").value(header.layout());
      json.name("pointInTime").value(header.pointInTime().orElse(null));
      json.name("destination").value(header.destination());
      json.name("encrypted").value(header.encrypted());
      json.name("startedAt").value(header.startedAt());
      json.name("completedAt").value(header.completedAt());
      json.name("rcloneVersion").value(header.rcloneVersion());
      json.name("totalFiles").value(header.totalFiles());
      json.name("totalBytes").value(header.totalBytes());
      json.name("totalDirectories").value(header.totalDirectories());
      json.name("directories").beginArray();
      directories.forEach(d -> jsonValue(json, d.value()));
      json.endArray();
      json.name("files").beginArray();
      files.forEach(f -> jsonValue(json, f.value()));
      json.endArray();
      json.endObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes an in-flight record: everything this source may own at a fixed path while a run is in progress. */
  public static void writeInflight(Path out, String source, String runId, String startedAt, SortedFile paths) {
    try (Writer writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8);
        JsonWriter json = new JsonWriter(writer)) {
      json.beginObject();
      json.name("formatVersion").value(1);
      json.name("kind").value(INFLIGHT_KIND);
      json.name("source").value(source);
      json.name("runId").value(runId);
      json.name("startedAt").value(startedAt);
      json.name("files").beginArray();
      paths.forEach(p -> {
        try {
          json.beginObject().name("path").value(p.key()).endObject();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      json.endArray();
      json.endObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void jsonValue(JsonWriter json, String raw) {
    try {
      json.jsonValue(raw);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The {@code files} of a marker or in-flight record (path → the entry's JSON), sorted in {@code work}.
   *
   * @throws MoverFailure (refused) when the document is not a valid record
   */
  public static SortedFile files(Path in, Path work, String what) {
    SortedFile.Builder files = SortedFile.builder(work);
    read(in, f -> files.add(f.path(), f.json()), d -> { }, what);
    return files.build();
  }

  /**
   * Reads a marker or in-flight record, streaming its lists to the consumers.
   *
   * @throws MoverFailure (refused) when the document is not a JSON object with a {@code files} list
   */
  public static Header read(Path in, Consumer<File> files, Consumer<Directory> directories, String what) {
    try (Reader reader = Files.newBufferedReader(in, StandardCharsets.UTF_8); JsonReader json = new JsonReader(reader)) {
      JsonObject header = new JsonObject();
      boolean hasFiles = false;
      if (json.peek() != JsonToken.BEGIN_OBJECT) {
        throw notValid(what);
      }
      json.beginObject();
      while (json.hasNext()) {
        String name = json.nextName();
        switch (name) {
          case "files" -> {
            hasFiles = true;
            json.beginArray();
            while (json.hasNext()) {
              files.accept(file(GSON.fromJson(json, JsonObject.class)));
            }
            json.endArray();
          }
          case "directories" -> {
            json.beginArray();
            while (json.hasNext()) {
              directories.accept(directory(GSON.fromJson(json, JsonObject.class)));
            }
            json.endArray();
          }
          default -> header.add(name, GSON.fromJson(json, com.google.gson.JsonElement.class));
        }
      }
      json.endObject();
      if (!hasFiles) {
        throw MoverFailure.refused("the completion marker of " + what
            + " has no file list; the backup cannot be trusted");
      }
      return header(header);
    } catch (IOException | RuntimeException e) {
      if (e instanceof MoverFailure failure) {
        throw failure;
      }
      throw notValid(what);
    }
  }

  /** Reads only the header fields that come before the lists (e.g. of a marker read with {@code cat --count}). */
  public static Optional<Header> readHeader(Path in) {
    try (Reader reader = Files.newBufferedReader(in, StandardCharsets.UTF_8); JsonReader json = new JsonReader(reader)) {
      JsonObject header = new JsonObject();
      json.beginObject();
      while (json.hasNext()) {
        String name = json.nextName();
        if (name.equals("files") || name.equals("directories")) {
          break;
        }
        header.add(name, GSON.fromJson(json, com.google.gson.JsonElement.class));
      }
      return Optional.of(header(header));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static MoverFailure notValid(String what) {
    return MoverFailure.refused("the completion marker of " + what + " is not valid JSON; the backup cannot be trusted");
  }

  private static Header header(JsonObject o) {
    return new Header(str(o, "kind").orElse(KIND), str(o, "source").orElse(""), str(o, "runId"),
        str(o, "layout").orElse(""), str(o, "pointInTime"), str(o, "destination").orElse(""),
        o.has("encrypted") && o.get("encrypted").isJsonPrimitive() && o.get("encrypted").getAsBoolean(),
        str(o, "startedAt").orElse(""), str(o, "completedAt").orElse(""), str(o, "rcloneVersion").orElse(""),
        num(o, "totalFiles").orElse(0L), num(o, "totalBytes").orElse(0L), num(o, "totalDirectories").orElse(0L));
  }

  private static File file(JsonObject o) {
    return new File(str(o, "path").orElse(""), num(o, "size").orElse(-1L), str(o, "mode"), num(o, "uid"),
        num(o, "gid"), o.has("link") && o.get("link").isJsonPrimitive() && o.get("link").getAsBoolean(),
        str(o, "md5"), stamp(o));
  }

  private static Optional<Stamp> stamp(JsonObject o) {
    Optional<String> mtime = str(o, "mtime");
    Optional<String> ctime = str(o, "ctime");
    Optional<Long> inode = num(o, "inode");
    return mtime.isPresent() && ctime.isPresent() && inode.isPresent()
        ? Optional.of(new Stamp(mtime.get(), ctime.get(), inode.get())) : Optional.empty();
  }

  private static Directory directory(JsonObject o) {
    return new Directory(str(o, "path").orElse(""), str(o, "mode"), str(o, "mtime"), num(o, "uid"), num(o, "gid"));
  }

  private static Optional<String> str(JsonObject o, String key) {
    var v = o.get(key);
    return v == null || v.isJsonNull() ? Optional.empty() : Optional.of(v.getAsString());
  }

  private static Optional<Long> num(JsonObject o, String key) {
    var v = o.get(key);
    if (v == null || v.isJsonNull()) {
      return Optional.empty();
    }
    try {
      return Optional.of(v.getAsLong());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
