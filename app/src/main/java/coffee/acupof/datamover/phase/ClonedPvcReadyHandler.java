package coffee.acupof.datamover.phase;

import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.api.Phase;
import coffee.acupof.datamover.cluster.ChildNames;
import coffee.acupof.datamover.cluster.ClusterView;
import coffee.acupof.datamover.runtime.phase.Transition;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Phase {@code ClonedPVCReady}: the clone exists. It does not wait for {@code Bound}: with a
 * {@code WaitForFirstConsumer} storage class the clone binds only once the mover pod is scheduled.
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
    String cloneName = ChildNames.clonePvc(run.name());
    Optional<V1PersistentVolumeClaim> clone = cluster.pvc(run.namespace(), cloneName);
    if (clone.isEmpty()) {
      return Transition.fail(Phase.FAILED, "ClonePVCLost", "clone " + cloneName + " was deleted before the mover ran");
    }
    String phase = clone.get().getStatus() == null ? null : clone.get().getStatus().getPhase();
    if ("Lost".equals(phase)) {
      return Transition.fail(Phase.FAILED, "ClonePVCLost", "clone " + cloneName + " lost its volume (phase Lost)");
    }
    return Transition.to(Phase.CREATING_POD, "CreatingMoverJob", "Clone " + cloneName + " is ready; starting the mover Job");
  }
}
