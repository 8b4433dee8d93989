package coffee.acupof.datamover.restore;

import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.api.DataMoverRestore;
import coffee.acupof.datamover.cluster.ChildNames;
import coffee.acupof.datamover.cluster.Ownership;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimSpec;
import java.util.Map;

/** Builds the PVCs a restore creates: the target from its template, and the prime PVC of a volume populator. Pure functions. */
public final class RestorePvcBuilder {
  public static final String TARGET_COMPONENT = "restore-target";
  public static final String PRIME_COMPONENT = "restore-prime";
  /** The annotation the scheduler sets on a WaitForFirstConsumer PVC: the node its volume must be on. */
  public static final String SELECTED_NODE = "volume.kubernetes.io/selected-node";

  private RestorePvcBuilder() {}

  /**
   * The target PVC from {@code targetPvcTemplate}. It carries the restore's labels; the owner
   * reference only when {@code ownTargetPvc} (restored data must not vanish with the restore object
   * by default).
   */
  public static V1PersistentVolumeClaim target(DataMoverRestore restore) {
    V1ObjectMeta meta = Ownership.childMetadata(DataMoverApi.RESTORES, restore, restore.getSpec().targetPvc(), TARGET_COMPONENT);
    if (!Boolean.TRUE.equals(restore.getSpec().ownTargetPvc())) {
      meta.ownerReferences(null);
    }
    return new V1PersistentVolumeClaim().apiVersion("v1").kind("PersistentVolumeClaim").metadata(meta).spec(restore.getSpec().targetPvcTemplate().toSpec());
  }

  /**
   * The prime PVC of a volume populator: the consumer's storage class, access modes, size and volume
   * mode, no data source, and the consumer's selected node (WaitForFirstConsumer), owned by the
   * restore. Its volume is handed to the consumer once the data is in.
   */
  public static V1PersistentVolumeClaim prime(DataMoverRestore restore, V1PersistentVolumeClaim consumer) {
    V1PersistentVolumeClaimSpec from = consumer.getSpec();
    V1ObjectMeta meta = Ownership.childMetadata(DataMoverApi.RESTORES, restore, ChildNames.primePvc(restore.name()), PRIME_COMPONENT);
    Map<String, String> annotations = consumer.getMetadata().getAnnotations();
    if (annotations != null && annotations.containsKey(SELECTED_NODE)) {
      meta.annotations(Map.of(SELECTED_NODE, annotations.get(SELECTED_NODE)));
    }
    return new V1PersistentVolumeClaim()
        .apiVersion("v1")
        .kind("PersistentVolumeClaim")
        .metadata(meta)
        .spec(
            new V1PersistentVolumeClaimSpec()
                .storageClassName(from.getStorageClassName())
                .accessModes(from.getAccessModes())
                .resources(from.getResources())
                .volumeMode(from.getVolumeMode()));
  }
}
