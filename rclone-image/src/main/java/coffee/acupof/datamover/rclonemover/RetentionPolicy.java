package coffee.acupof.datamover.rclonemover;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Which points in time {@code prune} keeps: {@code MOVER_KEEP_LAST}, {@code _HOURLY}, {@code _DAILY},
 * {@code _WEEKLY}, {@code _MONTHLY}, {@code _YEARLY} (counts), {@code MOVER_KEEP_WITHIN} (a duration), calendar
 * buckets in {@code MOVER_KEEP_TIMEZONE} (UTC by default). Rules are ORed, as restic's {@code forget} does.
 */
public record RetentionPolicy(int last, int hourly, int daily, int weekly, int monthly, int yearly,
    Optional<Duration> within, ZoneId zone) {

  private static final int MAX = 1_000_000;

  public static RetentionPolicy fromEnv(Env env) {
    ZoneId zone = env.get("MOVER_KEEP_TIMEZONE").map(raw -> {
      try {
        return ZoneId.of(raw);
      } catch (DateTimeException e) {
        throw MoverFailure.configuration("MOVER_KEEP_TIMEZONE must be an IANA time zone such as Europe/Berlin or"
            + " UTC, got '" + raw + "'");
      }
    }).orElse(ZoneOffset.UTC);
    return new RetentionPolicy(env.integer("MOVER_KEEP_LAST", 0, 0, MAX), env.integer("MOVER_KEEP_HOURLY", 0, 0, MAX),
        env.integer("MOVER_KEEP_DAILY", 0, 0, MAX), env.integer("MOVER_KEEP_WEEKLY", 0, 0, MAX),
        env.integer("MOVER_KEEP_MONTHLY", 0, 0, MAX), env.integer("MOVER_KEEP_YEARLY", 0, 0, MAX),
        env.duration("MOVER_KEEP_WITHIN"), zone);
  }

  /** True when no rule keeps anything (prune refuses to run with it). */
  public boolean isEmpty() {
    return last == 0 && hourly == 0 && daily == 0 && weekly == 0 && monthly == 0 && yearly == 0
        && within.isEmpty();
  }
}
