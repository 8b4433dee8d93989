package coffee.acupof.datamover.api;

import io.kubernetes.client.common.KubernetesListObject;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ListMeta;
import java.util.ArrayList;
import java.util.List;

/** A list of one of the operator's kinds as the API server returns it (each kind subclasses it with its item type). */
public abstract class ResourceList<T extends KubernetesObject> implements KubernetesListObject {
  private String apiVersion = DataMoverApi.API_VERSION;
  private final String kind;
  private V1ListMeta metadata = new V1ListMeta();
  private List<T> items = new ArrayList<>();

  protected ResourceList(String kind) {
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
