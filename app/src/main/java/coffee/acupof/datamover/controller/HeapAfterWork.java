package coffee.acupof.datamover.controller;

import coffee.acupof.datamover.runtime.Informers;
import coffee.acupof.datamover.runtime.LeaderTask;
import io.kubernetes.client.extended.controller.reconciler.Request;
import io.kubernetes.client.extended.workqueue.RateLimitingQueue;
import io.kubernetes.client.informer.SharedIndexInformer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Gives back to the system the heap that a burst of work took, once the burst is over: after start-up (every
 * informer filled its cache and every object was reconciled once) and after each busy period later (1,000 runs
 * finishing, a schedule's history pruned), one full collection when the work queues have been empty for a
 * moment. With the Serial collector the garbage of a burst is promoted, the old generation grows to hold it, and
 * without a full collection it never shrinks again: most of what is committed then is free (docs/benchmarks.md,
 * "What the figures say about the operator"). The image's {@code MaxHeapFreeRatio} and
 * {@code -XX:-ShrinkHeapInSteps} decide that the collection returns it at once. {@link HeapCollectionPolicy}
 * decides when; a JVM started with {@code -XX:+DisableExplicitGC} skips the collections.
 */
@Component
class HeapAfterWork implements LeaderTask {
  private static final Logger log = LoggerFactory.getLogger(HeapAfterWork.class);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final long MIB = 1024 * 1024;

  private final Informers informers;
  private final List<RateLimitingQueue<Request>> queues;
  private final Clock clock;

  HeapAfterWork(Informers informers, List<RateLimitingQueue<Request>> queues, Clock clock) {
    this.informers = informers;
    this.queues = List.copyOf(queues);
    this.clock = clock;
  }

  @Override
  public void onLeading() {
    Thread.ofPlatform().daemon().name("heap-after-work").start(this::collectAfterWork);
  }

  private void collectAfterWork() {
    HeapCollectionPolicy policy = new HeapCollectionPolicy();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Thread.sleep(POLL);
        boolean quiet = informers.all().values().stream().allMatch(SharedIndexInformer::hasSynced)
            && queues.stream().allMatch(q -> q.length() == 0);
        long before = memory.getHeapMemoryUsage().getCommitted();
        if (!policy.due(clock.instant(), quiet, before)) {
          continue;
        }
        long started = System.nanoTime();
        System.gc();
        long after = memory.getHeapMemoryUsage().getCommitted();
        policy.collected(clock.instant(), after);
        log.info("Work queues empty after {}; one full collection: heap {} MiB committed before, {} MiB after ({} MiB in use), {} ms",
            policy.collections() == 1 ? "start-up (every object reconciled once)" : "a busy period",
            before / MIB, after / MIB, memory.getHeapMemoryUsage().getUsed() / MIB,
            Duration.ofNanos(System.nanoTime() - started).toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
