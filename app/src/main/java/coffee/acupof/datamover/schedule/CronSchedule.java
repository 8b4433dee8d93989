package coffee.acupof.datamover.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed schedule: a standard 5-field cron expression (ranges, lists, steps, month and day names,
 * the macros {@code @yearly}, {@code @annually}, {@code @monthly}, {@code @weekly}, {@code @daily},
 * {@code @midnight}, {@code @hourly}, and {@link Spread H}) in an IANA time zone, parsed by cron-utils
 * with its UNIX definition (day of month and day of week ORed when both are restricted).
 *
 * <p>Time zones and daylight saving time work as in Kubernetes' CronJob: the schedule fires at every
 * instant whose wall-clock time in the zone matches. A wall-clock time skipped by a DST change (the
 * spring-forward gap) does not occur, so nothing runs for it that day; a wall-clock time that occurs twice
 * (the fall-back overlap) fires twice.
 */
public final class CronSchedule {
  private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final Map<String, String> MACROS = Map.of(
      "@yearly", "0 0 1 1 *",
      "@annually", "0 0 1 1 *",
      "@monthly", "0 0 1 * *",
      "@weekly", "0 0 * * 0",
      "@daily", "0 0 * * *",
      "@midnight", "0 0 * * *",
      "@hourly", "0 * * * *");
  /** A schedule that does not fire within this horizon is refused (e.g. "0 0 30 2 *"). */
  private static final Duration HORIZON = Duration.ofDays(366L * 5);

  private final String expression;
  private final ZoneId zone;
  private final ExecutionTime execution;

  private CronSchedule(String expression, ZoneId zone, ExecutionTime execution) {
    this.expression = expression;
    this.zone = zone;
    this.execution = execution;
  }

  /**
   * @param spreadKey what {@code H} hashes, {@code namespace/name} of the schedule
   * @throws InvalidScheduleException with a message that says what to fix
   */
  public static CronSchedule parse(String schedule, String timeZone, String spreadKey) {
    ZoneId zone;
    try {
      zone = ZoneId.of(timeZone);
    } catch (DateTimeException e) {
      throw new InvalidScheduleException("InvalidTimeZone", "time zone '" + timeZone + "' is not an IANA time zone name such as Europe/Berlin or UTC");
    }
    String trimmed = schedule == null ? "" : schedule.strip();
    if (trimmed.startsWith("TZ=") || trimmed.startsWith("CRON_TZ=")) {
      throw new InvalidScheduleException("InvalidSchedule", "schedule '" + schedule + "': set the time zone in spec.timeZone, not as a TZ= prefix");
    }
    String expanded = trimmed.startsWith("@") ? MACROS.get(trimmed) : trimmed;
    if (expanded == null) {
      throw new InvalidScheduleException(
          "InvalidSchedule", "schedule '" + schedule + "': unknown macro; use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly");
    }
    String[] fields = expanded.split("\\s+");
    if (fields.length != 5) {
      throw new InvalidScheduleException(
          "InvalidSchedule", "schedule '" + schedule + "' has " + fields.length + " fields; write 5: minute hour day-of-month month day-of-week");
    }
    String resolved = String.join(" ", Spread.expand(fields, spreadKey));
    Cron cron;
    try {
      cron = PARSER.parse(resolved);
      cron.validate();
    } catch (IllegalArgumentException e) {
      throw new InvalidScheduleException("InvalidSchedule", "schedule '" + schedule + "': " + e.getMessage());
    }
    CronSchedule parsed = new CronSchedule(resolved, zone, ExecutionTime.forCron(cron));
    Instant probe = Instant.parse("2026-01-01T00:00:00Z");
    if (parsed.next(probe).filter(n -> n.isBefore(probe.plus(HORIZON))).isEmpty()) {
      throw new InvalidScheduleException("InvalidSchedule", "schedule '" + schedule + "' never fires (no such date)");
    }
    return parsed;
  }

  /** The 5-field expression after macros and {@code H} were resolved. */
  public String expression() {
    return expression;
  }

  public ZoneId zone() {
    return zone;
  }

  /**
   * The first tick strictly after {@code after}. Walks the zone's offset segments: within one
   * segment wall-clock time runs evenly, so the next matching wall-clock time either falls before the
   * segment's end or the search continues at the start of the next segment (whose wall-clock time may
   * jump ahead, a gap, or back, an overlap).
   */
  public Optional<Instant> next(Instant after) {
    ZoneRules rules = zone.getRules();
    Instant segmentStart = after;
    boolean inclusive = false;
    Instant limit = after.plus(HORIZON);
    while (segmentStart.isBefore(limit)) {
      ZoneOffset offset = rules.getOffset(segmentStart);
      ZoneOffsetTransition transition = rules.nextTransition(segmentStart);
      Instant segmentEnd = transition == null ? Instant.MAX : transition.getInstant();
      LocalDateTime wall = LocalDateTime.ofInstant(segmentStart, offset);
      Optional<LocalDateTime> candidate = nextWallClock(inclusive ? wall.minusNanos(1) : wall);
      if (candidate.isEmpty()) {
        return Optional.empty();
      }
      Instant instant = candidate.get().toInstant(offset);
      if (instant.isBefore(segmentEnd)) {
        return Optional.of(instant);
      }
      segmentStart = segmentEnd;
      inclusive = true;
    }
    return Optional.empty();
  }

  private Optional<LocalDateTime> nextWallClock(LocalDateTime after) {
    return execution.nextExecution(after.atZone(ZoneOffset.UTC)).map(z -> z.toLocalDateTime());
  }

  /** Ticks in {@code (after, until]}: how many (counting stops at {@code limit}), the first and the latest. */
  public Due due(Instant after, Instant until, int limit) {
    int count = 0;
    Instant first = null;
    Instant latest = null;
    Optional<Instant> tick = next(after);
    while (tick.isPresent() && !tick.get().isAfter(until)) {
      if (first == null) {
        first = tick.get();
      }
      latest = tick.get();
      if (++count >= limit) {
        // Too many to count: jump to the most recent one.
        Optional<Instant> last = latestAtOrBefore(until, latest);
        latest = last.orElse(latest);
        break;
      }
      tick = next(tick.get());
    }
    return new Due(count, Optional.ofNullable(first), Optional.ofNullable(latest), count >= limit);
  }

  /** The newest tick in {@code (notBefore, until]}, found by searching back in growing windows. */
  private Optional<Instant> latestAtOrBefore(Instant until, Instant notBefore) {
    Duration window = Duration.ofMinutes(1);
    while (true) {
      Instant from = until.minus(window);
      if (!from.isAfter(notBefore)) {
        from = notBefore;
      }
      Instant found = null;
      Optional<Instant> tick = next(from);
      while (tick.isPresent() && !tick.get().isAfter(until)) {
        found = tick.get();
        tick = next(tick.get());
      }
      if (found != null || from.equals(notBefore)) {
        return Optional.ofNullable(found);
      }
      window = window.multipliedBy(4);
    }
  }

  /** Ticks that are due: {@code count} of them (at least, when {@code more}), the first and the most recent. */
  public record Due(int count, Optional<Instant> first, Optional<Instant> latest, boolean more) {}
}
