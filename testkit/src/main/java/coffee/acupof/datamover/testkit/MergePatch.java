package coffee.acupof.datamover.testkit;

import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.util.PatchUtils;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends a JSON merge patch to any API path, e.g. a {@code /status} subresource, as the components
 * the tests play (kubelet, Job and PV controllers) write status.
 */
public final class MergePatch {
  private MergePatch() {}

  /**
   * PATCHes {@code path} (e.g. {@code /api/v1/namespaces/ns/pods/p/status}) with {@code json}.
   *
   * @throws ApiException when the API server refuses it; its response body says why
   */
  public static void apply(ApiClient client, String path, String json) throws ApiException {
    var call =
        client.buildCall(
            client.getBasePath(), path, "PATCH", List.of(), List.of(), new V1Patch(json),
            new HashMap<>(Map.of("Accept", "application/json", "Content-Type", V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH)),
            new HashMap<>(), new HashMap<>(), new String[] {"BearerToken"}, null);
    PatchUtils.patch(Object.class, () -> call, V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
  }
}
