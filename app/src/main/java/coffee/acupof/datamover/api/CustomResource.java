package coffee.acupof.datamover.api;

import coffee.acupof.datamover.runtime.ManagedResource;
import io.kubernetes.client.openapi.models.V1ObjectMeta;

/**
 * The shape every kind of this API shares: apiVersion, kind, metadata, a spec and a status. The
 * status is never null: a new object has its kind's empty status. Setters return the object.
 *
 * @param <R> the kind itself (for fluent setters)
 * @param <P> its spec
 * @param <S> its status
 */
public abstract class CustomResource<R extends CustomResource<R, P, S>, P, S> implements ManagedResource<S> {
  private String apiVersion = DataMoverApi.API_VERSION;
  private String kind;
  private V1ObjectMeta metadata = new V1ObjectMeta();
  private P spec;
  private S status;

  protected CustomResource(String kind) {
    this.kind = kind;
  }

  /** The status of an object that has none yet. */
  protected abstract S emptyStatus();

  @SuppressWarnings("unchecked")
  private R self() {
    return (R) this;
  }

  @Override
  public String getApiVersion() {
    return apiVersion;
  }

  public R apiVersion(String value) {
    this.apiVersion = value;
    return self();
  }

  @Override
  public String getKind() {
    return kind;
  }

  public R kind(String value) {
    this.kind = value;
    return self();
  }

  @Override
  public V1ObjectMeta getMetadata() {
    return metadata;
  }

  public R metadata(V1ObjectMeta value) {
    this.metadata = value;
    return self();
  }

  public P getSpec() {
    return spec;
  }

  public R spec(P value) {
    this.spec = value;
    return self();
  }

  @Override
  public S getStatus() {
    return status == null ? emptyStatus() : status;
  }

  public R status(S value) {
    this.status = value;
    return self();
  }
}
