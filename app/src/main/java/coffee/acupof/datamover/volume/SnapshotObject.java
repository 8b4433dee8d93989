package coffee.acupof.datamover.volume;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ObjectMeta;

/** What the objects of {@code snapshot.storage.k8s.io/v1} the operator reads share: their API version, kind and metadata. */
abstract class SnapshotObject implements KubernetesObject {
  private String apiVersion = SnapshotKinds.API_VERSION;
  private String kind;
  private V1ObjectMeta metadata = new V1ObjectMeta();

  SnapshotObject(String kind) {
    this.kind = kind;
  }

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

  void setMetadata(V1ObjectMeta value) {
    this.metadata = value;
  }

  public String name() {
    return metadata.getName();
  }
}
