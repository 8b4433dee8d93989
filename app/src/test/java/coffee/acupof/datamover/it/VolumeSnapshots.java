package coffee.acupof.datamover.it;

import coffee.acupof.datamover.testkit.storage.LocalSnapshotter;
import coffee.acupof.datamover.volume.SnapshotKinds;
import coffee.acupof.datamover.volume.VolumeSnapshot;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimSpec;
import io.kubernetes.client.openapi.models.V1TypedObjectReference;
import io.kubernetes.client.openapi.models.V1VolumeResourceRequirements;
import java.util.List;
import java.util.Map;
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

  /** Creates PVC {@code namespace/name} (class {@code csi}, 1Gi) whose data source is the VolumeSnapshot {@code snapshot}, as a user would. */
  public static void createPvcFrom(String namespace, String name, String snapshot) throws ApiException {
    TestCluster.core().createNamespacedPersistentVolumeClaim(namespace, new V1PersistentVolumeClaim()
            .metadata(new V1ObjectMeta().name(name))
            .spec(new V1PersistentVolumeClaimSpec()
                .storageClassName("csi")
                .accessModes(List.of("ReadWriteOnce"))
                .resources(new V1VolumeResourceRequirements().requests(Map.of("storage", Quantity.fromString("1Gi"))))
                .dataSourceRef(new V1TypedObjectReference().apiGroup(SnapshotKinds.GROUP).kind(SnapshotKinds.SNAPSHOT_KIND).name(snapshot))))
        .execute();
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
