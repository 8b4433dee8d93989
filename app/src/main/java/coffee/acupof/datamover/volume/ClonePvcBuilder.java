package coffee.acupof.datamover.volume;

import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.cluster.ChildNames;
import coffee.acupof.datamover.cluster.Ownership;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimSpec;
import io.kubernetes.client.openapi.models.V1TypedLocalObjectReference;
import io.kubernetes.client.openapi.models.V1VolumeResourceRequirements;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the CSI clone of a source PVC: same storage class, access modes, volume mode and size (class
 * and modes as the DataMover's {@code storageClassName} and {@code accessModes} say, when given), with
 * the source as {@code dataSource}. A pure function; nothing here talks to the API server.
 */
public final class ClonePvcBuilder {
  public static final String COMPONENT = "clone";

  private ClonePvcBuilder() {}

  public static V1PersistentVolumeClaim build(DataMover owner, V1PersistentVolumeClaim source) {
    V1PersistentVolumeClaimSpec spec =
        temporarySpec(owner, source, size(source))
            .dataSource(
                new V1TypedLocalObjectReference()
                    .kind("PersistentVolumeClaim")
                    .name(source.getMetadata().getName()));
    return new V1PersistentVolumeClaim()
        .apiVersion("v1")
        .kind("PersistentVolumeClaim")
        .metadata(Ownership.childMetadata(DataMoverApi.DATAMOVERS, owner, ChildNames.clonePvc(owner.name()), COMPONENT))
        .spec(spec);
  }

  /**
   * The spec of a temporary PVC the mover reads: the DataMover's {@code storageClassName} and
   * {@code accessModes} when given, else the source's; the source's volume mode; {@code size}.
   */
  static V1PersistentVolumeClaimSpec temporarySpec(DataMover owner, V1PersistentVolumeClaim source, Quantity size) {
    V1PersistentVolumeClaimSpec sourceSpec = source.getSpec();
    String storageClass = owner.getSpec().storageClassName();
    List<String> accessModes = owner.getSpec().accessModes();
    return new V1PersistentVolumeClaimSpec()
        .storageClassName(storageClass != null ? storageClass : sourceSpec.getStorageClassName())
        .accessModes(accessModes != null && !accessModes.isEmpty() ? accessModes : sourceSpec.getAccessModes())
        .volumeMode(sourceSpec.getVolumeMode())
        .resources(new V1VolumeResourceRequirements().requests(Map.of("storage", size)));
  }

  /**
   * A clone must be at least as large as its source: the larger of the requested size and the
   * capacity the source actually got.
   */
  static Quantity size(V1PersistentVolumeClaim source) {
    Quantity requested =
        Optional.ofNullable(source.getSpec().getResources())
            .map(V1VolumeResourceRequirements::getRequests)
            .map(r -> r.get("storage"))
            .orElse(null);
    Quantity capacity =
        Optional.ofNullable(source.getStatus())
            .map(s -> s.getCapacity())
            .map(c -> c.get("storage"))
            .orElse(null);
    if (requested == null) {
      return capacity == null ? Quantity.fromString("1Gi") : capacity;
    }
    if (capacity == null) {
      return requested;
    }
    return larger(capacity, requested);
  }

  static Quantity larger(Quantity a, Quantity b) {
    return a.getNumber().compareTo(b.getNumber()) > 0 ? a : b;
  }
}
