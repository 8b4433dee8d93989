package coffee.acupof.datamover.runtime;

import coffee.acupof.datamover.cluster.ClusterException;
import io.kubernetes.client.extended.controller.reconciler.Reconciler;
import io.kubernetes.client.extended.controller.reconciler.Request;
import io.kubernetes.client.extended.controller.reconciler.Result;
import io.kubernetes.client.informer.cache.Lister;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kind-agnostic reconcile loop every kind runs: read the object from the cache, let the kind's
 * {@link KindLogic} decide the {@link Step}, write the status once (merge patch with
 * resourceVersion, only when it changed), and only after that write succeeded record the step's
 * Events and metrics — so a conflict, a resync or a restart never records anything twice. Failed
 * API calls are retried with the queue's back-off. Reconcile time per kind and result goes to
 * {@code datamover_reconcile_duration_seconds}.
 */
public class KindReconciler<T extends ManagedResource<S>, S> implements Reconciler {
  private static final Logger log = LoggerFactory.getLogger(KindReconciler.class);

  private final ResourceKind<T, ?> kind;
  private final Lister<T> lister;
  private final KindLogic<T, S> logic;
  private final StatusWriter statusWriter;
  private final EventRecorder events;
  private final Clock clock;
  private final MeterRegistry registry;

  public KindReconciler(
      ResourceKind<T, ?> kind,
      Lister<T> lister,
      KindLogic<T, S> logic,
      StatusWriter statusWriter,
      EventRecorder events,
      Clock clock,
      MeterRegistry registry) {
    this.kind = kind;
    this.lister = lister;
    this.logic = logic;
    this.statusWriter = statusWriter;
    this.events = events;
    this.clock = clock;
    this.registry = registry;
  }

  @Override
  public Result reconcile(Request request) {
    Timer.Sample sample = Timer.start(registry);
    String result = "error";
    try {
      Result r = reconcileOnce(request);
      result = r.isRequeue() && r.getRequeueAfter() == null ? "retry" : "success";
      return r;
    } finally {
      sample.stop(
          Timer.builder("datamover.reconcile.duration")
              .description("Time one reconcile of one object took, by kind and result")
              .tag("kind", kind.kind())
              .tag("result", result)
              .register(registry));
    }
  }

  private Result reconcileOnce(Request request) {
    T object = lister.namespace(request.getNamespace()).get(request.getName());
    if (object == null) {
      logic.forget(request.getNamespace(), request.getName());
      return new Result(false);
    }
    OffsetDateTime now = OffsetDateTime.now(clock).truncatedTo(ChronoUnit.SECONDS);
    Step<S> step;
    try {
      step = logic.reconcile(object, now);
    } catch (ClusterException e) {
      log.warn("{} {}: {}; will retry", kind, object.key(), e.getMessage());
      return new Result(true);
    }
    if (step.status() != null && !Objects.equals(step.status(), object.getStatus())) {
      try {
        statusWriter.write(kind, object, step.status());
      } catch (ClusterException e) {
        if (StatusWriter.isConflict(e)) {
          log.debug("{} {} changed while reconciling; reading it again", kind, object.key());
        } else {
          log.warn("{} {}: {}; will retry", kind, object.key(), e.getMessage());
        }
        return new Result(true);
      }
    }
    step.notices().forEach(n -> events.record(n.about() != null ? n.about() : object, n.about() != null ? n.aboutKind() : kind, n));
    step.afterWrite().run();
    return step.requeueAfter().map(d -> new Result(true, d)).orElseGet(() -> new Result(false));
  }
}
