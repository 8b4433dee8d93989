package coffee.acupof.datamover.api;

import io.kubernetes.client.common.KubernetesListObject;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ListMeta;
import java.util.ArrayList;
import java.util.List;

/** A list of one of this API's kinds as the API server returns it. */
public abstract class CustomResourceList<T extends KubernetesObject> implements KubernetesListObject {
  private String apiVersion = DataMoverApi.API_VERSION;
  private String kind;
  private V1ListMeta metadata = new V1ListMeta();
  private List<T> items = new ArrayList<>();

  protected CustomResourceList(String kind) {
    this.kind = kind;
  }

  @Override
  public V1ListMeta getMetadata() {
    return metadata;
  }

  @Override
  public List<T> getItems() {
    return items;
  }

  @Override
  public String getApiVersion() {
    return apiVersion;
  }

  @Override
  public String getKind() {
    return kind;
  }
}
