package coffee.acupof.datamover.volume;

import coffee.acupof.datamover.api.CustomResourceList;

/** A list of {@link VolumeSnapshotClass}es as the API server returns it. */
public class VolumeSnapshotClassList extends CustomResourceList<VolumeSnapshotClass> {
  public VolumeSnapshotClassList() {
    super(SnapshotKinds.API_VERSION, "VolumeSnapshotClassList");
  }
}
