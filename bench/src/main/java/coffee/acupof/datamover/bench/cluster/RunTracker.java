package coffee.acupof.datamover.bench.cluster;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.reflect.TypeToken;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.util.Watch;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import okhttp3.Call;

/**
 * Follows the DataMovers and mover Jobs of one namespace through watches, as a user's {@code kubectl get -w}
 * would: when each DataMover was created (told by the driver), when its Job appeared, when its status was
 * first written, every status write, every phase it entered, and when it ended.
 */
final class RunTracker implements AutoCloseable {
  private static final Set<String> TERMINAL = Set.of("Completed", "Failed");

  /** What was seen of one DataMover; times are {@link System#nanoTime()}. */
  static final class Track {
    volatile long createdNanos = -1;
    volatile long jobNanos = -1;
    volatile long firstStatusNanos = -1;
    volatile long endNanos = -1;
    volatile String endPhase;
    int statusWrites;
    final List<String> phases = new ArrayList<>();
    /** One entry per status write: the phase after it and the status fields it changed. */
    final List<String> writes = new ArrayList<>();
    private JsonObject lastStatus;

    double createToJobSeconds() {
      return jobNanos < 0 ? Double.NaN : (jobNanos - createdNanos) / 1e9;
    }

    double createToEndSeconds() {
      return endNanos < 0 ? Double.NaN : (endNanos - createdNanos) / 1e9;
    }

    double createToFirstStatusSeconds() {
      return firstStatusNanos < 0 ? Double.NaN : (firstStatusNanos - createdNanos) / 1e9;
    }
  }

  private final Map<String, Track> tracks = new ConcurrentHashMap<>();
  private final List<Watch<?>> watches = new ArrayList<>();
  private final Consumer<String> onEnd;
  private volatile boolean closed;

  private RunTracker(Consumer<String> onEnd) {
    this.onEnd = onEnd;
  }

  /**
   * Starts watching {@code namespace} from now on; {@code onEnd} gets the name of each DataMover that reaches
   * Completed or Failed.
   */
  static RunTracker watch(ApiClient watchClient, String namespace, Consumer<String> onEnd) {
    RunTracker tracker = new RunTracker(onEnd);
    CustomObjectsApi custom = new CustomObjectsApi(watchClient);
    BatchV1Api batch = new BatchV1Api(watchClient);
    try {
      String dataMoversVersion = resourceVersion(
          custom.listNamespacedCustomObject(BenchCluster.GROUP, BenchCluster.VERSION, namespace, BenchCluster.PLURAL).limit(1).execute());
      String jobsVersion = batch.listNamespacedJob(namespace).limit(1).execute().getMetadata().getResourceVersion();
      Call dataMovers = custom.listNamespacedCustomObject(BenchCluster.GROUP, BenchCluster.VERSION, namespace, BenchCluster.PLURAL)
          .watch(true).resourceVersion(dataMoversVersion).timeoutSeconds(3600).buildCall(null);
      Call jobs = batch.listNamespacedJob(namespace).watch(true).resourceVersion(jobsVersion).timeoutSeconds(3600).buildCall(null);
      Type dataMoverEvents = new TypeToken<Watch.Response<JsonObject>>() {}.getType();
      Type jobEvents = new TypeToken<Watch.Response<V1Job>>() {}.getType();
      Watch<JsonObject> dataMoverWatch = Watch.createWatch(watchClient, dataMovers, dataMoverEvents);
      Watch<V1Job> jobWatch = Watch.createWatch(watchClient, jobs, jobEvents);
      tracker.watches.add(dataMoverWatch);
      tracker.watches.add(jobWatch);
      tracker.follow("datamover-watch", dataMoverWatch, tracker::onDataMover);
      tracker.follow("job-watch", jobWatch, tracker::onJob);
    } catch (ApiException e) {
      throw new IllegalStateException("cannot watch namespace " + namespace + ": " + e.getResponseBody(), e);
    }
    return tracker;
  }

  private static String resourceVersion(Object list) {
    @SuppressWarnings("unchecked")
    Map<String, Object> metadata = (Map<String, Object>) ((Map<String, Object>) list).get("metadata");
    return (String) metadata.get("resourceVersion");
  }

  private <T> void follow(String name, Watch<T> watch, Consumer<Watch.Response<T>> handler) {
    Thread.ofPlatform().daemon().name(name).start(() -> {
      try {
        for (Watch.Response<T> event : watch) {
          handler.accept(event);
        }
      } catch (RuntimeException e) {
        if (!closed) {
          throw e;
        }
      }
    });
  }

  /** Records that the driver is about to create DataMover {@code name}. */
  void created(String name) {
    tracks.computeIfAbsent(name, n -> new Track()).createdNanos = System.nanoTime();
  }

  Map<String, Track> tracks() {
    return tracks;
  }

  private void onDataMover(Watch.Response<JsonObject> event) {
    long now = System.nanoTime();
    if (event.object == null || !"MODIFIED".equals(event.type) && !"ADDED".equals(event.type)) {
      return;
    }
    String name = event.object.getAsJsonObject("metadata").get("name").getAsString();
    JsonElement status = event.object.get("status");
    if (status == null || !status.isJsonObject()) {
      return;
    }
    Track track = tracks.computeIfAbsent(name, n -> new Track());
    String phase = status.getAsJsonObject().has("phase") ? status.getAsJsonObject().get("phase").getAsString() : "";
    boolean ended;
    synchronized (track) {
      if (status.equals(track.lastStatus)) {
        return;
      }
      track.writes.add((phase.isEmpty() ? "\"\"" : phase) + " (" + String.join(", ", changed(track.lastStatus, status.getAsJsonObject())) + ")");
      track.lastStatus = status.getAsJsonObject();
      track.statusWrites++;
      if (track.firstStatusNanos < 0) {
        track.firstStatusNanos = now;
      }
      if (track.phases.isEmpty() || !track.phases.getLast().equals(phase)) {
        track.phases.add(phase);
      }
      ended = TERMINAL.contains(phase) && track.endNanos < 0;
      if (ended) {
        track.endNanos = now;
        track.endPhase = phase;
      }
    }
    if (ended) {
      onEnd.accept(name);
    }
  }

  /** The status fields that differ between two statuses; for conditions, the types whose entry changed. */
  private static List<String> changed(JsonObject before, JsonObject after) {
    List<String> fields = new ArrayList<>();
    JsonObject previous = before == null ? new JsonObject() : before;
    for (String key : after.keySet()) {
      if (key.equals("conditions") && after.get(key).isJsonArray()) {
        Map<String, JsonElement> old = conditionsByType(previous.get(key));
        for (JsonElement condition : after.getAsJsonArray(key)) {
          String type = condition.getAsJsonObject().get("type").getAsString();
          if (!condition.equals(old.get(type))) {
            fields.add("conditions." + type);
          }
        }
      } else if (!after.get(key).equals(previous.get(key))) {
        fields.add(key);
      }
    }
    return fields;
  }

  private static Map<String, JsonElement> conditionsByType(JsonElement conditions) {
    Map<String, JsonElement> byType = new HashMap<>();
    if (conditions != null && conditions.isJsonArray()) {
      conditions.getAsJsonArray().forEach(c -> byType.put(c.getAsJsonObject().get("type").getAsString(), c));
    }
    return byType;
  }

  private void onJob(Watch.Response<V1Job> event) {
    long now = System.nanoTime();
    if (!"ADDED".equals(event.type) || event.object == null || event.object.getMetadata().getOwnerReferences() == null) {
      return;
    }
    for (V1OwnerReference owner : event.object.getMetadata().getOwnerReferences()) {
      if ("DataMover".equals(owner.getKind())) {
        Track track = tracks.computeIfAbsent(owner.getName(), n -> new Track());
        if (track.jobNanos < 0) {
          track.jobNanos = now;
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    for (Watch<?> watch : watches) {
      try {
        watch.close();
      } catch (IOException e) {
        // closing a watch that already ended
      }
    }
  }
}
