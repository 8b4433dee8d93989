package coffee.acupof.datamover.api;

/**
 * Which points in time of a schedule's source to keep (restic's rules, ORed): the newest
 * {@code keepLast}, the newest per hour/day/ISO week/month/year for that many buckets, and every point
 * younger than {@code keepWithin} (e.g. {@code 36h}, {@code 14d}). The mover's {@code prune} applies it.
 */
public record RetentionSpec(
    Integer keepLast,
    Integer keepHourly,
    Integer keepDaily,
    Integer keepWeekly,
    Integer keepMonthly,
    Integer keepYearly,
    String keepWithin) {}
