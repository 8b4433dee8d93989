package coffee.acupof.datamover.phase;

import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverSpec;
import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.runtime.phase.RunContext;
import coffee.acupof.datamover.volume.WorkingVolume;
import java.time.OffsetDateTime;

/** One DataMover as the cache holds it, and the time the reconcile started. */
public record Run(DataMover dataMover, OffsetDateTime now) implements RunContext<DataMover> {

  @Override
  public DataMover object() {
    return dataMover;
  }

  public DataMoverSpec spec() {
    return dataMover.getSpec();
  }

  public DataMoverStatus status() {
    return dataMover.getStatus();
  }

  /** The PVC the mover reads, by the run's copy method. */
  public WorkingVolume volume() {
    return WorkingVolume.of(dataMover);
  }
}
