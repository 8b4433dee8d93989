package coffee.acupof.datamover.rclonemover;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The backup that {@code MOVER_RESTORE_POINT} names ({@code latest}, {@code fixed} or {@code YYYY-MM-DD-HHMMSS}),
 * for {@code restore} and {@code verify}. Only complete backups are selected, and with {@code MOVER_SOURCE} set
 * (the operator always sets it) only backups whose marker names that source: {@code latest} is the newest complete
 * point of that source, a named point of another source is refused. The one exception to "complete": a named
 * folder without any marker or claim (a backup of the Go DataMover Operator) when the restore allows an unverified
 * backup ({@code MOVER_ALLOW_UNVERIFIED_BACKUP=true}).
 *
 * @param sub the folder below the root holding the files ({@code ""} for the fixed path)
 * @param marker the marker below the root; empty for an unverified point
 * @param downloaded the marker, when choosing the point already downloaded it whole
 */
public record RestorePoint(String sub, Optional<String> pointInTime, Optional<String> marker,
    Optional<Path> downloaded) {

  private static final String OWN_PATH = "give each source its own path (spec.path / MOVER_PATH)";

  /** A complete backup, checked against its marker. */
  public static RestorePoint complete(String sub, Optional<String> pointInTime, String marker) {
    return new RestorePoint(sub, pointInTime, Optional.of(marker), Optional.empty());
  }

  /** The complete point in time {@code name}, with its marker if it was downloaded already. */
  private static RestorePoint point(String name, Optional<Path> downloaded) {
    return new RestorePoint(name, Optional.of(name), Optional.of(Catalog.markerOf(name)), downloaded);
  }

  /** A local copy of the whole marker (downloaded now unless choosing the point did). */
  public Path markerFile(Context ctx) {
    return downloaded.orElseGet(() -> ctx.remote().cat(ctx.config().at(marker.orElseThrow()), Optional.empty()));
  }

  /** Whether the backup has a completion marker that the restore checks against (false: unverified). */
  public boolean verified() {
    return marker.isPresent();
  }

  /**
   * Resolves the restore point; refuses (exit 4) when it does not exist, is incomplete or belongs to another source.
   *
   * @param allowUnverified whether a named folder without marker may be chosen (restore with
   *     {@code MOVER_ALLOW_UNVERIFIED_BACKUP=true})
   */
  public static RestorePoint select(Context ctx, boolean allowUnverified) {
    String raw = ctx.settings().restorePoint();
    String point = raw.toLowerCase(Locale.ROOT);
    if (!point.equals("latest") && !point.equals("fixed")) {
      if (Settings.pointTime(raw).isEmpty()) {
        throw MoverFailure.configuration("MOVER_RESTORE_POINT must be 'latest', 'fixed' or a point in time"
            + " YYYY-MM-DD-HHMMSS, got '" + raw + "'");
      }
      return named(ctx, raw, allowUnverified);
    }
    if (point.equals("fixed") && ctx.settings().sourceGiven()) {
      Optional<RestorePoint> mine = fixedOfSource(ctx);
      if (mine.isPresent()) {
        return mine.get();
      }
    }
    Catalog catalog = Catalog.read(ctx.remote());
    if (point.equals("latest") && !catalog.points().isEmpty()) {
      return latest(ctx, catalog);
    }
    return fixed(ctx, catalog);
  }

  private static RestorePoint named(Context ctx, String name, boolean allowUnverified) {
    String here = ctx.config().display("");
    Catalog catalog = Catalog.read(ctx.remote());
    Catalog.Point found = catalog.point(name).orElseThrow(() -> MoverFailure.refused("point in time '" + name
        + "' not found under " + here + "; available: " + catalog.points().stream()
        .map(p -> p.name() + "(" + (p.complete() ? "complete" : "incomplete") + ")")
        .collect(Collectors.joining(", "))));
    if (found.complete()) {
      if (!ctx.settings().sourceGiven()) {
        return point(name, Optional.empty());
      }
      MarkerReader markers = new MarkerReader(ctx);
      otherSource(name, markers.source(name), ctx.settings().source(), here).ifPresent(message -> {
        throw MoverFailure.refused(message);
      });
      return point(name, markers.whole(name));
    }
    if (!found.claims().isEmpty()) {
      throw MoverFailure.refused("point in time '" + name + "' under " + here + " is an interrupted backup (claimed"
          + " by run " + found.claims().stream().map(Claims.Claim::runKey).collect(Collectors.joining(", "))
          + ", no completion marker); choose a complete one or 'latest'");
    }
    if (!allowUnverified) {
      throw MoverFailure.refused("point in time '" + name + "' under " + here + " has no completion marker (the"
          + " backup was interrupted, or an older tool such as the Go DataMover Operator wrote it); choose a"
          + " complete one or 'latest', or, to restore this folder without checking that it is complete, set"
          + " MOVER_ALLOW_UNVERIFIED_BACKUP=true (spec.allowUnverifiedBackup)");
    }
    return new RestorePoint(name, Optional.of(name), Optional.empty(), Optional.empty());
  }

  private static RestorePoint latest(Context ctx, Catalog catalog) {
    String here = ctx.config().display("");
    Optional<String> source = ctx.settings().sourceGiven() ? Optional.of(ctx.settings().source()) : Optional.empty();
    MarkerReader markers = new MarkerReader(ctx);
    Latest latest = latestOf(catalog.points(), source, markers::source);
    if (!latest.newerIncomplete().isEmpty()) {
      ctx.out().log("skipping newer incomplete point(s) in time: " + String.join(", ", latest.newerIncomplete()));
    }
    if (!latest.otherSources().isEmpty()) {
      ctx.out().log("skipping newer point(s) in time of other sources: " + String.join(", ", latest.otherSources()));
    }
    if (latest.chosen().isPresent()) {
      String name = latest.chosen().get();
      return point(name, markers.whole(name));
    }
    if (!latest.otherSources().isEmpty()) {
      throw MoverFailure.refused("no complete backup of source '" + source.orElseThrow() + "' under " + here
          + ": the complete point(s) in time there belong to other sources (" + String.join(", ",
          latest.otherSources()) + "); set MOVER_SOURCE to the source to restore, and " + OWN_PATH);
    }
    throw MoverFailure.refused("no complete backup under " + here + ": the point(s) in time "
        + catalog.points().stream().map(Catalog.Point::name).collect(Collectors.joining(", "))
        + " have no completion marker (interrupted backups)");
  }

  /**
   * What {@code latest} found.
   *
   * @param chosen the newest complete point (of the source, when one is given)
   * @param otherSources complete points newer than the chosen one that belong to other sources, as
   *     {@code name (source 'x')}
   * @param newerIncomplete incomplete points newer than the chosen one
   */
  record Latest(Optional<String> chosen, List<String> otherSources, List<String> newerIncomplete) {}

  /**
   * The newest complete point of {@code source} among {@code points} (newest first), reading the markers' sources
   * newest first and stopping at the first match; without a source the newest complete point.
   *
   * @param sourceOf the source a point's marker names (empty when the marker cannot be read)
   */
  static Latest latestOf(List<Catalog.Point> points, Optional<String> source,
      Function<String, Optional<String>> sourceOf) {
    List<String> others = new ArrayList<>();
    List<String> incomplete = new ArrayList<>();
    for (Catalog.Point p : points) {
      if (!p.complete()) {
        incomplete.add(p.name());
        continue;
      }
      if (source.isEmpty()) {
        return new Latest(Optional.of(p.name()), others, incomplete);
      }
      Optional<String> theirs = sourceOf.apply(p.name());
      if (theirs.equals(source)) {
        return new Latest(Optional.of(p.name()), others, incomplete);
      }
      others.add(p.name() + " (" + theirs.map(s -> "source '" + s + "'").orElse("unreadable marker") + ")");
    }
    return new Latest(Optional.empty(), others, incomplete);
  }

  /** The refusal of a named point whose marker names another source than {@code source}. */
  static Optional<String> otherSource(String point, Optional<String> markerSource, String source, String here) {
    if (markerSource.isEmpty() || markerSource.get().equals(source)) {
      return Optional.empty();
    }
    return Optional.of("point in time '" + point + "' under " + here + " is a backup of source '"
        + markerSource.get() + "', not of '" + source + "' (MOVER_SOURCE); restore it with that source, and "
        + OWN_PATH);
  }

  /**
   * Reads the source that points' markers name: the first marker whole (it is usually the one restored, which
   * saves reading it again), later ones only their header.
   */
  private static final class MarkerReader {
    private final Context ctx;
    private Optional<String> first = Optional.empty();
    private Optional<Path> firstFile = Optional.empty();

    MarkerReader(Context ctx) {
      this.ctx = ctx;
    }

    Optional<String> source(String point) {
      Optional<Long> count = Optional.of(4096L);
      if (first.isEmpty()) {
        first = Optional.of(point);
        count = Optional.empty();
      }
      Path file = ctx.remote().cat(ctx.config().at(Catalog.markerOf(point)), count);
      if (count.isEmpty()) {
        firstFile = Optional.of(file);
      }
      return Manifest.readHeader(file).map(Manifest.Header::source).filter(s -> !s.isEmpty());
    }

    /** The whole marker of {@code point}, if it was read whole. */
    Optional<Path> whole(String point) {
      return first.filter(point::equals).flatMap(p -> firstFile);
    }
  }

  /**
   * The fixed-path backup of {@code MOVER_SOURCE} read straight from its marker, which is where the catalog would
   * find it (a source is complete exactly when its marker exists): one round trip instead of two listings and a
   * download. Empty when there is no marker, and then the catalog explains what there is.
   */
  private static Optional<RestorePoint> fixedOfSource(Context ctx) {
    String marker = Catalog.sourceDir(ctx.settings().sourceId()) + "/" + Catalog.MARKER;
    Path file = ctx.remote().cat(ctx.config().at(marker), Optional.empty());
    try {
      if (Files.size(file) == 0) {
        return Optional.empty(); // rclone cat prints nothing for a missing object
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ctx.out().log("using the fixed-path backup of source '" + ctx.settings().sourceId() + "'");
    return Optional.of(new RestorePoint("", Optional.empty(), Optional.of(marker), Optional.of(file)));
  }

  private static RestorePoint fixed(Context ctx, Catalog catalog) {
    String here = ctx.config().display("");
    if (catalog.fixed().isEmpty()) {
      throw MoverFailure.refused("no complete backup found at " + here
          + " (no point-in-time folders and no fixed-path marker)");
    }
    String mine = ctx.settings().sourceId();
    String sources = catalog.fixed().stream().map(Catalog.FixedSource::id).collect(Collectors.joining(", "));
    Catalog.FixedSource chosen;
    if (ctx.settings().sourceGiven()) {
      chosen = catalog.fixed().stream().filter(s -> s.id().equals(mine)).findFirst().orElseThrow(() ->
          MoverFailure.refused("no fixed-path backup of source '" + ctx.settings().source() + "' at " + here
              + " (it holds backups of: " + sources + "); set MOVER_SOURCE to the source to restore"));
    } else if (catalog.fixed().size() == 1) {
      chosen = catalog.fixed().getFirst();
    } else {
      throw MoverFailure.refused("several sources backed up to " + here + ": " + sources
          + "; set MOVER_SOURCE to the one to restore");
    }
    if (!chosen.complete()) {
      throw MoverFailure.refused("the fixed-path backup of '" + chosen.id() + "' at " + here
          + " has no completion marker (a backup was interrupted); run the backup again");
    }
    ctx.out().log("using the fixed-path backup of source '" + chosen.id() + "'");
    return complete("", Optional.empty(), Catalog.sourceDir(chosen.id()) + "/" + Catalog.MARKER);
  }
}
