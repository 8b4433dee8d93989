package coffee.acupof.datamover.volume;

import coffee.acupof.datamover.runtime.ResourceKind;

/** The kinds of the external-snapshotter's CRDs ({@code snapshot.storage.k8s.io/v1}) the operator uses. */
public final class SnapshotKinds {
  public static final String GROUP = "snapshot.storage.k8s.io";
  public static final String API_VERSION = GROUP + "/v1";
  public static final String SNAPSHOT_KIND = "VolumeSnapshot";
  public static final ResourceKind<VolumeSnapshot, VolumeSnapshotList> SNAPSHOTS =
      new ResourceKind<>(GROUP, "v1", "volumesnapshots", SNAPSHOT_KIND, VolumeSnapshot.class, VolumeSnapshotList.class);
  public static final ResourceKind<VolumeSnapshotClass, VolumeSnapshotClassList> CLASSES =
      new ResourceKind<>(GROUP, "v1", "volumesnapshotclasses", "VolumeSnapshotClass", VolumeSnapshotClass.class, VolumeSnapshotClassList.class, false);

  private SnapshotKinds() {}
}
