package coffee.acupof.datamover.runtime;

import java.time.Duration;
import java.util.Locale;

/** Durations as messages show them: {@code 10m}, {@code 6h10m}, {@code 30s}. */
public final class Durations {
  private Durations() {}

  public static String human(Duration d) {
    return d.toString().substring(2).toLowerCase(Locale.ROOT);
  }
}
