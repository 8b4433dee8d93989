package coffee.acupof.datamover.phase;

import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.api.Phase;
import coffee.acupof.datamover.cluster.ClusterView;
import coffee.acupof.datamover.runtime.phase.Transition;
import coffee.acupof.datamover.volume.WorkingVolume;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Phase {@code ClonedPVCReady}: the temporary PVC (the clone, or the PVC from the snapshot) exists. It
 * does not wait for {@code Bound}: with a {@code WaitForFirstConsumer} storage class the PVC binds only
 * once the mover pod is scheduled.
 */
@Component
public class ClonedPvcReadyHandler implements DataMoverPhaseHandler {
  private final ClusterView cluster;

  public ClonedPvcReadyHandler(ClusterView cluster) {
    this.cluster = cluster;
  }

  @Override
  public Phase phase() {
    return Phase.CLONED_PVC_READY;
  }

  @Override
  public Transition<DataMoverStatus.Builder> handle(Run run) {
    WorkingVolume volume = run.volume();
    Optional<V1PersistentVolumeClaim> pvc = cluster.pvc(run.namespace(), volume.claim());
    if (pvc.isEmpty()) {
      return Transition.fail(Phase.FAILED, volume.reasonPrefix() + "Lost", volume.describe() + " was deleted before the mover ran");
    }
    String phase = pvc.get().getStatus() == null ? null : pvc.get().getStatus().getPhase();
    if ("Lost".equals(phase)) {
      return Transition.fail(Phase.FAILED, volume.reasonPrefix() + "Lost", volume.describe() + " lost its volume (phase Lost)");
    }
    String ready = volume.describe();
    return Transition.to(Phase.CREATING_POD, "CreatingMoverJob", Character.toUpperCase(ready.charAt(0)) + ready.substring(1) + " is ready; starting the mover Job");
  }
}
