package coffee.acupof.datamover.runtime;

import coffee.acupof.datamover.cluster.ApiClusterOperations;
import coffee.acupof.datamover.cluster.ClusterException;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.util.PatchUtils;

/**
 * Writes the status of a custom resource with a JSON merge patch on its {@code /status}
 * subresource. The patch carries the resourceVersion the status was computed from, so a write based
 * on a stale read fails with 409 Conflict instead of overwriting newer state (and nothing is counted
 * twice). The status is the whole truth: its absent (null) fields are sent as null, which a merge
 * patch turns into "remove", so a field that was set once (a schedule's {@code active} runs) can be
 * cleared again. (The client's own {@code updateStatus} sends a content type the API server refuses.)
 */
public class StatusWriter {
  private final ApiClient client;
  private final CustomObjectsApi customObjects;
  private final Gson withNulls;

  public StatusWriter(ApiClient client) {
    this.client = client;
    this.customObjects = new CustomObjectsApi(client);
    this.withNulls = client.getJSON().getGson().newBuilder().serializeNulls().create();
  }

  public <T extends ManagedResource<?>> T write(ResourceKind<T, ?> kind, T object, Object status) {
    JsonObject patch = new JsonObject();
    JsonObject metadata = new JsonObject();
    metadata.addProperty("resourceVersion", object.getMetadata().getResourceVersion());
    patch.add("metadata", metadata);
    patch.add("status", withNulls.toJsonTree(status));
    try {
      return PatchUtils.patch(
          kind.type(),
          () ->
              customObjects
                  .patchNamespacedCustomObjectStatus(
                      kind.group(), kind.version(), object.namespace(), kind.plural(), object.name(), new V1Patch(patch.toString()))
                  .buildCall(null),
          V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
          client);
    } catch (ApiException e) {
      throw ApiClusterOperations.failure("write the status of " + kind.kind() + " " + object.key(), e);
    }
  }

  public static boolean isConflict(ClusterException e) {
    return e.statusCode() == 409;
  }
}
