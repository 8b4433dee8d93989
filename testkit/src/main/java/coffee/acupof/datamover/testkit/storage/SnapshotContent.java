package coffee.acupof.datamover.testkit.storage;

import coffee.acupof.datamover.testkit.storage.SnapshotApi.VolumeSnapshot;
import coffee.acupof.datamover.testkit.storage.SnapshotApi.VolumeSnapshotContent;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1TypedObjectReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A volume restored from a snapshot: a PVC whose {@code dataSourceRef} is a VolumeSnapshot of the
 * same namespace starts as a copy of the snapshot's directory (taken by {@link LocalSnapshotter}),
 * once the snapshot is ready to use. As the external provisioner does, it refuses a snapshot of
 * another driver and a claim smaller than the snapshot's {@code restoreSize}, and reports a snapshot
 * that is missing or not ready yet (then tries again).
 */
final class SnapshotContent implements ContentSource {
  private final SnapshotApi api;

  SnapshotContent(ApiClient client) {
    this.api = new SnapshotApi(client);
  }

  @Override
  public String apiGroup() {
    return SnapshotApi.GROUP;
  }

  @Override
  public String kind() {
    return "VolumeSnapshot";
  }

  @Override
  public Optional<Path> directory(V1PersistentVolumeClaim claim, V1TypedObjectReference source) throws ApiException, ProvisioningException {
    String snapshotName = claim.getMetadata().getNamespace() + "/" + source.getName();
    VolumeSnapshot snapshot = api.snapshot(claim.getMetadata().getNamespace(), source.getName())
        .orElseThrow(() -> new ProvisioningException("the VolumeSnapshot " + snapshotName + " does not exist"));
    if (!snapshot.isReady()) {
      throw new ProvisioningException("the VolumeSnapshot " + snapshotName + " is not ready to use"
          + snapshot.errorMessage().map(m -> ": " + m).orElse(" yet"));
    }
    String contentName = snapshot.contentName()
        .orElseThrow(() -> new ProvisioningException("the VolumeSnapshot " + snapshotName + " is bound to no VolumeSnapshotContent"));
    VolumeSnapshotContent content = api.content(contentName)
        .orElseThrow(() -> new ProvisioningException(
            "the VolumeSnapshotContent " + contentName + " of the VolumeSnapshot " + snapshotName + " does not exist"));
    if (!LocalProvisioner.NAME.equals(content.spec().driver())) {
      throw new ProvisioningException("the VolumeSnapshot " + snapshotName + " is a snapshot of driver "
          + content.spec().driver() + ", not of " + LocalProvisioner.NAME);
    }
    Path directory = content.snapshotHandle().map(Path::of)
        .filter(Files::isDirectory)
        .orElseThrow(() -> new ProvisioningException("the snapshot " + content.snapshotHandle().orElse("(no handle)")
            + " of the VolumeSnapshot " + snapshotName + " does not exist"));
    long requested = requestedBytes(claim);
    long restoreSize = content.restoreSize().orElse(0L);
    if (requested < restoreSize) {
      throw new ProvisioningException("requested volume size " + requested + " is less than the size " + restoreSize
          + " of the source snapshot " + snapshotName);
    }
    return Optional.of(directory);
  }

  private static long requestedBytes(V1PersistentVolumeClaim claim) {
    return Optional.ofNullable(claim.getSpec().getResources())
        .map(r -> r.getRequests())
        .map(r -> r.get("storage"))
        .map(Quantity::getNumber)
        .map(n -> n.longValue())
        .orElse(0L);
  }
}
