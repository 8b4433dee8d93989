package coffee.acupof.datamover.controller;

import java.time.Duration;
import java.time.Instant;

/**
 * When {@link HeapAfterWork} makes a full collection: once the work queues have stayed empty for {@link #QUIET},
 * the first time (start-up is over), and after that only when the committed heap has grown by at least
 * {@link #GROWTH} since the last collection left it (there is something to give back) and the last collection is
 * at least {@link #SPACING} ago (a busy operator makes at most one a minute, about 0.1 s each). Not thread-safe:
 * one thread asks.
 */
final class HeapCollectionPolicy {
  static final Duration QUIET = Duration.ofSeconds(2);
  static final Duration SPACING = Duration.ofMinutes(1);
  static final long GROWTH = 8L * 1024 * 1024;

  private Instant quietSince;
  private Instant lastCollection;
  private long committedAfterLast;
  private int collections;

  /**
   * @param now the time of this reading
   * @param quiet every informer has synced and every work queue is empty
   * @param committed the heap committed now, in bytes
   * @return whether to collect now
   */
  boolean due(Instant now, boolean quiet, long committed) {
    if (!quiet) {
      quietSince = null;
      return false;
    }
    if (quietSince == null) {
      quietSince = now;
    }
    if (Duration.between(quietSince, now).compareTo(QUIET) < 0) {
      return false;
    }
    if (lastCollection == null) {
      return true;
    }
    return Duration.between(lastCollection, now).compareTo(SPACING) >= 0 && committed - committedAfterLast >= GROWTH;
  }

  /** Records a collection made at {@code now} that left {@code committed} bytes of heap committed. */
  void collected(Instant now, long committed) {
    lastCollection = now;
    committedAfterLast = committed;
    collections++;
  }

  /** How many collections were made. */
  int collections() {
    return collections;
  }
}
