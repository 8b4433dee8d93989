package coffee.acupof.datamover.rclonemover;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code prune} (contract 1.1): deletes the complete points in time of this source ({@code MOVER_SOURCE}) that the
 * retention policy does not keep ({@link Retention}), and this source's incomplete points older than
 * {@code MOVER_INCOMPLETE_GRACE}. It never touches a folder that is not a point of this source (other sources,
 * other tools, incomplete folders without a claim of this source), never the newest complete point, nor points
 * dated in the future. A point's marker is deleted first, its contents after, so a half-deleted point is never
 * taken as complete. {@code MOVER_PRUNE_DRY_RUN=true} only reports.
 */
public final class PruneOperation {

  private PruneOperation() {}

  private record Action(String name, String action, String reason) {}

  public static String run(Context ctx) {
    String here = ctx.config().display("");
    ctx.report().destination(here);
    RetentionPolicy policy = RetentionPolicy.fromEnv(ctx.env());
    if (policy.isEmpty()) {
      throw MoverFailure.configuration("prune needs a retention policy: set at least one of MOVER_KEEP_LAST,"
          + " MOVER_KEEP_HOURLY, MOVER_KEEP_DAILY, MOVER_KEEP_WEEKLY, MOVER_KEEP_MONTHLY, MOVER_KEEP_YEARLY or"
          + " MOVER_KEEP_WITHIN");
    }
    Duration grace = ctx.env().duration("MOVER_INCOMPLETE_GRACE").orElse(Duration.ofHours(24));
    boolean dryRun = ctx.env().bool("MOVER_PRUNE_DRY_RUN", false);
    ctx.remote().preflight();
    Instant now = ctx.clock().instant();
    Catalog catalog = Catalog.read(ctx.remote());
    String source = ctx.settings().source();

    List<Retention.Point> mine = new ArrayList<>();
    List<Action> actions = new ArrayList<>();
    for (Catalog.Point p : catalog.points()) {
      Instant time = Settings.pointTime(p.name()).orElseThrow().toInstant(ZoneOffset.UTC);
      if (p.complete()) {
        Optional<Manifest.Header> header = Manifest.readHeader(
            ctx.remote().cat(ctx.config().at(Catalog.markerOf(p.name())), Optional.of(4096L)));
        if (header.isPresent() && header.get().source().equals(source)) {
          mine.add(new Retention.Point(p.name(), time));
        } else {
          actions.add(new Action(p.name(), "ignore", "another source's point ("
              + header.map(Manifest.Header::source).orElse("unreadable marker") + ")"));
        }
      } else {
        actions.add(incomplete(ctx, p, time, now, grace));
      }
    }
    Retention.Plan plan = Retention.plan(mine, policy, now);
    plan.future().forEach(n -> actions.add(new Action(n, "ignore", "dated in the future")));
    plan.keep().forEach((n, reasons) -> actions.add(new Action(n, "keep", String.join(",", reasons))));
    plan.remove().forEach(n -> actions.add(new Action(n, "delete", "not kept by the policy")));
    actions.sort((a, b) -> b.name().compareTo(a.name()));

    long deleted = 0;
    JsonArray list = new JsonArray();
    for (Action a : actions) {
      boolean deleting = a.action().equals("delete");
      if (deleting && !dryRun) {
        // The marker first: a point that is half deleted must never look complete.
        ctx.remote().deleteFileOrFail(ctx.config().at(Catalog.markerOf(a.name())), "the marker of " + a.name());
        ctx.remote().purge(ctx.config().at(a.name()));
        deleted++;
      }
      String action = deleting && dryRun ? "would-delete" : a.action();
      ctx.out().line(a.name() + " " + action + " (" + a.reason() + ")");
      JsonObject o = new JsonObject();
      o.addProperty("name", a.name());
      o.addProperty("action", action);
      o.addProperty("reason", a.reason());
      list.add(o);
    }
    long kept = actions.stream().filter(a -> a.action().equals("keep")).count();
    long toDelete = actions.stream().filter(a -> a.action().equals("delete")).count();
    ctx.report().deleted(deleted).points("points", list).put("dryRun", dryRun)
        .put("kept", kept).put("deletedPoints", deleted);
    ctx.report().pointInTime(plan.keep().keySet().stream().findFirst());
    return (dryRun ? "dry run: would delete " + toDelete : "deleted " + deleted) + " point(s) in time of source '"
        + source + "' at " + here + ", kept " + kept + "; other folders left alone: "
        + actions.stream().filter(a -> a.action().equals("ignore")).count();
  }

  /** An incomplete point: deleted only when only this source claimed it and it is older than the grace. */
  private static Action incomplete(Context ctx, Catalog.Point p, Instant time, Instant now, Duration grace) {
    if (p.claims().isEmpty()) {
      return new Action(p.name(), "ignore", "incomplete, claimed by no run (not known to be this source's)");
    }
    Instant newest = time;
    for (Claims.Claim claim : p.claims()) {
      Optional<String> claimSource = Claims.readSource(ctx.remote(), ctx.config().at(p.name() + "/"
          + Catalog.META + "/" + Catalog.CLAIMS + "/" + claim.runKey() + ".json"));
      if (claimSource.isEmpty() || !claimSource.get().equals(ctx.settings().source())) {
        return new Action(p.name(), "ignore", "incomplete, claimed by another source ("
            + claimSource.orElse("unreadable claim") + ")");
      }
      newest = claim.time().isAfter(newest) ? claim.time() : newest;
    }
    if (Duration.between(newest, now).compareTo(grace) < 0) {
      return new Action(p.name(), "keep", "incomplete, younger than MOVER_INCOMPLETE_GRACE (may still be running)");
    }
    return new Action(p.name(), "delete", "incomplete, older than MOVER_INCOMPLETE_GRACE");
  }
}
