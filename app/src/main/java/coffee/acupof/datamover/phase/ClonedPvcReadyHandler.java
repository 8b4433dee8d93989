package coffee.acupof.datamover.phase;

import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.api.Phase;
import coffee.acupof.datamover.cluster.ChildNames;
import coffee.acupof.datamover.cluster.ClusterView;
import coffee.acupof.datamover.config.DataMoverProperties;
import coffee.acupof.datamover.mover.MoverJobDeadlines;
import coffee.acupof.datamover.runtime.phase.Transition;
import coffee.acupof.datamover.volume.VolumeBinding;
import coffee.acupof.datamover.volume.WorkingVolume;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Phase {@code ClonedPVCReady}: the temporary PVC (the clone, or the PVC from the snapshot) exists and,
 * when its storage class binds at once, is bound ({@link VolumeBinding}: a pod created earlier may wait
 * minutes in the scheduler); with a {@code WaitForFirstConsumer} class it binds only once the mover pod
 * is scheduled, so the Job comes first. Entering {@code CreatingPod} names the mover Job and sets
 * {@code jobName}, so creating it writes nothing more.
 */
@Component
public class ClonedPvcReadyHandler implements DataMoverPhaseHandler {
  private final ClusterView cluster;
  private final DataMoverProperties properties;

  public ClonedPvcReadyHandler(ClusterView cluster, DataMoverProperties properties) {
    this.cluster = cluster;
    this.properties = properties;
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
    Optional<Transition<DataMoverStatus.Builder>> unbound = VolumeBinding.awaitBound(
        run, cluster, pvc.get(), MoverJobDeadlines.of(properties).bind(), Phase.CLONED_PVC_READY, Phase.FAILED,
        volume.reasonPrefix() + "NotBound", volume.describe(), volume.notBoundHint());
    if (unbound.isPresent()) {
      return unbound.get();
    }
    String ready = volume.describe();
    String jobName = ChildNames.moverJob(run.name());
    return Transition.<DataMoverStatus.Builder>to(
            Phase.CREATING_POD,
            "CreatingMoverJob",
            Character.toUpperCase(ready.charAt(0)) + ready.substring(1) + " is ready; " + MoverJobHandler.starting(run, properties))
        .with(b -> b.jobName(jobName));
  }
}
