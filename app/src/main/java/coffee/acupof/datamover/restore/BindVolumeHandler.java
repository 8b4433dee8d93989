package coffee.acupof.datamover.restore;

import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.api.DataMoverRestoreStatus;
import coffee.acupof.datamover.api.RestorePhase;
import coffee.acupof.datamover.cluster.ChildNames;
import coffee.acupof.datamover.cluster.ClusterOperations;
import coffee.acupof.datamover.cluster.ClusterView;
import coffee.acupof.datamover.config.DataMoverProperties;
import coffee.acupof.datamover.runtime.CoreKinds;
import coffee.acupof.datamover.runtime.Durations;
import coffee.acupof.datamover.runtime.Notice;
import coffee.acupof.datamover.runtime.phase.RunPhase;
import coffee.acupof.datamover.runtime.phase.Transition;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import io.kubernetes.client.openapi.models.V1PersistentVolume;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Phase {@code Binding} of a volume populator, as Kubernetes' volume-populator contract works: the
 * volume the data was restored into is handed from the prime PVC to the user's PVC, one idempotent
 * step per reconcile —
 *
 * <ol>
 *   <li>the volume's reclaim policy becomes {@code Retain} (the original is kept in an annotation), so
 *       deleting the prime PVC can never delete the data;
 *   <li>the volume's {@code claimRef} points at the user's PVC, which the PV controller then binds;
 *   <li>the prime PVC is deleted;
 *   <li>once the user's PVC is bound to the volume, the original reclaim policy comes back.
 * </ol>
 *
 * If the user's PVC is deleted meanwhile, the volume gets its original policy back (so it is not
 * leaked) and the restore fails. The steps write no status (the transition into the phase said the
 * volume is being handed over); each records an Event on the restore and on the user's PVC.
 */
@Component
public class BindVolumeHandler implements RestorePhaseHandler {
  /** On the volume while it is being handed over: its original reclaim policy. */
  public static final String ORIGINAL_RECLAIM_POLICY = DataMoverApi.GROUP + "/original-reclaim-policy";
  /** On the volume while it is being handed over: {@code namespace/name} of the restore (wakes it on PV events). */
  public static final String RESTORE_ANNOTATION = DataMoverApi.GROUP + "/restore";

  private final ClusterView cluster;
  private final ClusterOperations operations;
  private final RestoreCleanup cleanup;
  private final Duration deadline;

  public BindVolumeHandler(ClusterView cluster, ClusterOperations operations, RestoreCleanup cleanup, DataMoverProperties properties) {
    this.cluster = cluster;
    this.operations = operations;
    this.cleanup = cleanup;
    this.deadline = properties.deadlines().validation();
  }

  @Override
  public RunPhase<DataMoverRestoreStatus.Builder> phase() {
    return RestorePhase.BINDING;
  }

  @Override
  public Transition<DataMoverRestoreStatus.Builder> handle(RestoreRun run) {
    String primeName = ChildNames.primePvc(run.name());
    Optional<V1PersistentVolumeClaim> prime = cluster.pvc(run.namespace(), primeName);
    String volumeName =
        run.status().volumeName() != null ? run.status().volumeName() : prime.map(p -> p.getSpec().getVolumeName()).orElse(null);
    if (volumeName == null) {
      return Transition.fail(RestorePhase.FAILED, "VolumeLost", "PVC " + primeName + " has no volume although the restore into it succeeded");
    }
    Optional<V1PersistentVolume> volume = cluster.pv(volumeName);
    if (volume.isEmpty()) {
      return Transition.fail(RestorePhase.FAILED, "VolumeLost", "volume " + volumeName + " with the restored data is gone");
    }
    V1PersistentVolume pv = volume.get();
    Optional<V1PersistentVolumeClaim> consumer =
        cluster.pvc(run.namespace(), run.targetPvc()).filter(p -> p.getMetadata().getDeletionTimestamp() == null);
    if (consumer.isEmpty()) {
      original(pv).ifPresent(policy -> operations.patchPv(volumeName, reclaimPolicy(policy, null)));
      return cleanup.targetDeleted(run);
    }
    V1PersistentVolumeClaim claim = consumer.get();
    String claimName = claim.getMetadata().getName();
    if (volumeName.equals(claim.getSpec().getVolumeName()) && "Bound".equals(phase(claim))) {
      RestorePhase next = run.afterDataIsIn();
      Transition<DataMoverRestoreStatus.Builder> bound = Transition.<DataMoverRestoreStatus.Builder>to(
              next, "VolumeBound", "PVC " + claimName + " is bound to volume " + volumeName + " with the restored data"
                  + (next == RestorePhase.CREATING_SNAPSHOT ? "; taking VolumeSnapshot " + ChildNames.snapshot(run.name()) + " of it" : ""))
          .with(b -> b.volumeName(volumeName))
          .alsoOn(claim, CoreKinds.PVCS);
      if (!handingOver(pv)) {
        return bound;
      }
      // The last step: the volume gets its reclaim policy back (and loses the annotations that map its
      // events to this restore, so the restore moves on in the same step).
      operations.patchPv(volumeName, reclaimPolicy(original(pv).orElse(pv.getSpec().getPersistentVolumeReclaimPolicy()), null));
      return recordStep(bound, claim, "RestoringReclaimPolicy", "PVC " + claimName + " is bound to volume " + volumeName + "; restoring its reclaim policy");
    }
    if (!"Retain".equals(pv.getSpec().getPersistentVolumeReclaimPolicy()) && original(pv).isEmpty()) {
      operations.patchPv(volumeName, reclaimPolicy("Retain", pv.getSpec().getPersistentVolumeReclaimPolicy(), run.restore().key()));
      return step(run, claim, volumeName, "RetainingVolume", "Volume " + volumeName + " is kept (reclaim policy Retain) while it changes hands");
    }
    if (pv.getSpec().getClaimRef() == null || !claim.getMetadata().getUid().equals(pv.getSpec().getClaimRef().getUid())) {
      operations.patchPv(volumeName, claimRef(claim, run.restore().key()));
      return step(run, claim, volumeName, "RebindingVolume", "Handing volume " + volumeName + " to PVC " + claimName);
    }
    if (prime.isPresent()) {
      operations.deletePvc(run.namespace(), primeName);
      return step(run, claim, volumeName, "RemovingPrimePVC", "Volume " + volumeName + " belongs to PVC " + claimName + "; removing PVC " + primeName);
    }
    if (run.timeInPhase().compareTo(deadline) >= 0) {
      return Transition.<DataMoverRestoreStatus.Builder>fail(
              RestorePhase.FAILED,
              "VolumeNotBound",
              "PVC " + claimName + " did not bind to volume " + volumeName + " within " + Durations.human(deadline)
                  + "; check the PV controller (kubectl describe pvc " + claimName + ")")
          .alsoOn(claim, CoreKinds.PVCS);
    }
    // Waiting for the PV controller is normal progress: the status keeps what it says.
    return Transition.keep(RestorePhase.BINDING, run.status()).with(b -> b.volumeName(volumeName)).requeueAfter(run.remaining(deadline));
  }

  /**
   * One step of the hand-over done: the status, which said at the start of the phase that the volume is
   * being handed over, stays as it is; the step's Event goes on the restore and on the user's PVC.
   */
  private static Transition<DataMoverRestoreStatus.Builder> step(
      RestoreRun run, V1PersistentVolumeClaim claim, String volumeName, String reason, String message) {
    return recordStep(Transition.keep(RestorePhase.BINDING, run.status()).with(b -> b.volumeName(volumeName)), claim, reason, message);
  }

  private static Transition<DataMoverRestoreStatus.Builder> recordStep(
      Transition<DataMoverRestoreStatus.Builder> transition, V1PersistentVolumeClaim claim, String reason, String message) {
    Notice event = Notice.normal(reason, message);
    return transition.recording(event).recording(event.on(claim, CoreKinds.PVCS));
  }

  /** Whether the volume still carries this operator's hand-over annotations. */
  private static boolean handingOver(V1PersistentVolume pv) {
    Map<String, String> annotations = pv.getMetadata().getAnnotations();
    return annotations != null && (annotations.containsKey(ORIGINAL_RECLAIM_POLICY) || annotations.containsKey(RESTORE_ANNOTATION));
  }

  private static Optional<String> original(V1PersistentVolume pv) {
    Map<String, String> annotations = pv.getMetadata().getAnnotations();
    return Optional.ofNullable(annotations == null ? null : annotations.get(ORIGINAL_RECLAIM_POLICY));
  }

  private static String phase(V1PersistentVolumeClaim pvc) {
    return pvc.getStatus() == null ? null : pvc.getStatus().getPhase();
  }

  /** Sets the reclaim policy; with {@code original} remembers the one it replaces, without it forgets the remembered one. */
  static String reclaimPolicy(String policy, String original) {
    return reclaimPolicy(policy, original, null);
  }

  static String reclaimPolicy(String policy, String original, String restoreKey) {
    JsonObject annotations = new JsonObject();
    if (original != null) {
      annotations.addProperty(ORIGINAL_RECLAIM_POLICY, original);
      annotations.addProperty(RESTORE_ANNOTATION, restoreKey);
    } else {
      annotations.add(ORIGINAL_RECLAIM_POLICY, JsonNull.INSTANCE);
      annotations.add(RESTORE_ANNOTATION, JsonNull.INSTANCE);
    }
    JsonObject metadata = new JsonObject();
    metadata.add("annotations", annotations);
    JsonObject spec = new JsonObject();
    spec.addProperty("persistentVolumeReclaimPolicy", policy);
    JsonObject patch = new JsonObject();
    patch.add("metadata", metadata);
    patch.add("spec", spec);
    return patch.toString();
  }

  static String claimRef(V1PersistentVolumeClaim claim, String restoreKey) {
    JsonObject ref = new JsonObject();
    ref.addProperty("apiVersion", "v1");
    ref.addProperty("kind", "PersistentVolumeClaim");
    ref.addProperty("namespace", claim.getMetadata().getNamespace());
    ref.addProperty("name", claim.getMetadata().getName());
    ref.addProperty("uid", claim.getMetadata().getUid());
    // A claimRef is replaced whole: the prime PVC's resourceVersion and fieldPath must not survive.
    ref.add("resourceVersion", JsonNull.INSTANCE);
    ref.add("fieldPath", JsonNull.INSTANCE);
    JsonObject spec = new JsonObject();
    spec.add("claimRef", ref);
    JsonObject annotations = new JsonObject();
    annotations.addProperty(RESTORE_ANNOTATION, restoreKey);
    JsonObject metadata = new JsonObject();
    metadata.add("annotations", annotations);
    JsonObject patch = new JsonObject();
    patch.add("metadata", metadata);
    patch.add("spec", spec);
    return patch.toString();
  }
}
