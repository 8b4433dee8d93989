package coffee.acupof.datamover.runtime.phase;

/**
 * Advances a run by at most one step of work in one phase. Handlers read the cluster through caches,
 * write through a thin operations interface, and never write status themselves: the
 * {@link PhaseMachine} composes the status from the returned {@link Transition}.
 *
 * @param <C> the kind's run context (the object and the time of the reconcile)
 * @param <B> the kind's status builder
 */
public interface PhaseHandler<C, B> {
  /** The phase this handler knows. */
  RunPhase<B> phase();

  Transition<B> handle(C run);
}
