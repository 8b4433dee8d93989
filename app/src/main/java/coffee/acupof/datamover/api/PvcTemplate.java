package coffee.acupof.datamover.api;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimSpec;
import io.kubernetes.client.openapi.models.V1VolumeResourceRequirements;
import java.util.List;
import java.util.Map;

/**
 * The part of a PVC spec a template may set: storage class, access modes, volume mode and size.
 *
 * @param resources {@code requests} (with {@code storage}) and optional {@code limits}
 */
public record PvcTemplate(String storageClassName, List<String> accessModes, String volumeMode, Resources resources) {

  /** Requests and limits of a PVC, by resource name ({@code storage}). */
  public record Resources(Map<String, Quantity> requests, Map<String, Quantity> limits) {}

  /** The PVC spec this template describes. */
  public V1PersistentVolumeClaimSpec toSpec() {
    V1VolumeResourceRequirements requirements = new V1VolumeResourceRequirements();
    if (resources != null) {
      requirements.requests(resources.requests()).limits(resources.limits());
    }
    return new V1PersistentVolumeClaimSpec()
        .storageClassName(storageClassName)
        .accessModes(accessModes)
        .volumeMode(volumeMode)
        .resources(requirements);
  }
}
