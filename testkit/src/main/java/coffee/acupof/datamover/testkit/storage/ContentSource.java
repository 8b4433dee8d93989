package coffee.acupof.datamover.testkit.storage;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1TypedObjectReference;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a new volume's first content comes from, for one kind of PVC {@code dataSourceRef}: the
 * {@link LocalProvisioner} copies the directory it names into the new volume. A CSI driver supports
 * a few kinds (a PVC to clone: {@link ClaimContent}; a VolumeSnapshot to restore:
 * {@link SnapshotContent}); the provisioner leaves PVCs whose
 * source kind none handles to a volume populator, as the external provisioner does.
 */
interface ContentSource {

  /** The API group of the source kind; {@code ""} for the core group. */
  String apiGroup();

  /** The source kind, e.g. {@code PersistentVolumeClaim}. */
  String kind();

  /**
   * The directory whose copy the new volume of {@code claim} starts as, or empty while the source is
   * not ready (e.g. a PVC that is not bound yet); provisioning is tried again.
   *
   * @param source the claim's {@code dataSourceRef}, in the claim's namespace
   * @throws ProvisioningException when the source cannot be used as it is (the message says why);
   *     provisioning is tried again, as the external provisioner retries
   */
  Optional<Path> directory(V1PersistentVolumeClaim claim, V1TypedObjectReference source) throws ApiException, ProvisioningException;

  /** True when this handles {@code source}. */
  default boolean handles(V1TypedObjectReference source) {
    String group = source.getApiGroup() == null ? "" : source.getApiGroup();
    return apiGroup().equals(group) && kind().equals(source.getKind());
  }

  /** A reason a volume cannot be provisioned, reported on the claim as a ProvisioningFailed Event. */
  final class ProvisioningException extends Exception {
    ProvisioningException(String message) {
      super(message);
    }
  }
}
