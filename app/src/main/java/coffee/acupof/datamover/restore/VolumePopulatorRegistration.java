package coffee.acupof.datamover.restore;

import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.runtime.LeaderTask;
import com.google.gson.JsonObject;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers DataMoverRestore as a volume populator ({@code VolumePopulator} of
 * {@code populator.storage.k8s.io}) when the cluster has that CRD (installed with the
 * volume-data-source-validator), so the validator accepts PVCs whose {@code dataSourceRef} names a
 * DataMoverRestore instead of flagging them. Without the CRD nothing is registered and populating
 * works all the same.
 */
public class VolumePopulatorRegistration implements LeaderTask {
  public static final String NAME = "datamover-restore";
  private static final Logger log = LoggerFactory.getLogger(VolumePopulatorRegistration.class);

  private final DynamicKubernetesApi api;

  public VolumePopulatorRegistration(ApiClient client) {
    this.api = new DynamicKubernetesApi("populator.storage.k8s.io", "v1beta1", "volumepopulators", client);
  }

  @Override
  public void onLeading() {
    var existing = api.get(NAME);
    if (existing.isSuccess()) {
      return;
    }
    if (existing.getHttpStatusCode() != 404) {
      log.warn("Could not read VolumePopulator {}: HTTP {}", NAME, existing.getHttpStatusCode());
      return;
    }
    JsonObject sourceKind = new JsonObject();
    sourceKind.addProperty("group", DataMoverApi.GROUP);
    sourceKind.addProperty("kind", DataMoverApi.RESTORE_KIND);
    JsonObject raw = new JsonObject();
    raw.addProperty("apiVersion", "populator.storage.k8s.io/v1beta1");
    raw.addProperty("kind", "VolumePopulator");
    raw.add("sourceKind", sourceKind);
    DynamicKubernetesObject populator = new DynamicKubernetesObject(raw);
    populator.setMetadata(new V1ObjectMeta().name(NAME).putLabelsItem(DataMoverApi.LABEL_MANAGED_BY, DataMoverApi.OPERATOR_NAME));
    var created = api.create(populator);
    if (created.isSuccess()) {
      log.info("Registered DataMoverRestore as a volume populator (VolumePopulator {})", NAME);
    } else if (created.getHttpStatusCode() == 404) {
      log.info("The VolumePopulator CRD is not installed; PVCs can name a DataMoverRestore as dataSourceRef all the same");
    } else if (created.getHttpStatusCode() != 409) {
      log.warn("Could not register VolumePopulator {}: HTTP {} {}", NAME, created.getHttpStatusCode(),
          created.getStatus() == null ? "" : created.getStatus().getMessage());
    }
  }
}
