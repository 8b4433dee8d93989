package coffee.acupof.datamover.rclonemover;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.Optional;

/**
 * {@code list}: one line per point in time (newest first; incomplete ones with the runs that claimed them), one
 * line per fixed-path source, and the same in the result's {@code points}.
 */
public final class ListOperation {

  private ListOperation() {}

  public static String run(Context ctx) {
    String here = ctx.config().display("");
    ctx.report().destination(here);
    ctx.remote().preflight();
    Catalog catalog = Catalog.read(ctx.remote());
    Optional<Catalog.Point> latest = catalog.latestComplete();
    ctx.report().pointInTime(latest.map(Catalog.Point::name));
    JsonArray points = new JsonArray();
    for (Catalog.Point p : catalog.points()) {
      StringBuilder line = new StringBuilder(p.name()).append(p.complete() ? " complete" : " incomplete");
      JsonObject o = new JsonObject();
      o.addProperty("name", p.name());
      o.addProperty("complete", p.complete());
      if (!p.claims().isEmpty()) {
        JsonArray claims = new JsonArray();
        p.claims().stream().sorted(Claims.ORDER).forEach(c -> claims.add(c.runKey()));
        o.add("claimedBy", claims);
        line.append(" claimed-by=").append(String.join(",", claims.asList().stream()
            .map(com.google.gson.JsonElement::getAsString).toList()));
      }
      ctx.out().line(line.toString());
      points.add(o);
    }
    for (Catalog.FixedSource s : catalog.fixed()) {
      ctx.out().line("fixed source=" + s.id() + (s.complete() ? " complete" : " incomplete"));
      JsonObject o = new JsonObject();
      o.addProperty("name", "fixed");
      o.addProperty("source", s.id());
      o.addProperty("complete", s.complete());
      points.add(o);
    }
    ctx.report().points("points", points);
    long complete = catalog.points().stream().filter(Catalog.Point::complete).count()
        + catalog.fixed().stream().filter(Catalog.FixedSource::complete).count();
    return points.size() + " backup(s) at " + here + ", " + complete + " complete"
        + latest.map(p -> "; latest complete point in time: " + p.name()).orElse("");
  }
}
