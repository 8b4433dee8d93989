package coffee.acupof.datamover.restore;

import coffee.acupof.datamover.api.DataMoverRestore;
import coffee.acupof.datamover.api.DataMoverRestoreSpec;
import coffee.acupof.datamover.api.DataMoverRestoreStatus;
import coffee.acupof.datamover.cluster.ChildNames;
import coffee.acupof.datamover.runtime.phase.RunContext;
import java.time.OffsetDateTime;

/** One DataMoverRestore as the cache holds it, and the time the reconcile started. */
public record RestoreRun(DataMoverRestore restore, OffsetDateTime now) implements RunContext<DataMoverRestore> {

  @Override
  public DataMoverRestore object() {
    return restore;
  }

  public DataMoverRestoreSpec spec() {
    return restore.getSpec();
  }

  public DataMoverRestoreStatus status() {
    return restore.getStatus();
  }

  /** The PVC the data ends up in: {@code targetPvc}, or for a volume populator the PVC that names this restore. */
  public String targetPvc() {
    return spec().isPopulator() ? status().targetPvc() : spec().targetPvc();
  }

  /** The PVC the mover writes into: the prime PVC of a volume populator, else the target. */
  public String restoreClaim() {
    return spec().isPopulator() ? ChildNames.primePvc(name()) : spec().targetPvc();
  }

  public String jobName() {
    return ChildNames.restoreJob(name());
  }

}
