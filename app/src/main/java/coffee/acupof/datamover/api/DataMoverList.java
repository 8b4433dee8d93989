package coffee.acupof.datamover.api;

import io.kubernetes.client.common.KubernetesListObject;
import io.kubernetes.client.openapi.models.V1ListMeta;
import java.util.ArrayList;
import java.util.List;

/** A list of {@link DataMover}s as the API server returns it. */
public class DataMoverList implements KubernetesListObject {
  private String apiVersion = DataMoverApi.API_VERSION;
  private String kind = "DataMoverList";
  private V1ListMeta metadata = new V1ListMeta();
  private List<DataMover> items = new ArrayList<>();

  @Override
  public V1ListMeta getMetadata() {
    return metadata;
  }

  @Override
  public List<DataMover> getItems() {
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
