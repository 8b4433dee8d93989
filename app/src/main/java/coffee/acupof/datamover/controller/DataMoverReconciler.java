package coffee.acupof.datamover.controller;

import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.api.Phase;
import coffee.acupof.datamover.cluster.ClusterException;
import coffee.acupof.datamover.metrics.DataMoverMetrics;
import coffee.acupof.datamover.phase.MoverJobHandler;
import coffee.acupof.datamover.phase.PhaseHandler;
import coffee.acupof.datamover.phase.Run;
import coffee.acupof.datamover.phase.Transition;
import io.kubernetes.client.extended.controller.reconciler.Reconciler;
import io.kubernetes.client.extended.controller.reconciler.Request;
import io.kubernetes.client.extended.controller.reconciler.Result;
import io.kubernetes.client.informer.cache.Lister;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a DataMover from the cache, lets the handler of its phase take one step, and writes the
 * resulting status (only when it changed). Events and metrics follow a status write that
 * succeeded, so a conflict, a resync or a restart never records a transition twice.
 */
public class DataMoverReconciler implements Reconciler {
  private static final Logger log = LoggerFactory.getLogger(DataMoverReconciler.class);

  private final Lister<DataMover> dataMovers;
  private final Map<Phase, PhaseHandler> handlers = new EnumMap<>(Phase.class);
  private final StatusWriter statusWriter;
  private final EventPublisher events;
  private final DataMoverMetrics metrics;
  private final Clock clock;

  public DataMoverReconciler(
      Lister<DataMover> dataMovers,
      List<PhaseHandler> handlers,
      StatusWriter statusWriter,
      EventPublisher events,
      DataMoverMetrics metrics,
      Clock clock) {
    this.dataMovers = dataMovers;
    handlers.forEach(h -> this.handlers.put(h.phase(), h));
    this.statusWriter = statusWriter;
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
    for (Phase phase : Phase.values()) {
      if (!phase.isTerminal() && !this.handlers.containsKey(phase)) {
        throw new IllegalStateException("no PhaseHandler bean for phase " + phase);
      }
    }
  }

  @Override
  public Result reconcile(Request request) {
    DataMover dataMover = dataMovers.namespace(request.getNamespace()).get(request.getName());
    if (dataMover == null) {
      metrics.forget(request.getNamespace(), request.getName());
      return new Result(false);
    }
    DataMoverStatus status = dataMover.getStatus();
    Phase phase = Phase.fromWireName(status.phase()).orElse(null);
    if (phase == null) {
      log.warn("{} has unknown phase '{}'; leaving it alone", dataMover.key(), status.phase());
      return new Result(false);
    }
    // A new run has no phaseTransitionTime yet: it has been in phase "" since it was created.
    metrics.currentPhase(
        dataMover, phase, status.phaseTransitionTime() != null ? status.phaseTransitionTime() : dataMover.getMetadata().getCreationTimestamp());
    if (phase.isTerminal()) {
      return new Result(false);
    }
    OffsetDateTime now = OffsetDateTime.now(clock).truncatedTo(ChronoUnit.SECONDS);
    Run run = new Run(dataMover, now);
    Transition transition;
    try {
      transition = handlers.get(phase).handle(run);
    } catch (ClusterException e) {
      log.warn("{} in phase {}: {}; will retry", dataMover.key(), phase, e.getMessage());
      return new Result(true);
    }
    DataMoverStatus next = StatusComposer.compose(dataMover, transition, now);
    if (!next.equals(status)) {
      try {
        statusWriter.write(dataMover, next);
      } catch (ClusterException e) {
        if (StatusWriter.isConflict(e)) {
          log.debug("{} changed while reconciling; reading it again", dataMover.key());
        } else {
          log.warn("{}: {}; will retry", dataMover.key(), e.getMessage());
        }
        return new Result(true);
      }
    }
    recordTransition(run, phase, transition);
    return transition.requeueAfter().map(d -> new Result(true, d)).orElseGet(() -> new Result(false));
  }

  /**
   * Events for what a user should see in {@code kubectl describe}: a new phase or a new reason within
   * a phase (e.g. a failed attempt, then the next one running). Failures, missing inputs and failed
   * attempts are Warnings.
   */
  private void recordTransition(Run run, Phase from, Transition transition) {
    DataMover dataMover = run.dataMover();
    boolean phaseChanged = transition.next() != from;
    boolean newReason = !Objects.equals(transition.reason(), run.status().reason());
    if (phaseChanged || newReason) {
      boolean warning =
          transition.next() == Phase.FAILED || isWaitingProblem(transition) || MoverJobHandler.ATTEMPT_FAILED.equals(transition.reason());
      String type = warning ? EventPublisher.WARNING : EventPublisher.NORMAL;
      events.publish(dataMover, type, transition.reason(), transition.message());
      log.info("{} {} -> {}: {} {}", dataMover.key(), from, transition.next(), transition.reason(), transition.message());
    }
    if (phaseChanged) {
      metrics.transition(dataMover, from, transition.next(), transition.reason(), run.timeInPhase());
      metrics.currentPhase(dataMover, transition.next(), run.now());
    }
  }

  /** A run that stays in phase "" is waiting for something the user must provide. */
  private static boolean isWaitingProblem(Transition transition) {
    return transition.next() == Phase.NEW;
  }
}
