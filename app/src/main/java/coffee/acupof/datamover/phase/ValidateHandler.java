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
import coffee.acupof.datamover.runtime.phase.Transition;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1Secret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Phase {@code ""}: the source PVC must exist and be bound, and the Secret must exist with the keys
 * the mover needs. While something is missing the status says exactly what; after
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
      String found = "Source PVC " + spec.sourcePvc() + " and Secret " + spec.secretName() + " found; cloning the source to " + clone;
      if (!spec.timestampPrefix()) {
        return startOrWait(run, found).with(b -> b.restoredPvcName(clone));
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
    String reason = problems.getFirst().reason();
    String what = String.join("; ", problems.stream().map(Problem::message).toList());
    if (run.timeInPhase().compareTo(deadline) >= 0) {
      return Transition.fail(Phase.FAILED, reason, what + " (gave up after " + human(deadline) + ")");
    }
    // Waiting for something the user must provide: a Warning.
    return Transition.stay(Phase.NEW, reason, "Waiting: " + what)
        .warning()
        .requeueAfter(run.remaining(deadline));
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
    Optional<V1Secret> secret = cluster.secret(ns, spec.secretName());
    if (secret.isEmpty()) {
      problems.add(new Problem("SecretNotFound", "Secret " + spec.secretName() + " not found in namespace " + ns));
    } else {
      List<String> missing = missingKeys(secret.get(), spec.additionalEnvOrEmpty());
      if (!missing.isEmpty()) {
        problems.add(
            new Problem(
                "SecretKeysMissing",
                "Secret " + spec.secretName() + " lacks key(s) " + String.join(", ", missing)
                    + " (or set " + MoverContract.REMOTE_TYPE_KEY + " and REMOTE_* keys for another remote type)"));
      }
    }
    return problems;
  }

  /**
   * Keys of the old operator's S3 form that neither the Secret nor {@code additionalEnv} provides.
   * A Secret with REMOTE_TYPE configures another kind of remote and needs none of them.
   */
  static List<String> missingKeys(V1Secret secret, List<V1EnvVar> additionalEnv) {
    Set<String> present = new HashSet<>();
    if (secret.getData() != null) {
      present.addAll(secret.getData().keySet());
    }
    if (secret.getStringData() != null) {
      present.addAll(secret.getStringData().keySet());
    }
    additionalEnv.forEach(e -> present.add(e.getName()));
    if (present.contains(MoverContract.REMOTE_TYPE_KEY)) {
      return List.of();
    }
    return MoverContract.S3_REQUIRED_KEYS.stream().filter(k -> !present.contains(k)).toList();
  }

  static String human(Duration d) {
    return d.toString().substring(2).toLowerCase();
  }

  private record Problem(String reason, String message) {}
}
