package coffee.acupof.datamover.runtime;

import io.kubernetes.client.extended.controller.DefaultController;
import io.kubernetes.client.extended.controller.reconciler.Reconciler;
import io.kubernetes.client.extended.controller.reconciler.Request;
import io.kubernetes.client.extended.workqueue.DefaultRateLimitingQueue;
import io.kubernetes.client.extended.workqueue.RateLimitingQueue;
import io.kubernetes.client.extended.workqueue.ratelimiter.BucketRateLimiter;
import io.kubernetes.client.extended.workqueue.ratelimiter.ItemExponentialFailureRateLimiter;
import io.kubernetes.client.extended.workqueue.ratelimiter.MaxOfRateLimiter;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * One kind's controller: its named work queue and the workers that run its reconciler. Every kind's
 * {@code @Configuration} declares one as a bean; {@code OperatorLifecycle} runs them all while this
 * process holds the leader Lease.
 */
public final class KindController {
  private final String name;
  private final RateLimitingQueue<Request> queue;
  private final DefaultController controller;
  private volatile boolean stopped;

  private KindController(String name, RateLimitingQueue<Request> queue, DefaultController controller) {
    this.name = name;
    this.queue = queue;
    this.controller = controller;
  }

  /**
   * A rate-limited work queue for a kind: a failing item backs off exponentially (per item), and all
   * retries together are held to a token bucket (the client's default refills 10 tokens a minute).
   */
  public static RateLimitingQueue<Request> queue(String kind, Duration baseDelay, Duration maxDelay, int qps, MeterRegistry registry) {
    return new MeteredQueue<>(
        new DefaultRateLimitingQueue<>(
            Executors.newSingleThreadExecutor(r -> daemon(r, kind.toLowerCase() + "-queue")),
            new MaxOfRateLimiter<>(
                new ItemExponentialFailureRateLimiter<>(baseDelay, maxDelay),
                new BucketRateLimiter<>(qps * 5L, qps, Duration.ofSeconds(1)))),
        kind,
        registry);
  }

  /**
   * The controller of a kind: {@code workers} threads take keys from {@code queue} and run
   * {@code reconciler}, once every informer the kind reads has synced.
   */
  public static KindController of(
      String name, RateLimitingQueue<Request> queue, Reconciler reconciler, int workers, List<SharedIndexInformer<?>> informers) {
    Supplier<Boolean>[] synced = informers.stream().<Supplier<Boolean>>map(i -> i::hasSynced).toArray(Supplier[]::new);
    DefaultController controller = new DefaultController(name, reconciler, queue, synced);
    controller.setWorkerCount(workers);
    controller.setWorkerThreadPool(Executors.newScheduledThreadPool(workers, r -> daemon(r, name + "-worker")));
    return new KindController(name, queue, controller);
  }

  public String name() {
    return name;
  }

  /** Runs the workers until {@link #shutdown}; returns at once when that came first. */
  public void run() {
    try {
      controller.run();
    } catch (RejectedExecutionException e) {
      // Shut down (the operator stopping) while this thread was still starting: nothing left to run.
      if (!stopped) {
        throw e;
      }
    }
  }

  public void shutdown() {
    stopped = true;
    controller.shutdown();
    queue.shutDown();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
