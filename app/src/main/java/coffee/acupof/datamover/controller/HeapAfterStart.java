package coffee.acupof.datamover.controller;

import coffee.acupof.datamover.runtime.Informers;
import coffee.acupof.datamover.runtime.LeaderTask;
import io.kubernetes.client.extended.controller.reconciler.Request;
import io.kubernetes.client.extended.workqueue.RateLimitingQueue;
import io.kubernetes.client.informer.SharedIndexInformer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Once every informer has filled its cache after this process became the leader and the work queues have
 * been empty for a moment (the first reconcile of every object is done), one full collection gives back to
 * the system the heap that start-up took. The informers' first lists parse every watched object at once and
 * every object is reconciled once; with the Serial collector the garbage of that burst is promoted, the old
 * generation grows to hold it, and without a full collection it never shrinks again: most of what is
 * committed then is free (docs/benchmarks.md, "What the figures say about the operator"). The image's
 * {@code MaxHeapFreeRatio} and {@code -XX:-ShrinkHeapInSteps} decide that the collection returns it at once.
 * A JVM started with {@code -XX:+DisableExplicitGC} skips it.
 */
@Component
class HeapAfterStart implements LeaderTask {
  private static final Logger log = LoggerFactory.getLogger(HeapAfterStart.class);
  private static final Duration POLL = Duration.ofMillis(250);
  /** How long every work queue must stay empty before start-up counts as done. */
  private static final int QUIET_POLLS = 8;
  /** A start-up that takes longer than this is left without the collection after it. */
  private static final Duration GIVE_UP = Duration.ofMinutes(10);
  private static final long MIB = 1024 * 1024;

  private final Informers informers;
  private final List<RateLimitingQueue<Request>> queues;

  HeapAfterStart(Informers informers, List<RateLimitingQueue<Request>> queues) {
    this.informers = informers;
    this.queues = List.copyOf(queues);
  }

  @Override
  public void onLeading() {
    Thread.ofPlatform().daemon().name("heap-after-start").start(this::collectOnceSynced);
  }

  private void collectOnceSynced() {
    long deadline = System.nanoTime() + GIVE_UP.toNanos();
    try {
      int quiet = 0;
      while (quiet < QUIET_POLLS) {
        if (System.nanoTime() > deadline) {
          return;
        }
        Thread.sleep(POLL);
        boolean synced = informers.all().values().stream().allMatch(SharedIndexInformer::hasSynced);
        quiet = synced && queues.stream().allMatch(q -> q.length() == 0) ? quiet + 1 : 0;
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
    log.info("Caches filled and every object reconciled once; one full collection after start-up: heap {} MiB committed before, {} MiB after ({} MiB in use), {} ms",
        before / MIB, after / MIB, memory.getHeapMemoryUsage().getUsed() / MIB, Duration.ofNanos(System.nanoTime() - started).toMillis());
  }
}
