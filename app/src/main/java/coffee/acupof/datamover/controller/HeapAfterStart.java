package coffee.acupof.datamover.controller;

import coffee.acupof.datamover.runtime.Informers;
import coffee.acupof.datamover.runtime.LeaderTask;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Once every informer has filled its cache after this process became the leader, one full collection gives
 * back to the system the heap that start-up took. The informers' first lists parse every watched object at
 * once; with the Serial collector the garbage of that burst is promoted, the old generation grows to hold it,
 * and without a full collection it never shrinks again: most of what is committed then is free
 * (docs/benchmarks.md, "What the figures say about the operator"). {@code MaxHeapFreeRatio} decides how much
 * of the free heap the collection returns. A JVM started with {@code -XX:+DisableExplicitGC} skips it.
 */
@Component
class HeapAfterStart implements LeaderTask {
  private static final Logger log = LoggerFactory.getLogger(HeapAfterStart.class);
  private static final Duration POLL = Duration.ofMillis(200);
  /** Caches that take longer than this are left to fill without the collection after them. */
  private static final Duration GIVE_UP = Duration.ofMinutes(10);
  private static final long MIB = 1024 * 1024;

  private final Informers informers;

  HeapAfterStart(Informers informers) {
    this.informers = informers;
  }

  @Override
  public void onLeading() {
    Thread.ofPlatform().daemon().name("heap-after-start").start(this::collectOnceSynced);
  }

  private void collectOnceSynced() {
    long deadline = System.nanoTime() + GIVE_UP.toNanos();
    try {
      while (!informers.all().values().stream().allMatch(i -> i.hasSynced())) {
        if (System.nanoTime() > deadline) {
          return;
        }
        Thread.sleep(POLL);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long before = memory.getHeapMemoryUsage().getCommitted();
    long started = System.nanoTime();
    System.gc();
    long after = memory.getHeapMemoryUsage().getCommitted();
    log.info("Caches filled; one full collection after start-up: heap {} MiB committed before, {} MiB after ({} MiB in use), {} ms",
        before / MIB, after / MIB, memory.getHeapMemoryUsage().getUsed() / MIB, Duration.ofNanos(System.nanoTime() - started).toMillis());
  }
}
