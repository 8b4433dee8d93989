package coffee.acupof.datamover.rclonemover;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/** Reads the output of {@code rclone lsjson} one entry at a time (it can list millions of files). */
public final class Listing {

  private Listing() {}

  /**
   * One entry of a listing.
   *
   * @param path relative path as rclone names it (symlinks end in {@code .rclonelink} with {@code --links})
   * @param mode permission bits as 4 octal digits ({@code 0644}, {@code 4755}) from {@code -M}, if listed
   * @param link whether it is a symlink (its metadata mode is {@code 120xxx})
   * @param md5 the MD5 the backend keeps, if listed with {@code --hash}
   */
  public record Entry(String path, long size, boolean dir, Optional<String> modTime, Optional<String> mode,
      Optional<Long> uid, Optional<Long> gid, boolean link, Optional<String> md5) {}

  /** What a listing of the remote says of one object: its size and the MD5 the backend keeps, if any. */
  public record Stored(long size, Optional<String> md5) {

    public static Stored of(Entry e) {
      return new Stored(e.size(), e.md5());
    }

    /** As kept in a {@link SortedFile} value. */
    public String value() {
      return size + " " + md5.orElse("");
    }

    public static Stored parse(String value) {
      String[] parts = value.split(" ", 2);
      return new Stored(Long.parseLong(parts[0]),
          parts.length > 1 && !parts[1].isEmpty() ? Optional.of(parts[1]) : Optional.empty());
    }
  }

  /** Calls {@code action} for every entry of the lsjson output in {@code file}; an empty file has none. */
  public static void read(Path file, Consumer<Entry> action) {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8); JsonReader json = new JsonReader(in)) {
      if (json.peek() == JsonToken.END_DOCUMENT) {
        return;
      }
      json.beginArray();
      while (json.hasNext()) {
        action.accept(entry(json));
      }
      json.endArray();
    } catch (java.io.EOFException e) {
      // empty output
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the listing " + file, e);
    }
  }

  private static Entry entry(JsonReader json) throws IOException {
    String path = "";
    long size = 0;
    boolean dir = false;
    String modTime = null;
    String rawMode = null;
    Long uid = null;
    Long gid = null;
    String md5 = null;
    json.beginObject();
    while (json.hasNext()) {
      switch (json.nextName()) {
        case "Path" -> path = json.nextString();
        case "Size" -> size = json.nextLong();
        case "IsDir" -> dir = json.nextBoolean();
        case "ModTime" -> modTime = json.nextString();
        case "Hashes" -> {
          json.beginObject();
          while (json.hasNext()) {
            String name = json.nextName();
            String value = json.nextString();
            if (name.equalsIgnoreCase("md5") && !value.isEmpty()) {
              md5 = value;
            }
          }
          json.endObject();
        }
        case "Metadata" -> {
          json.beginObject();
          while (json.hasNext()) {
            String name = json.nextName();
            String value = json.nextString();
            switch (name) {
              case "mode" -> rawMode = value;
              case "uid" -> uid = parseLong(value);
              case "gid" -> gid = parseLong(value);
              default -> { }
            }
          }
          json.endObject();
        }
        default -> json.skipValue();
      }
    }
    json.endObject();
    Optional<String> mode = Optional.ofNullable(rawMode).filter(m -> !m.isEmpty())
        .map(m -> m.length() >= 4 ? m.substring(m.length() - 4) : ("0000" + m).substring(m.length()));
    boolean link = rawMode != null && rawMode.startsWith("120");
    return new Entry(path, size, dir, Optional.ofNullable(modTime), mode, Optional.ofNullable(uid),
        Optional.ofNullable(gid), link, Optional.ofNullable(md5));
  }

  private static Long parseLong(String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
