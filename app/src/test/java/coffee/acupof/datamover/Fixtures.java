package coffee.acupof.datamover;

import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverRestore;
import coffee.acupof.datamover.api.DataMoverRestoreSpec;
import coffee.acupof.datamover.api.DataMoverSpec;
import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.api.Phase;
import coffee.acupof.datamover.api.RestorePhase;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimSpec;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimStatus;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1VolumeResourceRequirements;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Objects for unit tests. */
public final class Fixtures {
  public static final String NS = "apps";
  public static final OffsetDateTime CREATED = OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC);

  private Fixtures() {}

  public static DataMover dataMover(String name, DataMoverSpec spec) {
    return new DataMover()
        .metadata(
            new V1ObjectMeta()
                .name(name)
                .namespace(NS)
                .uid("uid-" + name)
                .generation(1L)
                .resourceVersion("1")
                .creationTimestamp(CREATED))
        .spec(spec);
  }

  public static DataMover dataMover(String name) {
    return dataMover(name, spec());
  }

  public static DataMoverSpec spec() {
    return new DataMoverSpec("web-data", "s3-credentials", null, null, null, null, null, null, null);
  }

  public static DataMoverRestore restore(String name, DataMoverRestoreSpec spec) {
    return new DataMoverRestore()
        .metadata(
            new V1ObjectMeta()
                .name(name)
                .namespace(NS)
                .uid("uid-" + name)
                .generation(1L)
                .resourceVersion("1")
                .creationTimestamp(CREATED))
        .spec(spec);
  }

  /** A restore of web-data's latest backup into {@code target}, or a volume populator when it is null. */
  public static DataMoverRestoreSpec restoreSpec(String target) {
    return new DataMoverRestoreSpec("web-data", "s3-credentials", null, null, target, null, null, null, null, null, null, null, null, null, null);
  }

  public static DataMoverRestore inPhase(DataMoverRestore restore, RestorePhase phase, OffsetDateTime since) {
    return restore.status(restore.getStatus().toBuilder().phase(phase).phaseTransitionTime(since).build());
  }

  public static DataMover inPhase(DataMover dataMover, Phase phase, OffsetDateTime since) {
    return dataMover.status(new DataMoverStatus.Builder().phase(phase).phaseTransitionTime(since).build());
  }

  public static V1PersistentVolumeClaim boundPvc(String name) {
    return new V1PersistentVolumeClaim()
        .metadata(new V1ObjectMeta().name(name).namespace(NS))
        .spec(
            new V1PersistentVolumeClaimSpec()
                .storageClassName("csi-fast")
                .accessModes(List.of("ReadWriteOnce"))
                .volumeMode("Filesystem")
                .resources(new V1VolumeResourceRequirements().requests(Map.of("storage", Quantity.fromString("5Gi")))))
        .status(new V1PersistentVolumeClaimStatus().phase("Bound").capacity(Map.of("storage", Quantity.fromString("5Gi"))));
  }

  public static V1Secret s3Secret(String name) {
    Map<String, byte[]> data = new LinkedHashMap<>();
    for (String key : List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "BUCKET_HOST", "BUCKET_NAME", "BUCKET_PORT", "TLS_HOST")) {
      data.put(key, "value".getBytes(StandardCharsets.UTF_8));
    }
    return new V1Secret().metadata(new V1ObjectMeta().name(name).namespace(NS)).data(data);
  }
}
