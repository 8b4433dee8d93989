package coffee.acupof.datamover.runtime;

import io.kubernetes.client.extended.workqueue.RateLimitingQueue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

/**
 * A kind's work queue with its metrics in Micrometer ({@code /actuator/prometheus}), in the shape
 * controller-runtime users know: {@code datamover_workqueue_depth}, {@code datamover_workqueue_adds_total}
 * and {@code datamover_workqueue_retries_total}, each labelled with the kind. (The client's own
 * queue metrics go to the Prometheus simpleclient registry, which Actuator does not serve.)
 */
public class MeteredQueue<T> implements RateLimitingQueue<T> {
  private final RateLimitingQueue<T> delegate;
  private final Counter adds;
  private final Counter retries;

  public MeteredQueue(RateLimitingQueue<T> delegate, String kind, MeterRegistry registry) {
    this.delegate = delegate;
    Gauge.builder("datamover.workqueue.depth", delegate, RateLimitingQueue::length)
        .description("Objects waiting in the work queue of each kind")
        .tag("kind", kind)
        .register(registry);
    this.adds = Counter.builder("datamover.workqueue.adds").description("Objects added to the work queue").tag("kind", kind).register(registry);
    this.retries =
        Counter.builder("datamover.workqueue.retries")
            .description("Objects put back into the work queue after a failed reconcile (with back-off)")
            .tag("kind", kind)
            .register(registry);
  }

  @Override
  public void add(T item) {
    adds.increment();
    delegate.add(item);
  }

  @Override
  public void addAfter(T item, Duration duration) {
    adds.increment();
    delegate.addAfter(item, duration);
  }

  @Override
  public void addRateLimited(T item) {
    retries.increment();
    adds.increment();
    delegate.addRateLimited(item);
  }

  @Override
  public void forget(T item) {
    delegate.forget(item);
  }

  @Override
  public int numRequeues(T item) {
    return delegate.numRequeues(item);
  }

  @Override
  public int length() {
    return delegate.length();
  }

  @Override
  public T get() throws InterruptedException {
    return delegate.get();
  }

  @Override
  public void done(T item) {
    delegate.done(item);
  }

  @Override
  public void shutDown() {
    delegate.shutDown();
  }

  @Override
  public boolean isShuttingDown() {
    return delegate.isShuttingDown();
  }
}
