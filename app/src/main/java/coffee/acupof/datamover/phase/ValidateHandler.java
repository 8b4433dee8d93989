package coffee.acupof.datamover.phase;

import coffee.acupof.datamover.api.DataMoverSpec;
import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.api.Phase;
import coffee.acupof.datamover.cluster.ChildNames;
import coffee.acupof.datamover.cluster.ClusterView;
import coffee.acupof.datamover.config.DataMoverProperties;
import coffee.acupof.datamover.mover.MoverContract;
import coffee.acupof.datamover.mover.MoverSlots;
import coffee.acupof.datamover.mover.PointAllocator;
import coffee.acupof.datamover.mover.RemoteInputs;
import coffee.acupof.datamover.runtime.phase.MissingInputs;
import coffee.acupof.datamover.runtime.phase.MissingInputs.Problem;
import coffee.acupof.datamover.runtime.phase.Transition;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Phase {@code ""}: the source PVC must exist and be bound, and the remote's Secret (or rclone.conf
 * Secret, and a custom CA) must exist with the keys the mover needs ({@link RemoteInputs}). While
 * something is missing the status says exactly what; after
 * {@code datamover.deadlines.validation} the run is Failed with that message. A valid run then asks
 * for a mover slot ({@link MoverSlots}): it goes on to clone its source, or waits in {@code Pending}.
 */
@Component
public class ValidateHandler implements DataMoverPhaseHandler {
  private final ClusterView cluster;
  private final Duration deadline;
  private final PointAllocator points;
  private final MoverSlots slots;

  public ValidateHandler(ClusterView cluster, DataMoverProperties properties, PointAllocator points, MoverSlots slots) {
    this.cluster = cluster;
    this.deadline = properties.deadlines().validation();
    this.points = points;
    this.slots = slots;
  }

  @Override
  public Phase phase() {
    return Phase.NEW;
  }

  @Override
  public Transition<DataMoverStatus.Builder> handle(Run run) {
    List<Problem> problems = problems(run);
    if (problems.isEmpty()) {
      DataMoverSpec spec = run.spec();
      String clone = ChildNames.clonePvc(run.name());
      String found = "Source PVC " + spec.sourcePvc() + " and " + RemoteInputs.describe(spec) + " found; cloning the source to " + clone;
      if (!spec.timestampPrefix()) {
        return startOrWait(run, found).with(b -> b.restoredPvcName(clone));
      }
      // Runs created in the same second are all in the cache once that second has passed; only then
      // can the allocation follow the same order whichever of them is validated first.
      OffsetDateTime settled = run.dataMover().getMetadata().getCreationTimestamp().plus(PointAllocator.SETTLE);
      if (run.now().isBefore(settled)) {
        return Transition.stay(Phase.NEW, run.status().reason(), run.status().message())
            .requeueAfter(Duration.between(run.now(), settled));
      }
      // The point is chosen once, before anything is written, and kept in status for every attempt.
      String point = points.allocate(run.dataMover());
      String created = MoverContract.pointInTime(run.dataMover().getMetadata().getCreationTimestamp());
      String where = spec.effectivePath().isEmpty() ? "the bucket root" : "path " + spec.effectivePath();
      String chosen = point.equals(created)
          ? "; point in time " + point
          : "; point in time " + point + " (" + created + " is taken by another run at " + where + ")";
      return startOrWait(run, found + chosen).with(b -> b.restoredPvcName(clone).pointInTime(point));
    }
    return MissingInputs.waitOrFail(run, problems, Phase.NEW, Phase.FAILED, deadline);
  }

  /** On to the clone when a mover slot is free, else {@code Pending}. */
  private Transition<DataMoverStatus.Builder> startOrWait(Run run, String found) {
    MoverSlots.Decision decision = slots.request(PendingHandler.claim(run, run.now()));
    if (decision instanceof MoverSlots.Wait wait) {
      return Transition.to(Phase.PENDING, PendingHandler.WAITING, found + "; waiting for a mover slot: " + wait.message())
          .requeueAfter(PendingHandler.RECHECK);
    }
    return Transition.to(Phase.CREATING_CLONED_PVC, "Validated", found);
  }

  private List<Problem> problems(Run run) {
    DataMoverSpec spec = run.spec();
    String ns = run.namespace();
    List<Problem> problems = new ArrayList<>();
    Optional<V1PersistentVolumeClaim> source = cluster.pvc(ns, spec.sourcePvc());
    if (source.isEmpty()) {
      problems.add(new Problem("SourcePVCNotFound", "source PVC " + spec.sourcePvc() + " not found in namespace " + ns));
    } else if (source.get().getMetadata().getDeletionTimestamp() != null) {
      problems.add(new Problem("SourcePVCDeleting", "source PVC " + spec.sourcePvc() + " is being deleted"));
    } else {
      String pvcPhase = source.get().getStatus() == null ? null : source.get().getStatus().getPhase();
      if (!"Bound".equals(pvcPhase)) {
        problems.add(
            new Problem(
                "SourcePVCNotBound",
                "source PVC " + spec.sourcePvc() + " is " + (pvcPhase == null ? "not yet bound" : pvcPhase) + " (a clone needs a Bound source)"));
      }
    }
    problems.addAll(RemoteInputs.check(cluster, ns, spec, spec.additionalEnvOrEmpty()));
    return problems;
  }
}
