package coffee.acupof.datamover.phase;

import coffee.acupof.datamover.api.Phase;

/**
 * Advances a DataMover by at most one step of work in one phase. Handlers read the cluster through
 * {@link coffee.acupof.datamover.cluster.ClusterView}, write through
 * {@link coffee.acupof.datamover.cluster.ClusterOperations}, and never write status themselves: the
 * reconciler applies the returned {@link Transition}.
 */
public interface PhaseHandler {
  /** The phase this handler knows. */
  Phase phase();

  Transition handle(Run run);
}
