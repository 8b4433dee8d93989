package coffee.acupof.datamover.api;

import coffee.acupof.datamover.runtime.ManagedResource;
import io.kubernetes.client.openapi.models.V1ObjectMeta;

/** The {@code DataMover} custom resource: one point-in-time copy of a PVC to an rclone remote. */
public class DataMover implements ManagedResource<DataMoverStatus> {
  private String apiVersion = DataMoverApi.API_VERSION;
  private String kind = DataMoverApi.KIND;
  private V1ObjectMeta metadata = new V1ObjectMeta();
  private DataMoverSpec spec;
  private DataMoverStatus status;

  @Override
  public String getApiVersion() {
    return apiVersion;
  }

  public DataMover apiVersion(String value) {
    this.apiVersion = value;
    return this;
  }

  @Override
  public String getKind() {
    return kind;
  }

  public DataMover kind(String value) {
    this.kind = value;
    return this;
  }

  @Override
  public V1ObjectMeta getMetadata() {
    return metadata;
  }

  public DataMover metadata(V1ObjectMeta value) {
    this.metadata = value;
    return this;
  }

  public DataMoverSpec getSpec() {
    return spec;
  }

  public DataMover spec(DataMoverSpec value) {
    this.spec = value;
    return this;
  }

  /** The status, never null: a new object has the empty status (phase {@code ""}). */
  @Override
  public DataMoverStatus getStatus() {
    return status == null ? DataMoverStatus.EMPTY : status;
  }

  public DataMover status(DataMoverStatus value) {
    this.status = value;
    return this;
  }
}
