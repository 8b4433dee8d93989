package coffee.acupof.datamover.volume;

import io.kubernetes.client.openapi.models.V1ObjectMeta;

/**
 * Builds a VolumeSnapshot of a PVC: with the named class, or without one so that the
 * snapshot-controller picks the default class of the PVC's CSI driver. The caller gives the metadata
 * (name, owner references, labels). A pure function.
 */
public final class VolumeSnapshotBuilder {
  private VolumeSnapshotBuilder() {}

  /** @param className the VolumeSnapshotClass, or null for the driver's default */
  public static VolumeSnapshot build(V1ObjectMeta metadata, String pvc, String className) {
    String snapshotClass = className == null || className.isBlank() ? null : className;
    return new VolumeSnapshot()
        .metadata(metadata)
        .spec(new VolumeSnapshot.Spec(new VolumeSnapshot.Source(pvc, null), snapshotClass));
  }
}
