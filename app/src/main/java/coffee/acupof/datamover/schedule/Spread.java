package coffee.acupof.datamover.schedule;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jenkins-style {@code H} in a cron field: a value picked by a hash of the schedule's key
 * ({@code namespace/name}), so that many schedules written {@code H 2 * * *} spread over the hour,
 * each always at the same minute. A field may be {@code H}, {@code H(a-b)}, {@code H/n} or
 * {@code H(a-b)/n}; each field gets its own value. In the day-of-month field {@code H} picks from 1–28
 * so that every month has the day.
 */
final class Spread {
  private static final Pattern FORM = Pattern.compile("H(?:\\((\\d+)-(\\d+)\\))?(?:/(\\d+))?");
  static final String[] FIELD_NAMES = {"minute", "hour", "day of month", "month", "day of week"};
  private static final int[][] RANGES = {{0, 59}, {0, 23}, {1, 28}, {1, 12}, {0, 6}};

  private Spread() {}

  /** The five fields with every {@code H} replaced by this key's value. */
  static String[] expand(String[] fields, String key) {
    String[] result = fields.clone();
    for (int i = 0; i < fields.length; i++) {
      if (fields[i].contains("H")) {
        result[i] = expandField(fields[i], i, hash(key + "#" + i));
      }
    }
    return result;
  }

  private static String expandField(String field, int index, long hash) {
    Matcher m = FORM.matcher(field);
    if (!m.matches()) {
      throw new InvalidScheduleException(
          "InvalidSchedule", FIELD_NAMES[index] + " field '" + field + "': H must be the whole field: H, H(a-b), H/n or H(a-b)/n");
    }
    int lo = RANGES[index][0];
    int hi = index == 2 && m.group(1) != null ? 31 : RANGES[index][1];
    if (m.group(1) != null) {
      int a = Integer.parseInt(m.group(1));
      int b = Integer.parseInt(m.group(2));
      if (a > b || a < lo || b > hi) {
        throw new InvalidScheduleException(
            "InvalidSchedule", FIELD_NAMES[index] + " field '" + field + "': the range must lie within " + lo + "-" + hi + " and start before it ends");
      }
      lo = a;
      hi = b;
    }
    int width = hi - lo + 1;
    if (m.group(3) == null) {
      return Integer.toString(lo + (int) (hash % width));
    }
    int step = Integer.parseInt(m.group(3));
    if (step < 1) {
      throw new InvalidScheduleException("InvalidSchedule", FIELD_NAMES[index] + " field '" + field + "': the step must be at least 1");
    }
    int start = lo + (int) (hash % Math.min(step, width));
    return start + "-" + hi + "/" + step;
  }

  private static long hash(String value) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      long h = 0;
      for (int i = 0; i < 8; i++) {
        h = (h << 8) | (digest[i] & 0xff);
      }
      return h & Long.MAX_VALUE;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
