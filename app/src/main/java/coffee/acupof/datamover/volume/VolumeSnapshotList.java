package coffee.acupof.datamover.volume;

import coffee.acupof.datamover.api.CustomResourceList;

/** A list of {@link VolumeSnapshot}s as the API server returns it. */
public class VolumeSnapshotList extends CustomResourceList<VolumeSnapshot> {
  public VolumeSnapshotList() {
    super(SnapshotKinds.API_VERSION, "VolumeSnapshotList");
  }
}
