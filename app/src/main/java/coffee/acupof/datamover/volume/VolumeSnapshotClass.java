package coffee.acupof.datamover.volume;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ObjectMeta;

/**
 * A {@code VolumeSnapshotClass} of {@code snapshot.storage.k8s.io/v1}: which CSI driver takes the
 * snapshots of its class, and whether it is that driver's default class.
 */
public class VolumeSnapshotClass implements KubernetesObject {
  /** The annotation that makes a class the default one of its driver. */
  public static final String DEFAULT_CLASS_ANNOTATION = "snapshot.storage.kubernetes.io/is-default-class";

  private String apiVersion = SnapshotKinds.API_VERSION;
  private String kind = "VolumeSnapshotClass";
  private V1ObjectMeta metadata = new V1ObjectMeta();
  private String driver;
  private String deletionPolicy;

  @Override
  public String getApiVersion() {
    return apiVersion;
  }

  @Override
  public String getKind() {
    return kind;
  }

  @Override
  public V1ObjectMeta getMetadata() {
    return metadata;
  }

  public VolumeSnapshotClass metadata(V1ObjectMeta value) {
    this.metadata = value;
    return this;
  }

  public String getDriver() {
    return driver;
  }

  public VolumeSnapshotClass driver(String value) {
    this.driver = value;
    return this;
  }

  public String getDeletionPolicy() {
    return deletionPolicy;
  }

  public String name() {
    return metadata.getName();
  }

  /** Whether the class is its driver's default (used for snapshots that name no class). */
  public boolean isDefault() {
    return metadata.getAnnotations() != null && "true".equals(metadata.getAnnotations().get(DEFAULT_CLASS_ANNOTATION));
  }
}
