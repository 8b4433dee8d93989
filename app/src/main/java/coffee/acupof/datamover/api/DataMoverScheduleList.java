package coffee.acupof.datamover.api;

import io.kubernetes.client.common.KubernetesListObject;
import io.kubernetes.client.openapi.models.V1ListMeta;
import java.util.ArrayList;
import java.util.List;

/** A list of {@link DataMoverSchedule}s as the API server returns it. */
public class DataMoverScheduleList implements KubernetesListObject {
  private String apiVersion = DataMoverApi.API_VERSION;
  private String kind = "DataMoverScheduleList";
  private V1ListMeta metadata = new V1ListMeta();
  private List<DataMoverSchedule> items = new ArrayList<>();

  @Override
  public V1ListMeta getMetadata() {
    return metadata;
  }

  @Override
  public List<DataMoverSchedule> getItems() {
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
