package coffee.acupof.datamover.rclonemover;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The backups under the configured path, from two listings: the point in time folders (complete when they hold a
 * marker, with their claims) and the fixed-path sources (complete when their marker exists).
 *
 * @param points newest first
 * @param fixed by source id
 */
public record Catalog(List<Point> points, List<FixedSource> fixed) {

  public static final String META = ".datamover";
  public static final String MARKER = "manifest.json";
  public static final String INFLIGHT = "inflight.json";
  public static final String CLAIMS = "claims";
  public static final String SOURCES = "sources";

  /** A point in time folder. */
  public record Point(String name, boolean complete, List<Claims.Claim> claims) {}

  /** A fixed-path source ({@code .datamover/sources/<id>/}). */
  public record FixedSource(String id, boolean complete) {}

  /**
   * Lists {@code root}: two rclone calls, whatever the number of files. The second descends only into the point in
   * time folders' and the fixed-path sources' {@code .datamover/} (not into the data of a fixed path).
   */
  public static Catalog read(Remote remote) {
    String root = remote.config().root();
    TreeSet<String> names = new TreeSet<>(Comparator.reverseOrder());
    for (Listing.Entry dir : remote.entries(root, "--dirs-only", "--max-depth", "1")) {
      if (Settings.pointTime(dir.path()).isPresent()) {
        names.add(dir.path());
      }
    }
    List<String> rules = new ArrayList<>();
    for (String name : names) {
      rules.add("/" + name + "/" + META + "/" + MARKER);
      rules.add("/" + name + "/" + META + "/" + CLAIMS + "/*.json");
    }
    rules.add("/" + META + "/" + SOURCES + "/*/*.json");
    Path includeFrom = remote.temp("catalog-include.txt");
    try {
      Files.write(includeFrom, rules, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Boolean> markers = new TreeMap<>();
    Map<String, List<Claims.Claim>> claims = new TreeMap<>();
    Map<String, Boolean> sources = new TreeMap<>();
    for (Listing.Entry f : remote.entries(root, "-R", "--files-only", "--max-depth", "4", "--use-server-modtime",
        "--include-from", includeFrom.toString())) {
      String[] parts = f.path().split("/");
      if (parts.length == 3 && parts[1].equals(META) && parts[2].equals(MARKER)) {
        markers.put(parts[0], true);
      } else if (parts.length == 4 && parts[1].equals(META) && parts[2].equals(CLAIMS)) {
        claims.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(new Claims.Claim(
            parts[3].substring(0, parts[3].length() - ".json".length()),
            f.modTime().map(Catalog::instant).orElse(Instant.EPOCH), Optional.empty()));
      } else if (parts.length == 4 && parts[0].equals(META) && parts[1].equals(SOURCES)
          && (parts[3].equals(MARKER) || parts[3].equals(INFLIGHT))) {
        sources.merge(parts[2], parts[3].equals(MARKER), Boolean::logicalOr);
      }
    }
    List<Point> points = names.stream()
        .map(n -> new Point(n, markers.containsKey(n), List.copyOf(claims.getOrDefault(n, List.of())))).toList();
    List<FixedSource> fixed = sources.entrySet().stream().map(e -> new FixedSource(e.getKey(), e.getValue())).toList();
    return new Catalog(points, fixed);
  }

  /** The newest complete point in time. */
  public Optional<Point> latestComplete() {
    return points.stream().filter(Point::complete).findFirst();
  }

  public Optional<Point> point(String name) {
    return points.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  static Instant instant(String rcloneTime) {
    try {
      return java.time.OffsetDateTime.parse(rcloneTime).toInstant();
    } catch (RuntimeException e) {
      return Instant.EPOCH;
    }
  }

  /** {@code <point>/.datamover/manifest.json} below the root. */
  public static String markerOf(String point) {
    return point + "/" + META + "/" + MARKER;
  }

  /** {@code .datamover/sources/<id>} below the root. */
  public static String sourceDir(String id) {
    return META + "/" + SOURCES + "/" + id;
  }
}
