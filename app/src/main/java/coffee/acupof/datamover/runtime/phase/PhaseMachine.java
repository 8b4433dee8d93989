package coffee.acupof.datamover.runtime.phase;

import coffee.acupof.datamover.runtime.KindLogic;
import coffee.acupof.datamover.runtime.ManagedResource;
import coffee.acupof.datamover.runtime.Notice;
import coffee.acupof.datamover.runtime.Step;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The phase machine of a kind that is a run, on top of the kind-agnostic core: it picks the
 * {@link PhaseHandler} of the run's {@code status.phase}, lets it take one step, composes the status
 * ({@link RunStatusComposer}), and turns a new phase or a new reason into an Event of the
 * transition's type and the kind's metrics, recorded once the status write succeeded (or at once when
 * the status did not change). A transition's own {@link Transition#events()} (a child created inside
 * a phase) are recorded with every step that carries them, whether or not the status changed.
 *
 * @param <T> the kind
 * @param <S> its status
 * @param <B> its status builder
 * @param <C> its run context given to handlers
 */
public final class PhaseMachine<T extends ManagedResource<S>, S extends RunStatus<B>, B extends RunStatusBuilder<B, S>, C extends RunContext<T>>
    implements KindLogic<T, S> {
  private static final Logger log = LoggerFactory.getLogger(PhaseMachine.class);

  private final Map<RunPhase<B>, PhaseHandler<C, B>> handlers = new HashMap<>();
  private final Function<String, Optional<? extends RunPhase<B>>> phases;
  private final BiFunction<T, OffsetDateTime, C> context;
  private final RunMetrics<T> metrics;

  /**
   * @param allPhases every phase of the kind; each one that is not terminal needs a handler
   * @param phases the phase of a {@code status.phase} value (empty for one this operator never writes)
   * @param context the run context handlers get
   */
  public PhaseMachine(
      List<? extends RunPhase<B>> allPhases,
      List<? extends PhaseHandler<C, B>> handlers,
      Function<String, Optional<? extends RunPhase<B>>> phases,
      BiFunction<T, OffsetDateTime, C> context,
      RunMetrics<T> metrics) {
    handlers.forEach(h -> this.handlers.put(h.phase(), h));
    this.phases = phases;
    this.context = context;
    this.metrics = metrics;
    for (RunPhase<B> phase : allPhases) {
      if (!phase.isTerminal() && !this.handlers.containsKey(phase)) {
        throw new IllegalStateException("no PhaseHandler bean for phase " + phase);
      }
    }
  }

  @Override
  public Step<S> reconcile(T run, OffsetDateTime now) {
    S status = run.getStatus();
    RunPhase<B> phase = phases.apply(status.phase()).orElse(null);
    if (phase == null) {
      log.warn("{} has unknown phase '{}'; leaving it alone", run.key(), status.phase());
      return Step.of(status);
    }
    // A new run has no phaseTransitionTime yet: it has been in its first phase since it was created.
    metrics.currentPhase(
        run, phase, status.phaseTransitionTime() != null ? status.phaseTransitionTime() : run.getMetadata().getCreationTimestamp());
    if (phase.isTerminal()) {
      return Step.of(status);
    }
    C context = this.context.apply(run, now);
    Transition<B> transition = handlers.get(phase).handle(context);
    Step<S> step = Step.of(RunStatusComposer.compose(run, transition, now)).requeueAfter(transition.requeueAfter());
    boolean phaseChanged = transition.next() != phase;
    boolean newReason = !Objects.equals(transition.reason(), status.reason());
    // The work of the step (a child created) comes before the phase or reason it leads to.
    for (Notice event : transition.events()) {
      step = step.notice(event);
      if (event.about() == null) {
        step = step.afterWrite(() -> log.info("{} in {}: {} {}", run.key(), phase, event.reason(), event.message()));
      }
    }
    if (phaseChanged || newReason) {
      step = step.notice(new Notice(transition.eventType(), transition.reason(), transition.message()));
      for (Notice related : transition.alsoOn()) {
        step = step.notice(related);
      }
      step = step
          .afterWrite(() -> log.info("{} {} -> {}: {} {}", run.key(), phase, transition.next(), transition.reason(), transition.message()));
    }
    if (phaseChanged) {
      step = step.afterWrite(() -> {
        metrics.transition(run, phase, transition.next(), transition.outcome(), context.timeInPhase());
        metrics.currentPhase(run, transition.next(), now);
      });
    }
    return step;
  }

  @Override
  public void forget(String namespace, String name) {
    metrics.forget(namespace, name);
  }
}
