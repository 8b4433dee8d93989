package coffee.acupof.datamover.volume;

import io.kubernetes.client.openapi.models.V1ObjectMeta;

/**
 * A {@code VolumeSnapshotClass} of {@code snapshot.storage.k8s.io/v1}: which CSI driver takes the
 * snapshots of its class, and whether it is that driver's default class.
 */
public class VolumeSnapshotClass extends SnapshotObject {
  /** The annotation that makes a class the default one of its driver. */
  public static final String DEFAULT_CLASS_ANNOTATION = "snapshot.storage.kubernetes.io/is-default-class";

  private String driver;

  public VolumeSnapshotClass() {
    super("VolumeSnapshotClass");
  }

  public VolumeSnapshotClass metadata(V1ObjectMeta value) {
    setMetadata(value);
    return this;
  }

  public String getDriver() {
    return driver;
  }

  public VolumeSnapshotClass driver(String value) {
    this.driver = value;
    return this;
  }

  /** Whether the class is its driver's default (used for snapshots that name no class). */
  public boolean isDefault() {
    var annotations = getMetadata().getAnnotations();
    return annotations != null && "true".equals(annotations.get(DEFAULT_CLASS_ANNOTATION));
  }
}
