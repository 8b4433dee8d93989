package coffee.acupof.datamover.testkit.storage;

import coffee.acupof.datamover.testkit.MergePatch;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import io.kubernetes.client.util.generic.KubernetesApiResponse;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code snapshot.storage.k8s.io/v1} objects (CRDs of the external-snapshotter) as the played
 * driver reads and writes them: typed views of the fields it uses, and the annotation and finalizer
 * names the real snapshot-controller uses.
 */
final class SnapshotApi {
  static final String GROUP = "snapshot.storage.k8s.io";
  static final String VERSION = "v1";
  /** Set by the snapshot-controller on a content whose snapshot is to be deleted from the storage. */
  static final String ANN_BEING_DELETED = "snapshot.storage.kubernetes.io/volumesnapshot-being-deleted";
  /** Keeps a content until the driver has deleted (or, with Retain, let go of) its snapshot. */
  static final String CONTENT_FINALIZER = "snapshot.storage.kubernetes.io/volumesnapshotcontent-bound-protection";
  static final String ANN_DEFAULT_CLASS = "snapshot.storage.kubernetes.io/is-default-class";

  /** Writes null values too: in a merge patch they remove fields. */
  private static final Gson PATCH_JSON = JSON.getGson().newBuilder().serializeNulls().create();

  private final ApiClient client;
  private final DynamicKubernetesApi snapshots;
  private final DynamicKubernetesApi contents;
  private final DynamicKubernetesApi classes;

  SnapshotApi(ApiClient client) {
    this.client = client;
    this.snapshots = new DynamicKubernetesApi(GROUP, VERSION, "volumesnapshots", client);
    this.contents = new DynamicKubernetesApi(GROUP, VERSION, "volumesnapshotcontents", client);
    this.classes = new DynamicKubernetesApi(GROUP, VERSION, "volumesnapshotclasses", client);
  }

  /** The VolumeSnapshot {@code namespace/name}, if it exists. */
  Optional<VolumeSnapshot> snapshot(String namespace, String name) throws ApiException {
    return found(snapshots.get(namespace, name)).map(o -> read(o, VolumeSnapshot.class));
  }

  /** The VolumeSnapshotContent {@code name}, if it exists. */
  Optional<VolumeSnapshotContent> content(String name) throws ApiException {
    return found(contents.get(name)).map(o -> read(o, VolumeSnapshotContent.class));
  }

  List<VolumeSnapshotContent> contents() throws ApiException {
    return contents.list().throwsApiException().getObject().getItems().stream()
        .map(o -> read(o, VolumeSnapshotContent.class))
        .toList();
  }

  List<VolumeSnapshotClass> classes() throws ApiException {
    return classes.list().throwsApiException().getObject().getItems().stream()
        .map(o -> read(o, VolumeSnapshotClass.class))
        .toList();
  }

  /**
   * Creates the VolumeSnapshotClass {@code name} of {@code driver}; false when one of that name
   * exists already.
   */
  boolean createClass(String name, String driver, String deletionPolicy, boolean isDefault) throws ApiException {
    JsonObject raw = JSON.getGson().toJsonTree(Map.of(
        "apiVersion", GROUP + "/" + VERSION,
        "kind", "VolumeSnapshotClass",
        "metadata", isDefault
            ? Map.of("name", name, "annotations", Map.of(ANN_DEFAULT_CLASS, "true"))
            : Map.of("name", name),
        "driver", driver,
        "deletionPolicy", deletionPolicy)).getAsJsonObject();
    KubernetesApiResponse<DynamicKubernetesObject> response = classes.create(new DynamicKubernetesObject(raw));
    if (response.getHttpStatusCode() == 409) {
      return false;
    }
    response.throwsApiException();
    return true;
  }

  /** Merges {@code status} (null values remove fields) into the status of content {@code name}. */
  void patchContentStatus(String name, Map<String, ?> status) throws ApiException {
    MergePatch.apply(client, contentPath(name) + "/status", PATCH_JSON.toJson(Map.of("status", status)));
  }

  /**
   * Sets the finalizers of {@code content} to {@code finalizers}, failing with 409 when the content
   * changed since it was read (so no finalizer added meanwhile is lost).
   */
  void setContentFinalizers(VolumeSnapshotContent content, List<String> finalizers) throws ApiException {
    MergePatch.apply(client, contentPath(content.name()), PATCH_JSON.toJson(Map.of("metadata", Map.of(
        "finalizers", finalizers, "resourceVersion", content.metadata().getResourceVersion()))));
  }

  private static String contentPath(String name) {
    return "/apis/" + GROUP + "/" + VERSION + "/volumesnapshotcontents/" + name;
  }

  private static Optional<DynamicKubernetesObject> found(KubernetesApiResponse<DynamicKubernetesObject> response) throws ApiException {
    if (response.getHttpStatusCode() == 404) {
      return Optional.empty();
    }
    return Optional.of(response.throwsApiException().getObject());
  }

  private static <T> T read(DynamicKubernetesObject object, Class<T> type) {
    return JSON.getGson().fromJson(object.getRaw(), type);
  }

  /** An error a snapshot or its content reports. */
  record SnapshotError(OffsetDateTime time, String message) {}

  /** The fields of a VolumeSnapshot the played driver reads. */
  record VolumeSnapshot(V1ObjectMeta metadata, SnapshotStatus status) {
    boolean isReady() {
      return status != null && Boolean.TRUE.equals(status.readyToUse());
    }

    Optional<String> contentName() {
      return Optional.ofNullable(status).map(SnapshotStatus::boundVolumeSnapshotContentName);
    }

    Optional<String> errorMessage() {
      return Optional.ofNullable(status).map(SnapshotStatus::error).map(SnapshotError::message);
    }
  }

  record SnapshotStatus(String boundVolumeSnapshotContentName, Boolean readyToUse, Quantity restoreSize, SnapshotError error) {}

  /** The fields of a VolumeSnapshotContent the played driver reads. */
  record VolumeSnapshotContent(V1ObjectMeta metadata, ContentSpec spec, ContentStatus status) {
    String name() {
      return metadata.getName();
    }

    boolean isDeleting() {
      return metadata.getDeletionTimestamp() != null;
    }

    boolean hasAnnotation(String annotation) {
      return metadata.getAnnotations() != null && metadata.getAnnotations().containsKey(annotation);
    }

    List<String> finalizers() {
      return metadata.getFinalizers() == null ? List.of() : metadata.getFinalizers();
    }

    /** The volume handle of the source of a dynamically provisioned snapshot. */
    Optional<String> sourceVolumeHandle() {
      return Optional.ofNullable(spec.source()).map(SnapshotSource::volumeHandle);
    }

    Optional<String> snapshotHandle() {
      return Optional.ofNullable(status).map(ContentStatus::snapshotHandle);
    }

    boolean isReady() {
      return status != null && Boolean.TRUE.equals(status.readyToUse());
    }

    Optional<String> errorMessage() {
      return Optional.ofNullable(status).map(ContentStatus::error).map(SnapshotError::message);
    }

    Optional<Long> restoreSize() {
      return Optional.ofNullable(status).map(ContentStatus::restoreSize);
    }

    /** A reference to it, for Events. */
    V1ObjectReference reference() {
      return new V1ObjectReference()
          .apiVersion(GROUP + "/" + VERSION)
          .kind("VolumeSnapshotContent")
          .name(metadata.getName())
          .uid(metadata.getUid());
    }
  }

  record ContentSpec(String driver, String deletionPolicy, String volumeSnapshotClassName, SnapshotSource source) {}

  /** Where a content's snapshot comes from: a volume to snapshot, or an existing snapshot. */
  record SnapshotSource(String volumeHandle, String snapshotHandle) {}

  /** creationTime in nanoseconds since the epoch and restoreSize in bytes, as the CRD has them. */
  record ContentStatus(String snapshotHandle, Boolean readyToUse, Long creationTime, Long restoreSize, SnapshotError error) {}

  /** The fields of a VolumeSnapshotClass the played driver reads. */
  record VolumeSnapshotClass(V1ObjectMeta metadata, String driver, String deletionPolicy) {
    boolean isDefault() {
      return metadata.getAnnotations() != null && "true".equals(metadata.getAnnotations().get(ANN_DEFAULT_CLASS));
    }
  }
}
