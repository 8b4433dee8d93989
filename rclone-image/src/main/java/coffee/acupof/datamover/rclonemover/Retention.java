package coffee.acupof.datamover.rclonemover;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The retention math of {@code prune}, restic's semantics: points are taken newest first; {@code last n} keeps the
 * n newest; each calendar rule keeps the newest point of each of its n most recent buckets (hour, day, ISO week
 * starting Monday, month, year, in the policy's time zone) that hold a point; {@code within d} keeps every point
 * less than d older than the newest point. Rules are ORed. The newest point is always kept, and points dated
 * after {@code now} are neither counted nor deleted.
 */
public final class Retention {

  private Retention() {}

  /** A complete point in time of one source. */
  public record Point(String name, Instant time) {}

  /**
   * What to do with each point.
   *
   * @param keep kept points (newest first) with the rules that keep them
   * @param remove points to delete (newest first)
   * @param future points dated after now, left alone
   */
  public record Plan(Map<String, List<String>> keep, List<String> remove, List<String> future) {}

  public static Plan plan(List<Point> points, RetentionPolicy policy, Instant now) {
    List<Point> sorted = points.stream()
        .sorted(Comparator.comparing(Point::time).reversed().thenComparing(Point::name, Comparator.reverseOrder()))
        .toList();
    List<String> future = sorted.stream().filter(p -> p.time().isAfter(now)).map(Point::name).toList();
    List<Point> past = sorted.stream().filter(p -> !p.time().isAfter(now)).toList();
    Map<String, List<String>> keep = new LinkedHashMap<>();
    List<String> remove = new ArrayList<>();
    if (past.isEmpty()) {
      return new Plan(keep, remove, future);
    }
    List<Rule> rules = List.of(
        new Rule("last", policy.last(), t -> t.toString()),
        new Rule("hourly", policy.hourly(), t -> t.getYear() + "-" + t.getDayOfYear() + "-" + t.getHour()),
        new Rule("daily", policy.daily(), t -> t.getYear() + "-" + t.getDayOfYear()),
        new Rule("weekly", policy.weekly(),
            t -> t.get(IsoFields.WEEK_BASED_YEAR) + "-W" + t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)),
        new Rule("monthly", policy.monthly(), t -> t.getYear() + "-" + t.getMonthValue()),
        new Rule("yearly", policy.yearly(), t -> String.valueOf(t.getYear())));
    Instant newest = past.getFirst().time();
    for (Point point : past) {
      List<String> reasons = new ArrayList<>();
      if (point == past.getFirst()) {
        reasons.add("newest");
      }
      ZonedDateTime local = point.time().atZone(policy.zone());
      if (policy.within().isPresent() && !point.time().isBefore(newest.minus(policy.within().get()))) {
        reasons.add("within " + policy.within().get().toString().substring(2).toLowerCase(java.util.Locale.ROOT));
      }
      for (Rule rule : rules) {
        if (rule.left > 0) {
          String bucket = rule.bucket.apply(local);
          if (!Objects.equals(bucket, rule.lastBucket)) {
            rule.lastBucket = bucket;
            rule.left--;
            reasons.add(rule.name);
          }
        }
      }
      if (reasons.isEmpty()) {
        remove.add(point.name());
      } else {
        keep.put(point.name(), reasons);
      }
    }
    return new Plan(keep, remove, future);
  }

  private static final class Rule {
    final String name;
    final Function<ZonedDateTime, String> bucket;
    int left;
    String lastBucket;

    Rule(String name, int count, Function<ZonedDateTime, String> bucket) {
      this.name = name;
      this.left = count;
      this.bucket = bucket;
    }
  }
}
