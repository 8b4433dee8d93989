package coffee.acupof.datamover.restore;

import coffee.acupof.datamover.api.DataMoverRestoreStatus;
import coffee.acupof.datamover.runtime.phase.PhaseHandler;

/** A handler of one phase of a DataMoverRestore (one bean per phase). */
public interface RestorePhaseHandler extends PhaseHandler<RestoreRun, DataMoverRestoreStatus.Builder> {}
