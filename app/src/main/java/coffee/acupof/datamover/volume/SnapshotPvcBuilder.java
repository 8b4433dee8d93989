package coffee.acupof.datamover.volume;

import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.cluster.ChildNames;
import coffee.acupof.datamover.cluster.Ownership;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1TypedLocalObjectReference;

/**
 * Builds the temporary PVC of a backup with {@code copyMethod: Snapshot}: a PVC whose data source is
 * the VolumeSnapshot of the source, with the source's class, access modes and volume mode (or the
 * DataMover's {@code storageClassName} and {@code accessModes}), at least as large as the source and
 * as the snapshot's {@code restoreSize}. A pure function.
 */
public final class SnapshotPvcBuilder {
  public static final String COMPONENT = "snapshot-pvc";

  private SnapshotPvcBuilder() {}

  public static V1PersistentVolumeClaim build(DataMover owner, V1PersistentVolumeClaim source, VolumeSnapshot snapshot) {
    Quantity size = ClonePvcBuilder.size(source);
    Quantity restoreSize = snapshot.restoreSize().orElse(null);
    if (restoreSize != null) {
      size = ClonePvcBuilder.larger(restoreSize, size);
    }
    return new V1PersistentVolumeClaim()
        .apiVersion("v1")
        .kind("PersistentVolumeClaim")
        .metadata(Ownership.childMetadata(DataMoverApi.DATAMOVERS, owner, ChildNames.snapshotPvc(owner.name()), COMPONENT))
        .spec(ClonePvcBuilder.temporarySpec(owner, source, size)
            .dataSource(new V1TypedLocalObjectReference().apiGroup(SnapshotKinds.GROUP).kind(SnapshotKinds.SNAPSHOT_KIND).name(snapshot.name())));
  }
}
