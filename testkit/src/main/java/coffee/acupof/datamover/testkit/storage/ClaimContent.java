package coffee.acupof.datamover.testkit.storage;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1TypedObjectReference;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A CSI volume clone: a PVC whose {@code dataSourceRef} is another PVC of the same namespace starts
 * as a copy of that PVC's volume, once the source is bound to a volume of this driver.
 */
final class ClaimContent implements ContentSource {
  private final CoreV1Api core;
  private final LocalProvisioner provisioner;

  ClaimContent(CoreV1Api core, LocalProvisioner provisioner) {
    this.core = core;
    this.provisioner = provisioner;
  }

  @Override
  public String apiGroup() {
    return "";
  }

  @Override
  public String kind() {
    return "PersistentVolumeClaim";
  }

  @Override
  public Optional<Path> directory(V1PersistentVolumeClaim clone, V1TypedObjectReference source) throws ApiException, ProvisioningException {
    String namespace = clone.getMetadata().getNamespace();
    V1PersistentVolumeClaim claim;
    try {
      claim = core.readNamespacedPersistentVolumeClaim(source.getName(), namespace).execute();
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        throw new ProvisioningException("the source PVC " + namespace + "/" + source.getName() + " of the clone does not exist");
      }
      throw e;
    }
    String volume = claim.getSpec().getVolumeName();
    if (volume == null || volume.isBlank()) {
      return Optional.empty();
    }
    Optional<Path> directory = provisioner.directoryOf(volume);
    if (directory.isEmpty()) {
      throw new ProvisioningException(
          "the source PVC " + namespace + "/" + source.getName() + " is bound to " + volume + ", which is not a volume of " + LocalProvisioner.NAME);
    }
    return directory;
  }
}
