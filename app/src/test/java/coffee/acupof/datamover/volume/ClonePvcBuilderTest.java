package coffee.acupof.datamover.volume;

import static coffee.acupof.datamover.Fixtures.boundPvc;
import static coffee.acupof.datamover.Fixtures.dataMover;
import static org.assertj.core.api.Assertions.assertThat;

import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.cluster.Ownership;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimSpec;
import io.kubernetes.client.openapi.models.V1TypedLocalObjectReference;
import io.kubernetes.client.openapi.models.V1VolumeResourceRequirements;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClonePvcBuilderTest {
  @Test
  void cloneCopiesClassModesAndSizeAndPointsAtTheSource() {
    var dm = dataMover("backup");

    V1PersistentVolumeClaim clone = ClonePvcBuilder.build(dm, boundPvc("web-data"));

    V1PersistentVolumeClaimSpec expected =
        new V1PersistentVolumeClaimSpec()
            .storageClassName("csi-fast")
            .accessModes(List.of("ReadWriteOnce"))
            .volumeMode("Filesystem")
            .resources(new V1VolumeResourceRequirements().requests(Map.of("storage", Quantity.fromString("5Gi"))))
            .dataSource(new V1TypedLocalObjectReference().kind("PersistentVolumeClaim").name("web-data"));
    assertThat(clone.getSpec()).isEqualTo(expected);
    assertThat(clone.getMetadata().getName()).isEqualTo("backup-clone");
    assertThat(clone.getMetadata().getOwnerReferences()).containsExactly(Ownership.ownerReference(DataMoverApi.DATAMOVERS, dm));
    assertThat(clone.getMetadata().getLabels()).containsEntry("app.kubernetes.io/created-by", "datamover-operator");
  }

  @Test
  void cloneIsAsLargeAsTheCapacityTheSourceGot() {
    var source = boundPvc("web-data");
    source.getStatus().capacity(Map.of("storage", Quantity.fromString("8Gi")));

    assertThat(ClonePvcBuilder.size(source)).isEqualTo(Quantity.fromString("8Gi"));
  }
}
