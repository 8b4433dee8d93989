package coffee.acupof.datamover.rclonemover;

import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The backup that {@code MOVER_RESTORE_POINT} names ({@code latest}, {@code fixed} or {@code YYYY-MM-DD-HHMMSS}),
 * for {@code restore} and {@code verify}. Only complete backups are ever selected.
 *
 * @param sub the folder below the root holding the files ({@code ""} for the fixed path)
 * @param marker the marker below the root
 */
public record RestorePoint(String sub, Optional<String> pointInTime, String marker) {

  /** Resolves the restore point; refuses (exit 4) when it does not exist or is incomplete. */
  public static RestorePoint select(Context ctx) {
    String raw = ctx.settings().restorePoint();
    String point = raw.toLowerCase(Locale.ROOT);
    RemoteConfig config = ctx.config();
    String here = config.display("");
    if (!point.equals("latest") && !point.equals("fixed")) {
      if (Settings.pointTime(raw).isEmpty()) {
        throw MoverFailure.configuration("MOVER_RESTORE_POINT must be 'latest', 'fixed' or a point in time"
            + " YYYY-MM-DD-HHMMSS, got '" + raw + "'");
      }
      Catalog catalog = Catalog.read(ctx.remote());
      Catalog.Point found = catalog.point(raw).orElseThrow(() -> MoverFailure.refused("point in time '" + raw
          + "' not found under " + here + "; available: " + catalog.points().stream()
          .map(p -> p.name() + "(" + (p.complete() ? "complete" : "incomplete") + ")")
          .collect(Collectors.joining(", "))));
      if (!found.complete()) {
        throw MoverFailure.refused("point in time '" + raw + "' under " + here + " has no completion marker (the"
            + " backup was interrupted); choose a complete one or 'latest'");
      }
      return new RestorePoint(raw, Optional.of(raw), Catalog.markerOf(raw));
    }
    Catalog catalog = Catalog.read(ctx.remote());
    if (point.equals("latest")) {
      Optional<Catalog.Point> latest = catalog.latestComplete();
      if (latest.isPresent()) {
        String skipped = catalog.points().stream().filter(p -> !p.complete())
            .filter(p -> p.name().compareTo(latest.get().name()) > 0).map(Catalog.Point::name)
            .collect(Collectors.joining(", "));
        if (!skipped.isEmpty()) {
          ctx.out().log("skipping newer incomplete point(s) in time: " + skipped);
        }
        String name = latest.get().name();
        return new RestorePoint(name, Optional.of(name), Catalog.markerOf(name));
      }
      if (!catalog.points().isEmpty()) {
        throw MoverFailure.refused("no complete backup under " + here + ": the point(s) in time "
            + catalog.points().stream().map(Catalog.Point::name).collect(Collectors.joining(", "))
            + " have no completion marker (interrupted backups)");
      }
    }
    return fixed(ctx, catalog);
  }

  private static RestorePoint fixed(Context ctx, Catalog catalog) {
    String here = ctx.config().display("");
    if (catalog.fixed().isEmpty()) {
      throw MoverFailure.refused("no complete backup found at " + here
          + " (no point-in-time folders and no fixed-path marker)");
    }
    String mine = ctx.settings().sourceId();
    Catalog.FixedSource chosen;
    Optional<Catalog.FixedSource> own = ctx.env().isSet("MOVER_SOURCE")
        ? catalog.fixed().stream().filter(s -> s.id().equals(mine)).findFirst() : Optional.empty();
    if (own.isPresent()) {
      chosen = own.get();
    } else if (catalog.fixed().size() == 1) {
      chosen = catalog.fixed().getFirst();
    } else {
      throw MoverFailure.refused("several sources backed up to " + here + ": " + catalog.fixed().stream()
          .map(Catalog.FixedSource::id).collect(Collectors.joining(", ")) + "; set MOVER_SOURCE to the one to restore");
    }
    if (!chosen.complete()) {
      throw MoverFailure.refused("the fixed-path backup of '" + chosen.id() + "' at " + here
          + " has no completion marker (a backup was interrupted); run the backup again");
    }
    ctx.out().log("using the fixed-path backup of source '" + chosen.id() + "'");
    return new RestorePoint("", Optional.empty(), Catalog.sourceDir(chosen.id()) + "/" + Catalog.MARKER);
  }
}
