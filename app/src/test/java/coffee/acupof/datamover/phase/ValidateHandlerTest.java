package coffee.acupof.datamover.phase;

import static coffee.acupof.datamover.Fixtures.CREATED;
import static coffee.acupof.datamover.Fixtures.boundPvc;
import static coffee.acupof.datamover.Fixtures.dataMover;
import static coffee.acupof.datamover.Fixtures.s3Secret;
import static org.assertj.core.api.Assertions.assertThat;

import coffee.acupof.datamover.api.CustomCaSpec;
import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverSpec;
import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.api.Phase;
import coffee.acupof.datamover.api.RcloneConfigSpec;
import coffee.acupof.datamover.cluster.FakeCluster;
import coffee.acupof.datamover.config.DataMoverProperties;
import coffee.acupof.datamover.mover.PointAllocator;
import coffee.acupof.datamover.runtime.phase.Transition;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Secret;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValidateHandlerTest {
  private final FakeCluster cluster = new FakeCluster();
  private final List<DataMover> runs = new java.util.ArrayList<>();
  private final ValidateHandler handler =
      new ValidateHandler(
          cluster,
          new DataMoverProperties(null, null, null, null, null, null, null, null),
          new PointAllocator(path -> runs),
          new coffee.acupof.datamover.mover.MoverSlots(new coffee.acupof.datamover.mover.MoverSlots.Limits(0, 0), List::of, java.time.Clock.systemUTC()));

  private Transition<DataMoverStatus.Builder> handleAt(Duration sinceCreation) {
    return handler.handle(new Run(dataMover("backup"), CREATED.plus(sinceCreation)));
  }

  @Test
  void sourceAndSecretPresentStartsTheClone() {
    cluster.add(boundPvc("web-data")).add(s3Secret("s3-credentials"));

    var t = handleAt(Duration.ofSeconds(1));

    assertThat(t.next()).isEqualTo(Phase.CREATING_CLONED_PVC);
    assertThat(t.reason()).isEqualTo("Validated");
    assertThat(t.changes().apply(new DataMoverStatus.Builder()).build().restoredPvcName()).isEqualTo("backup-clone");
    assertThat(t.changes().apply(new DataMoverStatus.Builder()).build().pointInTime()).as("a fixed path has no point").isNull();
  }

  @Test
  void aTimestampedRunGetsItsPointBeforeAnythingIsWritten() {
    cluster.add(boundPvc("web-data")).add(s3Secret("s3-credentials"));
    DataMover earlier = dataMover("earlier", new DataMoverSpec("other-data", "s3-credentials", true, null, null, null, null, null, null));
    DataMover dm = dataMover("backup", new DataMoverSpec("web-data", "s3-credentials", true, null, null, null, null, null, null));
    earlier.getMetadata().name("a-earlier");
    runs.add(earlier);
    runs.add(dm);

    var early = handler.handle(new Run(dm, CREATED.plusSeconds(1)));
    var t = handler.handle(new Run(dm, CREATED.plusSeconds(3)));

    assertThat(early.next()).as("runs of the same second may still arrive").isEqualTo(Phase.NEW);
    assertThat(early.requeueAfter()).contains(Duration.ofSeconds(1));
    assertThat(t.next()).isEqualTo(Phase.CREATING_CLONED_PVC);
    assertThat(t.changes().apply(new DataMoverStatus.Builder()).build().pointInTime()).isEqualTo("2026-01-02-030406");
    assertThat(t.message()).endsWith("point in time 2026-01-02-030406 (2026-01-02-030405 is taken by another run at the bucket root)");
  }

  @Test
  void missingPvcWaitsWithAClearMessageUntilTheDeadline() {
    cluster.add(s3Secret("s3-credentials"));

    var t = handleAt(Duration.ofMinutes(4));

    assertThat(t.next()).isEqualTo(Phase.NEW);
    assertThat(t.reason()).isEqualTo("SourcePVCNotFound");
    assertThat(t.message()).isEqualTo("Waiting: source PVC web-data not found in namespace apps");
    assertThat(t.requeueAfter()).contains(Duration.ofMinutes(6));
  }

  @Test
  void missingPvcFailsAtTheDeadline() {
    cluster.add(s3Secret("s3-credentials"));

    var t = handleAt(Duration.ofMinutes(10));

    assertThat(t.next()).isEqualTo(Phase.FAILED);
    assertThat(t.reason()).isEqualTo("SourcePVCNotFound");
    assertThat(t.message()).isEqualTo("source PVC web-data not found in namespace apps (gave up after 10m)");
  }

  @Test
  void everyMissingThingIsNamed() {
    var t = handleAt(Duration.ZERO);

    assertThat(t.message())
        .isEqualTo("Waiting: source PVC web-data not found in namespace apps; Secret s3-credentials not found in namespace apps");
  }

  @Test
  void unboundSourceWaits() {
    cluster.add(boundPvc("web-data").status(null)).add(s3Secret("s3-credentials"));

    var t = handleAt(Duration.ZERO);

    assertThat(t.reason()).isEqualTo("SourcePVCNotBound");
    assertThat(t.message()).contains("source PVC web-data is not yet bound");
  }

  @Test
  void secretWithoutTheS3KeysNamesThem() {
    V1Secret partial =
        new V1Secret()
            .metadata(new V1ObjectMeta().name("s3-credentials").namespace("apps"))
            .data(Map.of("AWS_ACCESS_KEY_ID", bytes("id"), "BUCKET_HOST", bytes("minio")));
    cluster.add(boundPvc("web-data")).add(partial);

    var t = handleAt(Duration.ZERO);

    assertThat(t.reason()).isEqualTo("SecretKeysMissing");
    assertThat(t.message()).contains("Secret s3-credentials lacks key(s) AWS_SECRET_ACCESS_KEY, BUCKET_NAME");
  }

  @Test
  void additionalEnvMaySupplyAKeyAsTheOldReadmeShows() {
    V1Secret noBucket =
        new V1Secret()
            .metadata(new V1ObjectMeta().name("s3-credentials").namespace("apps"))
            .data(Map.of("AWS_ACCESS_KEY_ID", bytes("id"), "AWS_SECRET_ACCESS_KEY", bytes("k"), "BUCKET_HOST", bytes("minio")));
    cluster.add(boundPvc("web-data")).add(noBucket);
    DataMoverSpec spec =
        new DataMoverSpec("web-data", "s3-credentials", null, null, List.of(new V1EnvVar().name("BUCKET_NAME").value("my-backup-bucket")), null, null, null, null);

    var t = handler.handle(new Run(dataMover("backup", spec), CREATED));

    assertThat(t.next()).isEqualTo(Phase.CREATING_CLONED_PVC);
  }

  @Test
  void remoteTypeSecretNeedsNoS3Keys() {
    V1Secret sftp =
        new V1Secret()
            .metadata(new V1ObjectMeta().name("s3-credentials").namespace("apps"))
            .data(Map.of("REMOTE_TYPE", bytes("sftp"), "REMOTE_HOST", bytes("backup.example")));
    cluster.add(boundPvc("web-data")).add(sftp);

    assertThat(handleAt(Duration.ZERO).next()).isEqualTo(Phase.CREATING_CLONED_PVC);
  }

  private static byte[] bytes(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  private static DataMoverSpec volsyncStyle(String key, CustomCaSpec ca) {
    return new DataMoverSpec("web-data", null, null, null, null, null, "volsync-bucket/web-data", new RcloneConfigSpec("rclone-secret", key, "aws-s3-bucket"), ca);
  }

  private static V1Secret secret(String name, String... keys) {
    Map<String, byte[]> data = new java.util.LinkedHashMap<>();
    for (String key : keys) {
      data.put(key, new byte[0]);
    }
    return new V1Secret().metadata(new V1ObjectMeta().name(name).namespace("apps")).data(data);
  }

  @Test
  void anRcloneConfSecretNeedsTheNamedKeyAndNoS3Keys() {
    cluster.add(boundPvc("web-data")).add(secret("rclone-secret", "rclone.conf", "README"));

    var t = handler.handle(new Run(dataMover("backup", volsyncStyle("config", null)), CREATED));

    assertThat(t.next()).isEqualTo(Phase.NEW);
    assertThat(t.reason()).isEqualTo("SecretKeysMissing");
    assertThat(t.message()).isEqualTo("Waiting: Secret rclone-secret lacks key config (rcloneConfig.key); it has README, rclone.conf");

    var found = handler.handle(new Run(dataMover("backup", volsyncStyle(null, null)), CREATED));
    assertThat(found.next()).isEqualTo(Phase.CREATING_CLONED_PVC);
    assertThat(found.message()).startsWith("Source PVC web-data and rclone.conf Secret rclone-secret found");
  }

  @Test
  void aCaConfigMapThatNoInformerWatchesIsLookedForAgainSoon() {
    cluster.add(boundPvc("web-data")).add(secret("rclone-secret", "rclone.conf"));
    DataMover dm = dataMover("backup", volsyncStyle(null, new CustomCaSpec(null, "tls-ca", null)));

    var missing = handler.handle(new Run(dm, CREATED));

    assertThat(missing.reason()).isEqualTo("ConfigMapNotFound");
    assertThat(missing.message()).isEqualTo("Waiting: ConfigMap tls-ca (customCA) not found in namespace apps");
    assertThat(missing.requeueAfter()).as("well before the 10-minute deadline").contains(Duration.ofSeconds(30));

    cluster.add(new V1ConfigMap().metadata(new V1ObjectMeta().name("tls-ca").namespace("apps")).data(Map.of("root.pem", "-----BEGIN CERTIFICATE-----")));
    var wrongKey = handler.handle(new Run(dm, CREATED.plus(Duration.ofMinutes(1))));
    assertThat(wrongKey.reason()).isEqualTo("ConfigMapKeyMissing");
    assertThat(wrongKey.message()).isEqualTo("Waiting: ConfigMap tls-ca lacks key ca.crt (customCA.key); it has root.pem");

    var failed = handler.handle(new Run(dm, CREATED.plus(Duration.ofMinutes(10))));
    assertThat(failed.next()).isEqualTo(Phase.FAILED);
    assertThat(failed.message()).isEqualTo("ConfigMap tls-ca lacks key ca.crt (customCA.key); it has root.pem (gave up after 10m)");

    cluster.add(new V1ConfigMap().metadata(new V1ObjectMeta().name("tls-ca").namespace("apps")).binaryData(Map.of("ca.crt", new byte[0])));
    var found = handler.handle(new Run(dm, CREATED.plus(Duration.ofMinutes(2))));
    assertThat(found.next()).isEqualTo(Phase.CREATING_CLONED_PVC);
    assertThat(found.message()).startsWith("Source PVC web-data and rclone.conf Secret rclone-secret and CA ConfigMap tls-ca found");
  }
}
