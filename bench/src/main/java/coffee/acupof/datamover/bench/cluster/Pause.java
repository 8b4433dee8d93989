package coffee.acupof.datamover.bench.cluster;

import java.time.Duration;

/** Waiting out a measuring window or a settling time; an interrupt ends the benchmark. */
final class Pause {
  private Pause() {}

  static void of(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
