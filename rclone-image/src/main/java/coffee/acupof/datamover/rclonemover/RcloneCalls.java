package coffee.acupof.datamover.rclonemover;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How many times a run started rclone and for how long, per command ({@code lsjson}, {@code copy}, …): the
 * mover's cost beyond the transfer itself is mostly process starts and remote round trips, so every run ends with
 * one summary line on stderr that shows where its time went.
 */
public final class RcloneCalls {

  private record Total(int calls, long nanos) {
    Total plus(long more) {
      return new Total(calls + 1, nanos + more);
    }
  }

  private final Map<String, Total> byCommand = new LinkedHashMap<>();

  /** Records one finished call of {@code command} that took {@code nanos}. */
  public synchronized void record(String command, long nanos) {
    byCommand.merge(command, new Total(1, nanos), (a, b) -> a.plus(b.nanos()));
  }

  /** Number of rclone processes started. */
  public synchronized int count() {
    return byCommand.values().stream().mapToInt(Total::calls).sum();
  }

  /** E.g. {@code 7 rclone call(s), 6.1 s: version 1× 0.04 s, lsjson 3× 0.9 s, copy 1× 5.0 s, ...}. */
  public synchronized String summary() {
    long total = byCommand.values().stream().mapToLong(Total::nanos).sum();
    return count() + " rclone call(s), " + seconds(total) + byCommand.entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue().calls() + "× " + seconds(e.getValue().nanos()))
        .collect(Collectors.joining(", ", ": ", ""));
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
  }
}
