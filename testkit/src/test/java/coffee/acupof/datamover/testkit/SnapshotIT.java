package coffee.acupof.datamover.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coffee.acupof.datamover.testkit.storage.LocalProvisioner;
import coffee.acupof.datamover.testkit.storage.LocalSnapshotter;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1CSIPersistentVolumeSource;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolume;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimSpec;
import io.kubernetes.client.openapi.models.V1PersistentVolumeSpec;
import io.kubernetes.client.openapi.models.V1TypedLocalObjectReference;
import io.kubernetes.client.openapi.models.V1VolumeResourceRequirements;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * VolumeSnapshots on the real snapshot-controller of the external-snapshotter, with the driver's
 * snapshot part played by the test kit, and PVCs restored from them by the played provisioner and
 * bound by the real PV binder. Runs on an API server of its own, so the other tests of the JVM see a
 * server without the snapshot CRDs.
 */
class SnapshotIT extends WithOwnCluster {
  private static final String STORAGE_CLASS = "immediate";
  private static final String DEFAULT_SNAPSHOT_CLASS = "snapshots";
  private static final String SLOW_SNAPSHOT_CLASS = "slow-snapshots";

  private static LocalSnapshotter snapshotter;
  private static DynamicKubernetesApi snapshots;
  private static DynamicKubernetesApi contents;

  @BeforeAll
  static void start() {
    snapshotter = cluster.snapshots();
    snapshots = new DynamicKubernetesApi("snapshot.storage.k8s.io", "v1", "volumesnapshots", server.adminClient());
    contents = new DynamicKubernetesApi("snapshot.storage.k8s.io", "v1", "volumesnapshotcontents", server.adminClient());
    LocalProvisioner.ensureStorageClass(server.adminClient(), STORAGE_CLASS, "Immediate");
    LocalSnapshotter.ensureSnapshotClass(server.adminClient(), DEFAULT_SNAPSHOT_CLASS, true);
    LocalSnapshotter.ensureSnapshotClass(server.adminClient(), SLOW_SNAPSHOT_CLASS, false);
  }

  @Test
  void aSnapshotBecomesReadyAndAPvcFromItHoldsTheFilesOfThatMomentOnly() throws Exception {
    String ns = namespace("restore");
    Path source = boundSource(ns, "1Gi", "before");

    createSnapshot(ns, "snap", "source", null);
    JsonObject status = awaitReady(ns, "snap");
    Files.writeString(source.resolve("file.txt"), "after");
    Files.writeString(source.resolve("new.txt"), "later");

    assertThat(string(status, "restoreSize")).isEqualTo("1Gi");
    assertThat(string(status, "creationTime")).isNotBlank();
    JsonObject snapshot = get(snapshots, ns, "snap");
    assertThat(string(snapshot.getAsJsonObject("spec"), "volumeSnapshotClassName"))
        .as("the snapshot-controller chose the driver's default class").isEqualTo(DEFAULT_SNAPSHOT_CLASS);
    JsonObject content = get(contents, null, string(status, "boundVolumeSnapshotContentName"));
    assertThat(string(content.getAsJsonObject("spec"), "driver")).isEqualTo(LocalProvisioner.NAME);
    Path copy = snapshotter.directoryOf(ns, "snap").orElseThrow();
    assertThat(copy).startsWith(snapshotter.root());
    assertThat(string(content.getAsJsonObject("status"), "snapshotHandle")).isEqualTo(copy.toString());

    createClaim(ns, "restored", "1Gi", "snap");
    V1PersistentVolume volume = awaitBound(ns, "restored");

    Path restored = LocalProvisioner.directoryOf(volume).orElseThrow();
    assertThat(restored).isEqualTo(cluster.provisioner().volume(ns, "restored"));
    assertThat(Files.readString(restored.resolve("file.txt"))).isEqualTo("before");
    assertThat(restored.resolve("new.txt")).doesNotExist();
    assertThat(Files.readString(source.resolve("file.txt"))).as("the source is left as it is").isEqualTo("after");
  }

  @Test
  void deletingTheSnapshotRemovesItsContentAndItsCopy() throws Exception {
    String ns = namespace("delete");
    boundSource(ns, "1Gi", "data");
    createSnapshot(ns, "snap", "source", null);
    String contentName = string(awaitReady(ns, "snap"), "boundVolumeSnapshotContentName");
    Path copy = snapshotter.directoryOf(ns, "snap").orElseThrow();
    assertThat(Files.readString(copy.resolve("file.txt"))).isEqualTo("data");

    snapshots.delete(ns, "snap").throwsApiException();

    await().atMost(TIMEOUT).untilAsserted(() -> {
      assertThat(snapshots.get(ns, "snap").getHttpStatusCode()).as("the VolumeSnapshot is gone").isEqualTo(404);
      assertThat(contents.get(contentName).getHttpStatusCode()).as("its content is gone").isEqualTo(404);
    });
    assertThat(copy).as("the snapshot's copy is deleted").doesNotExist();
    assertThat(cluster.provisioner().volume(ns, "source").resolve("file.txt")).as("the source volume stays").exists();
  }

  @Test
  void aPausedClassKeepsTheSnapshotNotReadyAndAPvcFromItPendingUntilResumed() throws Exception {
    String ns = namespace("paused");
    Path source = boundSource(ns, "1Gi", "cut while paused");
    snapshotter.pause(SLOW_SNAPSHOT_CLASS);
    try {
      createSnapshot(ns, "slow", "source", SLOW_SNAPSHOT_CLASS);
      // The driver has taken the copy (the snapshot has a creation time) but says it is not ready.
      await().atMost(TIMEOUT).until(() -> status(ns, "slow").map(s -> s.has("creationTime")).orElse(false));
      JsonObject status = status(ns, "slow").orElseThrow();
      assertThat(isReady(status)).isFalse();
      Files.writeString(source.resolve("file.txt"), "changed after the cut");

      createClaim(ns, "restored", "1Gi", "slow");
      await().atMost(TIMEOUT).untilAsserted(() -> assertThat(eventMessages(ns, "restored"))
          .anySatisfy(m -> assertThat(m).contains("VolumeSnapshot " + ns + "/slow is not ready to use")));
      assertThat(phase(ns, "restored")).isEqualTo("Pending");
      assertThat(isReady(status(ns, "slow").orElseThrow())).isFalse();
    } finally {
      snapshotter.resume(SLOW_SNAPSHOT_CLASS);
    }

    awaitReady(ns, "slow");
    V1PersistentVolume volume = awaitBound(ns, "restored");
    assertThat(Files.readString(LocalProvisioner.directoryOf(volume).orElseThrow().resolve("file.txt"))).isEqualTo("cut while paused");
  }

  @Test
  void aPvcSmallerThanTheSnapshotIsRefusedWithAMessage() throws Exception {
    String ns = namespace("small");
    boundSource(ns, "2Gi", "data");
    createSnapshot(ns, "snap", "source", null);
    assertThat(string(awaitReady(ns, "snap"), "restoreSize")).isEqualTo("2Gi");

    createClaim(ns, "too-small", "1Gi", "snap");

    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(eventMessages(ns, "too-small"))
        .anySatisfy(m -> assertThat(m).contains("requested volume size 1073741824 is less than the size 2147483648")));
    assertThat(phase(ns, "too-small")).isEqualTo("Pending");
  }

  @Test
  void aSnapshotOfAVolumeTheDriverDoesNotHaveFailsWithAMessageOnTheSnapshot() throws Exception {
    String ns = namespace("foreign");
    String volumeName = "foreign-" + ns;
    core.createPersistentVolume(new V1PersistentVolume()
        .metadata(new V1ObjectMeta().name(volumeName))
        .spec(new V1PersistentVolumeSpec()
            .capacity(Map.of("storage", Quantity.fromString("1Gi")))
            .accessModes(List.of("ReadWriteOnce"))
            .storageClassName("")
            .csi(new V1CSIPersistentVolumeSource().driver("other.example.com").volumeHandle("/not/a/testkit/volume"))))
        .execute();
    core.createNamespacedPersistentVolumeClaim(ns, new V1PersistentVolumeClaim().metadata(new V1ObjectMeta().name("foreign"))
        .spec(new V1PersistentVolumeClaimSpec()
            .storageClassName("")
            .volumeName(volumeName)
            .accessModes(List.of("ReadWriteOnce"))
            .resources(new V1VolumeResourceRequirements().requests(Map.of("storage", Quantity.fromString("1Gi"))))))
        .execute();
    awaitBound(ns, "foreign");

    createSnapshot(ns, "snap", "foreign", DEFAULT_SNAPSHOT_CLASS);

    await().atMost(TIMEOUT).untilAsserted(() -> {
      Optional<JsonObject> status = status(ns, "snap");
      assertThat(status).as("the snapshot has a status").isPresent();
      assertThat(isReady(status.get())).isFalse();
      assertThat(status.get().has("error")).as("the snapshot has an error").isTrue();
      assertThat(string(status.get().getAsJsonObject("error"), "message"))
          .contains("the volume /not/a/testkit/volume is not a volume of " + LocalProvisioner.NAME);
    });
  }

  /** A bound PVC "source" of {@code size} whose volume has file.txt holding {@code text}; its directory. */
  private static Path boundSource(String ns, String size, String text) throws Exception {
    Path directory = cluster.provisioner().volume(ns, "source");
    Files.createDirectories(directory);
    Files.writeString(directory.resolve("file.txt"), text);
    createClaim(ns, "source", size, null);
    awaitBound(ns, "source");
    return directory;
  }

  private static void createClaim(String ns, String name, String size, String fromSnapshot) throws ApiException {
    V1PersistentVolumeClaimSpec spec = new V1PersistentVolumeClaimSpec()
        .storageClassName(STORAGE_CLASS)
        .accessModes(List.of("ReadWriteOnce"))
        .resources(new V1VolumeResourceRequirements().requests(Map.of("storage", Quantity.fromString(size))));
    if (fromSnapshot != null) {
      spec.dataSource(new V1TypedLocalObjectReference().apiGroup("snapshot.storage.k8s.io").kind("VolumeSnapshot").name(fromSnapshot));
    }
    core.createNamespacedPersistentVolumeClaim(ns, new V1PersistentVolumeClaim().metadata(new V1ObjectMeta().name(name)).spec(spec)).execute();
  }

  private static void createSnapshot(String ns, String name, String claim, String snapshotClass) throws ApiException {
    Map<String, Object> spec = new HashMap<>(Map.of("source", Map.of("persistentVolumeClaimName", claim)));
    if (snapshotClass != null) {
      spec.put("volumeSnapshotClassName", snapshotClass);
    }
    JsonObject raw = JSON.getGson().toJsonTree(Map.of(
        "apiVersion", "snapshot.storage.k8s.io/v1",
        "kind", "VolumeSnapshot",
        "metadata", Map.of("name", name, "namespace", ns),
        "spec", spec)).getAsJsonObject();
    snapshots.create(new DynamicKubernetesObject(raw)).throwsApiException();
  }

  private static JsonObject awaitReady(String ns, String name) throws ApiException {
    await().atMost(TIMEOUT).until(() -> status(ns, name).map(SnapshotIT::isReady).orElse(false));
    return status(ns, name).orElseThrow();
  }

  private static boolean isReady(JsonObject status) {
    return status.has("readyToUse") && status.get("readyToUse").getAsBoolean();
  }

  private static Optional<JsonObject> status(String ns, String name) throws ApiException {
    return Optional.ofNullable(get(snapshots, ns, name).getAsJsonObject("status"));
  }

  private static JsonObject get(DynamicKubernetesApi api, String ns, String name) throws ApiException {
    return (ns == null ? api.get(name) : api.get(ns, name)).throwsApiException().getObject().getRaw();
  }

  private static String string(JsonObject object, String field) {
    JsonElement value = object.get(field);
    return value == null || value.isJsonNull() ? null : value.getAsString();
  }

  private static List<String> eventMessages(String ns, String claim) throws ApiException {
    return core.listNamespacedEvent(ns).fieldSelector("involvedObject.name=" + claim).execute().getItems().stream()
        .map(CoreV1Event::getMessage)
        .toList();
  }
}
