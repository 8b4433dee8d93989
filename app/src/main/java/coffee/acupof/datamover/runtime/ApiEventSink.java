package coffee.acupof.datamover.runtime;

import coffee.acupof.datamover.cluster.ApiErrors;
import com.google.gson.JsonObject;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.util.PatchUtils;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link EventRecorder.Sink} through the core v1 Events API. */
public class ApiEventSink implements EventRecorder.Sink {
  private static final Logger log = LoggerFactory.getLogger(ApiEventSink.class);
  private final ApiClient client;
  private final CoreV1Api core;

  public ApiEventSink(ApiClient client) {
    this.client = client;
    this.core = new CoreV1Api(client);
  }

  @Override
  public boolean create(CoreV1Event event) {
    try {
      core.createNamespacedEvent(event.getMetadata().getNamespace(), event).execute();
      return true;
    } catch (ApiException e) {
      log.warn("Could not record event {} on {}/{}: {}", event.getReason(), event.getMetadata().getNamespace(),
          event.getInvolvedObject().getName(), ApiErrors.message(e));
      return false;
    }
  }

  @Override
  public boolean update(String namespace, String name, int count, OffsetDateTime lastTimestamp, String message) {
    JsonObject patch = new JsonObject();
    patch.addProperty("count", count);
    patch.addProperty("lastTimestamp", DateTimeFormatter.ISO_INSTANT.format(lastTimestamp));
    patch.addProperty("message", message);
    try {
      PatchUtils.patch(
          CoreV1Event.class,
          () -> core.patchNamespacedEvent(name, namespace, new V1Patch(patch.toString())).buildCall(null),
          V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
          client);
      return true;
    } catch (ApiException e) {
      if (e.getCode() != 404) {
        log.warn("Could not update event {}/{}: {}", namespace, name, ApiErrors.message(e));
      }
      return false;
    }
  }
}
