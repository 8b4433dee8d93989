package coffee.acupof.datamover.volume;

import io.kubernetes.client.common.KubernetesListObject;
import io.kubernetes.client.openapi.models.V1ListMeta;
import java.util.ArrayList;
import java.util.List;

/** A list of {@link VolumeSnapshotClass}es as the API server returns it. */
public class VolumeSnapshotClassList implements KubernetesListObject {
  private String apiVersion = SnapshotKinds.API_VERSION;
  private String kind = "VolumeSnapshotClassList";
  private V1ListMeta metadata = new V1ListMeta();
  private List<VolumeSnapshotClass> items = new ArrayList<>();

  @Override
  public V1ListMeta getMetadata() {
    return metadata;
  }

  @Override
  public List<VolumeSnapshotClass> getItems() {
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
