package coffee.acupof.datamover.it;

import coffee.acupof.datamover.testkit.storage.LocalSnapshotter;
import coffee.acupof.datamover.volume.SnapshotKinds;
import coffee.acupof.datamover.volume.VolumeSnapshot;
import io.kubernetes.client.openapi.ApiException;
import java.util.List;
import java.util.Optional;

/** VolumeSnapshots in the shared test cluster, and what tests read of them. */
public final class VolumeSnapshots {
  /** The default VolumeSnapshotClass of the test kit's CSI driver in the shared cluster. */
  public static final String DEFAULT_CLASS = "testkit-snapshots";

  private VolumeSnapshots() {}

  /**
   * Makes VolumeSnapshots work in the shared cluster (the CRDs, the real snapshot-controller, the
   * played driver) with {@link #DEFAULT_CLASS} as the driver's default class; returns the driver.
   */
  public static LocalSnapshotter install() {
    LocalSnapshotter driver = TestCluster.cluster().snapshots();
    LocalSnapshotter.ensureSnapshotClass(TestCluster.admin(), DEFAULT_CLASS, true);
    return driver;
  }

  public static Optional<VolumeSnapshot> get(String namespace, String name) {
    var response = SnapshotKinds.SNAPSHOTS.api(TestCluster.admin()).get(namespace, name);
    if (response.getHttpStatusCode() == 404) {
      return Optional.empty();
    }
    try {
      return Optional.of(response.throwsApiException().getObject());
    } catch (ApiException e) {
      throw new IllegalStateException("cannot read VolumeSnapshot " + namespace + "/" + name + ": " + e.getResponseBody(), e);
    }
  }

  /** The VolumeSnapshots of a namespace, deleted ones too (until they are gone). */
  public static List<VolumeSnapshot> list(String namespace) {
    try {
      return SnapshotKinds.SNAPSHOTS.api(TestCluster.admin()).list(namespace).throwsApiException().getObject().getItems();
    } catch (ApiException e) {
      throw new IllegalStateException(e.getResponseBody(), e);
    }
  }
}
