package coffee.acupof.datamover.controller;

import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.cluster.ApiClusterOperations;
import coffee.acupof.datamover.cluster.ClusterException;
import com.google.gson.JsonObject;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.util.PatchUtils;

/**
 * Writes a DataMover's status with a JSON merge patch on the {@code /status} subresource. The patch
 * carries the resourceVersion the status was computed from, so a write based on a stale read fails
 * with 409 Conflict instead of overwriting newer state (and nothing is counted twice).
 */
public class StatusWriter {
  private final ApiClient client;
  private final CustomObjectsApi customObjects;

  public StatusWriter(ApiClient client) {
    this.client = client;
    this.customObjects = new CustomObjectsApi(client);
  }

  public DataMover write(DataMover dataMover, DataMoverStatus status) {
    JsonObject patch = new JsonObject();
    JsonObject metadata = new JsonObject();
    metadata.addProperty("resourceVersion", dataMover.getMetadata().getResourceVersion());
    patch.add("metadata", metadata);
    patch.add("status", client.getJSON().getGson().toJsonTree(status));
    try {
      return PatchUtils.patch(
          DataMover.class,
          () ->
              customObjects
                  .patchNamespacedCustomObjectStatus(
                      DataMoverApi.GROUP,
                      DataMoverApi.VERSION,
                      dataMover.namespace(),
                      DataMoverApi.PLURAL,
                      dataMover.name(),
                      new V1Patch(patch.toString()))
                  .buildCall(null),
          V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
          client);
    } catch (ApiException e) {
      throw ApiClusterOperations.failure("write the status of " + dataMover.key(), e);
    }
  }

  public static boolean isConflict(ClusterException e) {
    return e.statusCode() == 409;
  }
}
