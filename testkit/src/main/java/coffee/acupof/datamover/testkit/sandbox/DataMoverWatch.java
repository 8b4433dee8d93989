package coffee.acupof.datamover.testkit.sandbox;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.reflect.TypeToken;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.util.Watch;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Watches one DataMover and hands out every version of it that the API server reports, in order, so no
 * phase is missed however quickly the operator moves on. The watch starts from the resource version of a
 * list taken in the constructor: create the DataMover after constructing this.
 */
final class DataMoverWatch implements AutoCloseable {
  static final String GROUP = "datamover.a-cup-of.coffee";
  static final String VERSION = "v1alpha1";
  static final String PLURAL = "datamovers";

  private final ApiClient client;
  private final CustomObjectsApi api;
  private final String namespace;
  private final String name;
  private final BlockingQueue<JsonObject> versions = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean closed;
  private volatile Watch<JsonObject> current;
  private String resourceVersion;

  /** {@code client} must not time out reads (a watch is idle for long stretches). */
  DataMoverWatch(ApiClient client, String namespace, String name) throws ApiException {
    this.client = client;
    this.api = new CustomObjectsApi(client);
    this.namespace = namespace;
    this.name = name;
    this.resourceVersion = list();
    this.thread = Thread.ofPlatform().daemon().name("datamover-watch").start(this::run);
  }

  /** The next version of the DataMover, or {@code null} when none arrived within {@code timeout}. */
  JsonObject next(Duration timeout) throws InterruptedException {
    return versions.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void run() {
    while (!closed) {
      try (Watch<JsonObject> watch = open()) {
        current = watch;
        for (Watch.Response<JsonObject> event : watch) {
          if ("ERROR".equals(event.type)) {
            // Typically 410 Gone: the resource version is too old. Start again from a fresh list.
            resourceVersion = list();
            break;
          }
          if (event.object == null) {
            continue;
          }
          resourceVersion = string(event.object, "metadata", "resourceVersion");
          if (!"DELETED".equals(event.type)) {
            versions.add(event.object);
          }
        }
      } catch (IOException | ApiException | RuntimeException e) {
        if (closed) {
          return;
        }
        try {
          Thread.sleep(500);
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  private Watch<JsonObject> open() throws ApiException {
    return Watch.createWatch(
        client,
        api.listNamespacedCustomObject(GROUP, VERSION, namespace, PLURAL)
            .fieldSelector("metadata.name=" + name)
            .resourceVersion(resourceVersion)
            .watch(true)
            .buildCall(null),
        new TypeToken<Watch.Response<JsonObject>>() {}.getType());
  }

  /** Lists the DataMover (handing out the version found, if any) and returns the list's resource version. */
  private String list() throws ApiException {
    Object list = api.listNamespacedCustomObject(GROUP, VERSION, namespace, PLURAL)
        .fieldSelector("metadata.name=" + name)
        .execute();
    JsonObject json = JSON.getGson().toJsonTree(list).getAsJsonObject();
    if (json.has("items")) {
      for (JsonElement item : json.getAsJsonArray("items")) {
        versions.add(item.getAsJsonObject());
      }
    }
    return string(json, "metadata", "resourceVersion");
  }

  /** The string at {@code path} in {@code json}, or "" when a step is missing or null. */
  static String string(JsonObject json, String... path) {
    JsonElement element = json;
    for (String step : path) {
      if (element == null || !element.isJsonObject()) {
        return "";
      }
      element = element.getAsJsonObject().get(step);
    }
    return element == null || element.isJsonNull() ? "" : element.getAsString();
  }

  @Override
  public void close() {
    closed = true;
    Watch<JsonObject> watch = current;
    if (watch != null) {
      try {
        watch.close();
      } catch (IOException | RuntimeException ignored) {
        // Closing a watch whose connection is already gone.
      }
    }
    thread.interrupt();
  }
}
