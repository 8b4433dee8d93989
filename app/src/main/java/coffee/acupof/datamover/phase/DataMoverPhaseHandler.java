package coffee.acupof.datamover.phase;

import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.runtime.phase.PhaseHandler;

/**
 * A handler of one phase of a DataMover run (one bean per phase). Handlers read the cluster through
 * {@link coffee.acupof.datamover.cluster.ClusterView}, write through
 * {@link coffee.acupof.datamover.cluster.ClusterOperations}, and return a
 * {@link coffee.acupof.datamover.runtime.phase.Transition}; the phase machine writes the status.
 */
public interface DataMoverPhaseHandler extends PhaseHandler<Run, DataMoverStatus.Builder> {}
